"""DetailPane: what happened in one call, and why it failed.

Tabs: Summary (who, what, when, the parent call, and for failures the error and a
diagnosis with its evidence), Timeline (steps and network requests as a waterfall),
JSON (the whole detail) and Request/Response (the tool's input and its answer), on
keys 1-4. A Buddy row (buddy-contract.md A.4, A.5) has its own Summary
(``buddy_summary``), its run's actions on the Timeline with its own marked, and a fifth
tab, Log (key 5), that follows the action's log while it runs (``action_log``); the Log
tab is hidden for any other row, and key 5 then does nothing (F1 does not list it). The
pane only shows what the app hands it (``show_loading``, ``show_call``,
``show_error``): workers fetch, the app decides, the pane draws. Every string comes
through the model's sanitizer and is drawn through ``Text``, never markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tui import fmt
from tui.models.entry import LogEntry
from tui.sanitize import clean
from tui.ui.actions import bindings
from tui.ui.widgets.built_later import BuiltLater
from tui.ui.widgets.facts import Facts

if TYPE_CHECKING:
    from textual.widgets import OptionList, TabbedContent

    from tui.diagnose import Diagnosis
    from tui.models.call import CallDetail
    from tui.ui.widgets.action_log import ActionLogView, ReadChunk

# What the tabs are made of (the JSON, timeline and log views, Textual's tabs, the call
# model) is imported where they are composed and drawn, after the first rows: with the
# pane only an empty shell at start, none of it is needed for them (issue 15).

LOG_TAB = "tab-log"


def summary_text(
    call: CallDetail, diagnosis: Diagnosis | None, tz: tzinfo | None, now_ms: int | None = None
) -> RenderableType:
    """The Summary tab: one fact a line, the failure and its diagnosis first. Labels sit
    in a column of their own, so a long value wraps under its value, not under them."""
    facts = Facts()
    line, gap = facts.line, facts.gap

    status_style = "bold red" if call.failed else "bold green"
    head = Text()
    head.append(clean(call.tool or "(unknown tool)", max_len=200), "bold")
    head.append("  ")
    head.append("FAILED" if call.failed else (call.status or "?"), status_style)
    head.append("\n")
    if call.failed:
        line("error", call.error or call.message or "(no message)", "red")
        gap()
        if diagnosis is not None:
            line("diagnosis", diagnosis.title, "bold yellow")
            line("", diagnosis.advice)
            for evidence in diagnosis.evidence:
                facts.note("· " + evidence)
        else:
            line("diagnosis", "no known failure pattern matched; see Timeline and JSON")
        gap()
    line("toolkit", call.toolkit)
    line("user", call.user_id)
    line("account", call.connected_account_id)
    line("auth config", call.auth_config_id)
    line("session", call.session_id)
    line("trace", call.trace_id)
    line("request", call.request_id)
    source = " / ".join(
        v for v in (call.source_host, call.source_framework, call.source_language) if v
    )
    line("source", source)
    line("version", call.version)
    line("started", fmt.full_time_ago(call.started_ms, tz, now_ms))
    line("ended", fmt.full_time(call.ended_ms, tz))
    duration = fmt.duration(call.duration_ms)
    line("duration", duration if duration != fmt.BAD_DURATION else "invalid (see the JSON tab)")
    if call.parent_log_id:
        parent = f"{call.parent_tool or 'meta-tool call'} {call.parent_log_id}  (Enter opens it)"
        line("parent", parent, "underline")
    line("log id", call.log_id)
    parts: list[RenderableType] = [head, facts.grid]
    if call.trace_note:
        parts.append(Text("\n" + clean(call.trace_note, max_len=300), "italic dim"))
    return Group(*parts)


def child_line(child: LogEntry) -> Text:
    """One of a meta-tool call's children: status, tool, duration, id (all drawn inert)."""
    state = ("FAILED", "bold red") if child.failed else ("ok    ", "green")
    return Text.assemble(
        state,
        "  ",
        (clean(child.tool or "(unknown tool)", max_len=60), "bold"),
        "  ",
        fmt.duration(child.duration_ms),
        "  ",
        (clean(child.id, max_len=60), "dim"),
        no_wrap=True,
        overflow="ellipsis",
    )


