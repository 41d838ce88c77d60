"""Render the Buddy.works screenshot (SVG) from the seeded Buddy demo and a frozen clock.

Run after any change to the screen:  python screenshots/render_buddy.py
(kept apart from render.py, which renders the Composio screens).
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from datetime import UTC
from pathlib import Path

from tui.config import Secret, Settings
from tui.demo.buddy_server import BuddyDemoServer
from tui.demo.buddy_world import PROJECT, WORKSPACE
from tui.locations import ENV_STATE_DIR
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable

HERE = Path(__file__).resolve().parent
FROZEN_NOW = 1_776_421_500.0  # 2026-04-17T10:25:00Z
NAME = "buddy-table-120x40.svg"


async def render() -> None:
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
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            table = app.query_one(LogTable)
            failed = next(n for n, row in enumerate(table.store.rows(0, 200)) if row.failed)
            table.move_cursor(failed)
            await pilot.press("enter")
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            svg = app.export_screenshot(title="toolwatch --demo --source buddy")
    assert server.token not in svg, "the demo token must never appear in a screenshot"
    (HERE / NAME).write_text(svg, encoding="utf-8")
    print(f"wrote screenshots/{NAME}")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as state:
        os.environ[ENV_STATE_DIR] = state  # leave the runner's own state file alone
        asyncio.run(render())
