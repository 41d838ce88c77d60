"""Pilot tests for issue 14's table items: one story for a refused key (4), the opened
row stays in view (5), columns fit the terminal (7), one rule for times (8), and the
mark (12)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.clock import FIXED_NOW, FakeClock, fixed_clock, local_zone
from tests.conftest import settings_for
from tests.tui.pilot import screen_showing, settle, toasts
from tui import fmt
from tui.config import DEFAULT_TABLE_COLUMNS, Secret, table_columns, time_zone
from tui.errors import AuthError, ConfigError
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
        said = " ".join(str(n.message) for n in toasts(app))
        assert "'mesage'" in said and "did you mean 'message'?" in said
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


TEN_TWENTY_UTC = 1_776_421_200_000  # 2026-04-17T10:20:00Z, 5 min before the fixed now


async def test_times_shown_and_typed_are_local_time(demo_server):
    """Item 8: with TZ=Asia/Tokyo (9 h ahead) and no timezone configured, the table
    shows Tokyo time, the status line says JST, and a typed since: without a zone means
    Tokyo time too: one rule."""
    with local_zone("Asia/Tokyo"):
        settings = settings_for(demo_server, tz=None)  # None: local time, as by default
        app = ToolwatchApp(settings, clock=fixed_clock, poll_on_interval=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            table = app.query_one(LogTable)
            newest = table.store.row(0)
            assert newest is not None
            tokyo = datetime.fromtimestamp(newest.timestamp_ms / 1000, ZoneInfo("Asia/Tokyo"))
            assert table_lines(table)[1].startswith(" " + tokyo.strftime("%H:%M:%S") + " ")
            assert tokyo.hour == 19  # 10:24 UTC
            assert "JST" in str(app.query_one(StatusLine).render())
            await pilot.press("slash", *"since:2026-04-17T19:20", "enter")
            await settle(app, pilot)
            time_range = app.session.query.time_range
            assert time_range is not None and time_range.from_ms == TEN_TWENTY_UTC
            rows = table.store.rows(0, len(table.store))
            assert rows and all(row.timestamp_ms >= TEN_TWENTY_UTC for row in rows)


async def test_the_table_shows_the_date_of_a_row_not_from_today(demo_server):
    """Item 8: a day later, the same rows show their date (UTC here: settings_for)."""
    a_day_later = FakeClock(FIXED_NOW + 86_400, frozen=True)
    app = ToolwatchApp(settings_for(demo_server), clock=a_day_later, poll_on_interval=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        assert table_lines(table)[1].startswith(" Apr 17 10:24:")
    app = ToolwatchApp(settings_for(demo_server), clock=fixed_clock, poll_on_interval=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert table_lines(app.query_one(LogTable))[1].startswith(" 10:24:")


async def test_the_summary_says_how_long_ago_the_call_started(app_factory):
    """Item 8: the detail pane's Summary gives the start relative to now, too."""
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        rows = table.store.rows(0, len(table.store))
        older = next(
            n for n, row in enumerate(rows) if FIXED_NOW * 1000 - row.timestamp_ms > 180_000
        )
        minutes = int((FIXED_NOW * 1000 - rows[older].timestamp_ms) // 60_000)
        table.move_cursor(older)
        await pilot.press("enter")
        await settle(app, pilot)
        await screen_showing(app, pilot, f"({minutes} min ago)")


def test_ago_says_how_long_before_now_in_words():
    now = 1_776_421_500_000
    assert fmt.ago(now - 2_000, now) == "just now"
    assert fmt.ago(now - 42_000, now) == "42 s ago"
    assert fmt.ago(now - 3 * 60_000 - 59_000, now) == "3 min ago"
    assert fmt.ago(now - 2 * 3_600_000, now) == "2 h ago"
    assert fmt.ago(now - 86_400_000, now) == "1 day ago"
    assert fmt.ago(now - 5 * 86_400_000, now) == "5 days ago"
    assert fmt.ago(now + 180_000, now) == "in 3 min"  # a clock ahead of ours
    assert fmt.full_time_ago(None, None, now) == fmt.NO_VALUE
    assert fmt.full_time_ago(fmt.BAD_TIME_HIGH, None, now) == fmt.BAD_TIME


def test_config_names_a_zone_or_says_which_it_meant():
    assert time_zone(None, "c") is None and time_zone("local", "c") is None
    assert time_zone("UTC", "c") is UTC
    assert time_zone("Asia/Tokyo", "c") == ZoneInfo("Asia/Tokyo")
    with pytest.raises(ConfigError, match="did you mean 'Asia/Tokyo'"):
        time_zone("Asia/Tokio", "c")
    with pytest.raises(ConfigError, match="not a time zone"):
        time_zone(9, "c")


def test_table_columns_keep_the_order_given_and_refuse_unknown_names():
    assert table_columns(["tool", "time"], "c") == (("tool", "time"), None)
    assert table_columns(None, "c") == (DEFAULT_TABLE_COLUMNS, None)
    columns, problem = table_columns("time", "c")
    assert columns == DEFAULT_TABLE_COLUMNS and problem and "needs a list" in problem
