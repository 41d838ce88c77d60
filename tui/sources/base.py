"""The interface every log source offers (the Composio API, a JSON-lines file, Buddy.works
pipeline runs), and fetch_call, which joins a log's detail and per-step log from any of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from tui.errors import ApiError, NotFoundError
from tui.models.entry import LogEntry
from tui.query import LogQuery

if TYPE_CHECKING:  # the pydantic models, imported only where a detail is read
    from tui.models.call import CallDetail
    from tui.models.wire import WireLogDetail, WireTrace


@dataclass(frozen=True)
class LogPage:
    """One page of a listing, normalized, whatever the source."""

    entries: list[LogEntry]
    next_cursor: str | None
    # One short description per item that could not be read; the rest are kept.
    skipped: list[str] = field(default_factory=list)
    # Rows served before whose content has changed since (a Buddy action that was
    # running): the same ids, to be replaced where they are held, never added twice.
    # Only a source whose rows change fills it; Composio logs and files never do.
    updated: list[LogEntry] = field(default_factory=list)


class LogSource(Protocol):
    """The whole interface of a log source: what LiveTail, the screen and the headless
    commands need, every member declared (no source is asked what it can do)."""

    @property
    def description(self) -> str:
        """Where the data comes from, for the status line (never holds a secret)."""
        ...

    @property
    def restarts(self) -> int:
        """How often the source had to start over (a file truncated or replaced): the
        logs it listed before may be gone. Always 0 for an API."""
        ...

    @property
    def ended(self) -> bool:
        """A finite stream (a pipe) has been read to its end: nothing more will come.
        Always False for an API, and for a file (it may grow)."""
        ...

    @property
    def progress_text(self) -> str | None:
        """How far a long first read has come ("indexed 420,000 of ~1,000,000 lines"),
        for the title; None when there is nothing to wait for (always, for an API)."""
        ...

    def filtered_note(self, query: LogQuery) -> str:
        """What the title must add about where ``query`` is applied: "" when the API
        filters (Composio) or the whole source is read (a file); for Buddy, whose list
        takes no filters, "filtered here over the 240 runs read" (buddy-contract.md A.3)."""
        ...

    @property
    def reads_logs(self) -> bool:
        """Whether a row has a log of its own, read by offset (``read_log``): a Buddy
        action's (buddy-contract.md A.5). False for Composio and files."""
        ...

    async def read_log(self, log_id: str, offset: int = 0) -> tuple[list[str], int, int | None]:
        """A row's own log lines from ``offset``: the lines, the next offset, the total
        when said. ``NotFoundError`` (``no_row_logs``) from a source without them."""
        ...

    async def usage_tool_calls(self, from_ms: int, to_ms: int) -> int | None:
        """Tool calls the source's own count (Composio's Usage API, api-contract A.4.1)
        says were made in ``[from_ms, to_ms)``; None where there is no such count."""
        ...

    async def list_logs(
        self, query: LogQuery, *, limit: int = ..., cursor: str | None = None
    ) -> LogPage: ...

    async def get_detail(self, log_id: str) -> WireLogDetail:
        """One log's detail, by its raw id (as the source wrote it, never sanitized)."""
        ...

    async def get_trace(self, log_id: str) -> WireTrace:
        """One log's per-step log, by its raw id."""
        ...

    async def read_to_end(self) -> None:
        """Wait until a finite stream has ended (what `list` and `get` answer from);
        returns at once for a source that has no end (an API, a file)."""
        ...

    async def aclose(self) -> None: ...


def no_row_logs(description: str) -> NotFoundError:
    """What ``read_log`` raises where rows have no log of their own."""
    return NotFoundError(detail=f"{description} has no action logs to read by offset")


async def fetch_call(source: LogSource, log_id: str) -> CallDetail:
    """Fetch a log's detail and per-step log at once, by its raw id, and join them.

    A per-step log that cannot be had (404, an unreadable body, any ``ApiError``)
    degrades to ``trace_note``; a detail that cannot be had raises its ``ApiError``
    (and stops the other request). Cancelling this cancels both requests.
    """
    import asyncio  # not for the commands that read a file without an event loop

    from tui.models.call import build_call  # pydantic: not for the commands that list

    async def trace_or_problem() -> tuple[WireTrace | None, ApiError | None]:
        try:
            return await source.get_trace(log_id), None
        except ApiError as error:
            return None, error

    try:
        async with asyncio.TaskGroup() as group:
            detail_task = group.create_task(source.get_detail(log_id))
            trace_task = group.create_task(trace_or_problem())
    except ExceptionGroup as failures:
        # The detail's error (the trace's are caught above), not a group of one.
        raise failures.exceptions[0] from None
    trace, problem = trace_task.result()
    # Redacting a detail of megabytes takes a while: in a thread, so the loop answers keys.
    return await asyncio.to_thread(build_call, detail_task.result(), trace, trace_problem=problem)
