"""A file's bytes read from the end: its lines last first (``BackLines``), where its last
whole line ends, which way it runs, newlines counted and bytes searched for, in chunks
at memory speed; and no garbage collection while many lines are read (``bulk``).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from tui import jsontree
from tui.sources.file.index import read_log
from tui.sources.file.lines import MAX_LINE_BYTES, decode

CHUNK: Final = 1 << 20  # bytes read at a time
_BOM: Final = b"\xef\xbb\xbf"


def last_line_end(fd: int, size: int) -> int:
    """Where the bytes after the file's last newline start (0 when it has none)."""
    stop = size
    while stop > 0:
        start = max(0, stop - CHUNK)
        newline = os.pread(fd, stop - start, start).rfind(b"\n")
        if newline >= 0:
            return start + newline + 1
        stop = start
    return 0


def count_newlines(fd: int, start: int, stop: int) -> int:
    """Newlines in bytes ``[start, stop)`` of the file (read at memory speed)."""
    count = 0
    while start < stop:
        piece = os.pread(fd, min(8 * CHUNK, stop - start), start)
        if not piece:
            break
        count += piece.count(b"\n")
        start += len(piece)
    return count


def spells_escapes(fd: int, stop: int) -> bool:
    """Whether bytes ``[0, stop)`` spell any ASCII character with an escape."""
    return rfind(fd, b"\\u00", stop) >= 0 or rfind(fd, b"\\/", stop) >= 0


def rfind(fd: int, needle: bytes, stop: int) -> int:
    """The last place ``needle`` starts before ``stop``, or -1."""
    while stop > 0:
        start = max(0, stop - 8 * CHUNK)
        at = os.pread(fd, stop - start + len(needle) - 1, start)[: stop - start + len(needle) - 1]
        found = at.rfind(needle, 0, stop - start + len(needle) - 1)
        if found >= 0 and start + found < stop:
            return start + found
        stop = start
    return -1


def line_at(fd: int, start: int, stop: int) -> bytes:
    """The bytes from ``start`` up to the next newline (or ``stop``), read in one call
    when ``stop`` is near."""
    size = stop - start if stop - start <= 1 << 16 else 4096
    while True:
        data = os.pread(fd, min(size, stop - start), start)
        newline = data.find(b"\n")
        if newline >= 0:
            return data[:newline]
        if len(data) < size or start + len(data) >= stop:
            return data
        size *= 4


def find(fd: int, needle: bytes, start: int, stop: int) -> int:
    """The first place ``needle`` starts in ``[start, stop)``, else ``stop``."""
    while start < stop:
        piece = os.pread(fd, min(8 * CHUNK, stop - start), start)
        found = piece.find(needle)
        if found >= 0:
            return start + found
        start += len(piece)
    return stop


def search(fd: int, log_id: str, unread: int) -> tuple[bool, dict[str, Any] | None]:
    """Whether the bytes not read yet (before ``unread``) could be searched for
    ``log_id`` as written (at memory speed; not when they spell characters with
    escapes), and its object from the last line there holding it (None: none has it)."""
    needle = json.dumps(log_id).encode()
    stop = unread
    if needle[1:-1] != log_id.encode() or spells_escapes(fd, stop):
        return False, None
    while stop > 0:
        hit = rfind(fd, needle, stop)
        if hit < 0:
            break
        start = rfind(fd, b"\n", hit) + 1
        end = find(fd, b"\n", hit, unread)
        data = os.pread(fd, end - start, start)
        if len(data) <= MAX_LINE_BYTES:
            with contextlib.suppress(ValueError, RecursionError):
                obj = jsontree.loads(decode(data.removeprefix(_BOM) if not start else data))
                read = read_log(obj)
                if not isinstance(read, str) and read[0] == log_id:
                    return True, obj
        stop = start
    return True, None


class BackLines:
    """The lines of ``[floor, end)`` (each just after a newline, or 0), last first: (where
    each starts, its bytes); a line over ``MAX_LINE_BYTES`` comes as None, never held
    whole. ``floor`` may be raised while reading, to a line start below ``reached``: the
    lines below it are read elsewhere (``ahead``)."""

    def __init__(self, fd: int, end: int, floor: int = 0) -> None:
        self._fd = fd
        self._start = end  # where the bytes in the buffer start
        self._buf = b""
        self._cut = 0  # the buffer's bytes before this are not yet handed out
        self._trim = 1  # the newline that ends the region ends its last line
        self.floor = floor
        self.done = end == floor

    @property
    def unread(self) -> int:
        """The bytes before this are not read yet."""
        return self._start + self._cut

    @property
    def next_end(self) -> int:
        """Where the lines not handed out yet end (just after a newline, or ``floor``)."""
        return self.floor if self.done else self.unread + 1

    @property
    def reached(self) -> int:
        """The bytes before this are not in the buffer yet."""
        return self._start

    def block(self) -> tuple[int, bytes, int, int] | None:
        """The next lines back that the buffer holds whole: (where the first starts, the
        buffer, the newline before them and where they end), oldest first; None when it
        holds none (``next`` reads on). The buffer is not copied: it is a megabyte."""
        buf, stop = self._buf, self._cut
        first = buf.find(b"\n", 0, stop)  # the end of the buffer's first line, maybe cut
        if first < 0:
            return None
        self._cut = first
        return self._start + first + 1, buf, first, stop

    def next(self) -> tuple[int, bytes | None]:
        """The next line back (an empty one at the start of a file that ends in two
        newlines); only while not ``done``."""
        skipping = False
        while True:
            newline = self._buf.rfind(b"\n", 0, self._cut)
            if newline >= 0:
                # A line may reach past MAX_LINE_BYTES by up to a chunk before it is seen.
                skipping = skipping or self._cut - newline - 1 > MAX_LINE_BYTES
                line = None if skipping else self._buf[newline + 1 : self._cut]
                self._cut = newline
                return self._start + newline + 1, line
            if self._start == self.floor:
                self.done = True
                skipping = skipping or self._cut > MAX_LINE_BYTES
                return self._start, None if skipping else self._buf[: self._cut]
            if self._cut > MAX_LINE_BYTES:
                skipping = True
                self._buf, self._cut = b"", 0
            size = min(CHUNK, self._start - self.floor)
            self._start -= size
            if self._cut <= CHUNK:  # the bytes not handed out yet read again, not copied
                self._buf = os.pread(self._fd, size + self._cut, self._start)
            else:
                self._buf = os.pread(self._fd, size, self._start) + self._buf[: self._cut]
            self._cut = len(self._buf) - self._trim
            self._trim = 0


@contextmanager
def bulk() -> Iterator[None]:
    """No collections while many lines are read: they hold no cycles, and a full
    collection over a large heap is what stalls the screen."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def runs_oldest_first(fd: int, size: int) -> bool:
    """Whether the file's first log is no newer than its last (a log appended to)."""
    head = os.pread(fd, min(size, 64 * 1024), 0)
    tail = os.pread(fd, min(size, 64 * 1024), max(0, size - 64 * 1024))
    first = next((t for t in map(_time_of, head.split(b"\n")[:-1]) if t is not None), None)
    last = next((t for t in map(_time_of, reversed(tail.split(b"\n")[1:])) if t is not None), None)
    return first is not None and last is not None and first <= last


def _time_of(line: bytes) -> int | None:
    try:
        read = read_log(jsontree.loads(decode(line.removeprefix(_BOM))))
    except (ValueError, RecursionError):
        return None
    return None if isinstance(read, str) else read[1]
