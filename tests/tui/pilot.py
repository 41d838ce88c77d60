"""Helpers shared by the pilot tests."""

from __future__ import annotations

from typing import Any

from tui.ui.app import ToolwatchApp


async def settle(app: ToolwatchApp, pilot: Any) -> None:
    """Let every worker finish and the messages it posted be handled."""
    await app.workers.wait_for_complete()
    await pilot.pause()
