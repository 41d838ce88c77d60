"""Issue 16, the stats screen: S (and the palette) opens it for the loaded logs of the
applied query; a histogram stacked by status with zoom; tables by toolkit, tool, user,
auth config and account, sortable by any column; Enter applies a row's filter."""

from __future__ import annotations

from collections import Counter

from textual.widgets import DataTable

from tests.tui.pilot import screen_showing, settle
from tui import fmt
from tui.demo import FaultPlan
from tui.ui.screens.stats import COLUMNS, StatsScreen
from tui.ui.widgets.histogram import Histogram


def loaded(app):
    return app.session.store.rows(0, len(app.session.store))


def table_column(screen: StatsScreen, n: int) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(row)[n]) for row in range(table.row_count)]


async def open_stats(app, pilot) -> StatsScreen:
    await settle(app, pilot)
    await pilot.press("S")
    await pilot.pause()
    assert isinstance(app.screen, StatsScreen)
    return app.screen


async def test_s_counts_every_loaded_log_per_toolkit_and_says_what_it_counts(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stats(app, pilot)
        rows = loaded(app)
        first = fmt.clock_time(min(r.timestamp_ms for r in rows), app.settings.tz)[:5]
        last = fmt.clock_time(max(r.timestamp_ms for r in rows), app.settings.tz)[:5]
        await screen_showing(app, pilot, f"from {len(rows)} loaded logs between {first} and {last}")
        by_toolkit = Counter(row.toolkit for row in rows)
        names, calls = table_column(screen, 0), table_column(screen, 1)
        assert dict(zip(names, map(int, calls), strict=True)) == dict(by_toolkit)
        assert calls == sorted(calls, key=int, reverse=True)
        histogram = screen.query_one(Histogram)
        assert sum(bucket.total for bucket in histogram.buckets) == len(rows)
        failed = sum(bucket.counts["failed"] for bucket in histogram.buckets)
        assert failed == sum(row.failed for row in rows)


async def test_any_column_sorts_and_i_reverses(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stats(app, pilot)
        await pilot.press("s")  # failed
        await pilot.pause()
        assert COLUMNS[screen.sort_column][0] == "failed"
        failed = [int(n) for n in table_column(screen, 2)]
        assert failed == sorted(failed, reverse=True)
        await pilot.press("i")
        await pilot.pause()
        assert [int(n) for n in table_column(screen, 2)] == sorted(failed)
        await pilot.click(DataTable, offset=(2, 0))  # the name column's header
        await pilot.pause()
        assert table_column(screen, 0) == sorted(table_column(screen, 0))


async def test_enter_on_a_tool_applies_its_filter_to_the_log_table(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stats(app, pilot)
        await pilot.press("2")  # by tool
        await pilot.pause()
        tool = table_column(screen, 0)[0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, StatsScreen)
        assert app.session.query_text == f"tool:{tool}"
        assert loaded(app) and {row.tool for row in loaded(app)} == {tool}


async def test_plus_and_minus_zoom_the_buckets(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stats(app, pilot)
        start = screen.bucket_minutes()
        await pilot.press("minus")
        await pilot.pause()
        wider = screen.bucket_minutes()
        assert wider > start
        buckets = screen.query_one(Histogram).buckets
        assert sum(bucket.total for bucket in buckets) == len(loaded(app))
        assert all(bucket.start_ms % (wider * 60_000) == 0 for bucket in buckets)
        await pilot.press("plus")
        await pilot.pause()
        assert screen.bucket_minutes() == start
        await screen_showing(app, pilot, f"calls per {start}m")


async def test_the_palette_opens_it_and_escape_closes_it(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"stats")
        await screen_showing(app, pilot, "histogram and tables")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, StatsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, StatsScreen)


async def test_the_usage_apis_count_for_the_same_range_stands_beside_ours(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_stats(app, pilot)
        await settle(app, pilot)
        rows = loaded(app)
        first, last = min(r.timestamp_ms for r in rows), max(r.timestamp_ms for r in rows)
        bodies = [r.body for r in demo_server.requests if r.path.endswith("/usage/summary")]
        assert bodies == [{"from": first, "to": last + 1, "entity_types": ["tool_calls"]}]
        # The loaded logs are the newest page: the server holds no other log in their range.
        await screen_showing(app, pilot, f"The Usage API counts {len(rows)} tool calls")
        assert screen.usage is not None


async def test_a_failing_usage_api_is_said_and_the_stats_stay(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        demo_server.set_fault_plan(FaultPlan(error_rate=1.0))  # every request: 5xx
        screen = await open_stats(app, pilot)
        await settle(app, pilot)
        assert screen.usage is not None and screen.usage.startswith("The Usage API did not answer")
        assert screen.query_one(DataTable).row_count > 0
