"""Every action a key can run: one table that bindings, F1, the palette and the keymap read.

Each row has an id (``copy.log_id``) that a ``[keymap]`` in config.toml remaps, the
default keys, what it does, and where it applies (the app, the main screen, the table,
the detail pane…). A widget's ``BINDINGS`` is ``bindings("table")``; the palette offers
the rows named in ``PALETTE``; the keymap accepts exactly the ids here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType

Where = Literal[
    "app",
    "screen",
    "table",
    "detail",
    "json",
    "query",
    "views",
    "diff",
    "copied",
    "sources",
    "stats",
    "alerts",
    "add_rule",
]


@dataclass(frozen=True)
class Action:
    id: str
    keys: str  # Textual key names, comma-separated
    action: str  # the action it runs where it applies (``copy_id`` -> ``action_copy_id``)
    description: str  # what the footer and F1 say
    where: Where
    show: bool = True  # in the footer
    key_display: str | None = None
    palette: str | None = None  # its name in the command palette, when offered there
    palette_help: str | None = None  # what the palette says beside it (else its keys)
    # Run by the app as the key arrives, before the keys behind it are handed on: only
    # for an action that moves the focus, so that the keys typed after it follow it.
    priority: bool = False

    @property
    def shown_keys(self) -> str:
        """The default keys as a person reads them: ``F2``, ``y``, ``/``."""
        if self.key_display:
            return self.key_display
        return ",".join(
            key.upper() if re.fullmatch(r"f\d+", key) else key for key in self.keys.split(",")
        )

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            key_display=self.key_display,
            id=self.id,
            priority=self.priority,
        )


_ROWS = (
    # The app's own, first in the footer: Quit, Help, Pause.
    Action("app.quit", "q", "quit", "Quit", "app"),
    Action("app.help", "f1", "toggle_help", "Help", "app", palette="Show the keys"),
    Action("app.pause", "p", "toggle_pause", "Pause", "app"),
    Action("app.fill_gap", "g", "fill_gap", "Load gap", "app", show=False),
    Action(
        "app.views",
        "v",
        "views",
        "Views",
        "app",
        palette="Views…",
        palette_help="pick, save or delete views",
    ),
    Action(
        "app.sources",
        "s",
        "sources",
        "Sources",
        "app",
        show=False,
        palette="Switch source…",
        palette_help="the named sources of config.toml, like k9s contexts",
    ),
    Action("app.mark", "m", "mark", "Mark", "app", show=False),
    Action("app.diff_marked", "d", "diff_marked", "Diff with mark", "app", show=False),
    Action("app.diff_success", "b", "diff_last_success", "Diff last success", "app", show=False),
    Action("app.refresh", "ctrl+r", "poll_now", "Refresh", "app", show=False),
    # Watching: the stats strip, the stats screen, alerts (tui.ui.watch_keys).
    Action(
        "screen.stats_strip",
        "t",
        "toggle_stats_strip",
        "Stats strip",
        "app",
        show=False,
        palette="Toggle the stats strip",
    ),
    Action(
        "app.stats",
        "S",
        "stats_screen",
        "Stats",
        "app",
        show=False,
        palette="Stats…",
        palette_help="histogram and tables of the loaded logs",
    ),
    Action(
        "app.alerts",
        "a",
        "alerts",
        "Alerts",
        "app",
        show=False,
        palette="Alerts…",
        palette_help="rules, when they fired and resolved, snooze",
    ),
    Action(
        "app.acknowledge",
        "x",
        "acknowledge_alerts",
        "Acknowledge alerts",
        "app",
        show=False,
        palette="Acknowledge the alert banner",
    ),
    Action(
        "app.add_rule",
        "A",
        "add_rule",
        "Add alert rule",
        "app",
        show=False,
        palette="Add an alert rule…",
        palette_help="NAME: RULE, saved to config.toml",
    ),
    # Taking something out of toolwatch (tui.ui.copy_keys).
    Action("copy.log_id", "y", "copy_id", "Copy id", "app", palette="Copy the log id"),
    Action(
        "copy.detail_curl",
        "c",
        "copy_detail_curl",
        "Copy curl",
        "app",
        show=False,
        palette="Copy a curl that fetches this log",
    ),
    Action(
        "copy.list_curl",
        "C",
        "copy_list_curl",
        "Copy list curl",
        "app",
        show=False,
        palette="Copy a curl for this query's list request",
    ),
    Action(
        "copy.rerun_curl",
        "r",
        "copy_rerun_curl",
        "Copy re-run curl",
        "app",
        show=False,
        palette="Copy a curl that re-runs this tool call (retries a Buddy run)",
    ),
    Action(
        "copy.json",
        "J",
        "copy_json",
        "Copy JSON",
        "app",
        show=False,
        palette="Copy this log's detail JSON",
    ),
    Action(
        "copy.web_link",
        "w",
        "copy_web_link",
        "Copy web link",
        "app",
        show=False,
        palette="Copy the row's web link (a Buddy run's page)",
    ),
    Action(
        "copy.show_last",
        "W",
        "show_last_copy",
        "Show last copy",
        "app",
        show=False,
        palette="Show the last copied text whole",
    ),
    Action(
        "copy.export",
        "e",
        "export",
        "Export",
        "app",
        show=False,
        palette="Export the loaded logs as JSON lines",
    ),
    # The main screen.
    Action(
        "screen.filter",
        "slash,colon",
        "focus_query",
        "Filter",
        "screen",
        key_display="/",
        priority=True,
    ),
    Action(
        "screen.sidebar",
        "f2",
        "toggle_sidebar",
        "Sidebar",
        "screen",
        palette="Toggle the filter sidebar",
    ),
    Action(
        "screen.clear_query",
        "escape",
        "app.clear_query",
        "Clear query",
        "screen",
        show=False,
        palette="Clear the query",
        palette_help="show every tool execution",
    ),
    Action("screen.zoom_detail", "z", "zoom_detail", "Full screen", "screen", show=False),
    Action("screen.next_match", "n", "next_match", "Next match", "screen", show=False),
    Action("screen.prev_match", "N", "previous_match", "Previous match", "screen", show=False),
    # The detail pane's tabs, by number, whatever has focus (but a text field, which
    # takes digits as text).
    Action("detail.tab_summary", "1", "detail_tab('tab-summary')", "Summary tab", "screen", False),
    Action(
        "detail.tab_timeline", "2", "detail_tab('tab-timeline')", "Timeline tab", "screen", False
    ),
    Action("detail.tab_json", "3", "detail_tab('tab-json')", "JSON tab", "screen", False),
    Action("detail.tab_io", "4", "detail_tab('tab-io')", "Request/Response tab", "screen", False),
    Action("detail.tab_log", "5", "detail_tab('tab-log')", "Log tab", "screen", False),
    Action("detail.back", "backspace", "detail_back", "Back", "screen", show=False),
    # The log table.
    Action("table.cursor_up", "up,k", "cursor_up", "Up", "table", show=False),
    Action("table.cursor_down", "down,j", "cursor_down", "Down", "table", show=False),
    Action("table.page_up", "pageup", "page_up", "Page up", "table", show=False),
    Action("table.page_down", "pagedown", "page_down", "Page down", "table", show=False),
    Action("table.newest", "home", "first", "Newest", "table", show=False),
    Action("table.follow", "f", "follow", "Follow", "table"),
    Action("table.oldest", "end", "last", "Oldest", "table", show=False),
    Action("table.open", "enter", "select", "Open", "table", show=False),
    Action("table.scroll_right", "right", "message_right", "Message →", "table", show=False),
    Action("table.scroll_left", "left", "message_left", "Message ←", "table", show=False),
    # The detail pane and its JSON tab.
    Action("detail.close", "escape", "close", "Close detail", "detail"),
    Action("detail.parent", "enter", "parent", "Open parent", "detail", show=False),
    Action("json.cursor_up", "up,k", "move(-1)", "Up", "json", show=False),
    Action("json.cursor_down", "down,j", "move(1)", "Down", "json", show=False),
    Action("json.page_up", "pageup", "move(-20)", "Page up", "json", show=False),
    Action("json.page_down", "pagedown", "move(20)", "Page down", "json", show=False),
    Action("json.top", "home", "move(-1000000000)", "Top", "json", show=False),
    Action("json.bottom", "end", "move(1000000000)", "Bottom", "json", show=False),
    Action("json.fold", "enter,space", "toggle_fold", "Fold", "json"),
    Action("json.collapse_all", "minus", "fold_all", "Collapse all", "json", show=False),
    Action("json.expand_all", "plus,equals_sign", "unfold_all", "Expand all", "json", show=False),
    Action("json.next_match", "n", "next_match(1)", "Next match", "json", show=False),
    Action("json.prev_match", "N", "next_match(-1)", "Previous match", "json", show=False),
    Action("json.open_pager", "o", "open_pager", "Open in $PAGER", "json"),
    # The query bar, the views screen, the diff screen.
    Action("query.complete", "tab", "complete", "Complete", "query", show=False),
    Action("query.cancel", "escape", "cancel", "Cancel edit", "query"),
    Action("views.close", "escape", "close", "Close", "views"),
    Action("views.delete", "d", "delete", "Delete view", "views"),
    Action("views.save", "s", "focus_save", "Save current", "views"),
    Action("diff.close", "escape,q", "close", "Close", "diff"),
    Action("copied.close", "escape,q", "close", "Close", "copied"),
    Action("sources.close", "escape,q", "close", "Close", "sources"),
    Action("alerts.close", "escape,q", "close", "Close", "alerts"),
    Action("alerts.snooze", "s", "snooze", "Snooze 30m", "alerts"),
    Action("alerts.add", "n", "add_rule", "Add rule", "alerts"),
    Action("add_rule.close", "escape", "close", "Cancel", "add_rule"),
    Action("stats.close", "escape,q", "close", "Close", "stats"),
    Action("stats.zoom_in", "plus,equals_sign", "zoom(-1)", "Zoom in", "stats"),
    Action("stats.zoom_out", "minus", "zoom(1)", "Zoom out", "stats"),
    Action("stats.sort", "s", "next_sort", "Sort", "stats"),
    Action("stats.reverse", "i", "reverse_sort", "Reverse", "stats", show=False),
    *(
        Action(f"stats.by_{by}", str(n), f"group_by('{by}')", f"By {by}", "stats", show=False)
        for n, by in enumerate(("toolkit", "tool", "user", "auth", "account"), 1)
    ),
)

ACTIONS: dict[str, Action] = {row.id: row for row in _ROWS}

# The palette's toolwatch commands, in the order it lists them (after the views).
PALETTE = (
    "app.views",
    "app.sources",
    "screen.clear_query",
    "screen.sidebar",
    "app.stats",
    "app.alerts",
    "app.add_rule",
    "app.acknowledge",
    "screen.stats_strip",
    "copy.log_id",
    "copy.detail_curl",
    "copy.list_curl",
    "copy.rerun_curl",
    "copy.json",
    "copy.web_link",
    "copy.show_last",
    "copy.export",
    "app.help",
)


def bindings(where: Where) -> list[BindingType]:
    """The ``BINDINGS`` of the place ``where`` names, in the table's order."""
    return [row.binding() for row in _ROWS if row.where == where]


def action_ids() -> set[str]:
    """Every id a ``[keymap]`` may name."""
    return set(ACTIONS)
