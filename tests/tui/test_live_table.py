"""Pilot tests: what the live table does as logs arrive and keys are pressed."""

from __future__ import annotations

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import settle
from tui.config import Secret
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.status_line import StatusLine

HOSTILE = "user said [/bold] hi [@click=app.quit]click[/] \x1b]52;c;ZXZpbA==\x07 done"


async def test_rows_arrive_newest_first_and_status_says_live(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        assert len(table.store) == 100  # one full page on the first poll
        rows = table.store.rows(0, len(table.store))
        times = [r.timestamp_ms for r in rows]
        assert times == sorted(times, reverse=True)
        status = app.query_one(StatusLine).info
        assert status is not None and status.state == "live" and status.loaded == 100
        assert status.failed == sum(r.failed for r in rows) > 0
        rendered = str(app.query_one(StatusLine).render())
        assert "live" in rendered and "100 logs" in rendered and "demo 127.0.0.1" in rendered


async def test_cursor_stays_on_the_same_log_while_new_rows_arrive_above(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        await pilot.press("down", "down", "down", "down", "down")
        before = table.selected
        assert before is not None and table.cursor_row == 5
        top_before = table.scroll_y
        for _ in range(7):
            demo_server.add_log(message="arrived later")
        app.poll_now()
        await settle(app, pilot)
        assert len(table.store) == 107
        assert table.selected == before
        assert table.cursor_row == 12
        # The viewport moved with the row: what the user was reading did not jump.
        assert table.scroll_y == top_before + 7


async def test_following_the_newest_row_shows_new_arrivals(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        assert table.following
        injected = demo_server.add_log(message="brand new")
        app.poll_now()
        await settle(app, pilot)
        assert table.cursor_row == 0 and table.selected is not None
        assert table.selected.id == injected["id"]


async def test_navigation_keys(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        await pilot.press("end")
        assert table.cursor_row == 99  # the oldest of the first page…
        await settle(app, pilot)
        assert len(table.store) == 199  # …which asked for the next older page
        assert table.cursor_row == 99  # older rows land below the cursor
        await pilot.press("pageup")
        assert table.cursor_row == 99 - (table.size.height - 2)
        await pilot.press("home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.press("pagedown", "up")
        assert table.cursor_row == table.size.height - 3


async def test_hostile_message_renders_literally_and_app_survives(app_factory, demo_server):
    demo_server.add_log(message=HOSTILE, user_id="[bold red]root[/]")
    app = app_factory()
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        line = table.render_line(1)  # the newest row, under the header
        text = line.text
        assert "[/bold] hi [@click=app.quit]click[/]" in text
        assert "\\x1b]52;c;ZXZpbA==\\x07" in text
        assert "[bold red]root[/]" in text
        assert all("\x1b" not in seg.text and "\x07" not in seg.text for seg in line)
        assert not any(seg.style and seg.style.meta for seg in line)  # no @click actions
        await pilot.press("down", "up")
        assert app.is_running


async def test_q_quits(app_factory):
    app = app_factory()
    async with app.run_test() as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_rejected_key_stops_polling_and_says_what_to_fix(demo_server):
    app = ToolwatchApp(settings_for(demo_server, api_key=Secret("not-the-key")), clock=fixed_clock)
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(app, pilot)
        status = app.query_one(StatusLine).info
        assert status is not None and status.state == "stopped"
        assert status.error is not None and "COMPOSIO_API_KEY" in status.error
        assert not app.polling_on_interval  # no more polls with a rejected key
        assert "not-the-key" not in app.export_screenshot()
