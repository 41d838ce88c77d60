"""`PlannedFaults`: carries out a `FaultPlan`, one reproducible decision per request and log.

Every decision is drawn from `stream(plan.seed, ...)` keyed by the request number or the
log index, so the same seed gives the same faults whatever else happens in between.
"""

from __future__ import annotations

from collections import Counter
from random import Random
from typing import Any

from tui.demo import hostile
from tui.demo.errors import ApiError
from tui.demo.failures import Outcome
from tui.demo.faults import FaultPlan, FaultResponse, Faults, RequestInfo
from tui.demo.ids import stream
from tui.demo.planted import raw_damage, secrets_damage
from tui.demo.store import FLAG_HOSTILE, FLAG_NO_MESSAGE, Draft
from tui.demo.wrong_types import break_types

SERVER_ERRORS: dict[int, tuple[str, str]] = {
    500: ("Internal server error", "Retry the request; if it keeps failing, report it."),
    502: ("Bad gateway: the upstream service returned an invalid response", "Retry shortly."),
    503: ("Service temporarily unavailable", "Retry shortly."),
    504: ("Gateway timeout: the upstream service did not answer in time", "Retry shortly."),
}
RATE_LIMIT_MESSAGE = "Rate limit exceeded. Limit: 2000 requests per 1 minutes"
# A gateway or a stray service answering in the API's place.
STRAY_ANSWERS: dict[int, bytes] = {
    400: b'{"error": {"message": "Bad request", "code": 400}}',
    404: b"<html><body><h1>404 Not Found</h1><p>nginx</p></body></html>",
    418: b"I'm a teapot",
}
BAD_CURSOR_MESSAGE = "Invalid cursor: it has expired or was not issued by this server"
BAD_CURSOR_FIX = "Start again without a cursor."
REDIRECT_TARGET = "http://login.elsewhere.invalid"
NO_RETRY_AFTER_SHARE = 0.25  # real 429s do not always say when to come back
TRUNCATE_MAX_BYTES = 4096  # where cuts happen: inside the first items of a page


class PlannedFaults(Faults):
    def __init__(
        self, plan: FaultPlan, counts: Counter[str] | None = None, set_at_ms: int = 0
    ) -> None:
        self.plan = plan
        # The incident's stretch of log time, from when the plan was set.
        start = set_at_ms + round(plan.incident_after_s * 1000)
        self._incident_ms = (start, start + round(plan.incident_s * 1000))
        # Log faults are counted here as they are decided; the server counts request faults.
        self.counts: Counter[str] = Counter() if counts is None else counts
        self._late_ms: dict[int, int] = {}  # only late logs are kept: a small share

    # Request faults

    def intercept(self, request: RequestInfo) -> FaultResponse | None:
        plan = self.plan
        if not plan.request_share:
            return None
        rng = stream(plan.seed, "request", request.number)
        # One draw, cut into exclusive bands: each kind is seen at exactly its own share.
        draw = rng.random()
        if draw < plan.error_rate:
            return _server_error(rng)
        draw -= plan.error_rate
        if draw < plan.rate_limit_rate:
            return _rate_limited(rng)
        draw -= plan.rate_limit_rate
        if draw < plan.slow_rate:
            return FaultResponse(delay_s=plan.slow_s, kind="slow")
        draw -= plan.slow_rate
        if draw < plan.truncate_rate:
            cut = rng.randrange(TRUNCATE_MAX_BYTES)
            return FaultResponse(truncate_at=cut, ok_only=True, kind="truncate")
        draw -= plan.truncate_rate
        if draw < plan.wrong_types_rate:
            if request.route != "logs.list":
                return None
            seed, number = plan.seed, request.number

            def damage(body: Any) -> Any:
                return break_types(body, stream(seed, "wrong-types", number))

            return FaultResponse(damage=damage, ok_only=True, kind="wrong-types")
        draw -= plan.wrong_types_rate
        return _stray(plan, request, draw, rng)

    # Log faults

    def shape_log(self, index: int, draft: Draft) -> None:
        """Decide the log faults of generated log `index` and apply them to its draft."""
        plan = self.plan
        rng = stream(plan.seed, "log", index)
        # Always the same draws in the same order, so one rate never moves another's picks.
        hostile_draw, huge_draw, late_draw, late_share = (rng.random() for _ in range(4))
        if hostile_draw < plan.hostile_rate:
            # The renderer poisons message and bodies from the flag; user_id is a filterable
            # column, so it is stored (interned: the palette costs nothing per log).
            draft.flags = (draft.flags | FLAG_HOSTILE) & ~FLAG_NO_MESSAGE
            draft.dims["user_id"] = hostile.pick(rng)
            self.counts["hostile"] += 1
        if huge_draw < plan.huge_rate:
            draft.extras["huge_bytes"] = plan.huge_bytes
            self.counts["huge"] += 1
        if plan.incident_kind and self._in_incident(draft):
            _incident(plan.incident_kind, draft, stream(plan.seed, "incident", index))
            self.counts["incident"] += 1
        if late_draw < plan.late_rate:
            # Uniform in (0, late_max_s]: 1 - random() is in (0, 1].
            self._late_ms[index] = max(1, round((1 - late_share) * plan.late_max_s * 1000))
            self.counts["late"] += 1

    def _in_incident(self, draft: Draft) -> bool:
        target = self.plan.incident_target
        start, end = self._incident_ms
        hit = target in (draft.dims["toolkit_slug"], draft.dims["tool_slug"])
        return hit and start <= draft.timestamp_ms < end

    @property
    def delays_visibility(self) -> bool:
        return bool(self._late_ms)

    def visibility_delay_ms(self, index: int, timestamp_ms: int) -> int:
        return self._late_ms.get(index, 0)


