"""Issue 13's demo faults on screen: odd values and planted secrets in genuine 200s never
crash or stop the TUI, and no planted secret is drawn, in the table or any detail tab."""

from __future__ import annotations

import random

from textual.widgets import TabbedContent

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import settle
from tui.demo import FaultPlan
from tui.demo.planted import PLANTED
from tui.ui.app import ToolwatchApp

PLAN = FaultPlan(deep_rate=0.25, bigint_rate=0.25, nonfinite_rate=0.25, secrets_rate=0.25, seed=2)


async def test_the_screen_rides_out_odd_values_and_shows_no_planted_secret(demo_server):
    demo_server.set_fault_plan(PLAN)
    settings = settings_for(demo_server, poll_interval=60)
    app = ToolwatchApp(settings, clock=fixed_clock, rng=random.Random(3))
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        screens = [app.export_screenshot()]
        for _ in range(4):
            app.retry_now()
            await settle(app, pilot)
        await pilot.press("home")
        for _ in range(6):
            await pilot.press("enter")
            await settle(app, pilot)
            tabs = app.query_one(TabbedContent)
            for pane in ("tab-summary", "tab-timeline", "tab-json", "tab-io"):
                tabs.active = pane
                await settle(app, pilot)
                screens.append(app.export_screenshot())
            await pilot.press("escape", "down")
            await settle(app, pilot)
        assert not app.session.stopped
        assert len(app.session.store) >= 100
        counts = demo_server.fault_counts
        assert {"deep", "bigint", "nonfinite", "secrets"} <= set(counts), counts
        shown = "\n".join(screens)
        assert PLANTED not in shown
        assert "access_token=" in shown  # a planted message is on screen, its token masked
