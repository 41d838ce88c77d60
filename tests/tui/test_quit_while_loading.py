"""Quitting while the first rows are on their way (q pressed at start): rows, a failed
poll or a timer that lands once Textual has begun taking the screen down are dropped,
not drawn into widgets that are gone. Each crashed toolwatch ("stopped by a bug
(NoMatches)") about one start in three when q came as the rows did."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.pilot import settle
from tui.errors import ConnectionFailed
from tui.ui.app import ToolwatchApp
from tui.ui.messages import LogsArrived, PollFailed


async def test_what_lands_after_quitting_is_dropped(
    app_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrived: list[LogsArrived] = []
    handle = ToolwatchApp.on_logs_arrived

    def keep(app: ToolwatchApp, message: LogsArrived) -> None:
        arrived.append(message)
        handle(app, message)

    monkeypatch.setattr(ToolwatchApp, "on_logs_arrived", keep)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert arrived, "the first rows arrived"
        generation = arrived[0].generation
    assert not app.is_running
    # What a worker or a timer would deliver now, as the screen's widgets go.
    handle(app, LogsArrived(arrived[0].batch, arrived[0].purpose, generation))
    app.on_poll_failed(PollFailed(ConnectionFailed("gone"), 0.0, "poll", generation))
    app._draw_progress()
    app._draw_strip()
