"""The calls a session has opened: a small cache, the mark, the search for the last
success that `b` compares with, and a Buddy action's log read by offset for the Log tab
(buddy-contract.md A.5). No Textual: the app calls these from workers."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tui.family import find_children
from tui.models.entry import LogEntry
from tui.query import Filter, LogQuery, TimeRange
from tui.sources.base import LogSource, fetch_call

if TYPE_CHECKING:  # the call model is loaded with the first detail (issue 15)
    from tui.models.call import CallDetail

MAX_CACHED_CALLS = 64  # details kept so moving back to a row is instant


class Calls:
    """Recent call details by raw log id (least recently used dropped first)."""

    def __init__(
        self, source: LogSource, *, limit: int = MAX_CACHED_CALLS, log_poll_s: float = 2.0
    ) -> None:
        self._source = source
        self._limit = limit
        self.log_poll_s = log_poll_s  # how often a running action's log is read again
        self.paused = False  # p: no log is read either
        self._calls: OrderedDict[str, CallDetail] = OrderedDict()
        self.marked: str | None = None  # m: the log d compares with

    def switch(self, source: LogSource) -> None:
        """Another source from now on: the calls and the mark were the old one's."""
        self._source = source
        self._calls.clear()
        self.marked = None

    def cached(self, log_id: str) -> CallDetail | None:
        call = self._calls.get(log_id)
        if call is not None:
            self._calls.move_to_end(log_id)
        return call

    def remember(self, call: CallDetail) -> None:
        self._calls[call.log_id] = call
        self._calls.move_to_end(call.log_id)
        while len(self._calls) > self._limit:
            self._calls.popitem(last=False)

    def __iter__(self) -> Iterator[CallDetail]:
        return iter(list(self._calls.values()))

    async def fetch(self, log_id: str) -> CallDetail:
        """From the source, not remembered: the caller decides once the answer is wanted
        (the selection may have moved on meanwhile)."""
        return await fetch_call(self._source, log_id)

    async def get(self, log_id: str) -> CallDetail:
        """From the cache, else fetched and remembered."""
        cached = self.cached(log_id)
        if cached is not None:
            return cached
        call = await self.fetch(log_id)
        self.remember(call)
        return call

    @property
    def reads_logs(self) -> bool:
        """Whether an action's log can be read by offset (a Buddy API, not a file)."""
        return self._source.reads_logs

    async def read_log(self, log_id: str, offset: int) -> tuple[list[str], int, int | None]:
        """A Buddy action's log lines from ``offset`` (buddy-contract.md A.5): the lines,
        the next offset, the total when said. NotFoundError from any other source."""
        return await self._source.read_log(log_id, offset)

    async def children(self, call: CallDetail) -> list[LogEntry]:
        """The calls a meta-tool call made (``tui.family``), oldest first."""
        return await find_children(self._source, call)

    async def last_success(self, call: CallDetail) -> LogEntry | None:
        """The newest success of the same tool before ``call`` (else the newest at all),
        or None when there is none other than ``call`` itself."""
        tool = Filter("tool_slug", "==", call.tool)
        ok = Filter("status", "==", "success")
        found: list[LogEntry] = []
        if call.started_ms is not None:
            before = LogQuery(filters=(tool, ok), time_range=TimeRange(0, call.started_ms))
            found = (await self._source.list_logs(before, limit=1)).entries
        if not found:
            anytime = LogQuery(filters=(tool, ok))
            found = (await self._source.list_logs(anytime, limit=1)).entries
        if not found or found[0].id == call.log_id:
            return None
        return found[0]
