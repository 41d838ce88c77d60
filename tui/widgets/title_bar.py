"""TitleBar: the app's name and what the table is showing."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.sanitize import clean


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar { height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.show("all tool executions, newest first")

    def show(self, what: str) -> None:
        self.update(Text.assemble(("toolwatch", "bold"), " · ", clean(what), no_wrap=True))
