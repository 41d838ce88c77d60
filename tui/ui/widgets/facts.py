"""The Summary tab's table of facts: labels in a column of their own, so a long value
wraps under its value, not under them. Values are sanitized as they are added."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from tui.sanitize import clean

LABEL_WIDTH = 14


class Facts:
    """One fact a line; an empty value is left out."""

    def __init__(self) -> None:
        self.grid = Table.grid(expand=True)
        self.grid.add_column(width=LABEL_WIDTH, no_wrap=True, style="dim")
        self.grid.add_column(ratio=1, overflow="fold")

    def line(self, label: str, value: str, style: str = "") -> None:
        if value:
            self.grid.add_row(label, Text(clean(value, max_len=500), style))

    def note(self, text: str, style: str = "italic") -> None:
        self.grid.add_row("", Text(clean(text, max_len=200), style))

    def gap(self) -> None:
        self.grid.add_row("", "")