# What an incident makes of the logs it hits: the upstream API refusing, or crawling.
INCIDENT_FAILURES = (Outcome.UNAUTHORIZED, Outcome.FORBIDDEN, Outcome.INVALID_INPUT)
INCIDENT_SLOW_MS = (5_000, 20_000)


def _incident(kind: str, draft: Draft, rng: Random) -> None:
    if kind == "slow":
        draft.duration_ms = rng.randint(*INCIDENT_SLOW_MS)
        return
    draft.outcome = int(rng.choice(INCIDENT_FAILURES))
    draft.dims["status"] = "failed"
    draft.charge = ""


def _stray(plan: FaultPlan, request: RequestInfo, draw: float, rng: Random) -> FaultResponse | None:
    """The odd answers a tail must ride out: stray 4xx, a refused cursor, a redirect
    to another host, a body without end (bands after the older kinds, so adding them
    moved none of the older picks)."""
    if draw < plan.stray4xx_rate:
        status = rng.choice(sorted(STRAY_ANSWERS))
        return FaultResponse(status=status, body=STRAY_ANSWERS[status], kind="stray4xx")
    draw -= plan.stray4xx_rate
    if draw < plan.badcursor_rate:
        if not request.has_cursor:
            return None
        error = ApiError(400, BAD_CURSOR_MESSAGE, BAD_CURSOR_FIX)
        return FaultResponse(error=error, kind="badcursor")
    draw -= plan.badcursor_rate
    if draw < plan.redirect_rate:
        location = f"{REDIRECT_TARGET}{request.path}?api_key={request.api_key}"
        return FaultResponse(status=302, headers={"Location": location}, kind="redirect")
    draw -= plan.redirect_rate
    if draw < plan.endless_rate:
        return FaultResponse(endless=True, ok_only=True, kind="endless")
    draw -= plan.endless_rate
    return _planted(plan, request, draw, rng)


# The routes whose 200s carry logs: where odd values and secrets are planted.
PLANTED_ROUTES = ("logs.list", "logs.get", "trace")


def _planted(
    plan: FaultPlan, request: RequestInfo, draw: float, rng: Random
) -> FaultResponse | None:
    """Odd values and planted secrets inside a genuine 200 (bands after the stray kinds)."""
    for kind, share in (
        ("deep", plan.deep_rate),
        ("bigint", plan.bigint_rate),
        ("nonfinite", plan.nonfinite_rate),
        ("secrets", plan.secrets_rate),
    ):
        if draw < share:
            if request.route not in PLANTED_ROUTES:
                return None
            damage = secrets_damage(rng) if kind == "secrets" else raw_damage(kind, rng)
            return FaultResponse(damage=damage, ok_only=True, kind=kind)
        draw -= share
    return None


def _server_error(rng: Random) -> FaultResponse:
    status = rng.choice(sorted(SERVER_ERRORS))
    message, fix = SERVER_ERRORS[status]
    return FaultResponse(error=ApiError(status, message, fix), kind="5xx")


def _rate_limited(rng: Random) -> FaultResponse:
    headers = {"X-RateLimit-Remaining": "0"}
    if rng.random() >= NO_RETRY_AFTER_SHARE:
        headers["Retry-After"] = str(rng.randint(1, 3))
    fix = "Wait for Retry-After seconds (or back off) before sending the next request."
    return FaultResponse(error=ApiError(429, RATE_LIMIT_MESSAGE, fix, headers=headers), kind="429")
