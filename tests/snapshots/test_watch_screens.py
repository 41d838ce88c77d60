"""Issue 16's screens: the stats strip, the stats screen, the alerts (seeded traffic,
frozen clock, fixed source label)."""

from __future__ import annotations

import pytest

from tests.snapshots.test_screens import _loaded, snapshot_app  # noqa: F401 (a fixture)

SIZES = [(80, 24), (120, 40), (200, 50)]


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_stats_strip(snap_compare, snapshot_app, size):  # noqa: F811
    assert snap_compare(snapshot_app, terminal_size=size, run_before=_loaded)


async def _stats_screen(pilot) -> None:
    await _loaded(pilot)
    await pilot.press("S")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_stats_screen(snap_compare, snapshot_app, size):  # noqa: F811
    assert snap_compare(snapshot_app, terminal_size=size, run_before=_stats_screen)
