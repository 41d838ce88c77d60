"""BuddySource: Buddy.works pipeline runs as a ``LogSource``, one row per action execution.

Buddy has no activity feed and no project-wide list of runs (buddy-contract.md A.7), and
its list of runs takes no filters (A.3). So a refresh (every request for a first page)
lists each watched pipeline's runs, newest first (A.3, ``page``/``per_page``: page 1,
and more while a page holds only runs not seen yet), fetches the run (A.4) of every new
run and of every one not finished, follows each running action's log by offset (A.5
``…/logs?offset=&limit=``; the inline ``log[]`` of A.5's details where that endpoint is
missing), and reads an action's details (A.5) when its status changes.

The query is then applied here, over the runs read (``filtered_note`` says so: ``list``
on stderr, the screen in its title; the fields are issue 17 §4's, ``tui.query``), and the
rows are served newest first, paged by an offset cursor.

**Updated in place.** A row's id and time never change (see ``rows``); while an action
runs its row changes, and the first page of every refresh carries in
``LogPage.updated`` each row served before whose content changed since, on the page or
not (and each new row that is not on it: it arrived below the time asked for): the
tail hands them on as updates, which the store replaces by id and ``tail`` prints again
when the status changed, so a row never appears twice.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final, TypeVar

from tui import debuglog
from tui.constants import BUDDY_LOGS_MAX_LIMIT
from tui.errors import ApiError, NotFoundError
from tui.models.entry import LogEntry
from tui.models.normalize import entry_from_wire
from tui.models.wire import WireLogDetail, WireTrace, to_number
from tui.query import LogQuery
from tui.sources.base import LogPage
from tui.sources.buddy.client import BuddyClient
from tui.sources.buddy.rows import (
    SOURCE_NAME,
    UNFINISHED,
    RowId,
    action_execution_id,
    actions_of,
    build_row,
    detail_of,
    mapped_status,
    parse_row_id,
    revision,
    trace_of,
)

MAX_RUNS: Final = 60  # per pipeline: what the first refresh reads, and what is kept
MAX_PAGES: Final = 5  # of runs, per pipeline and refresh
MAX_LOG_PAGES: Final = 10  # of 1000 lines, per action and request
CONCURRENCY: Final = 4  # requests in flight at once (Buddy limits requests per token)
# One poll of the tail asks for a first page two or three times (head, pinned, sweep):
# within this many seconds of the last refresh, the rows read then are served again.
MIN_REFRESH_S: Final = 1.0

log = debuglog.get_logger("buddy")
T = TypeVar("T")


class BuddySource:
    """The runs of ``pipelines`` (all of the project's when empty) as rows."""

    def __init__(
        self,
        client: BuddyClient,
        *,
        workspace: str,
        project: str,
        pipelines: Iterable[int] = (),
        per_page: int = 20,
        max_runs: int = MAX_RUNS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.workspace = workspace
        self.project = project
        self.pipeline_ids = tuple(pipelines)
        self.per_page = per_page
        self.max_runs = max_runs
        self._clock = clock
        self._gate = asyncio.Semaphore(CONCURRENCY)
        self._pipelines: dict[int, dict[str, Any]] = {}
        self._runs: dict[tuple[int, int], dict[str, Any]] = {}  # A.4, by (pipeline, run)
        self._rows: dict[str, LogEntry] = {}
        self._revisions: dict[str, str] = {}
        self._served: dict[str, str] = {}  # id -> revision last served
        self._arrived: set[str] = set()  # rows first read after the first refresh
        self._lines: dict[str, list[str]] = {}  # running actions' logs, followed by offset
        self._no_logs_endpoint = False
        self.refreshes = 0
        self._refreshed_at: float | None = None

    # -- LogSource -------------------------------------------------------------------

    @property
    def description(self) -> str:
        return f"Buddy {self.workspace}/{self.project} on {self.client.host}"

    @property
    def restarts(self) -> int:
        return 0

    @property
    def ended(self) -> bool:
        return False

    @property
    def progress_text(self) -> str | None:
        return None

    @property
    def runs_read(self) -> int:
        return len(self._runs)

    @property
    def reads_logs(self) -> bool:
        return True  # an action's log, by offset (A.5)

    async def usage_tool_calls(self, from_ms: int, to_ms: int) -> int | None:
        return None  # Buddy has no Usage API

    def filtered_note(self, query: LogQuery) -> str:
        """What a filtered view must say: Buddy's list takes no filters (A.3). Nothing
        before the first runs are read (the screen says it is waiting)."""
        if query.server_part.is_empty or not self.refreshes:
            return ""
        return f"filtered here over the {self.runs_read} runs read"

    async def read_to_end(self) -> None:
        """An API has no end."""

    async def aclose(self) -> None:
        await self.client.aclose()

    async def list_logs(
        self, query: LogQuery, *, limit: int = 100, cursor: str | None = None
    ) -> LogPage:
        offset = int(cursor) if cursor and cursor.isdigit() else 0
        last = self._refreshed_at
        if cursor is None and (last is None or self._clock() - last >= MIN_REFRESH_S):
            await self.refresh()
        rows = sorted(
            (entry for entry in self._rows.values() if query.server_part.matches(entry)),
            key=lambda entry: (entry.timestamp_ms, entry.id),
            reverse=True,
        )
        page = rows[offset : offset + limit]
        updated: list[LogEntry] = []
        if cursor is None:
            on_page = {entry.id for entry in page}
            filters = LogQuery(filters=query.filters)
            for key, entry in self._rows.items():
                if not filters.matches(entry):
                    continue
                # A changed row goes out as an update even when it is on the page: the
                # tail, which had it, drops the page's copy as one it has delivered.
                served = self._served.get(key)
                changed = served is not None and served != self._revisions[key]
                if changed or (served is None and key in self._arrived and key not in on_page):
                    updated.append(entry)
        for entry in [*page, *updated]:
            self._served[entry.id] = self._revisions[entry.id]
            self._arrived.discard(entry.id)
        more = offset + limit < len(rows)
        return LogPage(
            entries=page, next_cursor=str(offset + limit) if more else None, updated=updated
        )

    async def get_detail(self, log_id: str) -> WireLogDetail:
        where = parse_row_id(log_id)
        run = await self._run(where)
        details = await self._fetch(
            self.client.get_action_execution(
                self.workspace, self.project, where.pipeline, where.execution, where.action
            )
        )
        lines = await self._all_lines(where, details)
        row = self._row_for(where, run, details, lines[-1] if lines else "")
        return WireLogDetail.model_validate(detail_of(row, details, lines))

    async def get_trace(self, log_id: str) -> WireTrace:
        where = parse_row_id(log_id)
        run = await self._run(where, fresh=False)
        pipeline = self._pipelines.get(where.pipeline, {})
        name = str(pipeline.get("name") or f"pipeline {where.pipeline}")
        return WireTrace.model_validate(trace_of(where, name, run, self._lines.get(log_id, [])))

    # -- following the log (A.5) -----------------------------------------------------

    async def read_log(self, log_id: str, offset: int = 0) -> tuple[list[str], int, int | None]:
        """The action's log lines from ``offset``: the lines, the next offset, and the
        total when said. Without the ``/logs`` endpoint (an older Buddy), the inline
        ``log[]`` of its details, cut at ``offset``."""
        where = parse_row_id(log_id)
        if not self._no_logs_endpoint:
            try:
                return await self._fetch(
                    self.client.get_logs(
                        self.workspace,
                        self.project,
                        where.pipeline,
                        where.execution,
                        where.action,
                        offset=offset,
                        limit=BUDDY_LOGS_MAX_LIMIT,
                    )
                )
            except NotFoundError:
                self._no_logs_endpoint = True
                log.info("no paged logs endpoint: reading the inline log[] of details")
        details = await self._fetch(
            self.client.get_action_execution(
                self.workspace, self.project, where.pipeline, where.execution, where.action
            )
        )
        lines = [str(line) for line in details.get("log") or [] if line is not None]
        return lines[offset:], len(lines), len(lines)

    async def _all_lines(self, where: RowId, details: dict[str, Any]) -> list[str]:
        lines: list[str] = []
        offset = 0
        for _ in range(MAX_LOG_PAGES):
            try:
                more, offset, total = await self.read_log(str(where), offset)
            except NotFoundError:
                break
            lines += more
            if not more or (total is not None and offset >= total):
                break
        if not lines and isinstance(details.get("log"), list):
            lines = [str(line) for line in details["log"]]
        self._lines[str(where)] = lines
        return lines

    # -- refreshing (A.2–A.5) --------------------------------------------------------

    async def refresh(self) -> None:
        """Read what changed since the last refresh (see the module doc)."""
        first = self.refreshes == 0
        await self._load_pipelines()
        runs = await asyncio.gather(*(self._new_and_open_runs(p, first) for p in self._watched()))
        wanted = [(pid, summary) for pid, found in runs for summary in found]
        fetched = await asyncio.gather(*(self._fetch_run(pid, s) for pid, s in wanted))
        follow: list[tuple[RowId, dict[str, Any], int]] = []
        for (pid, summary), run in zip(wanted, fetched, strict=True):
            rid = int(to_number(summary.get("id")) or 0)
            run = {"id": rid, **summary, **run}
            self._runs[(pid, rid)] = run
            for position, action in enumerate(actions_of(run)):
                follow.append((RowId(pid, rid, action_execution_id(action)), action, position))
        await asyncio.gather(*(self._update_row(w, a, p, first) for w, a, p in follow))
        self._forget_old_runs()
        self.refreshes += 1
        self._refreshed_at = self._clock()

    def _watched(self) -> list[int]:
        return list(self.pipeline_ids or self._pipelines)

    async def _load_pipelines(self) -> None:
        if self._pipelines:
            return
        for page in range(1, 11):
            found = await self._fetch(
                self.client.list_pipelines(self.workspace, self.project, page=page)
            )
            for item in found:
                number = to_number(item.get("id")) if isinstance(item, dict) else None
                if number is not None:
                    self._pipelines[int(number)] = item
            if not found:
                break
        for pid in self.pipeline_ids:
            self._pipelines.setdefault(pid, {"id": pid, "name": f"pipeline {pid}"})

    async def _new_and_open_runs(
        self, pipeline: int, first: bool
    ) -> tuple[int, list[dict[str, Any]]]:
        """The runs listed whose A.4 must be read: new ones, and those not finished."""
        wanted: list[dict[str, Any]] = []
        limit = self.max_runs if first else self.per_page * MAX_PAGES
        for page in range(1, MAX_PAGES + 1):
            runs, total_pages = await self._fetch(
                self.client.list_executions(
                    self.workspace, self.project, pipeline, page=page, per_page=self.per_page
                )
            )
            new = 0
            for summary in runs:
                rid = int(to_number(summary.get("id")) or 0)
                known = self._runs.get((pipeline, rid))
                if known is None:
                    new += 1
                if known is None or _open(known) or known.get("status") != summary.get("status"):
                    wanted.append(summary)
            done = not runs or (total_pages is not None and page >= total_pages)
            if done or len(wanted) >= limit or (not first and new < len(runs)):
                break
        return pipeline, wanted[:limit]

    async def _fetch_run(self, pipeline: int, summary: dict[str, Any]) -> dict[str, Any]:
        rid = int(to_number(summary.get("id")) or 0)
        return await self._fetch(
            self.client.get_execution(self.workspace, self.project, pipeline, rid)
        )

    async def _update_row(
        self, where: RowId, action: dict[str, Any], position: int, first: bool
    ) -> None:
        key = str(where)
        old = self._rows.get(key)
        status = mapped_status(action.get("status"))
        changed = old is None or old.raw.get("metadata", {}).get("buddy_status") != action.get(
            "status"
        )
        message = old.message if old is not None else ""
        embedded = action.get("log")
        if isinstance(embedded, list) and embedded:
            message = str(embedded[-1])
        if status == "running" or (changed and not first and status not in UNFINISHED):
            lines = self._lines.setdefault(key, [])
            try:
                more, _, _ = await self.read_log(key, len(lines))
                lines += more
                if lines:
                    message = lines[-1]
            except ApiError as error:
                log.info("log of %s not read: %s", key, error)
        if changed and not first and status not in ("queued",):
            try:
                details = await self._fetch(
                    self.client.get_action_execution(
                        self.workspace, self.project, where.pipeline, where.execution, where.action
                    )
                )
                action = {**action, **{k: v for k, v in details.items() if v is not None}}
            except ApiError as error:
                log.info("details of %s not read: %s", key, error)
        if status not in UNFINISHED and status != "running":
            self._lines.pop(key, None)
        run = self._runs[(where.pipeline, where.execution)]
        self._store(where, run, action, position, message)
        if old is None and not first:
            self._arrived.add(key)

    def _row_for(
        self, where: RowId, run: dict[str, Any], details: dict[str, Any], last_line: str
    ) -> dict[str, Any]:
        actions = actions_of(run)
        position = next(
            (n for n, a in enumerate(actions) if action_execution_id(a) == where.action), 0
        )
        embedded = actions[position] if position < len(actions) else {}
        return self._store(where, run, {**embedded, **details}, position, last_line).raw

    def _store(
        self, where: RowId, run: dict[str, Any], action: dict[str, Any], position: int, message: str
    ) -> LogEntry:
        pipeline = self._pipelines.get(where.pipeline, {"id": where.pipeline})
        if "action_execution_id" not in action and "id" not in action:
            action = {**action, "action_execution_id": where.action}
        raw = build_row(
            workspace=self.workspace,
            project=self.project,
            pipeline=pipeline,
            run=run,
            action=action,
            position=position,
            message=message,
            now_ms=int(self._clock() * 1000),
        )
        entry = entry_from_wire(raw, source=SOURCE_NAME)
        self._rows[entry.id] = entry
        self._revisions[entry.id] = revision(action, entry.message)
        return entry

    async def _run(self, where: RowId, *, fresh: bool = True) -> dict[str, Any]:
        run = self._runs.get((where.pipeline, where.execution))
        if run is None or (fresh and _open(run)):
            await self._load_pipelines()
            run = await self._fetch(
                self.client.get_execution(
                    self.workspace, self.project, where.pipeline, where.execution
                )
            )
            self._runs[(where.pipeline, where.execution)] = run
        return run

    def _forget_old_runs(self) -> None:
        """Keep the newest ``max_runs`` runs of each pipeline (and their rows)."""
        by_pipeline: dict[int, list[int]] = {}
        for pid, rid in self._runs:
            by_pipeline.setdefault(pid, []).append(rid)
        for pid, rids in by_pipeline.items():
            for rid in sorted(rids, reverse=True)[self.max_runs :]:
                self._runs.pop((pid, rid), None)
                prefix = f"{pid}/{rid}/"
                for key in [k for k in self._rows if k.startswith(prefix)]:
                    for store in (self._rows, self._revisions, self._served, self._lines):
                        store.pop(key, None)
                    self._arrived.discard(key)

    async def _fetch(self, request: Awaitable[T]) -> T:
        """``request`` awaited with at most ``CONCURRENCY`` others in flight."""
        async with self._gate:
            return await request


def _open(run: dict[str, Any]) -> bool:
    """A run still going: its status may change, or one of its actions may."""
    if mapped_status(run.get("status")) in UNFINISHED:
        return True
    return any(mapped_status(a.get("status")) in UNFINISHED for a in actions_of(run))
