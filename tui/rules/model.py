"""An alert rule as parsed, and the events rules give.

A rule watches the logs its query selects over a trailing window and compares one
value with a threshold: the count of logs (``count``), the share that failed
(``error_rate``, a fraction) or a duration percentile (``p50``, ``p95``, ``p99``, in ms).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from tui.query import LogQuery

COUNT: Final = "count"
ERROR_RATE: Final = "error_rate"
PERCENTILE_METRICS: Final = {"p50": 50, "p95": 95, "p99": 99}
METRICS: Final = (COUNT, ERROR_RATE, *PERCENTILE_METRICS)

COMPARISONS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
}
# Comparisons that hold for an empty window: they wait until a whole window was watched.
LOW_SIDE: Final = frozenset({"<", "<=", "=="})

DEFAULT_ANY_WINDOW_MS: Final = 60_000  # `QUERY` alone: any matching log in the last minute
DEFAULT_MIN_CALLS: Final = 10  # rate and percentile rules without `min N`
DEFAULT_COOLDOWN_MS: Final = 60_000

FIRING: Final = "firing"
RESOLVED: Final = "resolved"
BLIND: Final = "blind"
SOURCE_RULE: Final = "source"  # the rule name of blind alerts: the source itself
MAX_EVENT_IDS: Final = 20


@dataclass(frozen=True)
class Rule:
    name: str
    text: str  # the rule as written (`when`)
    query: LogQuery
    metric: str = COUNT
    comparison: str = ">="
    threshold: float = 1  # a count, a fraction (error_rate) or ms (percentiles)
    window_ms: int = DEFAULT_ANY_WINDOW_MS
    min_calls: int = 0  # rate and percentile rules hold only over at least this many
    cooldown_ms: int = DEFAULT_COOLDOWN_MS

    def compare(self, value: float) -> bool:
        return COMPARISONS[self.comparison](value, self.threshold)

    @property
    def low_side(self) -> bool:
        return self.comparison in LOW_SIDE


@dataclass(frozen=True)
class AlertEvent:
    """A rule began firing, resolved, or the source went blind (see `to_json`)."""

    event: str  # FIRING, RESOLVED or BLIND
    rule: str
    value: float | None
    threshold: float
    window_s: float
    at_ms: int
    log_ids: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self, iso: Callable[[int], str]) -> dict[str, Any]:
        """The JSON line `toolwatch watch` prints; ``iso`` writes the time."""
        return {
            "event": self.event,
            "rule": self.rule,
            "value": round(self.value, 4) if isinstance(self.value, float) else self.value,
            "threshold": self.threshold,
            "window_s": self.window_s,
            "at": iso(self.at_ms),
            "log_ids": list(self.log_ids),
            **self.detail,
        }
