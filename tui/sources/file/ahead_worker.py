"""A helper process of ``ahead``: reads one part of a file exactly as ``Scan`` would and
writes what it found to its standard output, as slices, once the part is read.

Run as ``main([FD, START, STOP, NEEDLES])`` (``ahead._WORKER``): ``FD`` the file,
open in the scan's process and passed on; ``[START, STOP)`` the part (each a line start);
``NEEDLES`` the query's needles in hex, comma-separated ("-": none, read every line whole).
Its standard output is a temporary file of the scan's: slices are written as they are
read, and nothing is held once written.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Final

from tui.sources.file import ahead, backward
from tui.sources.file.scan import Scan
from tui.sources.file.scanmatch import Rejects

SLICE_LINES: Final = 4096  # a slice's lines: what the scan keeps between two looks


class _Recorder(Scan):
    """A ``Scan`` of one part that writes down what it would keep, claiming nothing: ids
    are claimed by the scan, which knows every newer line."""

    def __init__(self, fd: int, start: int, stop: int) -> None:
        self.problems: list[tuple[int, str]] = []
        super().__init__(fd, stop, self._note_problem, frozenset, floor=start)
        self.kept_offsets: list[int] = []
        self.kept_ids: list[str | bytes] = []
        self.kept_stamps: list[int] = []
        self.kept_whole: dict[int, tuple[str, ...]] = {}

    def _note_problem(self, number: int, problem: str) -> None:
        self.problems.append((number, problem))

    def _keep(self, offset: int, log_id: str, ts: int, texts: tuple[str, ...] | None) -> None:
        self._keep_many([offset], [log_id], [ts], {} if texts is None else {0: texts})

    def _keep_many(
        self,
        offsets: list[int],
        ids: list[str | bytes],
        stamps: list[int],
        whole: dict[int, tuple[str, ...]],
    ) -> None:
        at = len(self.kept_ids)
        self.kept_whole.update((at + place, texts) for place, texts in whole.items())
        self.kept_offsets += offsets
        self.kept_ids += ids
        self.kept_stamps += stamps

    def slice(self, needles: tuple[bytes, ...] | None, before: int) -> ahead.Slice:
        """What was kept since the last slice (``before`` lines passed till then)."""
        piece = ahead.Slice(
            self.kept_offsets,
            self.kept_ids,
            self.kept_stamps,
            self.kept_whole,
            [(number + before, problem) for number, problem in self.problems],
            self.passed - before,
            self._lines.next_end,
            needles,
        )
        self.kept_offsets, self.kept_ids, self.kept_stamps = [], [], []
        self.kept_whole, self.problems = {}, []
        return piece


def slices(fd: int, start: int, stop: int, needles: tuple[bytes, ...] | None) -> Iterator[bytes]:
    """The part's slices, packed (``ahead.pack``), as they are read."""
    recorder = _Recorder(fd, start, stop)
    rejects = Rejects(needles) if needles else None
    with backward.bulk():
        while not recorder.done:
            before = recorder.passed
            recorder.read_more(SLICE_LINES, rejects)
            yield ahead.pack(recorder.slice(needles, before))


def main(args: list[str]) -> int:
    fd, start, stop = (int(arg) for arg in args[:3])
    needles = None if args[3] == "-" else tuple(bytes.fromhex(n) for n in args[3].split(","))
    out = sys.stdout.buffer
    for data in slices(fd, start, stop, needles):
        out.write(data)
    out.write(ahead.FRAME.pack(0))
    out.flush()
    return 0
