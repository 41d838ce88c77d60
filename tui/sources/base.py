"""The interface every log source offers (Composio API now; Buddy.works and JSONL later)."""

from __future__ import annotations

from typing import Protocol

from tui.query import LogQuery
from tui.sources.composio import LogPage


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
