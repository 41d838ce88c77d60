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


async def test_the_header_covers_the_whole_width_when_the_titles_end_early() -> None:
    """Without a message column the titles end before the table does: the header strip
    still covers every cell, or those cells keep what an earlier, wider layout drew there
    (seen at 80x24 with the demo's hostile values: "USER  DUR   DUR" in tmux)."""
    from datetime import UTC

    from rich.cells import cell_len
    from textual.app import App, ComposeResult

    from tui.models.entry import LogEntry
    from tui.store import LogStore
    from tui.ui.widgets.log_table import LogTable

    store = LogStore()
    store.add([LogEntry(id="log_1", timestamp_ms=1_000, status="success", tool="GMAIL_SEND")])

    class OneTable(App[None]):
        def compose(self) -> ComposeResult:
            yield LogTable(store, tz=UTC, columns=("time", "status", "tool"), clock=lambda: 2.0)

    app = OneTable()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(LogTable)
        header = table.render_line(0)
        assert header.text.startswith(" TIME") and header.text.rstrip().endswith("TOOL")
        assert sum(cell_len(segment.text) for segment in header) == table.size.width
    store.close()
