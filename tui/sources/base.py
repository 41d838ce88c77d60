"""The interface every log source offers (Composio API now; Buddy.works and JSONL later)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from tui.models.entry import LogEntry
from tui.models.wire import WireLogDetail, WireTrace
from tui.query import LogQuery


@dataclass(frozen=True)
class LogPage:
    """One page of a listing, normalized, whatever the source."""

    entries: list[LogEntry]
    next_cursor: str | None
    # One short description per item that could not be read; the rest are kept.
    skipped: list[str] = field(default_factory=list)


class LogSource(Protocol):
    """What LiveTail and the headless commands need from a source."""

    @property
    def description(self) -> str:
        """Where the data comes from, for the status line (never holds a secret)."""
        ...

    async def list_logs(
        self, query: LogQuery, *, limit: int = ..., cursor: str | None = None
    ) -> LogPage: ...

    async def aclose(self) -> None: ...


class DetailSource(Protocol):
    """What the detail pane needs from a source: one log's detail and its per-step log."""

    async def get_detail(self, log_id: str) -> WireLogDetail: ...

    async def get_trace(self, log_id: str) -> WireTrace: ...