class DetailPane(BuiltLater, Vertical, can_focus=False):
    """Its tabs are composed when it is first opened, or once the first rows are on
    screen (``BuiltLater``): until then what it is asked to show is kept, drawn then."""

    ALLOW_MAXIMIZE = True  # z: full screen (containers are not maximizable by default)
    DEFAULT_CSS = """
    DetailPane { background: $surface; border-left: vkey $primary-background; }
    DetailPane #detail-head { height: 1; background: $panel; padding: 0 1; }
    DetailPane TabbedContent { height: 1fr; }
    DetailPane TabPane { padding: 0 1; }
    DetailPane #detail-summary-scroll { height: 1fr; }
    DetailPane .half { height: 1fr; }
    DetailPane .caption { color: $text-muted; text-style: bold; height: 1; }
    DetailPane #detail-children-head { display: none; margin-top: 1; }
    DetailPane #detail-children { display: none; height: auto; max-height: 20; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("detail")

    class Closed(Message):
        """Esc in the pane: hide it and go back to the table."""

    class OpenParent(Message):
        def __init__(self, log_id: str) -> None:
            super().__init__()
            self.log_id = log_id

    class OpenChild(Message):
        """Enter on one of a meta-tool call's children in the Summary."""

        def __init__(self, log_id: str) -> None:
            super().__init__()
            self.log_id = log_id

    def __init__(
        self,
        *,
        tz: tzinfo | None = None,
        clock: Callable[[], float] = time.time,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._tz, self._clock = tz, clock
        self.call: CallDetail | None = None
        self.log_id: str | None = None
        self._log_followed: str | None = None  # the row whose action log is read (the Log tab)

    def compose_children(self) -> ComposeResult:
        from textual.widgets import OptionList, TabbedContent, TabPane

        from tui.ui.widgets.action_log import ActionLogView
        from tui.ui.widgets.json_view import JsonView
        from tui.ui.widgets.timeline import TimelineView

        yield Static("", id="detail-head", markup=False)
        with TabbedContent(id="detail-tabs"):
            with TabPane("Summary", id="tab-summary"), VerticalScroll(id="detail-summary-scroll"):
                yield Static("", id="detail-summary", markup=False)
                yield Static("", id="detail-children-head", markup=False)
                yield OptionList(id="detail-children")
            with TabPane("Timeline", id="tab-timeline"):
                yield TimelineView(id="detail-timeline")
            with TabPane("JSON", id="tab-json"):
                yield JsonView(id="detail-json")
            with TabPane("Request/Response", id="tab-io"):
                yield Static("request (the tool's input)", classes="caption")
                yield JsonView(id="detail-request", empty="No input arguments recorded.")
                yield Static("response", classes="caption")
                yield JsonView(id="detail-response", empty="No response body recorded.")
            with TabPane("Log", id="tab-log"):
                yield ActionLogView(id="detail-log")

    def on_built(self) -> None:
        self._tabs().hide_tab(LOG_TAB)

    def _tabs(self) -> TabbedContent:
        from textual.widgets import TabbedContent

        return self.query_one(TabbedContent)

    # -- the Log tab: a Buddy action's log, followed (tui.ui.widgets.action_log) -------

    @property
    def log_view(self) -> ActionLogView:
        from tui.ui.widgets.action_log import ActionLogView

        return self.query_one(ActionLogView)

    @property
    def has_log(self) -> bool:
        """Whether the Log tab is there (a Buddy row is shown): key 5 picks it."""
        return self._log_followed is not None

    def follow_log(self, log_id: str, read: ReadChunk, interval: float) -> None:
        """Show the Log tab and read ``log_id``'s log into it (again if another row's)."""
        self._log_followed = log_id

        def draw() -> None:
            self._tabs().show_tab(LOG_TAB)
            self.log_view.follow(log_id, read, interval)

        self.draw("log", draw)

    def stop_log(self) -> None:
        """Stop reading the log and hide the Log tab (the pane closed, or a row that has
        no log is shown)."""
        self._log_followed = None
        self.draw("log", self._stop_log)

    def _stop_log(self) -> None:
        view = self.log_view
        view.stop()
        view.lines_view.reset(None)
        tabs = self._tabs()
        if tabs.active == LOG_TAB:
            tabs.active = "tab-summary"
        tabs.hide_tab(LOG_TAB)

    def _head(self, text: Text) -> None:
        self.draw("head", lambda: self.query_one("#detail-head", Static).update(text))

    def show_loading(self, log_id: str) -> None:
        self.log_id, self.call = log_id, None
        self._head(Text.assemble(("loading ", "italic"), clean(log_id, max_len=100), " …"))

    def show_error(self, log_id: str, message: str) -> None:
        self.log_id, self.call = log_id, None
        self._head(Text.assemble(clean(log_id, max_len=100), "  ", (message, "red")))

    def show_call(self, call: CallDetail, diagnosis: Diagnosis | None) -> None:
        self.log_id, self.call = call.log_id, call
        now_ms, tabs = round(self._clock() * 1000), 5 if self.has_log else 4
        self.draw("call", lambda: self._draw_call(call, diagnosis, now_ms, tabs))

    def _draw_call(
        self, call: CallDetail, diagnosis: Diagnosis | None, now_ms: int, tabs: int
    ) -> None:
        from tui.ui.widgets.buddy_summary import buddy_summary_text, is_buddy, status_style
        from tui.ui.widgets.json_view import JsonView
        from tui.ui.widgets.timeline import TimelineView

        buddy = is_buddy(call)
        state = ("FAILED", "bold red") if call.failed else ("ok", "bold green")
        if buddy and not call.failed and call.status != "success":
            state = (clean(call.status, max_len=20), status_style(call.status))
        self._head(
            Text.assemble(
                state,
                "  ",
                (clean(call.tool, max_len=80), "bold"),
                "  ",
                (clean(call.log_id, max_len=60), "dim"),
                (f"  · 1-{tabs} tabs · Esc closes · z full screen", "dim"),
                no_wrap=True,
                overflow="ellipsis",
            )
        )
        summary = (
            buddy_summary_text(call, self._tz, now_ms)
            if buddy
            else summary_text(call, diagnosis, self._tz, now_ms)
        )
        self.query_one("#detail-summary", Static).update(summary)
        self.query_one("#detail-summary-scroll").scroll_home(animate=False)
        self._children_said(None)
        self.query_one(TimelineView).show(call, now_ms)
        self.query_one("#detail-json", JsonView).show(call.detail_json)
        self.query_one("#detail-request", JsonView).show(call.arguments)
        self.query_one("#detail-response", JsonView).show(call.response)

    def search(self, words: tuple[str, ...]) -> None:
        """Highlight the query's words in every JSON view of the pane and in the Log tab
        (n/N there jump)."""

        def draw() -> None:
            from tui.ui.widgets.json_view import JsonView  # drawn once the pane is built

            for view in self.query(JsonView):
                view.search(words)
            self.log_view.search(words)

        self.draw("search", draw)

    # -- a meta-tool call's children, listed under its Summary -------------------------

    def _children_said(self, text: Text | None, children: list[LogEntry] | None = None) -> None:
        self.draw("children", lambda: self._draw_children(text, children))

    def _draw_children(self, text: Text | None, children: list[LogEntry] | None) -> None:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        head = self.query_one("#detail-children-head", Static)
        head.display = text is not None
        head.update(text or "")
        listed = self.query_one("#detail-children", OptionList)
        if listed.has_focus and not children:
            self.focus_tabs()  # keys stay in the pane (Esc, Enter, Backspace), not lost
        listed.clear_options()
        listed.display = bool(children)
        # Tab goes from the tabs straight to the list (the summary scrolls to show it).
        self.query_one("#detail-summary-scroll").can_focus = not children
        if children:
            listed.add_options(Option(child_line(child), id=child.id) for child in children)
            listed.highlighted = 0

    def show_children_loading(self) -> None:
        self._children_said(Text("calls it made: looking them up…", "italic dim"))

    def show_children(self, children: list[LogEntry]) -> None:
        if not children:
            self._children_said(Text("calls it made: none found in its time span", "dim"))
            return
        head = Text.assemble(
            (f"calls it made ({len(children)})", "bold"),
            ("  Tab to the list, Enter opens one, Backspace comes back", "dim"),
        )
        self._children_said(head, children)

    def show_children_error(self, message: str) -> None:
        self._children_said(Text.assemble("calls it made: could not list them: ", (message, "red")))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "detail-children" and event.option.id is not None:
            event.stop()
            self.post_message(self.OpenChild(event.option.id))

    def show_tab(self, tab: str) -> None:
        """1-4: the tab ``tab`` (its TabPane id), whatever has focus."""

        def draw() -> None:
            self._tabs().active = tab

        self.draw("tab", draw)

    def focus_tabs(self) -> None:

        def draw() -> None:
            self._tabs().query_one("Tabs").focus()

        self.draw("focus", draw)

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def action_parent(self) -> None:
        if self.call is not None and self.call.parent_log_id:
            self.post_message(self.OpenParent(self.call.parent_log_id))
