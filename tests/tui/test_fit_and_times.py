"""Pilot tests for issue 14's table items: one story for a refused key (4), the opened
row stays in view (5), columns fit the terminal (7), one rule for times (8), and the
mark (12)."""

from __future__ import annotations

import pytest

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import screen_showing, settle
from tui.config import Secret
from tui.errors import AuthError
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.status_line import StatusLine


async def test_a_refused_key_is_one_story_table_and_status_line(demo_server):
    """Item 4: the empty table says the error and the whole fix; the status line says
    stopped and points at the table, instead of "waiting for the first answer…"."""
    app = ToolwatchApp(settings_for(demo_server, api_key=Secret("not-the-key")), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        fix = AuthError.default_hint
        screen = await screen_showing(app, pilot, "Polling stopped", "Settings → API keys.")
        assert "waiting for the first answer" not in screen
        table_text = " ".join(line.strip() for line in app.query_one(LogTable).empty_lines(76))
        assert fix in table_text and "Invalid API key" in table_text
        status = str(app.query_one(StatusLine).render())
        assert status.startswith("■ stopped: authentication failed (HTTP 401) — see the table")


def cursor_in_view(table: LogTable) -> bool:
    top = int(table.scroll_y)
    return top <= table.cursor_row < top + table.size.height - 1  # minus the header


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_enter_keeps_the_opened_row_in_view(app_factory, size):
    """Item 5: p, ↓ 25 times, Enter: the pane takes room under the table, and the table
    scrolls so the row it opened is still on screen."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        await pilot.press("p", *["down"] * 25)
        assert cursor_in_view(table)
        opened = table.selected
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.main_screen.detail_open and table.selected == opened
        assert table.size.height < size[1] - 10  # the pane took room
        assert cursor_in_view(table)


def table_lines(table: LogTable) -> list[str]:
    """The table's lines as drawn: the header, then the rows on screen."""
    return [table.render_line(y).text for y in range(table.size.height)]


def tool_cells_whole(table: LogTable) -> bool:
    """Every row on screen shows its tool slug whole, followed by a space."""
    shown = table.store.rows(int(table.scroll_y), table.size.height - 1)
    lines = table_lines(table)[1:]
    return all(f" {row.tool} " in line for row, line in zip(shown, lines, strict=False))


async def test_at_120x40_the_sidebar_waits_and_the_tool_is_whole(app_factory):
    """Item 7: at 120x40 the sidebar would leave the table too little room: it starts
    hidden, and the columns show time, status, the tool in full, user, duration."""
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        assert not app.main_screen.sidebar.display
        header = table_lines(table)[0].split()
        assert header == ["TIME", "STATUS", "TOOL", "USER", "DUR", "MESSAGE"]
        assert tool_cells_whole(table)


async def test_a_wide_screen_opens_the_sidebar_beside_a_whole_table(app_factory):
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        assert app.main_screen.sidebar.display
        assert table_lines(table)[0].split()[-1] == "MESSAGE"
        assert tool_cells_whole(table)


async def test_at_80x24_f2_keeps_time_status_and_tool(app_factory):
    """Item 7: F2 at 80x24 leaves about 54 columns: user, duration and message drop (in
    that reverse priority), time, status and the tool stay whole."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        assert not app.main_screen.sidebar.display
        await pilot.press("f2")
        await pilot.pause()
        assert app.main_screen.sidebar.display
        await pilot.pause()
        header = table_lines(table)[0].split()
        assert header[:3] == ["TIME", "STATUS", "TOOL"]
        assert tool_cells_whole(table)
        await pilot.press("f2")  # hidden again: the columns come back
        await pilot.pause()
        assert "USER" in table_lines(table)[0]


def write_config(text: str) -> None:
    from tui.locations import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


async def test_columns_chosen_and_ordered_in_config(app_factory):
    write_config('[table]\ncolumns = ["time", "tool", "status", "toolkit", "message"]\n')
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        header = table_lines(app.query_one(LogTable))[0].split()
        assert header == ["TIME", "TOOL", "STATUS", "TOOLKIT", "MESSAGE"]


async def test_a_misspelt_column_says_the_closest_name_and_keeps_the_default(app_factory):
    write_config('[table]\ncolumns = ["time", "status", "tool", "mesage"]\n')
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        toasts = " ".join(str(n.message) for n in app._notifications)
        assert "'mesage'" in toasts and "did you mean 'message'?" in toasts
        header = table_lines(app.query_one(LogTable))[0].split()
        assert header == ["TIME", "STATUS", "TOOL", "USER", "DUR", "MESSAGE"]


async def test_right_and_left_scroll_the_message_column(app_factory):
    """Item 7: → scrolls every row's message by half the column (as lnav's → does),
    time, status and tool staying; ← goes back."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        long_row = next(n for n, row in enumerate(table.store.rows(0, 20)) if len(row.message) > 60)
        table.move_cursor(long_row)
        row = table.selected
        assert row is not None
        before = table_lines(table)[long_row + 1]
        await pilot.press("right")
        after = table_lines(table)[long_row + 1]
        assert table.message_offset > 0 and after != before
        assert after.startswith(before[:30])  # time, status and tool stay
        assert "MESSAGE ←" in table_lines(table)[0]
        await pilot.press("left")
        assert table.message_offset == 0 and table_lines(table)[long_row + 1] == before


async def test_m_marks_the_row_and_a_double_click_opens_one(app_factory):
    """Item 12: the marked row shows ◆ in its gutter; another row does not. Small
    thing: a double click on a row opens it in the detail pane."""
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        await pilot.press("p", "down", "down", "m", "down")
        lines = table_lines(table)
        assert lines[3].startswith("◆") and not lines[4].startswith("◆")
        assert not app.main_screen.detail_open
        await pilot.click(LogTable, offset=(20, 6), times=2)
        await settle(app, pilot)
        assert app.main_screen.detail_open and table.cursor_row == 5
