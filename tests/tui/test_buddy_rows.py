"""Pilot tests: Buddy rows in today's table and detail pane, and a running action's row
changing in place (same row, cursor kept on it) as it finishes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.tui.pilot import screen_showing, settle
from tui.config import Secret, Settings
from tui.demo.buddy_server import BuddyDemoServer
from tui.sources.buddy import BuddyClient, BuddySource
from tui.sources.buddy.rows import UNFINISHED
from tui.store import RowView
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable


def buddy_settings(server: BuddyDemoServer) -> Settings:
    return Settings(
        base_url=server.url,
        api_key=Secret(server.token),
        demo=True,
        tz=UTC,
        source_kind="buddy",
        key_env="BUDDY_TOKEN",
        workspace="acme",
        project="agents",
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@asynccontextmanager
async def buddy_app_on(
    clock: FakeClock,
) -> AsyncIterator[tuple[ToolwatchApp, Any, BuddyDemoServer]]:
    """The app on the Buddy demo at 120x40, its first poll stored, and the server."""
    with BuddyDemoServer(seed=5, rate=0, prefill=12, clock=clock) as server:
        client = BuddyClient(token=server.token, base_url=server.url, clock=clock)
        source = BuddySource(client, workspace="acme", project="agents", clock=clock)
        app = ToolwatchApp(
            buddy_settings(server), source=source, clock=clock, poll_on_interval=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            yield app, pilot, server


@pytest.fixture
async def buddy_app(clock: FakeClock) -> AsyncIterator[tuple[ToolwatchApp, Any]]:
    async with buddy_app_on(clock) as (app, pilot, _server):
        yield app, pilot


async def cursor_on_first(pilot: Any, table: LogTable, status: str) -> RowView:
    rows = table.store.rows(0, len(table.store))
    index = next(n for n, row in enumerate(rows) if row.status == status)
    for _ in range(index):
        await pilot.press("down")
    assert table.selected == rows[index]
    return rows[index]


async def test_a_running_row_changes_in_place_and_keeps_the_cursor(
    buddy_app: tuple[ToolwatchApp, Any], clock: FakeClock
) -> None:
    app, pilot = buddy_app
    table = app.query_one(LogTable)
    chosen = await cursor_on_first(pilot, table, "running")
    held = len(table.store)
    await screen_showing(app, pilot, chosen.message[:30])
    clock.now += 120  # every action of that run has ended
    app.poll_now()
    await settle(app, pilot)
    now = table.selected
    assert now is not None and now.id == chosen.id, "the cursor left the row"
    assert now.rowid == chosen.rowid and now.status not in UNFINISHED
    assert len(table.store) == held
    ids = [row.id for row in table.store.rows(0, len(table.store))]
    assert len(ids) == len(set(ids))
    await screen_showing(app, pilot, now.message[:30])


async def test_a_buddy_row_opens_in_the_detail_pane(buddy_app: tuple[ToolwatchApp, Any]) -> None:
    app, pilot = buddy_app
    chosen = await cursor_on_first(pilot, app.query_one(LogTable), "failed")
    await pilot.press("enter")
    await settle(app, pilot)
    await screen_showing(app, pilot, chosen.id, "FAILED", chosen.toolkit)


async def test_a_buddy_status_word_is_shown_whole(buddy_app: tuple[ToolwatchApp, Any]) -> None:
    """Tried at 120x40: the status column kept its 6 cells and read "runni…"."""
    app, _pilot = buddy_app
    statuses = {row.status for row in app.query_one(LogTable).store.rows(0, 100)}
    assert "running" in statuses  # the demo has actions running at its start
    table = app.query_one(LogTable)
    lines = [table.render_line(y).text for y in range(table.size.height)]
    assert any(line[10:18] == "running " for line in lines), lines[:4]
    assert not any("runni…" in line for line in lines)
