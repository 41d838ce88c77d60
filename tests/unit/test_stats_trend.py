"""The stats strip's numbers (tui.stats.trend): minutes, the recent window, its levels."""

from __future__ import annotations

from tui.models.entry import LogEntry
from tui.stats import MINUTE_MS, StatsEngine
from tui.stats.trend import trend

NOW = 100 * MINUTE_MS + 30_000


def log(n: int, minutes_ago: int, *, failed: bool = False, ms: int = 100) -> LogEntry:
    status = "failed" if failed else "success"
    ts = NOW - minutes_ago * MINUTE_MS
    return LogEntry(id=f"log_{n}", timestamp_ms=ts, status=status, duration_ms=ms)  # type: ignore[arg-type]


def engine_of(logs: list[LogEntry]) -> StatsEngine:
    engine = StatsEngine()
    engine.add(logs)
    return engine


def test_minutes_run_oldest_first_and_the_recent_window_is_the_last_five():
    logs = [log(1, 0), log(2, 4, failed=True), log(3, 5), log(4, 29), log(5, 30)]
    shown = trend(engine_of(logs), NOW)
    assert len(shown.calls) == 30 and shown.calls[-1] == 1 and shown.calls[0] == 1
    assert sum(shown.calls) == 4 and shown.failures[-5] == 1
    assert shown.recent.count == 2 and shown.baseline.count == 2


def test_levels_against_the_baseline():
    usual = [log(n, 10 + n % 15, failed=n % 10 == 0, ms=100) for n in range(40)]
    calm = trend(engine_of([*usual, log(100, 1), log(101, 2)]), NOW)
    assert calm.error_rate_level == "usual" and calm.p95_level == "usual"
    bad = [log(200 + n, 1, failed=True, ms=1000) for n in range(5)]
    alarm = trend(engine_of([*usual, *bad]), NOW)
    assert alarm.error_rate_level == "alarming" and alarm.p95_level == "alarming"


def test_no_recent_calls_is_unknown_and_no_baseline_is_no_alarm():
    assert trend(engine_of([]), NOW).error_rate_level == "unknown"
    lonely = trend(engine_of([log(1, 1, failed=True, ms=9000)]), NOW)
    assert lonely.error_rate_level == "usual" and lonely.p95_level == "usual"
