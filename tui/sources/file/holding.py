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
from collections.abc import Sequence
from typing import Final

CHUNK: Final = 1 << 20  # bytes read at a time, into one buffer


def lines_with(
    buf: bytes | bytearray,
    shift: int,
    starts: Sequence[int],
    needle: bytes,
    lines: tuple[int, int],
    stop: int,
) -> list[int]:
    """Of ``lines`` (first, past the last), those whose bytes in ``buf`` (before
    ``stop``) hold ``needle``, which holds no newline: line ``i`` runs from
    ``starts[i] + shift`` to ``starts[i + 1] + shift`` (``starts`` rises)."""
    first, last = lines
    found: list[int] = []
    at = buf.find(needle, starts[first] + shift, stop)
    while at >= 0:
        line = bisect_right(starts, at - shift, first, last) - 1
        found.append(line)
        at = buf.find(needle, starts[line + 1] + shift, stop)
    return found


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
    count = len(starts)
    starts.append(off[start - 1] if start else end)  # where the newest ends
    found: set[int] = set()
    buf = bytearray(CHUNK)
    first = 0
    while first < count:
        last = max(first + 1, bisect_left(starts, starts[first] + CHUNK, first, count))
        low = starts[first]
        size = starts[last] - low
        if size > len(buf):  # one long line
            buf = bytearray(size)
        got = _read_into(fd, memoryview(buf)[:size], low)
        for line in lines_with(buf, -low, starts, needles[0], (first, last), got):
            whole = buf[starts[line] - low : min(got, starts[line + 1] - low)]
            if all(other in whole for other in needles[1:]):
                found.add(stop - 1 - line)
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
