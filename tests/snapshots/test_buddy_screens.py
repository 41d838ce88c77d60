"""Issue 17's Buddy screens: the table of action executions and a running action's
detail tabs (Summary, Timeline, Log), from the seeded Buddy demo on the frozen clock,
with a fixed source label (the port is random)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC

import pytest

from tests.clock import fixed_clock
from tests.tui.pilot import screen_showing, settle
from tui.config import Secret, Settings
from tui.demo.buddy_server import BuddyDemoServer
from tui.demo.buddy_world import PROJECT, WORKSPACE
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.action_log import ActionLogView
from tui.ui.widgets.log_table import LogTable

SIZES = [(120, 40), (200, 50)]
sizes = pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")


@pytest.fixture
def buddy_server() -> Iterator[BuddyDemoServer]:
    """No live runs (rate 0) and a frozen clock: the same runs, at the same point, every run."""
    with BuddyDemoServer(seed=7, rate=0, prefill=40, clock=fixed_clock) as server:
        yield server


@pytest.fixture
def buddy_app(buddy_server: BuddyDemoServer) -> ToolwatchApp:
    settings = Settings(
        base_url=buddy_server.url,
        api_key=Secret(buddy_server.token),
        demo=True,
        tz=UTC,
        source_kind="buddy",
        workspace=WORKSPACE,
        project=PROJECT,
    )
    return ToolwatchApp(
        settings,
        clock=fixed_clock,
        poll_on_interval=False,
        source_label=f"demo Buddy {WORKSPACE}/{PROJECT}",
    )


async def _loaded(pilot) -> None:
    await settle(pilot.app, pilot)


async def _running_action_open(pilot) -> None:
    """The newest running action with a few log lines, its detail open."""
    await _loaded(pilot)
    table = pilot.app.query_one(LogTable)
    rows = table.store.rows(0, len(table.store))
    table.move_cursor(next(n for n, row in enumerate(rows) if row.status == "running"))
    await pilot.press("enter")
    await settle(pilot.app, pilot)


async def _tab(pilot, key: str) -> None:
    await _running_action_open(pilot)
    await pilot.press(key)
    await settle(pilot.app, pilot)


async def _summary(pilot) -> None:
    await _tab(pilot, "1")


async def _timeline(pilot) -> None:
    await _tab(pilot, "2")


async def _log(pilot) -> None:
    await _tab(pilot, "5")
    view = pilot.app.query_one(ActionLogView)
    await screen_showing(pilot.app, pilot, "following")
    assert view.lines_view.lines  # read, and on screen: the snapshot shows them


@sizes
def test_buddy_table(snap_compare, buddy_app, size):
    assert snap_compare(buddy_app, terminal_size=size, run_before=_loaded)


@sizes
def test_buddy_summary(snap_compare, buddy_app, size):
    assert snap_compare(buddy_app, terminal_size=size, run_before=_summary)


@sizes
def test_buddy_timeline(snap_compare, buddy_app, size):
    assert snap_compare(buddy_app, terminal_size=size, run_before=_timeline)


@sizes
def test_buddy_log(snap_compare, buddy_app, size):
    assert snap_compare(buddy_app, terminal_size=size, run_before=_log)
