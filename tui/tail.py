"""LiveTail: keeps a query's newest logs coming, for the TUI and headless `tail`.

This is the seam the next issue grows into the full engine (catch-up across
pages after bursts, a trailing re-read window for late arrivals, follow/pause,
backoff). For now one poll fetches the newest page; the store dedupes by id.
It is plain asyncio with no Textual import, so tests drive it directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tui.constants import MAX_LIMIT
from tui.models.entry import LogEntry
from tui.query import LogQuery
from tui.sources.base import LogSource


@dataclass(frozen=True)
class TailBatch:
    entries: list[LogEntry]
    polled_at: float  # epoch seconds, from the tail's clock
    skipped: list[str] = field(default_factory=list)  # items the source could not read


class LiveTail:
    def __init__(
        self,
        source: LogSource,
        query: LogQuery | None = None,
        *,
        page_size: int = MAX_LIMIT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.source = source
        self.query = query or LogQuery()
        self.page_size = page_size
        self.clock = clock
        self.polls = 0

    async def poll_once(self) -> TailBatch:
        """Fetch the newest page; raises the source's typed errors (ApiError)."""
        page = await self.source.list_logs(self.query, limit=self.page_size)
        self.polls += 1
        return TailBatch(entries=page.entries, polled_at=self.clock(), skipped=page.skipped)
