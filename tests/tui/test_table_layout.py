"""How the table's columns share a width: what gives way first."""

from __future__ import annotations

from tui.config import BUDDY_TABLE_COLUMNS, DEFAULT_TABLE_COLUMNS
from tui.ui.widgets.log_rows import BUDDY_TITLES, layout

# Widths as the Buddy demo's rows have them: pipeline, action, who.
SEEN = {"time": 8, "status": 7, "toolkit": 14, "tool": 18, "user": 12}


def names(width: int, columns: tuple[str, ...]) -> list[str]:
    return [column.name for column in layout(width, columns, SEEN, BUDDY_TITLES)]


def test_a_wide_buddy_table_shows_the_pipeline_and_the_last_log_line() -> None:
    assert names(120, BUDDY_TABLE_COLUMNS) == list(BUDDY_TABLE_COLUMNS)
    assert [c.title for c in layout(120, BUDDY_TABLE_COLUMNS, SEEN, BUDDY_TITLES)][2:5] == [
        "PIPELINE",
        "ACTION",
        "BY",
    ]


def test_at_80_columns_the_pipeline_gives_way_to_the_message() -> None:
    """The message (a running action's last line) is what a narrow screen keeps; the
    pipeline is in the detail pane."""
    assert names(80, BUDDY_TABLE_COLUMNS) == [
        "time",
        "status",
        "tool",
        "user",
        "duration",
        "message",
    ]


def test_the_composio_defaults_are_laid_out_as_before() -> None:
    assert names(80, DEFAULT_TABLE_COLUMNS) == list(DEFAULT_TABLE_COLUMNS)
