"""Issue 17's Buddy screens: the table of action executions and a running action's
detail tabs (Summary, Timeline, Log), from the seeded Buddy demo on the frozen clock,
with a fixed source label (the port is random)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from tests.clock import fixed_clock
from tests.tui.pilot import screen_showing, settle
from tests.tui.test_buddy_rows import buddy_settings
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
    return ToolwatchApp(
        buddy_settings(buddy_server),
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


async def _log_read(pilot) -> None:
    view = pilot.app.query_one(ActionLogView)
    await screen_showing(pilot.app, pilot, "following")
    assert view.lines_view.lines  # read, and on screen: the snapshot shows them


TABS = {"summary": ("1", None), "timeline": ("2", None), "log": ("5", _log_read)}


def _tab(name: str) -> Callable[[Any], Awaitable[None]]:
    key, then = TABS[name]

    async def run_before(pilot: Any) -> None:
        await _running_action_open(pilot)
        await pilot.press(key)
        await settle(pilot.app, pilot)
        if then is not None:
            await then(pilot)

    return run_before


@sizes
def test_buddy_table(snap_compare, buddy_app, size):
    assert snap_compare(buddy_app, terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("tab", list(TABS))
@sizes
def test_buddy_detail(snap_compare, buddy_app, size, tab):
    assert snap_compare(buddy_app, terminal_size=size, run_before=_tab(tab))
