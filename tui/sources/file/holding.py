"""Which of many lines a scan has read may hold a query's terms, told from the file's bytes
in bulk (``lines_holding``): a megabyte at a time searched at memory speed, where checking
each line alone costs a read of it.

A line only glanced at (its id and time kept, turned down by another query's terms) must
be looked at again by the next query. Once a first pass has glanced at a million lines,
a query whose rows are few went through each of them alone: 3.3 s.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left, bisect_right
from typing import Final

CHUNK: Final = 1 << 20  # bytes read at a time, into one buffer


def lines_holding(
    fd: int, off: array[int], end: int, start: int, stop: int, needles: tuple[bytes, ...]
) -> set[int]:
    """Of the scan's lines ``[start, stop)`` (newest first: their offsets fall; the
    newest ends where line ``start - 1`` starts, or at ``end``), those whose bytes hold
    every needle. A line's bytes run to the next kept line's start: a line not kept
    between may add one more. (Only for lines glanced at: none spells a character with
    an escape, or it would have been read whole, so a needle missing is a term missing.)"""
    if start >= stop:
        return set()
    starts = off[start:stop]
    starts.reverse()  # oldest first: rising
    high = off[start - 1] if start else end
    found: set[int] = set()
    buf = bytearray(CHUNK)
    first, count = 0, len(starts)
    while first < count:
        last = max(first + 1, bisect_left(starts, starts[first] + CHUNK, first))
        low = starts[first]
        size = (starts[last] if last < count else high) - low
        if size > len(buf):  # one long line
            buf = bytearray(size)
        got = _read_into(fd, memoryview(buf)[:size], low)
        at = buf.find(needles[0], 0, got)
        while at >= 0:
            line = bisect_right(starts, low + at, first, last) - 1
            line_end = min(got, (starts[line + 1] if line + 1 < count else high) - low)
            if all(other in buf[starts[line] - low : line_end] for other in needles[1:]):
                found.add(stop - 1 - line)
            at = buf.find(needles[0], line_end, got)
        first = last
    return found


def _read_into(fd: int, into: memoryview, offset: int) -> int:
    """Bytes of the file from ``offset`` read into ``into`` (how many: fewer where the
    file now ends). A buffer read into again is three times as fast as a new one each
    time, whose every page is new memory."""
    if hasattr(os, "preadv"):
        return os.preadv(fd, [into], offset)
    data = os.pread(fd, len(into), offset)
    into[: len(data)] = data
    return len(data)
