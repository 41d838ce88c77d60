"""`DemoServer`: the Composio stand-in on a loopback socket, served from a daemon thread."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tui.demo.api import Api, Reply, match
from tui.demo.auth import RateWindow, authenticate, redacted
from tui.demo.errors import ApiError, bad_request
from tui.demo.fault_policy import PlannedFaults
from tui.demo.faults import FaultPlan, FaultResponse, Faults, RequestInfo
from tui.demo.serving import LoopbackServer
from tui.demo.traffic import Traffic

RECORDED = 200


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # credential values replaced by "<redacted>"
    body: Any  # the parsed JSON body, or None when empty or unparseable


class DemoServer(LoopbackServer):
    """A Composio-compatible HTTP server with seeded, live tool-execution traffic."""

    def __init__(
        self,
        *,
        seed: int = 7,
        rate: float = 3.0,
        prefill: int = 300,
        api_key: str | None = None,
        clock: Callable[[], float] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultPlan | None = None,
    ) -> None:
        self.api_key = api_key if api_key is not None else "demo_" + secrets.token_urlsafe(16)
        # The fault seam, consulted on every request: set_fault_plan installs a seeded
        # policy here, and a test may replace it with its own.
        self.faults = Faults()
        self._fault_plan: FaultPlan | None = None
        self._fault_counts: Counter[str] = Counter()
        self._clock = clock or time.time
        self._address = (host, port)
        self._lock = threading.RLock()
        self._traffic = Traffic(seed, rate, prefill)
        self._api = Api(self._traffic, self._now_ms, lambda: self.faults)
        self._requests: deque[RecordedRequest] = deque(maxlen=RECORDED)
        self._seen = 0
        self._rate = RateWindow()
        if faults is not None:
            self.set_fault_plan(faults)

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _begin(self) -> None:
        self._traffic.begin(self._now_ms())

    # Test and demo hooks

    def add_log(self, **overrides: Any) -> dict[str, Any]:
        """Inject one log "now" with the given fields; returns its list item as served.
        The fault plan's log faults (a huge detail, say) apply as to any other log."""
        json.dumps(overrides)  # reject what could never be served, here rather than later
        with self._lock:
            index = self._traffic.inject(self._now_ms(), overrides)
            return self._api.renderer.item(index)

    def advance(self) -> None:
        with self._lock:
            self._traffic.advance(self._now_ms())

    def set_fault_plan(self, plan: FaultPlan | None) -> None:
        """Inject the faults of `plan` from now on; None (or an empty plan) stops them.

        Log faults (hostile, huge, late) apply to logs generated from now on; logs a
        previous plan made late become visible at once.
        """
        with self._lock:
            self._fault_plan = plan
            if plan is None:
                self.faults = Faults()
                self._traffic.shaper = None
                self._traffic.set_bursts(0, 0)
                return
            policy = PlannedFaults(plan, self._fault_counts, set_at_ms=self._now_ms())
            self.faults = policy
            self._traffic.shaper = policy.shape_log if plan.shapes_logs else None
            self._traffic.set_bursts(plan.burst_logs, round(plan.burst_every_s * 1000))

    @property
    def fault_plan(self) -> FaultPlan | None:
        with self._lock:
            return self._fault_plan

    @property
    def fault_counts(self) -> dict[str, int]:
        """Faults injected so far by kind: requests as answered (5xx, 429, slow, truncate,
        wrong-types), logs as generated (hostile, huge, late) and bursts as they landed."""
        with self._lock:
            counts = dict(self._fault_counts)
            if self._traffic.bursts_emitted:
                counts["burst"] = self._traffic.bursts_emitted
            return counts

    @property
    def log_count(self) -> int:
        with self._lock:
            return self._api.visible_count()

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    # Request handling (called from the handler threads)

    def rate_headers(self) -> dict[str, str]:
        with self._lock:
            return self._rate.hit(self._clock())

    def respond(
        self, method: str, target: str, headers: dict[str, list[str]], raw: bytes
    ) -> tuple[Reply, FaultResponse | None]:
        body: Any = None
        body_error: ApiError | None = None
        if raw.strip():
            try:
                body = json.loads(raw)
            except (ValueError, RecursionError) as error:
                body_error = bad_request(
                    f"The request body is not valid JSON: {error}",
                    "Send a JSON object with Content-Type: application/json.",
                )
        path = urlsplit(target).path
        with self._lock:
            self._seen += 1
            self._requests.append(
                RecordedRequest(
                    method, target, redacted(headers), body if body_error is None else None
                )
            )
            limits = self.rate_headers()
            fault: FaultResponse | None = None
            try:
                route, params = match(method, path)
                authenticate(headers, self.api_key)
                has_cursor = isinstance(body, dict) and body.get("cursor") is not None
                seen = RequestInfo(
                    method, path, route.name, self._seen, has_cursor, self.api_key or ""
                )
                fault = self.faults.intercept(seen)
                if fault is not None and fault.error is not None:
                    raise fault.error
                if fault is not None and fault.status is not None:
                    reply = Reply(fault.status, None)
                elif body_error is not None:
                    raise body_error
                else:
                    reply = self._api.handle(route, params, body)
            except ApiError as error:
                reply = Reply(error.status, error, dict(error.headers))
            except Exception:  # the thread must survive any input
                reply = Reply(500, ApiError(500, "Internal server error"))
            if fault is not None:
                fault = self._settle(fault, reply)
        # A fault's own rate-limit headers (X-RateLimit-Remaining: 0 on a 429) win.
        reply.headers = {**limits, **reply.headers}
        return reply, fault

    def _settle(self, fault: FaultResponse, reply: Reply) -> FaultResponse | None:
        """What of `fault` applies to `reply`: damage its body, count it; None if spared."""
        if fault.ok_only and reply.status != 200:
            return None
        if fault.damage is not None and fault.status is None and reply.status == 200:
            reply.body = fault.damage(reply.body)
        self._fault_counts[fault.kind or "custom"] += 1
        return fault
