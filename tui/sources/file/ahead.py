"""The older part of a large file read by helper processes while the scan reads the rest.

A first pass over a million lines is CPU work in Python: one core reads about 200,000
lines a second. When a query must read far back (``Scan.matching``), the bytes not read
yet are cut at line starts into one part for the scan and one for each helper, newest
first. Each helper (``ahead_worker``, a fresh interpreter given the same open file) reads
its part exactly as the scan would, writes what it found to a temporary file as small
pickled slices, and exits. When the scan gets there it keeps them (ids claimed, codes
given) as if it had read them itself, a slice at a time, so a key waits for one slice at
most. A helper that cannot be started, or fails, costs nothing but time: the scan reads
what is left itself.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
import tempfile
from array import array
from collections import deque
from itertools import pairwise
from pathlib import Path
from typing import IO, Final, NamedTuple

from tui.sources.file import backward

# Helpers are worth starting when at least this much is left to read.
AHEAD_FROM_BYTES: Final = 32 * 2**20
MOST_HELPERS: Final = 7
# The scan's share of what is left, against one helper's: the scan also keeps every
# helper's lines; measured on 2 cores, equal shares do as well as any.
OWN_SHARE: Final = 1.0
# The helper runs the tui this process imported, whatever the working directory holds
# (-P: python -m would look there first).
_ROOT: Final = str(Path(__file__).resolve().parents[3])
_WORKER: Final = (
    sys.executable,
    "-P",
    "-c",
    "import sys\n"
    f"if {_ROOT!r} not in sys.path: sys.path.insert(0, {_ROOT!r})\n"
    "from tui.sources.file.ahead_worker import main\n"
    "sys.exit(main(sys.argv[1:]))",
)
FRAME: Final = struct.Struct("<Q")  # a slice's length before it; 0 ends a part
MOST_SLICE_BYTES: Final = 2**30


class Slice(NamedTuple):
    """Lines a helper read (newest first), as the scan keeps them (``Scan._keep_many``),
    the problems it met (numbered back from its part's end, as the scan numbers), how many
    lines it passed (blank and bad ones too), where the lines not handed out yet end, and
    the needles it glanced with."""

    offsets: list[int]
    ids: list[str | bytes]
    stamps: list[int]
    whole: dict[int, tuple[str, ...]]
    problems: list[tuple[int, str]]
    passed: int
    next_end: int
    needles: tuple[bytes, ...] | None


def pack(piece: Slice) -> bytes:
    """A slice as a helper writes it: its length, then its pickle (integers as arrays)."""
    data = pickle.dumps(
        (array("q", piece.offsets), array("q", piece.stamps), *piece[1:2], *piece[3:]),
        protocol=pickle.HIGHEST_PROTOCOL,
    )
    return FRAME.pack(len(data)) + data


def _unpack(data: bytes) -> Slice:
    offsets, stamps, ids, *rest = pickle.loads(data)  # our own helper's
    return Slice(offsets.tolist(), ids, stamps.tolist(), *rest)


def helpers_to_start() -> int:
    """How many helpers this machine has cores for (one core is the scan's)."""
    if not sys.executable:  # embedded: no interpreter to start
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(0, min(MOST_HELPERS, (cores or 1) - 1))


def line_start(fd: int, at: int) -> int:
    """Where the line holding byte ``at`` starts (``at`` itself after a newline)."""
    return backward.rfind(fd, b"\n", at) + 1


def plan(fd: int, top: int, helpers: int) -> tuple[int, list[tuple[int, int]]]:
    """Where the scan stops (its floor) and the helpers' parts below it (newest first),
    for the bytes before ``top`` not read yet; no parts when it is not worth it."""
    if helpers < 1 or top < AHEAD_FROM_BYTES:
        return 0, []
    share = top / (helpers + OWN_SHARE)
    cuts = [line_start(fd, round(top - OWN_SHARE * share - k * share)) for k in range(helpers)]
    cuts.append(0)
    parts = [(low, high) for high, low in pairwise(cuts) if low < high]
    return (cuts[0], parts) if parts else (0, [])


class Ahead:
    """Helpers reading ``parts`` (newest first) of the file open as ``fd``, each writing
    its slices to a temporary file of its own (unnamed, 0600): a helper that is done
    exits and frees its memory, even when the scan never gets to its part; their slices
    taken in order (``take``)."""

    def __init__(self, fd: int, parts: list[tuple[int, int]], needles: tuple[bytes, ...] | None):
        self._parts = deque(parts)
        self._helpers: deque[tuple[subprocess.Popen[bytes], IO[bytes]]] = deque()
        self._reading: IO[bytes] | None = None  # the first helper's slices, once it is done
        self.next_end = parts[0][1]
        hexed = ",".join(needle.hex() for needle in needles) if needles else "-"
        try:
            for start, stop in parts:
                out = tempfile.TemporaryFile()  # noqa: SIM115 - open until its slices are taken
                try:
                    helper = subprocess.Popen(
                        [*_WORKER, str(fd), str(start), str(stop), hexed],
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=subprocess.DEVNULL,
                        pass_fds=(fd,),
                        start_new_session=True,  # a Ctrl+C at the terminal is not theirs
                    )
                except OSError:
                    out.close()
                    raise
                self._helpers.append((helper, out))
        except OSError:
            self.close()
            raise

    def take(self) -> Slice | None:
        """The next slice (waiting for its helper to have read its whole part); None when
        every part is taken (``next_end`` is then 0) or a helper failed: the scan reads on
        from ``next_end``, and nothing more is taken."""
        while self._parts:
            if self._reading is None:
                helper, out = self._helpers[0]
                helper.wait()
                out.seek(0)
                self._reading = out
            piece = _read_slice(self._reading)
            if piece is None:
                self.close()
                return None
            if isinstance(piece, Slice):
                self.next_end = piece.next_end
                return piece
            # The part is read to its start.
            self.next_end = self._parts.popleft()[0]
            self._helpers.popleft()[1].close()
            self._reading = None
        return None

    def stop(self) -> None:
        """Stop every helper (from any thread): what is waiting for one reads its end."""
        for helper, _ in list(self._helpers):  # copied in one step: another thread pops
            helper.kill()

    def close(self) -> None:
        """Stop every helper still reading (the scan closed, or one failed)."""
        while self._helpers:
            helper, out = self._helpers.popleft()
            helper.kill()
            helper.wait()
            out.close()
        self._parts.clear()
        self._reading = None


def _read_slice(out: IO[bytes]) -> Slice | bool | None:
    """The next slice from a helper; True at the end of its part; None when it broke off."""
    head = out.read(FRAME.size)
    if len(head) < FRAME.size:
        return None
    (size,) = FRAME.unpack(head)
    if not size:
        return True
    if size > MOST_SLICE_BYTES:
        return None  # not a length a helper writes
    data = out.read(size)
    if len(data) < size:
        return None
    try:
        return _unpack(data)
    except Exception:  # whatever came is not a slice: the scan reads the part itself
        return None
