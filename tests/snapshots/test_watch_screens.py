"""Issue 16's screens: the stats strip, the stats screen, the alerts (seeded traffic,
frozen clock, fixed source label)."""

from __future__ import annotations

import pytest

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.snapshots.test_screens import _loaded, snapshot_app  # noqa: F401 (a fixture)
from tests.tui.pilot import settle
from tui.ui.app import ToolwatchApp

SIZES = [(80, 24), (120, 40), (200, 50)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_stats_strip(snap_compare, snapshot_app, size):  # noqa: F811
    assert snap_compare(snapshot_app, terminal_size=size, run_before=_loaded)


async def _stats_screen(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("S")
    await settle(pilot.app, pilot)  # the Usage API's count, fetched in a worker


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_stats_screen(snap_compare, snapshot_app, size):  # noqa: F811
    assert snap_compare(snapshot_app, terminal_size=size, run_before=_stats_screen)


@pytest.fixture
def alerting_app(demo_server):
    from tests.tui.test_alerts import ANY_FAILURE, write_config

    write_config(ANY_FAILURE)  # before the app: its session reads the rules
    return ToolwatchApp(
        settings_for(demo_server),
        clock=fixed_clock,
        poll_on_interval=False,
        source_label="demo 127.0.0.1",
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_alert_banner(snap_compare, alerting_app, size):
    assert snap_compare(alerting_app, terminal_size=size, run_before=_loaded)


async def _alerts_panel(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("a")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_alerts_panel(snap_compare, alerting_app, size):
    assert snap_compare(alerting_app, terminal_size=size, run_before=_alerts_panel)
