"""Issue 16, the stats strip: calls and failures per minute under the title, the last
five minutes' error rate and p95 against their baseline; it follows the applied query
and `t` hides and shows it."""

from __future__ import annotations

from tests.clock import FIXED_NOW_MS
from tests.tui.pilot import screen_showing, settle
from tui.stats.engine import MINUTE_MS, bucket_start
from tui.stats.percentiles import nearest_rank
from tui.stats.trend import STRIP_MINUTES
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar
from tui.ui.widgets.stats_strip import StatsStrip


def loaded(app):
    return app.session.store.rows(0, len(app.session.store))


def per_minute(rows, *, failed_only: bool = False) -> list[int]:
    """Brute force: the rows in each of the strip's minutes, the current one last."""
    last = bucket_start(FIXED_NOW_MS)
    counts = [0] * STRIP_MINUTES
    for row in rows:
        at = (last - bucket_start(row.timestamp_ms)) // MINUTE_MS
        if 0 <= at < STRIP_MINUTES and (row.failed or not failed_only):
            counts[STRIP_MINUTES - 1 - at] += 1
    return counts


async def test_the_strip_counts_what_is_loaded_per_minute(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rows = loaded(app)
        assert rows
        strip = app.query_one(StatsStrip)
        assert strip.calls == per_minute(rows)
        assert strip.failures == per_minute(rows, failed_only=True)
        recent_from = bucket_start(FIXED_NOW_MS) - 4 * MINUTE_MS
        recent = [row for row in rows if row.timestamp_ms >= recent_from]
        rate = sum(row.failed for row in recent) / len(recent)
        durations = sorted(row.duration_ms for row in recent if row.duration_ms is not None)
        assert strip.trend.recent.count == len(recent)
        assert strip.trend.p95_ms == nearest_rank(durations, 95)
        await screen_showing(app, pilot, f"{rate * 100:.1f}%")


async def test_the_strip_follows_the_applied_query(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        app.query_one(QueryBar).input.value = ""
        await pilot.press(*"failed", "enter")
        await settle(app, pilot)
        rows = loaded(app)
        assert rows and all(row.failed for row in rows)
        strip = app.query_one(StatsStrip)
        assert strip.calls == per_minute(rows) == strip.failures
        assert strip.trend.recent.error_rate == 1.0


async def test_t_hides_the_strip_and_gives_its_line_to_the_table(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        strip, table = app.query_one(StatsStrip), app.query_one(LogTable)
        assert strip.display and strip.outer_size.height == 1
        rows_with_strip = table.size.height
        assert rows_with_strip >= 10  # the 80x24 layout keeps its table
        await pilot.press("t")
        await pilot.pause()
        assert not strip.display and table.size.height == rows_with_strip + 1
        await pilot.press("t")
        await pilot.pause()
        assert strip.display and table.size.height == rows_with_strip
