"""Fault injection: the seam the server consults, and `FaultPlan`, the configurable policy.

The server asks `Faults.intercept` before every API response and plays the `FaultResponse`
back (a replacement error, a delay, a damaged or truncated body); the list and detail
endpoints ask `visibility_delay_ms` how late each log becomes visible. The base class
injects nothing. `FaultPlan` describes a seeded mix of faults; `fault_policy.PlannedFaults`
carries it out and `fault_spec.parse_fault_spec` reads it from the command line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any

from tui.demo.errors import ApiError

MAX_HUGE_BYTES = 256 << 20
MAX_BURST_LOGS = 100_000
ENDLESS_MAX_BYTES = 8 << 30  # the server stops an endless body here all the same
INCIDENT_KINDS = ("", "fail", "slow")


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """What a fault policy may look at: enough to target one endpoint or one call."""

    method: str
    path: str
    route: str  # the matched route name, e.g. "logs.list"; "" when nothing matched
    number: int  # 1-based count of requests the server has seen, for "every Nth" policies
    has_cursor: bool = False  # a logs.list body that carries a cursor
    api_key: str = ""  # the key the request was authenticated with (a redirect leaks it)


@dataclass(frozen=True, slots=True)
class FaultResponse:
    """A response to send instead of (or as a damaged copy of) the real one.

    `status is None` keeps the real status and body, which lets a policy only delay,
    damage or truncate a genuine answer.
    """

    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    # Send the full Content-Length but only this many body bytes (always fewer than the
    # whole body), then drop the connection.
    truncate_at: int | None = None
    # Answer with this A.1 error instead of running the handler; unlike `status`/`body`
    # it gets the usual envelope, request id and headers.
    error: ApiError | None = None
    # Turns the genuine JSON body of a 200 into a damaged one (must not mutate its input).
    damage: Callable[[Any], Any] | None = None
    # Leave a genuine non-200 answer alone: the damage is meant for real data.
    ok_only: bool = False
    # Answer 200 with a JSON body that never ends (until the client hangs up or
    # ENDLESS_MAX_BYTES went out): a client must cap what it reads.
    endless: bool = False
    # The name this fault is counted under in `DemoServer.fault_counts`.
    kind: str = ""


class Faults:
    """No faults. Override the methods to inject them."""

    def intercept(self, request: RequestInfo) -> FaultResponse | None:
        """Called after routing and auth, before the handler runs."""
        return None

    @property
    def delays_visibility(self) -> bool:
        """True when `visibility_delay_ms` must be consulted (kept off the hot path otherwise)."""
        return False

    def visibility_delay_ms(self, index: int, timestamp_ms: int) -> int:
        """How long after its timestamp log number `index` starts appearing in lists."""
        return 0


@dataclass(frozen=True, slots=True)
class FaultPlan:
    """A seeded mix of faults; every default means "none of this kind".

    Request faults (`error_rate` to `secrets_rate`) are exclusive shares of API
    requests, so each is observed at its own rate and together they may not exceed 1.
    Log faults (`hostile_rate` to `late_rate`) are shares of the logs the traffic generates
    while the plan is set; logs added with `add_log` or the execute endpoint are spared.
    """

    error_rate: float = 0.0  # answered 500/502/503/504 with the A.1 envelope
    rate_limit_rate: float = 0.0  # answered 429; 3 in 4 carry Retry-After: 1..3
    slow_rate: float = 0.0  # the genuine answer, `slow_s` seconds late
    slow_s: float = 2.0
    truncate_rate: float = 0.0  # a genuine 200 whose body stops short
    wrong_types_rate: float = 0.0  # logs.list pages with some wrongly typed item fields
    stray4xx_rate: float = 0.0  # answered 400, a gateway's 404 page or a 418
    badcursor_rate: float = 0.0  # logs.list requests with a cursor answered 400 (refused)
    redirect_rate: float = 0.0  # answered 302 to another host, the key in the Location
    endless_rate: float = 0.0  # a 200 whose body never ends
    deep_rate: float = 0.0  # a 200 with JSON nested 10,000 deep in some logs
    bigint_rate: float = 0.0  # a 200 with 5,000-digit integers in some logs
    nonfinite_rate: float = 0.0  # a 200 with NaN, Infinity or 1e400 in some logs
    secrets_rate: float = 0.0  # a 200 with credentials planted in every shape
    hostile_rate: float = 0.0  # logs whose text holds markup, escapes, bidi, long strings
    huge_rate: float = 0.0  # logs whose detail is `huge_bytes` long
    huge_bytes: int = 5 << 20
    late_rate: float = 0.0  # logs listed only up to `late_max_s` after their timestamp
    late_max_s: float = 10.0
    burst_logs: int = 0  # extra logs arriving together every `burst_every_s` seconds
    burst_every_s: float = 5.0
    # An incident: from `incident_after_s` after the plan is set, for `incident_s`, every
    # generated log of `incident_target` (a toolkit or a tool slug) fails ("fail") or
    # takes 5 to 20 s ("slow").
    incident_kind: str = ""
    incident_target: str = ""
    incident_s: float = 60.0
    incident_after_s: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        for item in fields(self):
            if item.name.endswith("_rate"):
                value = getattr(self, item.name)
                if not _is_number(value) or not 0 <= value <= 1:
                    raise ValueError(f"{item.name}={value!r}: a share must be between 0 and 1")
        if self.request_share > 1 + 1e-9:
            raise ValueError(
                f"the request shares (error_rate to endless_rate) add up to"
                f" {self.request_share:g}: shares of requests must add up to at most 1"
            )
        if self.incident_kind not in INCIDENT_KINDS or (
            self.incident_kind and not self.incident_target
        ):
            raise ValueError(
                f"incident_kind={self.incident_kind!r}: must be one of "
                f"{', '.join(k for k in INCIDENT_KINDS if k)}, with a target"
            )
        if self.incident_kind and self.incident_s * 1000 < 1:
            raise ValueError(f"incident_s={self.incident_s!r}: must be at least 1 ms")
        for name in ("slow_s", "late_max_s", "burst_every_s", "incident_s", "incident_after_s"):
            value = getattr(self, name)
            if not _is_number(value) or value < 0:
                raise ValueError(f"{name}={value!r}: must be a number of seconds, 0 or more")
        if self.late_rate and self.late_max_s * 1000 < 1:
            raise ValueError(f"late_max_s={self.late_max_s!r}: must be at least 1 ms")
        if self.burst_logs and self.burst_every_s * 1000 < 1:
            raise ValueError(f"burst_every_s={self.burst_every_s!r}: must be at least 1 ms")
        _check_int("huge_bytes", self.huge_bytes, 0, MAX_HUGE_BYTES)
        _check_int("burst_logs", self.burst_logs, 0, MAX_BURST_LOGS)
        _check_int("seed", self.seed, -(2**63), 2**63 - 1)

    @property
    def request_share(self) -> float:
        return (
            self.error_rate
            + self.rate_limit_rate
            + self.slow_rate
            + self.truncate_rate
            + self.wrong_types_rate
            + self.stray4xx_rate
            + self.badcursor_rate
            + self.redirect_rate
            + self.endless_rate
            + self.deep_rate
            + self.bigint_rate
            + self.nonfinite_rate
            + self.secrets_rate
        )

    @property
    def shapes_logs(self) -> bool:
        return bool(self.hostile_rate or self.huge_rate or self.late_rate or self.incident_kind)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name}={value!r}: must be a whole number from {low} to {high}")
