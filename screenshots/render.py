"""Render toolwatch's own screenshots (SVG) from seeded demo traffic and a frozen clock.

Run after any change to the screen:  python screenshots/render.py
The README shows the files this writes next to it.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC
from pathlib import Path

from textual.pilot import Pilot

from tui.config import Secret, Settings
from tui.demo import DemoServer
from tui.locations import ENV_CONFIG_DIR, ENV_STATE_DIR
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable

HERE = Path(__file__).resolve().parent
FROZEN_NOW = 1_776_421_500.0  # 2026-04-17T10:25:00Z


async def _noop(pilot: Pilot[None]) -> None:
    return None


async def _move_down(pilot: Pilot[None]) -> None:
    await pilot.press(*["down"] * 6)


async def _filtered(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"failed since:1h", "enter")
    await pilot.app.workers.wait_for_complete()


async def _detail(pilot: Pilot[None]) -> None:
    table = pilot.app.query_one(LogTable)
    failed = next(n for n, row in enumerate(table.store.rows(0, 100)) if row.failed)
    table.move_cursor(failed)  # the newest failure, to show its diagnosis
    await pilot.press("enter")
    for _ in range(3):  # the detail, then the JSON views laid out in threads
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _timeline(pilot: Pilot[None]) -> None:
    await _detail(pilot)
    await pilot.press("2")  # the Timeline tab: the call's steps and requests as a waterfall
    await pilot.pause()


async def _rerun_copied(pilot: Pilot[None]) -> None:
    await _detail(pilot)
    await pilot.press("r")
    for _ in range(3):  # the copy, then the toast it raises
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _stats_screen(pilot: Pilot[None]) -> None:
    await pilot.press("S")
    for _ in range(2):  # the Usage API's count, fetched in a worker
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


SHOTS: list[tuple[str, tuple[int, int], Callable[[Pilot[None]], Awaitable[None]]]] = [
    ("live-table-120x40.svg", (120, 40), _move_down),
    ("live-table-80x24.svg", (80, 24), _noop),
    ("filtered-140x40.svg", (140, 40), _filtered),
    ("detail-200x50.svg", (200, 50), _detail),
    ("timeline-120x40.svg", (120, 40), _timeline),
    ("rerun-copied-120x40.svg", (120, 40), _rerun_copied),
    ("stats-screen-120x40.svg", (120, 40), _stats_screen),
    ("alert-banner-120x40.svg", (120, 40), _noop),
]
# Shots with a config.toml of their own (the others have none): an alert rule that fires.
CONFIGS = {
    "alert-banner-120x40.svg": (
        '[[rules]]\nname = "gmail failing"\nwhen = "toolkit:gmail failed >= 2 in 5m"\n'
    ),
}
# Shots taken as if watching a real project: no demo key in the copy toast.
NOT_DEMO = {"rerun-copied-120x40.svg"}


async def render(
    name: str, size: tuple[int, int], before: Callable[[Pilot[None]], Awaitable[None]]
) -> None:
    config = Path(os.environ[ENV_CONFIG_DIR]) / "config.toml"
    config.unlink(missing_ok=True)
    if name in CONFIGS:
        config.write_text(CONFIGS[name], encoding="utf-8")
    with DemoServer(seed=7, rate=0, prefill=300, clock=lambda: FROZEN_NOW) as server:
        settings = Settings(
            base_url=server.url,
            api_key=Secret(server.api_key),
            demo=name not in NOT_DEMO,
            tz=UTC,
            query_text="",  # never the last query of whoever runs this
        )
        app = ToolwatchApp(
            settings,
            clock=lambda: FROZEN_NOW,
            poll_on_interval=False,
            source_label="demo 127.0.0.1",  # the real port is random: keep the SVGs stable
        )
        async with app.run_test(size=size, notifications=True) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await before(pilot)
            await pilot.pause()
            svg = app.export_screenshot(title="toolwatch --demo")
    assert server.api_key not in svg, "the demo key must never appear in a screenshot"
    (HERE / name).write_text(svg, encoding="utf-8")
    print(f"wrote screenshots/{name}")


async def main() -> None:
    with tempfile.TemporaryDirectory() as state, tempfile.TemporaryDirectory() as config:
        os.environ[ENV_STATE_DIR] = state  # leave the runner's own state file alone
        os.environ[ENV_CONFIG_DIR] = config  # and config: its rules, keymap and theme
        for name, size, before in SHOTS:
            await render(name, size, before)


if __name__ == "__main__":
    asyncio.run(main())
