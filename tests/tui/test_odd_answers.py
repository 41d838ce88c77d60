"""Pilot test: stray 4xx answers and redirects leave the TUI retrying, never stopped,
and the key never reaches the status line."""

from __future__ import annotations

import random

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import settle
from tui.demo import DemoServer, FaultPlan
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.status_line import StatusLine


def status(app: ToolwatchApp) -> str:
    return str(app.query_one(StatusLine).render())


def polling_by_hand(server: DemoServer) -> ToolwatchApp:
    """An app whose polls this test starts (retry_now), not its interval."""
    settings = settings_for(server, poll_interval=60)
    return ToolwatchApp(settings, clock=fixed_clock, rng=random.Random(7))


async def test_stray_answers_and_redirects_are_retried_without_showing_the_key(demo_server):
    app = polling_by_hand(demo_server)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        seen = set()
        for plan in (FaultPlan(stray4xx_rate=1.0, seed=3), FaultPlan(redirect_rate=1.0)):
            demo_server.set_fault_plan(plan)
            for _ in range(6):
                app.retry_now()
                await settle(app, pilot)
                info = app.query_one(StatusLine).info
                assert info is not None and info.state == "retrying", status(app)
                assert not app.session.stopped
                assert demo_server.api_key not in status(app)
                seen.add(info.error.split(":")[0] if info.error else "")
        assert "■ stopped" not in status(app)
        assert any("HTTP 302" in said for said in seen)
        assert any("HTTP 418" in said or "HTTP 404" in said for said in seen)
        demo_server.set_fault_plan(None)
        app.retry_now()
        await settle(app, pilot)
        assert app.query_one(StatusLine).info.state == "live"  # type: ignore[union-attr]
        assert len(app.session.store) == 100
