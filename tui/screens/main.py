"""MainScreen: the title, the live log table and the status line."""

from __future__ import annotations

from datetime import tzinfo

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from tui.store import LogStore
from tui.widgets.log_table import LogTable
from tui.widgets.status_line import StatusInfo, StatusLine
from tui.widgets.title_bar import TitleBar, TitleInfo


class MainScreen(Screen[None]):
    def __init__(self, store: LogStore, *, tz: tzinfo | None = None) -> None:
        super().__init__()
        self.store = store
        self._tz = tz

    def compose(self) -> ComposeResult:
        yield TitleBar(id="title-bar")
        yield LogTable(self.store, tz=self._tz, id="log-table")
        yield StatusLine(tz=self._tz, id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(LogTable).focus()

    @property
    def table(self) -> LogTable:
        return self.query_one(LogTable)

    def show_status(self, info: StatusInfo) -> None:
        self.query_one(StatusLine).info = info

    def show_title(self, info: TitleInfo) -> None:
        self.query_one(TitleBar).show(info)
