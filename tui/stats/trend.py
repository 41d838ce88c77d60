"""`Trend`: what the stats strip shows, read from a `StatsEngine` at one moment.

Calls and failures per minute over the last ``minutes`` (the current minute last), and
the error rate and p95 duration of the last ``recent`` minutes, each judged against its
own baseline: the minutes before those, up to the start of the strip. A level is
``unknown`` without recent calls, ``usual`` without a baseline of at least
``MIN_BASELINE_CALLS`` calls (nothing to compare with is not an alarm), else ``usual``,
``higher`` or ``alarming`` by how far the recent value is above the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from tui.stats.engine import MINUTE_MS, StatsEngine, WindowStats, bucket_start

Level = Literal["unknown", "usual", "higher", "alarming"]

STRIP_MINUTES: Final = 30
RECENT_MINUTES: Final = 5
MIN_BASELINE_CALLS: Final = 10
# An error rate this many points above its baseline is higher / alarming.
RATE_HIGHER: Final = 0.03
RATE_ALARMING: Final = 0.10
# A p95 this many times its baseline is higher / alarming.
P95_HIGHER: Final = 1.3
P95_ALARMING: Final = 2.0


@dataclass(frozen=True)
class Trend:
    calls: list[int]  # per minute, oldest first
    failures: list[int]
    recent: WindowStats
    baseline: WindowStats

    @property
    def p95_ms(self) -> int | None:
        return self.recent.percentile(95)

    @property
    def error_rate_level(self) -> Level:
        if not self.recent.count:
            return "unknown"
        if self.baseline.count < MIN_BASELINE_CALLS:
            return "usual"
        return _level(self.recent.error_rate - self.baseline.error_rate, RATE_HIGHER, RATE_ALARMING)

    @property
    def p95_level(self) -> Level:
        recent, usual = self.p95_ms, self.baseline.percentile(95)
        if recent is None:
            return "unknown"
        if self.baseline.count < MIN_BASELINE_CALLS or not usual:
            return "usual"
        return _level(recent / usual, P95_HIGHER, P95_ALARMING)


def _level(value: float, higher: float, alarming: float) -> Level:
    return "alarming" if value >= alarming else "higher" if value >= higher else "usual"


def trend(
    engine: StatsEngine, now_ms: int, minutes: int = STRIP_MINUTES, recent: int = RECENT_MINUTES
) -> Trend:
    """The strip at ``now_ms``: O(minutes) buckets read, whatever is loaded."""
    last = bucket_start(now_ms)
    first = last - (minutes - 1) * MINUTE_MS
    buckets = engine.histogram(first, last)
    recent_from = last - (recent - 1) * MINUTE_MS
    return Trend(
        calls=[bucket.total for bucket in buckets],
        failures=[bucket.failed for bucket in buckets],
        recent=engine.window(recent_from, last),
        baseline=engine.window(first, recent_from - MINUTE_MS),
    )
