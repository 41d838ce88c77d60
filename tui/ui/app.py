"""ToolwatchApp: settings, the log source, polling, and the main screen.

The harlequin rule holds here: network I/O runs in workers, workers post
messages, and the handlers below (on the event loop) change the store and the
screen. Nothing in a worker touches a widget.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from typing import ClassVar, cast

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from tui import debuglog, fmt, views
from tui.config import Settings
from tui.diagnose import diagnose
from tui.errors import ApiError, ConfigError, InternalError
from tui.locations import styles_dir
from tui.models.call import CallDetail
from tui.models.entry import LogEntry
from tui.query import (
    ENTRY_ATTRIBUTES,
    Filter,
    LogQuery,
    QuerySyntaxError,
    TimeRange,
    parse_query,
)
from tui.sources.base import DetailSource, LogSource, fetch_call
from tui.sources.composio import ComposioClient
from tui.store import LogStore
from tui.tail import LiveTail, Stopped, TailBatch
from tui.ui.commands import ToolwatchCommands
from tui.ui.copy_keys import COPY_BINDINGS, CopyKeys
from tui.ui.keymap import load_keymap
from tui.ui.messages import CallFailed, CallLoaded, LogsArrived, PollFailed, Purpose
from tui.ui.screens.diff import DiffScreen
from tui.ui.screens.main import MainScreen
from tui.ui.screens.views import ViewsScreen
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.filter_sidebar import FilterSidebar
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar, QueryInput
from tui.ui.widgets.status_line import StatusInfo
from tui.ui.widgets.title_bar import DEFAULT_WHAT, TitleInfo
from tui.views import View

log = debuglog.get_logger("app")


def binding_ids() -> set[str]:
    """Every binding id a [keymap] may name."""
    from tui.ui.widgets.json_view import JsonView

    ids = set()
    for owner in (
        ToolwatchApp,
        MainScreen,
        LogTable,
        QueryInput,
        DetailPane,
        JsonView,
        ViewsScreen,
        DiffScreen,
    ):
        for cls in owner.__mro__:
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def internal_error(bug: Exception) -> InternalError:
    """An unexpected exception as an error the status line can show (key scrubbed)."""
    log.exception("unexpected error in a worker")
    detail = debuglog.scrub(f"{type(bug).__name__}: {bug}")
    return InternalError(detail=detail)


# The API fields the bar completes values for, and the LogEntry attribute holding each:
# every field with an attribute but status (two values) and the log id (unique).
_COMPLETED_FIELDS = {
    field: attribute
    for field, attribute in ENTRY_ATTRIBUTES.items()
    if field not in ("status", "log_id")
}
MAX_SEEN_VALUES = 500
MAX_CACHED_CALLS = 64  # details kept so moving back to a row is instant
# Logs stored per message: about 60 ms of the event loop (the store's JSON and SQLite).
ADD_SLICE = 2_000


class ToolwatchApp(CopyKeys):
    TITLE = "toolwatch"
    CSS_PATH = str(styles_dir() / "app.tcss")
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {ToolwatchCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("f1", "toggle_help", "Help", id="app.help"),
        Binding("p", "toggle_pause", "Pause", id="app.pause"),
        Binding("g", "fill_gap", "Load gap", show=False, id="app.fill_gap"),
        Binding("v", "views", "Views", id="app.views"),
        Binding("m", "mark", "Mark", show=False, id="app.mark"),
        Binding("d", "diff_marked", "Diff with mark", show=False, id="app.diff_marked"),
        Binding("b", "diff_last_success", "Diff last success", show=False, id="app.diff_success"),
        Binding("ctrl+r", "poll_now", "Refresh", show=False, id="app.refresh"),
        *COPY_BINDINGS,
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        source: LogSource | None = None,
        store: LogStore | None = None,
        clock: Callable[[], float] = time.time,
        poll_on_interval: bool = True,
        source_label: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock
        self.store = store if store is not None else LogStore()
        # Neither needs a running loop to be built; building them here keeps
        # them non-optional for every handler below.
        self._source: LogSource = (
            source
            if source is not None  # not `or`: a FileSource with nothing read yet is falsy
            else ComposioClient(api_key=settings.api_key.reveal(), base_url=settings.base_url)
        )
        self.log_query = LogQuery()
        self.query_text = ""
        self._generation = 0  # bumped by every query applied: older answers are dropped
        self.seen_values: dict[str, set[str]] = {field: set() for field in _COMPLETED_FIELDS}
        self._calls: OrderedDict[str, CallDetail] = OrderedDict()  # recent details, LRU
        self._marked: str | None = None  # m: the log d compares with
        self.tail = LiveTail(self._source, clock=clock, lag_s=settings.lag_s)
        # poll_on_interval=False (tests, screenshots): polls happen only when asked,
        # and a failure schedules no retry, so every run sees the same screen.
        self._poll_on_interval = poll_on_interval
        self._poll_timer: Timer | None = None
        self._retry_timer: Timer | None = None
        self._countdown: Timer | None = None
        self._busy: set[Purpose] = set()  # one request in flight per purpose
        self._source_restarts = 0
        self.keymap: dict[str, str] = {}  # the user's [keymap], once applied
        self.paused = False
        self.stopped = False
        self._status = StatusInfo(source=source_label or self._describe_source())
        self._title = TitleInfo()
        self.main_screen = MainScreen(
            self.store, tz=settings.tz, clock=clock, values=lambda: self.seen_values
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Toasts are never markup: they show ids, tool names and errors from the API,
        where ``[@click=app.quit]`` would become a button (every caller, widgets too)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _apply_keymap(self) -> None:
        """The user's [keymap]; a bad one is said in a toast and the defaults stay."""
        try:
            keymap = load_keymap(known=binding_ids())
        except ConfigError as error:
            self.notify(f"{error}. Using the default keys.", severity="error", timeout=15)
            return
        if keymap:
            self.keymap = keymap
            self.set_keymap(keymap)

    def keys_for(self, binding_id: str, default: str) -> str:
        """The keys a binding answers to, as the palette shows them (after the keymap)."""
        return self.keymap.get(binding_id, default)

    def action_toggle_help(self) -> None:
        """F1: every key of what has focus, with what it does (Textual's keys panel)."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def _describe_source(self) -> str:
        where = self._source.description
        return f"demo {where}" if self.settings.demo else where

    # -- lifetime -----------------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        return self.main_screen

    def on_main_screen_ready(self, message: MainScreen.Ready) -> None:
        self._apply_keymap()
        self._set_status(self._status)
        self._set_title(self._title)
        self._start_query()
        self.poll_now()
        self._start_interval()

    def _start_query(self) -> None:
        """The --query given, else the last one applied; one that no longer parses is
        left in the bar with its error, and the tail starts unfiltered."""
        text = self.settings.query_text
        if text is None:
            text = views.last_query() or ""
        try:
            query = parse_query(text, now_ms=self._now_ms())
        except QuerySyntaxError:
            self.main_screen.bar.show(text)
            return
        self.apply_query(text, query, restart=False)

    def _now_ms(self) -> int:
        return int(self.clock() * 1000)

    # -- the query ------------------------------------------------------------------------

    def apply_query(self, text: str, query: LogQuery, *, restart: bool = True) -> None:
        """Show ``query`` in the bar, the sidebar and the title; when what is asked of the
        server changed, start the tail again for it (words only change the highlight)."""
        changed = query.server_part != self.log_query.server_part
        self.log_query, self.query_text = query, text
        self.main_screen.show_query(query, text)
        self._set_title(self._title.with_(what=text or DEFAULT_WHAT))
        if self.settings.source_file is None:
            # A query for a recording is not the one to start the next live session with.
            views.remember_query(text)
        if changed and restart:
            self._restart_tail()
        elif changed:
            self.tail = LiveTail(
                self._source, query.server_part, clock=self.clock, lag_s=self.settings.lag_s
            )

    def _restart_tail(self) -> None:
        self._generation += 1
        for group in ("poll", "older", "gap"):
            self.workers.cancel_group(self, group)
        self._busy.clear()
        self.tail = LiveTail(
            self._source, self.log_query.server_part, clock=self.clock, lag_s=self.settings.lag_s
        )
        self.store.clear()
        self.main_screen.table.rows_reset()
        self.main_screen.table.show_empty("waiting for the first answer…")
        state = "paused" if self.paused else "stopped" if self.stopped else "connecting"
        self._set_status(
            self._status.with_(state=state, loaded=0, failed=0, gap=None, error=None, retry_at=None)
        )
        self._set_title(self._title.with_(loaded=0, more_older=None, loading_older=False, unseen=0))
        self._end_backoff()
        self.poll_now()

    # -- the detail pane --------------------------------------------------------------------

    def on_log_table_opened(self, message: LogTable.Opened) -> None:
        # The call being read stays put while new ones arrive (f follows again).
        message.table.hold()
        self.main_screen.open_detail()
        self.show_call(message.row.id)

    def on_log_table_cursor_moved(self, message: LogTable.CursorMoved) -> None:
        if self.main_screen.detail_open and message.row is not None:
            self.show_call(message.row.id)

    def show_call(self, log_id: str) -> None:
        """Show a call in the pane: from the cache at once, else fetched in a worker that
        the next selection cancels."""
        pane = self.main_screen.detail
        cached = self._calls.get(log_id)
        if cached is not None:
            self._calls.move_to_end(log_id)
            pane.show_call(cached, diagnose(cached))
            return
        pane.show_loading(log_id)
        self._load_call(log_id)

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def _load_call(self, log_id: str) -> None:
        source = cast(DetailSource, self._source)
        try:
            call = await fetch_call(source, log_id)
        except ApiError as error:
            self.post_message(CallFailed(log_id, error))
        except Exception as bug:
            self.post_message(CallFailed(log_id, internal_error(bug)))
        else:
            self.post_message(CallLoaded(call))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that ended on an exception nobody caught (diff, copy, export: the
        polling and detail workers catch their own) is said, not lost in silence."""
        if event.state == WorkerState.ERROR and isinstance(event.worker.error, Exception):
            self.notify(internal_error(event.worker.error).explain(), severity="error", timeout=15)

    def _remember_call(self, call: CallDetail) -> None:
        self._calls[call.log_id] = call
        while len(self._calls) > MAX_CACHED_CALLS:
            self._calls.popitem(last=False)

    def on_call_loaded(self, message: CallLoaded) -> None:
        call = message.call
        self._remember_call(call)
        pane = self.main_screen.detail
        if pane.log_id == call.log_id:  # the selection may have moved on
            pane.show_call(call, diagnose(call))

    def on_call_failed(self, message: CallFailed) -> None:
        pane = self.main_screen.detail
        if pane.log_id == message.log_id:
            pane.show_error(message.log_id, message.error.explain())

    # -- diff ---------------------------------------------------------------------------

    def _current_log_id(self) -> str | None:
        pane = self.main_screen.detail
        if self.main_screen.detail_open and pane.log_id:
            return pane.log_id
        row = self.main_screen.table.selected
        return None if row is None else row.id

    def action_mark(self) -> None:
        log_id = self._current_log_id()
        if log_id is not None:
            self._marked = log_id
            self.notify(f"Marked {log_id}: d on another log shows what differs.", timeout=3)

    def action_diff_marked(self) -> None:
        current = self._current_log_id()
        if self._marked is None:
            self.notify("Mark a log with m first, then press d on another.", timeout=3)
        elif current is not None and current != self._marked:
            self._diff(self._marked, current, "")

    def action_diff_last_success(self) -> None:
        current = self._current_log_id()
        if current is not None:
            self._diff_with_last_success(current)

    async def _call(self, log_id: str) -> CallDetail:
        cached = self._calls.get(log_id)
        if cached is not None:
            return cached
        call = await fetch_call(cast(DetailSource, self._source), log_id)
        self._remember_call(call)
        return call

    @work(group="diff", exclusive=True, exit_on_error=False)
    async def _diff(self, first_id: str, second_id: str, why: str) -> None:
        await self._show_diff(first_id, second_id, why)

    async def _show_diff(self, first_id: str, second_id: str, why: str) -> None:
        try:
            first, second = await self._call(first_id), await self._call(second_id)
        except ApiError as error:
            self.notify(f"Could not compare: {error}", severity="error")
            return
        self.push_screen(DiffScreen(first, second, why=why))

    @work(group="diff", exclusive=True, exit_on_error=False)
    async def _diff_with_last_success(self, log_id: str) -> None:
        """Against the newest success of the same tool before this call (else the newest)."""
        try:
            call = await self._call(log_id)
            tool = Filter("tool_slug", "==", call.tool)
            ok = Filter("status", "==", "success")
            found = None
            if call.started_ms is not None:
                before = LogQuery(filters=(tool, ok), time_range=TimeRange(0, call.started_ms))
                found = (await self._source.list_logs(before, limit=1)).entries
            if not found:
                anytime = LogQuery(filters=(tool, ok))
                found = (await self._source.list_logs(anytime, limit=1)).entries
        except ApiError as error:
            self.notify(f"Could not look for a success: {error}", severity="error")
            return
        if not found or found[0].id == log_id:
            self.notify(f"No successful call of {call.tool} to compare with.", timeout=4)
            return
        why = f"the last successful {call.tool} call against this one"
        await self._show_diff(found[0].id, log_id, why)

    def on_detail_pane_closed(self, message: DetailPane.Closed) -> None:
        self.main_screen.close_detail()

    def on_detail_pane_open_parent(self, message: DetailPane.OpenParent) -> None:
        index = self.store.index_of_id(message.log_id)
        if index is not None:
            self.main_screen.table.move_cursor(index)  # the pane follows the cursor
        else:
            self.show_call(message.log_id)  # not loaded in the table: show it all the same

    def action_views(self) -> None:
        def picked(view: View | None) -> None:
            if view is not None:
                self.pick_view(view)

        self.push_screen(ViewsScreen(self.query_text), picked)

    def pick_view(self, view: View) -> None:
        """Apply a view; one that waits for a value (``user:``) goes to the bar to finish."""
        if view.needs_value:
            self.main_screen.bar.show(view.query)
            self.main_screen.action_focus_query()
            return
        if not self._apply_text(view.query):
            self.main_screen.action_focus_query()

    def action_clear_query(self) -> None:
        self.apply_query("", LogQuery())

    def on_query_bar_applied(self, message: QueryBar.Applied) -> None:
        self.apply_query(message.text, message.query)
        self.main_screen.table.focus()

    def on_query_input_dropped(self, message: QueryInput.Dropped) -> None:
        self.apply_query("", LogQuery())
        self.main_screen.table.focus()

    def on_filter_sidebar_edited(self, message: FilterSidebar.Edited) -> None:
        self._apply_text(message.text)

    def _apply_text(self, text: str) -> bool:
        """Apply query text; text that does not parse goes to the bar, which says why."""
        try:
            query = parse_query(text, now_ms=self._now_ms())
        except QuerySyntaxError:
            self.main_screen.bar.show(text)
            return False
        self.apply_query(text, query)
        return True

    def _note_values(self, entries: Iterable[LogEntry]) -> None:
        """Values seen per API field, for completion in the bar (a few hundred each)."""
        for entry in entries:
            for field, attribute in _COMPLETED_FIELDS.items():
                value = getattr(entry, attribute)
                seen = self.seen_values[field]
                if value and len(seen) < MAX_SEEN_VALUES:
                    seen.add(value)

    async def on_unmount(self) -> None:
        await self._source.aclose()
        self.store.close()

    # -- scheduling ---------------------------------------------------------------------

    def _start_interval(self) -> None:
        if self._poll_on_interval and self._poll_timer is None:
            self._poll_timer = self.set_interval(self.settings.poll_interval, self.poll_now)

    def _stop_timers(self) -> None:
        self._stop_retry()
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None

    def action_poll_now(self) -> None:
        if self.paused:
            self.action_toggle_pause()
        else:
            self.poll_now()

    def poll_now(self) -> None:
        # One request in flight at a time: a slow server must not pile up polls.
        if "poll" not in self._busy and not self.paused and not self.stopped:
            self._busy.add("poll")
            self._poll()

    def action_toggle_pause(self) -> None:
        if self.stopped:
            return
        self.paused = not self.paused
        if self.paused:
            # The interval stops; a request already in flight still lands (nothing lost).
            self._stop_timers()
            self._set_status(self._status.with_(state="paused", retry_at=None))
        else:
            self._set_status(self._status.with_(state="live", retry_at=None))
            self.poll_now()  # catch up at once
            self._start_interval()

    # -- workers: network only; they post what happened ----------------------------------

    @work(group="poll", exit_on_error=False)
    async def _poll(self) -> None:
        await self._fetch("poll", self.tail.poll)

    @work(group="older", exit_on_error=False)
    async def _load_older(self) -> None:
        await self._fetch("older", self.tail.backfill)

    @work(group="gap", exit_on_error=False)
    async def _fill_gap(self) -> None:
        await self._fetch("gap", self.tail.fill_gap)

    async def _fetch(self, purpose: Purpose, call: Callable[[], Awaitable[TailBatch]]) -> None:
        generation = self._generation
        try:
            batch = await call()
        except ApiError as error:
            self.post_message(PollFailed(error, self.clock(), purpose, generation))
        except Exception as bug:
            # A bug must not stop polling in silence: say so, log it, keep trying.
            self.post_message(PollFailed(internal_error(bug), self.clock(), purpose, generation))
        else:
            self.post_message(LogsArrived(batch, purpose, generation))
        finally:
            if generation == self._generation:
                self._busy.discard(purpose)

    # -- handlers: the only code that changes the store and the screen --------------------

    def on_logs_arrived(self, message: LogsArrived) -> None:
        if message.generation != self._generation:
            return  # fetched for a query that is no longer applied
        restarts = getattr(self._source, "restarts", 0)  # a file source's; the API has none
        if restarts != self._source_restarts:
            # The file shrank or was replaced: the rows held may no longer be in it.
            self._source_restarts = restarts
            self.notify("The file was truncated or replaced: reading it again from the start.")
            self._restart_tail()
            return
        batch, final = message.batch, message.final
        if len(batch.entries) > ADD_SLICE:
            # A big batch (a filled gap: up to 10,000 logs) is stored a slice at a time,
            # each in a message of its own, so keys are answered in between.
            self.post_message(
                LogsArrived(
                    replace(batch, entries=batch.entries[ADD_SLICE:], skipped=[]),
                    message.purpose,
                    message.generation,
                    final=final,
                )
            )
            batch, final = replace(batch, entries=batch.entries[:ADD_SLICE]), False
        result = self.store.add(batch.entries)
        self._note_values(batch.entries)
        table = self.main_screen.table
        if result.added:
            table.rows_added(result.added, older=message.purpose == "older")
        changes: dict[str, object] = dict(
            loaded=len(self.store),
            failed=self._status.failed + result.failed,
            gap=self._gap_text(),
        )
        if batch.skipped:
            # Kept on the status line for the session: a file's bad lines are reported
            # once (whatever the query), and must not vanish with the next poll.
            changes.update(
                skipped=self._status.skipped + len(batch.skipped),
                first_skipped=self._status.first_skipped or batch.skipped[0],
            )
        if message.purpose == "poll":
            table.show_empty(
                "No tool executions match this query · Esc clears it"
                if self.query_text
                else "No tool executions yet: new ones appear here as they happen"
            )
            changes.update(last_poll=batch.polled_at, error=None, retry_at=None)
            changes["state"] = "paused" if self.paused else "live"
            self._end_backoff()
        self._set_status(self._status.with_(**changes))
        self._set_title(
            self._title.with_(
                loaded=len(self.store),
                more_older=self.tail.more_older,
                loading_older=False if message.purpose == "older" else self._title.loading_older,
            )
        )
        if final and message.purpose == "older" and result.added == 0 and self.tail.more_older:
            # A page of rows held already (dropped by id): go on to the next one.
            self._request_older()

    def on_poll_failed(self, message: PollFailed) -> None:
        if message.generation != self._generation:
            return
        error = message.error
        text = error.explain()
        if message.purpose != "poll":
            what = "older logs" if message.purpose == "older" else "the gap"
            self._set_title(self._title.with_(loading_older=False))
            self._set_status(self._status.with_(error=f"could not load {what}: {text}"))
            return
        outcome = self.tail.after_failure(error)
        if isinstance(outcome, Stopped):
            # Retrying a rejected key only repeats the rejection: stop and say what to fix.
            self.stopped = True
            self._stop_timers()
            self._set_status(self._status.with_(state="stopped", error=text, retry_at=None))
            return
        self._set_status(
            self._status.with_(
                state="retrying", error=text, retry_at=outcome.resume_at, now=self.clock()
            )
        )
        if self._poll_on_interval and not self.paused:
            # Back off: the regular interval waits until a poll succeeds again.
            self._stop_timers()
            self._retry_timer = self.set_timer(outcome.delay, self._retry)
            self._countdown = self.set_interval(1.0, self._tick)

    def _retry(self) -> None:
        self._retry_timer = None
        self.poll_now()

    def _stop_retry(self) -> None:
        for timer in (self._retry_timer, self._countdown):
            if timer is not None:
                timer.stop()
        self._retry_timer = self._countdown = None

    def _end_backoff(self) -> None:
        """A retry is no longer wanted: stop it and its countdown, poll on the interval."""
        if self._retry_timer is not None or self._countdown is not None:
            self._stop_retry()
            self._start_interval()

    def _tick(self) -> None:
        if self._status.state == "retrying":
            self._set_status(self._status.with_(now=self.clock()))

    def on_log_table_need_older(self, message: LogTable.NeedOlder) -> None:
        self._request_older()

    def _request_older(self) -> None:
        if self.tail.more_older and "older" not in self._busy:
            self._busy.add("older")
            self._set_title(self._title.with_(loading_older=True))
            self._load_older()

    def on_log_table_follow_changed(self, message: LogTable.FollowChanged) -> None:
        self._set_title(self._title.with_(unseen=0 if message.following else message.unseen))

    def action_fill_gap(self) -> None:
        if self.tail.gaps and "gap" not in self._busy:
            self._busy.add("gap")
            self._set_status(self._status.with_(gap="loading the gap…"))
            self._fill_gap()

    def _gap_text(self) -> str | None:
        gaps = self.tail.gaps
        if not gaps:
            return None
        # The newest gap is the one g loads first.
        text = f"gap: {gaps[-1].describe(self._hms)}"
        more = f" (+{len(gaps) - 1} older)" if len(gaps) > 1 else ""
        return f"{text}{more} — press g to load"

    def _hms(self, ms: int) -> str:
        return fmt.clock_time(ms, self.settings.tz)

    def _set_status(self, info: StatusInfo) -> None:
        self._status = info
        if self.main_screen.is_mounted:
            self.main_screen.show_status(info)

    def _set_title(self, info: TitleInfo) -> None:
        self._title = info
        if self.main_screen.is_mounted:
            self.main_screen.show_title(info)
