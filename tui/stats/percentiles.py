"""Exact percentiles of durations, by nearest rank.

The p-th percentile of n values is the ceil(p/100 * n)-th smallest (at least the first):
always one of the values seen, never an interpolation, so "p95 > 3s" means at least one
call in twenty took longer than 3 s. Exact for everything held: no sketch, no error.

`Durations` keeps its values in a list that is sorted only when read. Adding is O(1);
the first read after adds sorts, which Timsort does in O(n + k log k) for k values
appended to n sorted ones (it merges the new run), so a poll that adds k logs costs
O(k log k) plus one linear merge, however often the percentiles are read in between.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

PERCENTILES = (50, 95, 99)


def nearest_rank(ordered: Sequence[int], p: float) -> int | None:
    """The ``p``-th percentile (0 < p <= 100) of ``ordered`` (sorted); None when empty."""
    if not ordered:
        return None
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


class Durations:
    """A multiset of durations in ms, with exact percentiles (see the module doc)."""

    __slots__ = ("_sorted", "_values")

    def __init__(self, values: Iterable[int] = ()) -> None:
        self._values: list[int] = list(values)
        self._sorted = False

    def add(self, ms: int) -> None:
        values = self._values
        if self._sorted and values and ms < values[-1]:
            self._sorted = False
        values.append(ms)

    def extend(self, other: Durations) -> None:
        for ms in other._values:
            self.add(ms)

    def remove(self, ms: int) -> None:
        """Take one ``ms`` out (ValueError when there is none)."""
        values = self.ordered()
        at = bisect.bisect_left(values, ms)
        if at == len(values) or values[at] != ms:
            raise ValueError(f"{ms} ms is not held")
        del values[at]

    def ordered(self) -> list[int]:
        """The values, smallest first (the list itself: do not change it)."""
        if not self._sorted:
            self._values.sort()
            self._sorted = True
        return self._values

    def percentile(self, p: float) -> int | None:
        return nearest_rank(self.ordered(), p)

    def __len__(self) -> int:
        return len(self._values)
