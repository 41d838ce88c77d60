"""The interface every log source offers (Composio API now; Buddy.works and JSONL later)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from tui.models.entry import LogEntry
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
