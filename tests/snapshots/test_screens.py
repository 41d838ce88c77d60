"""Layout snapshots: seeded traffic, frozen clock, fixed source label (the port is random)."""

from __future__ import annotations

import pytest

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import settle
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable


@pytest.fixture
def snapshot_app(demo_server):
    return ToolwatchApp(
        settings_for(demo_server),
        clock=fixed_clock,
        poll_on_interval=False,
        source_label="demo 127.0.0.1",
    )


async def _loaded(pilot) -> None:
    await settle(pilot.app, pilot)


async def _loaded_cursor_down(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("down", "down", "down")
    await pilot.pause()


def test_live_table_80x24(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=_loaded)


def test_live_table_120x40_cursor_moved(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=_loaded_cursor_down)


async def _bar_with_an_error(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("slash")
    bar_input = pilot.app.query_one("#query-input")
    bar_input.cursor_blink = False  # a blinking cursor would make the SVG differ run to run
    await pilot.press(*"failed toolkit:gmail tol:x")
    await pilot.pause()


async def _query_applied(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("slash", *"failed", "enter")
    await settle(pilot.app, pilot)


def test_query_bar_error_and_sidebar_140x40(snap_compare, snapshot_app):
    # From about 137 columns the sidebar opens by default beside a table with whole tools.
    assert snap_compare(snapshot_app, terminal_size=(140, 40), run_before=_bar_with_an_error)


def test_query_applied_sidebar_hidden_80x24(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=_query_applied)


async def _detail_open(pilot) -> None:
    await _loaded(pilot)
    table = pilot.app.query_one(LogTable)
    failed = next(n for n, row in enumerate(table.store.rows(0, 100)) if row.failed)
    table.move_cursor(failed)  # the newest failure, to show its diagnosis
    await pilot.press("enter")
    await settle(pilot.app, pilot)  # the detail, then the JSON views laid out in threads


async def _detail_full_screen(pilot) -> None:
    await _detail_open(pilot)
    await pilot.press("z")
    await pilot.pause()


def test_detail_beside_the_table_200x50(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(200, 50), run_before=_detail_open)


def test_detail_under_the_table_120x40(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=_detail_open)


def test_detail_full_screen_80x24(snap_compare, snapshot_app):
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=_detail_full_screen)
