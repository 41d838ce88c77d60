"""MainScreen: the title, the query bar, the filter sidebar beside the live log table,
and the status line."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding, BindingType
from textual.containers import Horizontal
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Input

from tui.config import default_columns
from tui.debuglog import internal_error
from tui.errors import ApiError
from tui.family import is_meta_tool
from tui.models.entry import LogEntry
from tui.query import Kind, LogQuery
from tui.session import Calls
from tui.session.action_log import read_chunk
from tui.session.state import StatusInfo, TitleInfo
from tui.sources.buddy.rows import SOURCE_NAME as BUDDY
from tui.store import LogStore
from tui.ui.actions import bindings
from tui.ui.messages import CallFailed, CallLoaded, ChildrenFound
from tui.ui.screens.main_layout import body_classes, configured_columns, sidebar_fits
from tui.ui.widgets.alert_banner import AlertBanner
from tui.ui.widgets.detail_pane import LOG_TAB, DetailPane
from tui.ui.widgets.filter_sidebar import FilterSidebar
from tui.ui.widgets.keys_footer import KeysFooter
from tui.ui.widgets.log_rows import titles_for
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar
from tui.ui.widgets.stats_strip import StatsStrip
from tui.ui.widgets.status_line import StatusLine
from tui.ui.widgets.title_bar import TitleBar
from tui.ui.working_keys import working

if TYPE_CHECKING:  # loaded with the first detail, not with the first rows (issue 15)
    from tui.diagnose import Diagnosis
    from tui.models.call import CallDetail

MAX_CHILDREN_KEPT = 32  # meta-tool calls whose children are kept, so going back is instant
MAX_BACK = 50  # calls Backspace can go back through
# The rows' first paint waits for nothing: the hidden widgets are composed this long after
# the first rows are stored (their refresh is asked for at once, drawn within a frame).
BUILD_AFTER_ROWS_S = 0.1


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings("screen")
    # The table has the keys from the start: focused once, on mount, not the bar first and
    # then the table (each change of focus redraws the footer, before the first rows; issue
    # 15). Not by AUTO_FOCUS: Textual applies it only while the app has focus, which a
    # browser tab under `toolwatch serve` has not said yet, and Enter then opened nothing.
    AUTO_FOCUS = ""

    def __init__(
        self,
        store: LogStore,
        calls: Calls,
        *,
        tz: tzinfo | None = None,
        parse: Callable[[str], LogQuery],
        values: Callable[[], Mapping[str, Iterable[str]]],
        clock: Callable[[], float] = time.time,
        kind: Kind = None,
        on_ready: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__()
        self._on_ready = on_ready
        self._kind = kind  # the source's: the bar and the sidebar offer its fields
        self.store = store
        self._calls = calls
        self._tz = tz
        self._parse = parse
        self._values = values
        self._clock = clock
        self._sidebar_choice: bool | None = None  # None: by width
        self._children: dict[str, list[LogEntry]] = {}  # meta-tool calls' children, by id
        self._back: list[str] = []  # the calls the pane showed before, for Backspace
        self._build_asked = False  # the hidden sidebar and pane, once the first rows are drawn
        self._configured_columns, self._columns_problem = configured_columns()
        self._columns = self._configured_columns or default_columns(kind)

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        yield StatsStrip(id="stats-strip")
        yield AlertBanner(tz=self._tz, id="alert-banner")
        yield QueryBar(parse=self._parse, values=self._values, kind=self._kind, id="query-bar")
        # Laid out for the terminal's width at once: no restyle on the first resize.
        with Horizontal(id="body", classes=body_classes(self.app.size.width)):
            sidebar = FilterSidebar(values=self._values, kind=self._kind, id="filter-sidebar")
            sidebar.display = sidebar_fits(self.app.size.width, self._columns)  # else built later
            yield sidebar
            table = LogTable(
                self.store, tz=self._tz, columns=self._columns, clock=self._clock, id="log-table"
            )
            table.titles = titles_for(self._kind)
            yield table
            yield DetailPane(tz=self._tz, clock=self._clock, id="detail-pane")
        yield StatusLine(tz=self._tz, id="status-line")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(LogTable).focus()
        if self._columns_problem:
            self.notify(self._columns_problem, severity="warning", timeout=15, markup=False)
        # The widgets exist: the app draws its state, and the rows come already, now,
        # before the first paint (a message would be handled after it; issue 15).
        self._on_ready()

    def on_resize(self, event: Resize) -> None:
        if self._sidebar_choice is None:
            self.sidebar.display = sidebar_fits(event.size.width, self._columns)
        self._arrange(event.size.width)

    def _arrange(self, width: int) -> None:
        self.query_one("#body").set_classes(body_classes(width))

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def detail_open(self) -> bool:
        return bool(self.detail.display)

    def open_detail(self) -> None:
        self._arrange(self.size.width)
        self.detail.display = True
        self.refresh_bindings()  # 1-4 pick a tab now

    def close_detail(self) -> None:
        if self.maximized is not None:
            self.minimize()
        self.detail.stop_log()  # no more reads of a Buddy action's log
        self.detail.display = False
        self.table.focus()
        self.refresh_bindings()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What F1 and the footer list: only keys that do something here."""
        return working(super().active_bindings)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The pane's keys (1-5 pick a tab, Backspace goes back) only while they do
        something: F1 lists them only then."""
        if action == "detail_tab":
            # 5, the Log tab, only while a Buddy row is shown (the tab is there).
            return self.detail_open and (parameters != (LOG_TAB,) or self.detail.has_log)
        if action == "detail_back":
            return self.detail_open and bool(self._back)
        if action == "focus_query":
            # A priority key: in a text field, "/" and ":" are text (False hands them on).
            return not isinstance(self.focused, Input)
        return True

    def action_detail_tab(self, tab: str) -> None:
        self.detail.show_tab(tab)

    def action_zoom_detail(self) -> None:
        if not self.detail_open:
            return
        if self.maximized is not None:
            self.minimize()
            self.table.focus()
        elif self.maximize(self.detail, container=False):
            # The table is hidden now: keys go to the pane, not to whatever Textual
            # would focus next (the query bar, which would take them as text).
            self.detail.focus_tabs()

    @property
    def table(self) -> LogTable:
        return self.query_one(LogTable)

    @property
    def bar(self) -> QueryBar:
        return self.query_one(QueryBar)

    @property
    def sidebar(self) -> FilterSidebar:
        return self.query_one(FilterSidebar)

    def show_status(self, info: StatusInfo) -> None:
        """The status line, and the empty table's words when no rows come because of an
        error: the table says it whole, the status line points there (one story)."""
        table = self.table
        table.show_problem(problem_text(info))
        self.query_one(StatusLine).show(info, error_in_table=table.showing_problem)

    def show_title(self, info: TitleInfo) -> None:
        self.query_one(TitleBar).show(info)

    def show_kind(self, kind: Kind) -> None:
        """Name a row's parts and offer the fields as a source of ``kind`` does (before
        ``show_query`` draws the query applied there)."""
        self._kind = kind
        self._columns = self._configured_columns or default_columns(kind)
        self.table.column_names = self._columns
        self.table.titles = titles_for(kind)  # the next layout differs: drawn anew
        self.table.refresh()
        self.bar.show_kind(kind)
        self.sidebar.show_kind(kind)

    def show_query(self, query: LogQuery, text: str) -> None:
        """Both views of the applied query, and the words the table highlights."""
        self.bar.show(text, applied=True)
        self.sidebar.show(query, text)
        self.table.search(query.words)
        self.detail.search(query.words)

    def show_draft(self, text: str) -> None:
        """Put query text in the bar without applying it (the bar says what is wrong)."""
        self.bar.show(text, applied=False)

    def focus_table(self) -> None:
        self.table.focus()

    def rows_stored(self, added: int, *, older: bool, empty: str | None, changed: int = 0) -> None:
        """Rows were stored (below the others when ``older``); ``empty``: what the table
        says while it has none. ``changed`` rows held were replaced in place (a Buddy
        action that ran on): redrawn, the cursor staying on its row."""
        if added:
            self.table.rows_added(added, older=older)
            if not self._build_asked:  # once the rows are drawn: the first open is instant
                self._build_asked = True
                self.set_timer(BUILD_AFTER_ROWS_S, self._build_hidden)
        if changed:
            self.table.rows_changed()
            shown = self.detail.call
            if self.detail_open and shown is not None and not self._current(shown):
                self._load_call(shown.log_id)  # the pane says what the table says
        if empty is not None:
            self.table.show_empty(empty)

    def _build_hidden(self) -> None:
        """The hidden sidebar, then the pane, each after a refresh: the screen is drawn
        between (composing one holds every repaint while it mounts)."""
        self.call_after_refresh(self.sidebar.build, then=self.detail.build)

    def reset_rows(self, empty_text: str) -> None:
        """Every row is gone (a new query, a file read again): say what is awaited."""
        self.table.rows_reset()
        self.table.show_empty(empty_text)

    def forget_calls(self) -> None:
        """Another source: the pane, its history and the children were the old one's."""
        for group in ("detail", "children"):
            self.workers.cancel_group(self, group)
        self._children.clear()
        self._back.clear()
        if self.detail_open:
            self.close_detail()

    def current_log_id(self) -> str | None:
        """The log the keys act on: the call open in the pane, else the table's row."""
        if self.detail_open and self.detail.log_id:
            return self.detail.log_id
        row = self.table.selected
        return None if row is None else row.id

    # -- the detail pane: the call under the cursor, fetched in a worker --------------

    def on_log_table_opened(self, message: LogTable.Opened) -> None:
        # The call being read stays put while new ones arrive (f follows again).
        message.table.hold()
        self._back.clear()  # opened from the table: a new history
        self.open_detail()
        self.show_call(message.row.id)

    def on_log_table_cursor_moved(self, message: LogTable.CursorMoved) -> None:
        if self.detail_open and message.row is not None:
            self.show_call(message.row.id)

    def show_call(self, log_id: str) -> None:
        """Show a call in the pane: from the cache at once, else fetched in a worker that
        the next selection cancels. A Buddy action's log is followed in the Log tab."""
        self._follow_log(log_id)
        cached = self._calls.cached(log_id)
        if cached is not None and self._current(cached):
            self.detail.show_call(cached, self._diagnose(cached))
            self._show_children(cached)
            return
        self.detail.show_loading(log_id)
        self._load_call(log_id)

    def _current(self, call: CallDetail) -> bool:
        """Whether ``call`` still has its row's status (a Buddy action's changes as it
        runs: a detail read before is read again)."""
        entry = self.store.entry_by_id(call.log_id)
        return entry is None or entry.status == call.status

    def _follow_log(self, log_id: str) -> None:
        """A Buddy row: read its action's log into the Log tab, while it runs (buddy-
        contract.md A.5); any other row: no Log tab, and the last one stops being read."""
        entry = self.store.entry_by_id(log_id)
        if entry is None or entry.source != BUDDY or not self._calls.reads_logs:
            self.detail.stop_log()
            return
        calls, store = self._calls, self.store
        self.detail.follow_log(
            log_id, lambda key, offset: read_chunk(calls, store, key, offset), calls.log_poll_s
        )

    def _diagnose(self, call: CallDetail) -> Diagnosis | None:
        """The call's diagnosis; an unknown tool's names the close slugs seen in the logs."""
        from tui.diagnose import diagnose

        return diagnose(call, seen_tools=self._values().get("tool_slug", ()))

    @work(group="detail", exclusive=True, exit_on_error=False)
    async def _load_call(self, log_id: str) -> None:
        try:
            call = await self._calls.fetch(log_id)
        except ApiError as error:
            self.post_message(CallFailed(log_id, error))
        except Exception as bug:
            self.post_message(CallFailed(log_id, internal_error(bug)))
        else:
            self.post_message(CallLoaded(call))

    def on_call_loaded(self, message: CallLoaded) -> None:
        call = message.call
        self._calls.remember(call)
        pane = self.detail
        if pane.log_id == call.log_id:  # the selection may have moved on
            pane.show_call(call, self._diagnose(call))
            self._show_children(call)

    def on_call_failed(self, message: CallFailed) -> None:
        pane = self.detail
        if pane.log_id == message.log_id:
            pane.show_error(message.log_id, message.error.explain())

    def on_detail_pane_closed(self, message: DetailPane.Closed) -> None:
        self.close_detail()

    # -- a meta-tool call's children, and the way back (like a browser's) -------------

    def _show_children(self, call: CallDetail) -> None:
        if not is_meta_tool(call):
            return
        known = self._children.get(call.log_id)
        if known is not None:
            self.detail.show_children(known)
            return
        self.detail.show_children_loading()
        self._load_children(call)

    @work(group="children", exclusive=True, exit_on_error=False)
    async def _load_children(self, call: CallDetail) -> None:
        try:
            children = await self._calls.children(call)
        except ApiError as error:
            self.post_message(ChildrenFound(call.log_id, None, error))
        except Exception as bug:
            self.post_message(ChildrenFound(call.log_id, None, internal_error(bug)))
        else:
            self.post_message(ChildrenFound(call.log_id, children))

    def on_children_found(self, message: ChildrenFound) -> None:
        if message.children is not None:
            self._children[message.log_id] = message.children
            while len(self._children) > MAX_CHILDREN_KEPT:
                del self._children[next(iter(self._children))]
        if self.detail.log_id != message.log_id:
            return  # the pane has moved on
        if message.error is not None:
            self.detail.show_children_error(message.error.explain())
        elif message.children is not None:
            self.detail.show_children(message.children)

    def on_detail_pane_open_parent(self, message: DetailPane.OpenParent) -> None:
        self._visit(message.log_id)

    def on_detail_pane_open_child(self, message: DetailPane.OpenChild) -> None:
        self._visit(message.log_id)

    def _visit(self, log_id: str) -> None:
        """Open a call from the pane (its parent, a child): the one left is Backspace's."""
        here = self.detail.log_id
        if here is not None and here != log_id:
            self._back.append(here)
            del self._back[:-MAX_BACK]
        self._go_to(log_id)
        self.refresh_bindings()

    def action_detail_back(self) -> None:
        if self._back:
            self._go_to(self._back.pop())
            self.refresh_bindings()

    def _go_to(self, log_id: str) -> None:
        index = self.store.index_of_id(log_id)
        if index is not None and index != self.table.cursor_row:
            self.table.move_cursor(index)  # the pane follows the cursor
        else:
            self.show_call(log_id)  # on the cursor already, or not loaded: show it all the same

    @on(QueryBar.Cancelled)
    @on(FilterSidebar.Cancelled)
    def _edit_cancelled(self) -> None:
        """Esc in the bar or a sidebar field: the applied query stays; back to the rows."""
        self.table.focus()

    def action_focus_query(self) -> None:
        # A priority binding, and the focus set now rather than on the next turn as
        # Widget.focus() does: "/failed⏎" arriving in one read (a laggy SSH link, a paste)
        # types into the bar instead of running f, a, i, l, e, d and Enter on the table.
        self.set_focus(self.bar.input)

    def action_toggle_sidebar(self) -> None:
        self._sidebar_choice = not self.sidebar.display
        self.sidebar.display = self._sidebar_choice

    def action_next_match(self) -> None:
        self.table.next_match(older=True)

    def action_previous_match(self) -> None:
        self.table.next_match(older=False)


def problem_text(info: StatusInfo) -> str | None:
    """What an empty table says while polling is stopped or failing, else None."""
    if info.error is None:
        return None
    if info.state == "stopped":
        return f"Polling stopped. {info.error}"
    if info.state == "retrying":
        return f"No answer yet; retrying (the status line counts down). {info.error}"
    return None
