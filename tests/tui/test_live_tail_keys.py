"""Pilot tests for issue 3: follow and "+N new", pause, backfill, gaps, 401 and 503 storms."""

from __future__ import annotations

import math
import random

from tests.clock import FIXED_NOW, FIXED_NOW_MS, fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import settle
from tui.demo import FaultPlan
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.status_line import StatusLine
from tui.ui.widgets.title_bar import TitleBar


def title(app: ToolwatchApp) -> str:
    return str(app.query_one(TitleBar).render())


def status(app: ToolwatchApp) -> str:
    return str(app.query_one(StatusLine).render())


async def test_moving_away_stops_following_counts_new_rows_and_f_resumes(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        assert table.following
        await pilot.press("down", "down")
        assert not table.following
        reading = table.selected
        for _ in range(3):
            demo_server.add_log(message="first wave")
        app.poll_now()
        await settle(app, pilot)
        for _ in range(4):
            demo_server.add_log(message="second wave")
        app.poll_now()
        await settle(app, pilot)
        assert table.unseen == 7
        assert "+7 new" in title(app) and "f follows" in title(app)
        assert table.selected == reading  # still on the log being read
        await pilot.press("f")
        await pilot.pause()
        assert table.following and table.cursor_row == 0 and table.scroll_y == 0
        assert table.selected is not None and table.selected.message == "second wave"
        assert " new " not in title(app) and "f follows" not in title(app)
        newest = demo_server.add_log(message="while following")
        app.poll_now()
        await settle(app, pilot)
        assert table.selected is not None and table.selected.id == newest["id"]
        assert table.unseen == 0


async def test_scrolling_away_stops_following(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        table.scroll_to(y=10, animate=False)
        await pilot.pause()
        assert not table.following
        await pilot.press("home")
        assert table.following


async def test_p_pauses_polling_and_p_again_catches_up(demo_server):
    app = ToolwatchApp(settings_for(demo_server, poll_interval=60), clock=fixed_clock)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert app.polling_on_interval
        await pilot.press("p")
        await pilot.pause()
        assert app.session.paused and not app.polling_on_interval
        assert app.query_one(StatusLine).info.state == "paused"  # type: ignore[union-attr]
        assert "paused" in status(app)
        added = demo_server.add_log(message="while paused")
        app.poll_now()  # the interval would call this: paused, it does nothing
        await settle(app, pilot)
        assert app.session.store.entry_by_id(added["id"]) is None
        await pilot.press("p")
        await settle(app, pilot)
        assert not app.session.paused and app.polling_on_interval
        assert app.session.store.entry_by_id(added["id"]) is not None
        assert "live" in status(app)


async def test_reaching_the_bottom_loads_older_rows_with_an_honest_title(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        assert "100 loaded · more available" in title(app)
        oldest = table.store.row(len(table.store) - 1)
        # Time to look: 0.3 s was less than a pause takes on a loaded machine (flaky).
        demo_server.set_fault_plan(FaultPlan(slow_rate=1.0, slow_s=2.0))
        await pilot.press("end")
        await pilot.pause()
        assert "loading older" in title(app)
        await settle(app, pilot)
        demo_server.set_fault_plan(None)
        assert len(table.store) == 199
        assert table.store.row(99) == oldest  # older rows went below it
        assert "199 loaded · more available" in title(app)
        await pilot.press("end")
        await settle(app, pilot)
        await pilot.press("end")
        await settle(app, pilot)
        assert len(table.store) == 300  # the server holds 300: all of them, once
        assert "300 loaded · all loaded" in title(app)
        times = [r.timestamp_ms for r in table.store.rows(0, 300)]
        assert times == sorted(times, reverse=True)


async def test_a_503_storm_counts_down_and_keeps_the_rows(demo_server):
    app = ToolwatchApp(
        settings_for(demo_server, poll_interval=60), clock=fixed_clock, rng=random.Random(7)
    )
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        assert len(app.session.store) == 100
        demo_server.set_fault_plan(FaultPlan(error_rate=1.0, seed=1))
        delays = []
        for _ in range(4):
            app.retry_now()
            await settle(app, pilot)
            info = app.query_one(StatusLine).info
            assert info is not None and info.state == "retrying"
            assert info.retry_at is not None and info.now is not None
            delays.append(info.retry_at - info.now)
            # The status line's own rounding: whole seconds left, rounded up.
            assert f"retrying in {max(0, math.ceil(delays[-1]))} s" in status(app)
            assert "Server error" in status(app)
            # Backing off: the regular interval waits; one retry is scheduled.
            assert not app.polling_on_interval and app.retry_scheduled
        assert delays[-1] > delays[0]  # the wait grows
        assert len(app.session.store) == 100 and len(app.query_one(LogTable).store) == 100
        demo_server.set_fault_plan(None)
        app.retry_now()
        await settle(app, pilot)
        assert app.query_one(StatusLine).info.state == "live"  # type: ignore[union-attr]
        assert app.polling_on_interval and not app.retry_scheduled
        assert "retrying" not in status(app)


async def test_a_gap_is_shown_and_g_loads_it(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        app.session.tail.max_pages = 2  # a small budget, so a burst outruns one poll
        app.session.tail.lag_ms = 0
        burst = [demo_server.add_log(message=f"burst {n}")["id"] for n in range(450)]
        app.poll_now()
        await settle(app, pilot)
        assert app.session.tail.gaps
        assert "gap: logs between" in status(app) and "press g to load" in status(app)
        missing = [i for i in burst if app.session.store.entry_by_id(i) is None]
        assert len(missing) > 200
        await pilot.press("g")
        await settle(app, pilot)
        assert not app.session.tail.gaps
        assert all(app.session.store.entry_by_id(i) is not None for i in burst)
        assert "gap" not in status(app)


async def test_lag_setting_reaches_the_engine(demo_server):
    app = ToolwatchApp(settings_for(demo_server, lag_s=75), clock=fixed_clock)
    assert app.session.tail.lag_ms == 75_000


async def test_a_bug_while_polling_is_said_and_polling_goes_on(app_factory):
    app = app_factory()
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)

        async def broken() -> None:
            raise KeyError("a field toolwatch did not expect")

        app.session.tail.poll = broken  # type: ignore[method-assign]
        app.poll_now()
        await settle(app, pilot)
        status = app.query_one(StatusLine).info
        assert status is not None and status.state == "retrying"
        assert "toolwatch hit a bug" in str(status.error) and "KeyError" in str(status.error)
        assert len(app.session.store) == 100  # the rows on screen stay


async def test_a_big_batch_is_stored_a_slice_per_message(app_factory):
    from tui.models.entry import LogEntry
    from tui.session.session import ADD_SLICE
    from tui.tail import TailBatch
    from tui.ui.messages import LogsArrived

    now_ms = FIXED_NOW_MS
    entries = [
        LogEntry(
            id=f"log_gap_{n:05d}",
            timestamp_ms=now_ms - 3_600_000 + n,
            status="failed" if n % 10 == 0 else "success",
        )
        for n in range(ADD_SLICE * 2 + 500)
    ]
    app = app_factory()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        before, failed_before = len(app.session.store), app.session.status.failed
        sizes: list[int] = []
        add = app.session.store.add

        def recording_add(batch):
            batch = list(batch)
            sizes.append(len(batch))
            return add(batch)

        app.session.store.add = recording_add  # type: ignore[method-assign]
        app.post_message(LogsArrived(TailBatch(entries, polled_at=FIXED_NOW), "gap", 0))
        await pilot.press("down")  # a key in the middle changes nothing stored
        await settle(app, pilot)
        assert sizes == [ADD_SLICE, ADD_SLICE, 500]
        assert len(app.session.store) == before + len(entries)
        assert app.session.status.failed == failed_before + len(entries) // 10
        assert app.session.status.loaded == len(app.session.store)
