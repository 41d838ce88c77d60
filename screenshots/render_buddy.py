"""Render the Buddy.works screenshots (SVG) from the seeded Buddy demo and a frozen clock:
the table with a failed action's Summary, a running action's Log tab, and a failed\nrun's Timeline.

Run after any change to the screen:  python screenshots/render_buddy.py
(kept apart from render.py, which renders the Composio screens).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import UTC
from pathlib import Path
from typing import Any

from tui.config import Secret, Settings
from tui.demo.buddy_server import BuddyDemoServer
from tui.demo.buddy_world import PROJECT, WORKSPACE
from tui.locations import ENV_STATE_DIR
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable

HERE = Path(__file__).resolve().parent
FROZEN_NOW = 1_776_421_500.0  # 2026-04-17T10:25:00Z
TABLE = "buddy-table-120x40.svg"  # the table, a failed action's Summary under it
LOG = "buddy-log-200x50.svg"  # a running action's Log tab beside the table
TIMELINE = "buddy-timeline-120x40.svg"  # a failed run's actions, the failed one marked


async def settled(app: ToolwatchApp, pilot: Any) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def render(name: str, size: tuple[int, int], status: str, tab: str) -> None:
    """``name``: the screen at ``size`` with the newest ``status`` row open on ``tab``."""
    with BuddyDemoServer(seed=7, rate=0, prefill=40, clock=lambda: FROZEN_NOW) as server:
        settings = Settings(
            base_url=server.url,
            api_key=Secret(server.token),
            demo=True,
            tz=UTC,
            query_text="",
            source_kind="buddy",
            workspace=WORKSPACE,
            project=PROJECT,
        )
        app = ToolwatchApp(
            settings,
            clock=lambda: FROZEN_NOW,
            poll_on_interval=False,
            source_label=f"demo Buddy {WORKSPACE}/{PROJECT}",  # not the random port
        )
        async with app.run_test(size=size) as pilot:
            await settled(app, pilot)
            table = app.query_one(LogTable)
            rows = table.store.rows(0, 200)
            table.move_cursor(next(n for n, row in enumerate(rows) if row.status == status))
            await pilot.press("enter", tab)
            await settled(app, pilot)
            svg = app.export_screenshot(title="toolwatch --demo --source buddy")
    assert server.token not in svg, "the demo token must never appear in a screenshot"
    (HERE / name).write_text(svg, encoding="utf-8")
    print(f"wrote screenshots/{name}")


async def render_all() -> None:
    await render(TABLE, (120, 40), "failed", "1")
    await render(LOG, (200, 50), "running", "5")
    await render(TIMELINE, (120, 40), "failed", "2")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as state:
        os.environ[ENV_STATE_DIR] = state  # leave the runner's own state file alone
        asyncio.run(render_all())
