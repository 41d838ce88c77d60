"""Stretches of time a poll could not read in budget, and those kept for filling."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tui.models.entry import LogEntry

# Gaps kept for filling; a headless tail never fills them, so the oldest are let go.
MAX_GAPS = 50


@dataclass(frozen=True)
class Gap:
    """Logs with timestamps in ``[from_ms, to_ms]`` that a poll could not load in budget.

    From ``new_from_ms`` up, new logs are certainly missing; below it (or throughout,
    when it is None) only the re-check for late logs was skipped."""

    from_ms: int
    to_ms: int
    new_from_ms: int | None = None

    @classmethod
    def left_unread(cls, from_ms: int, low_ms: int | None, new_from_ms: int | None) -> Gap:
        """What a walk cut short at ``low_ms`` (None: before any log) leaves unread down
        to ``from_ms``, new logs missing from ``new_from_ms`` up (None: none were)."""
        to_ms = max(from_ms, low_ms if low_ms is not None else from_ms)
        if new_from_ms is not None and new_from_ms >= to_ms:
            new_from_ms = None  # the cut came below the old head: only late logs missed
        return cls(from_ms, to_ms, new_from_ms)

    def describe(self, clock: Callable[[int], str]) -> str:
        """One line for a person, times written by ``clock``."""
        if self.new_from_ms is not None:
            return f"logs between {clock(self.new_from_ms)} and {clock(self.to_ms)} not loaded"
        return f"late logs between {clock(self.from_ms)} and {clock(self.to_ms)} may be missing"

    def without(self, from_ms: int, to_ms: int) -> list[Gap]:
        """What is left of this gap once ``[from_ms, to_ms]`` has been loaded."""
        if to_ms < self.from_ms or from_ms > self.to_ms:
            return [self]
        # The edges are kept inclusive: logs sharing the edge millisecond are read again.
        pieces = [(self.from_ms, from_ms)] if self.from_ms < from_ms else []
        pieces += [(to_ms, self.to_ms)] if to_ms < self.to_ms else []
        new = self.new_from_ms
        return [Gap(lo, hi, None if new is None or new > hi else max(new, lo)) for lo, hi in pieces]


class GapLedger:
    """The gaps kept for filling, oldest first, with the ids delivered inside each.

    The dedupe window forgets ids as it moves on, and filling a gap reads them again:
    these ids keep such logs from being delivered twice."""

    def __init__(self) -> None:
        self.gaps: list[Gap] = []
        self._ids: dict[Gap, set[str]] = {}

    def add(self, gap: Gap, held: Mapping[str, int]) -> Gap:
        """Keep ``gap``, merged with those it overlaps, and return what is kept.

        ``held`` maps the ids read so far to their timestamps."""
        ids = {key for key, ts in held.items() if gap.from_ms <= ts <= gap.to_ms}
        # Successive cut-short walks overlap: keep one gap for one stretch of time.
        for other in [g for g in self.gaps if g.from_ms <= gap.to_ms and gap.from_ms <= g.to_ms]:
            self.gaps.remove(other)
            ids |= self._ids.pop(other, set())
            news = [n for n in (gap.new_from_ms, other.new_from_ms) if n is not None]
            gap = Gap(
                min(gap.from_ms, other.from_ms),
                max(gap.to_ms, other.to_ms),
                min(news) if news else None,
            )
        self._ids[gap] = ids
        self.gaps.append(gap)
        if len(self.gaps) > MAX_GAPS:
            self._ids.pop(self.gaps.pop(0), None)
        return gap

    def delivered_in(self, gap: Gap) -> set[str]:
        """The ids delivered inside ``gap`` (a copy)."""
        return set(self._ids.get(gap, set()))

    def note_delivered(self, entries: Sequence[LogEntry]) -> None:
        for gap, ids in self._ids.items():
            ids.update(e.id for e in entries if gap.from_ms <= e.timestamp_ms <= gap.to_ms)

    def mark_loaded(self, from_ms: int, to_ms: int) -> None:
        """Take ``[from_ms, to_ms]`` out of every gap: it has been read."""
        gaps: list[Gap] = []
        for gap in self.gaps:
            ids = self._ids.pop(gap, set())
            for piece in gap.without(from_ms, to_ms):
                gaps.append(piece)
                self._ids[piece] = self._ids.get(piece, set()) | ids
        self.gaps = gaps
