"""The command palette's toolwatch commands: views, the query, copy and export."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.errors import ConfigError
from tui.views import BUILTIN_VIEWS, View, all_views

if TYPE_CHECKING:
    from tui.ui.app import ToolwatchApp


class ToolwatchCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: ToolwatchApp = self.app  # type: ignore[assignment]
        try:
            views: list[View] = all_views()
        except ConfigError:
            views = list(BUILTIN_VIEWS)  # the views screen says what is wrong
        commands: list[tuple[str, Callable[[], object], str]] = [
            (f"View: {view.name}", partial(app.pick_view, view), view.query) for view in views
        ]
        keys = app.keys_for
        commands += [
            ("Views…", app.action_views, "pick, save or delete views"),
            ("Clear the query", app.action_clear_query, "show every tool execution"),
            (
                "Toggle the filter sidebar",
                app.main_screen.action_toggle_sidebar,
                keys("screen.sidebar", "F2"),
            ),
            ("Copy the log id", app.action_copy_id, keys("copy.log_id", "y")),
            (
                "Copy a curl that fetches this log",
                app.action_copy_detail_curl,
                keys("copy.detail_curl", "c"),
            ),
            (
                "Copy a curl for this query's list request",
                app.action_copy_list_curl,
                keys("copy.list_curl", "C"),
            ),
            (
                "Copy a curl that re-runs this tool call",
                app.action_copy_rerun_curl,
                keys("copy.rerun_curl", "r"),
            ),
            ("Copy this log's detail JSON", app.action_copy_json, keys("copy.json", "J")),
            ("Export the loaded logs as JSON lines", app.action_export, keys("copy.export", "e")),
            ("Show the keys", app.action_toggle_help, keys("app.help", "F1")),
        ]
        return commands

    async def discover(self) -> Hits:
        for name, run, help_text in self._commands():
            yield DiscoveryHit(name, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, run, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), run, help=help_text)
