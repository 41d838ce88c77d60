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
