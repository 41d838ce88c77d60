"""The rows of one page of a ``Scan``: the newest lines a filter set lets through, read
back only as far as it takes (``rows``).
"""

from __future__ import annotations

import heapq
from array import array
from itertools import accumulate
from operator import sub
from typing import Final, Protocol

from tui.sources.file.scanmatch import Matches, Rejects

BATCH: Final = 4096  # lines read between two looks at whether a page has enough
AHEAD_AFTER: Final = 1 << 16  # lines a page reads on for before helpers read ahead


class Lateness:
    """The most a line read so far came late (``most``, ms: how much newer it was than a
    line after it): a page reads on until no line before can be newer than its rows."""

    def __init__(self) -> None:
        self.most = 0
        self._oldest: int | None = None

    def note(self, stamps: list[int]) -> None:
        """Listed lines read back (newest first)."""
        if not stamps:
            return
        if stamps == sorted(stamps, reverse=True) and (
            self._oldest is None or stamps[0] <= self._oldest
        ):
            self._oldest = stamps[-1]  # in order: none came late
            return
        low = stamps[0] if self._oldest is None else self._oldest
        lows = accumulate(stamps, min, initial=low)  # the oldest before each
        self.most = max(self.most, *map(sub, stamps, lows))
        self._oldest = min(low, min(stamps))


class Paged(Protocol):
    """What a page asks of a ``Scan``."""

    ts: array[int]

    def __len__(self) -> int: ...

    @property
    def lateness(self) -> int: ...

    @property
    def done(self) -> bool: ...

    def read_more(self, lines: int | None = None, rejects: Rejects | None = None) -> None: ...

    def read_ahead(self, rejects: Rejects | None) -> None: ...


def rows(scan: Paged, match: Matches, bounds: tuple[int, int] | None, want: int) -> list[int]:
    """Up to ``want`` lines (newest first) that ``match``'s filters and ``bounds`` let
    through, reading back as far as it takes (everything when the file is out of order,
    or when fewer are there)."""
    chosen: list[int] = []
    ts = scan.ts
    at = 0
    least: int | None = None  # the oldest time among the matching lines gone through
    cut: int | None = None  # a line older than this cannot be among the rows
    step = want  # lines gone through next: what is missing, then twice as many
    while True:
        if match.upto == len(scan) and not scan.done:
            if step >= AHEAD_AFTER:
                scan.read_ahead(match.rejects)
            scan.read_more(max(16, min(step, BATCH)), match.rejects)
        match.extend(min(step, 16 * BATCH))  # bounded: lists of ints are large
        step *= 2
        found = match.found
        slack = 2 * scan.lateness
        unseen = len(found) - at
        if unseen and cut is None and bounds is None and len(chosen) + unseen < want:
            # All of them are rows so far (a deep page: the loop below, in C).
            fresh = found[at:]
            chosen += fresh
            low = min(map(ts.__getitem__, fresh))
            least = low if least is None else min(least, low)
            at = len(found)
        while at < len(found) and not (
            cut is not None and least is not None and least + slack <= cut
        ):
            line = found[at]
            at += 1
            stamp = ts[line]
            least = stamp if least is None or stamp < least else least
            if bounds is not None and not bounds[0] <= stamp <= bounds[1]:
                continue
            if cut is None or stamp >= cut:
                chosen.append(line)
                if cut is None and len(chosen) >= want:
                    cut = heapq.nlargest(want, (ts[line] for line in chosen))[-1]
        if at < len(found) or (scan.done and match.upto == len(scan)):
            break  # no line not gone through can be among the rows
        oldest = match.oldest  # of the lines gone through
        if oldest is not None and _enough(scan.lateness, cut, bounds, oldest):
            break
    # Newest first, an earlier line first among equal times: two sorts in C, stable.
    chosen.sort()
    chosen.sort(key=ts.__getitem__, reverse=True)
    return chosen[:want]


def _enough(lateness: int, cut: int | None, bounds: tuple[int, int] | None, oldest: int) -> bool:
    """Whether no line not gone through can be among the rows: none is newer than
    ``oldest`` (the oldest time gone through) by more than twice the most a line read so
    far came late (``lateness``), and the rows are older than ``cut`` or outside
    ``bounds``."""
    newest_unread = oldest + 2 * lateness
    if bounds is not None and newest_unread < bounds[0]:
        return True  # what is not read yet is older than the range
    return cut is not None and newest_unread <= cut  # an earlier line tied ranks after
