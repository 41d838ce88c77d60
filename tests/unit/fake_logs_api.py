"""An in-memory LogSource with the Logs API's paging rules, for driving LiveTail fast.

Like the real list (api-contract.md A.2): newest first, a page-numbered cursor, an
inclusive ``time_range``, and logs that become visible only at ``visible_at_ms``, in
their own timestamp's place. Failures can be queued per request.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field

from tests.clock import FakeClock
from tui.errors import ApiError, NotFoundError
from tui.models.entry import LogEntry
from tui.models.wire import WireLogDetail, WireTrace
from tui.query import LogQuery
from tui.sources.base import LogPage, no_row_logs


@dataclass(order=True)
class _Log:
    ts: int
    id: str
    visible_at_ms: int = field(compare=False)


class FakeLogsApi:
    """A LogSource (tui.sources.base) that lists; it holds no detail or per-step log."""

    description = "fake"
    restarts = 0  # an API never starts over
    ended = False  # nor ends
    progress_text = None  # nor reads ahead
    reads_logs = False  # nor has a log per row

    def filtered_note(self, query: LogQuery) -> str:
        return ""  # it filters as the API does

    async def read_log(self, log_id: str, offset: int = 0) -> tuple[list[str], int, int | None]:
        raise no_row_logs("the fake API")

    async def usage_tool_calls(self, from_ms: int, to_ms: int) -> int | None:
        return None  # no Usage API

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.logs: list[_Log] = []  # ascending (ts, id)
        self.failures: list[ApiError] = []  # raised by the next requests, in order
        self.requests: list[tuple[LogQuery, int, str | None]] = []
        self._counter = 0

    def add(self, ts_ms: int, *, delay_ms: int = 0, log_id: str | None = None) -> str:
        if log_id is None:
            self._counter += 1
            log_id = f"log_{self._counter:07d}"
        insort(self.logs, _Log(ts_ms, log_id, ts_ms + delay_ms))
        return log_id

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    async def list_logs(
        self, query: LogQuery, *, limit: int = 20, cursor: str | None = None
    ) -> LogPage:
        self.requests.append((query, limit, cursor))
        if self.failures:
            raise self.failures.pop(0)
        now = self.now_ms()
        rng = query.time_range
        matching = [
            log
            for log in self.logs
            if log.visible_at_ms <= now and (rng is None or rng.from_ms <= log.ts <= rng.to_ms)
        ]
        page = 1 if cursor is None else int(cursor)
        newer = len(matching) - (page - 1) * limit
        if newer <= 0:
            return LogPage(entries=[], next_cursor=None)
        older = max(0, newer - limit)
        chosen = reversed(matching[older:newer])
        entries = [LogEntry(id=log.id, timestamp_ms=log.ts, status="success") for log in chosen]
        return LogPage(entries=entries, next_cursor=str(page + 1) if older else None)

    async def get_detail(self, log_id: str) -> WireLogDetail:
        raise NotFoundError(f"Log {log_id!r} not found", status=404)

    async def get_trace(self, log_id: str) -> WireTrace:
        raise NotFoundError(f"Log {log_id!r} not found", status=404)

    async def read_to_end(self) -> None:
        return None

    async def aclose(self) -> None:
        return None
