"""One poll's pass down the pages, kept between polls when a request fails."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.query import LogQuery
from tui.sources.base import LogPage


@dataclass
class Walk:
    """One poll's pass down the pages; survives failures between polls."""

    query: LogQuery
    floor_ms: int | None  # the look-back's lower bound; None on the very first poll
    old_head_ms: int | None
    phase: str = "head"  # "head": page 1, open-ended; "pinned": the head's closed rest;
    # "sweep": re-reading what has settled since the last sweep
    cursor: str | None = None
    pages: int = 0
    recheck_pages: int = 0  # head pages that reached below the old head
    top_ms: int | None = None  # newest timestamp any page of this walk showed
    low_ms: int | None = None  # oldest timestamp read by the current phase
    sweep_from_ms: int = 0
    settles_to: int | None = None  # LiveTail.settled_ms once this walk completes
    skipped: list[str] = field(default_factory=list)

    def absorb_bounds(self, page: LogPage) -> None:
        stamps = [entry.timestamp_ms for entry in page.entries]
        if stamps:
            if self.top_ms is None or max(stamps) > self.top_ms:
                self.top_ms = max(stamps)
            if self.low_ms is None or min(stamps) < self.low_ms:
                self.low_ms = min(stamps)
        self.skipped += page.skipped
