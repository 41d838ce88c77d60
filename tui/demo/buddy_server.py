"""`BuddyDemoServer`: a Buddy.works stand-in on a loopback socket (buddy-contract.md).

It serves A.2 (pipelines), A.3 (runs, paged, newest first, with the newer reference's
counters), A.4 (one run with its action executions), A.5 (details with ``log[]``, and
the paged ``…/logs?offset=&limit=``) and A.6 (``PATCH`` a run: ``RETRY``, ``CANCEL``,
``APPLY``), with a Bearer token, the ``{"errors": [{"message": …}]}`` envelope, the
``X-Rate-Limit-*`` headers on every answer and a 429 past ``rate_limit`` requests a
minute (A.1). ``api_disabled`` answers "API is disabled in this workspace"; ``scopes``
without ``EXECUTION_INFO`` answers a 403. The same fault plans as the Composio server
apply (``tui.demo.fault_policy``), their errors written in Buddy's envelope.

HTTP plumbing is ``tui.demo.httpd``'s; the world is ``tui.demo.buddy_world``'s.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tui.constants import (
    BUDDY_API_DISABLED_MESSAGE,
    BUDDY_RATE_LIMIT_HEADER,
    BUDDY_RATE_REMAINING_HEADER,
    BUDDY_RATE_RESET_HEADER,
)
from tui.demo import buddy_world as world
from tui.demo.api import Reply
from tui.demo.fault_policy import PlannedFaults
from tui.demo.faults import FaultPlan, FaultResponse, Faults, RequestInfo
from tui.demo.serving import LoopbackServer

ALL_SCOPES = ("WORKSPACE", "EXECUTION_INFO", "EXECUTION_RUN")
DEFAULT_RATE_LIMIT = 6000  # requests a minute; above it, 429 until the minute ends


class BuddyError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class BuddyDemoServer(LoopbackServer):
    """Seeded pipelines whose runs play out in real time. ``with`` it, or start/stop."""

    def __init__(
        self,
        *,
        seed: int = 7,
        rate: float = 0.1,
        prefill: int = 40,
        token: str | None = None,
        clock: Callable[[], float] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultPlan | None = None,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        scopes: tuple[str, ...] = ALL_SCOPES,
        api_disabled: bool = False,
        logs_endpoint: bool = True,
    ) -> None:
        self.token = token if token is not None else "buddy_demo_" + secrets.token_urlsafe(16)
        self.faults = Faults()
        self.fault_counts: Counter[str] = Counter()
        self._clock = clock or time.time
        self._address = (host, port)
        self._lock = threading.RLock()
        self.world = world.BuddyWorld(seed, rate, prefill)
        self.rate_limit = rate_limit
        self.scopes = scopes
        self.api_disabled = api_disabled
        self.logs_endpoint = logs_endpoint
        self.requests: list[str] = []  # "GET /path?query", the last 500
        self._window = -1
        self._used = 0
        self._seen = 0
        if faults is not None:
            self.faults = PlannedFaults(faults, self.fault_counts)

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)

    def _begin(self) -> None:
        self.world.begin(self._now_ms())

    # -- test hooks -----------------------------------------------------------------

    def start_run(self, pipeline: int) -> world.RunPlan:
        with self._lock:
            return self.world.start_run(pipeline, self._now_ms())

    def plant(
        self, plan: world.RunPlan, *, variables: Sequence[dict[str, Any]] = (), log_line: str = ""
    ) -> None:
        """Give ``plan``'s actions more passed variables, and a second log line of its own
        (tests plant secrets this way, to see them masked)."""
        with self._lock:
            plan.extra["variables"] = list(variables)
            plan.extra["log_line"] = log_line

    def approve_waiting(self) -> None:
        with self._lock:
            for plan in self.world.runs:
                if plan.extra.get("waits") and plan.approved_ms is None:
                    plan.approved_ms = self._now_ms()

    # -- answering (called from the handler threads) ----------------------------------

    def rate_headers(self) -> dict[str, str]:
        now = self._clock()
        window = int(now // 60)
        if window != self._window:
            self._window, self._used = window, 0
        self._used += 1
        return {
            BUDDY_RATE_LIMIT_HEADER: str(self.rate_limit),
            BUDDY_RATE_REMAINING_HEADER: str(max(0, self.rate_limit - self._used)),
            BUDDY_RATE_RESET_HEADER: str((window + 1) * 60),
        }

    def respond(
        self, method: str, target: str, headers: dict[str, list[str]], raw: bytes
    ) -> tuple[Reply, FaultResponse | None]:
        parts = urlsplit(target)
        with self._lock:
            self._seen += 1
            self.requests = [*self.requests[-499:], f"{method} {target}"]
            limits = self.rate_headers()
            fault: FaultResponse | None = None
            try:
                self._authenticate(headers)
                if self._used > self.rate_limit:
                    raise BuddyError(429, "Rate limit exceeded.", {"Retry-After": "1"})
                route = _route_name(parts.path)
                fault = self.faults.intercept(
                    RequestInfo(method, parts.path, route, self._seen, False, self.token)
                )
                if fault is not None and fault.error is not None:
                    error = fault.error
                    raise BuddyError(error.status, error.message, dict(error.headers))
                if fault is not None and fault.status is not None:
                    reply = Reply(fault.status, None)
                else:
                    self.world.advance(self._now_ms())
                    body = json.loads(raw) if raw.strip() else None
                    reply = Reply(
                        200, self._handle(method, parts.path, parse_qs(parts.query), body)
                    )
            except BuddyError as error:
                reply = Reply(error.status, _envelope(error.message), error.headers)
            except (ValueError, KeyError):
                reply = Reply(400, _envelope("Bad request"))
            except Exception:  # the thread must survive any input
                reply = Reply(500, _envelope("Internal server error"))
            if fault is not None:
                if fault.ok_only and reply.status != 200:
                    fault = None
                else:
                    self.fault_counts[fault.kind or "custom"] += 1
        reply.headers = {**limits, **reply.headers}
        return reply, fault

    def _authenticate(self, headers: dict[str, list[str]]) -> None:
        sent = (headers.get("authorization") or [""])[0]
        if not sent.startswith("Bearer ") or not sent[7:].strip():
            raise BuddyError(401, "Unauthorized: send Authorization: Bearer <token>")
        if not hmac.compare_digest(sent[7:].strip().encode(), self.token.encode()):
            raise BuddyError(401, "Invalid or expired token")
        if self.api_disabled:
            raise BuddyError(403, BUDDY_API_DISABLED_MESSAGE)
        if "EXECUTION_INFO" not in self.scopes:
            raise BuddyError(403, "cannot receive data")

    def _handle(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Any:
        segments = path.strip("/").split("/")
        if segments[:1] != ["workspaces"] or len(segments) < 5:
            raise BuddyError(404, "Not found")
        if segments[1] != world.WORKSPACE:
            raise BuddyError(404, f"Workspace {segments[1]} not found")
        if segments[2:4] != ["projects", world.PROJECT]:
            raise BuddyError(404, "Project not found")
        rest = segments[4:]
        now = self._now_ms()
        base = self.url
        if rest == ["pipelines"] and method == "GET":
            return self._pipelines(base, query)
        if len(rest) < 3 or rest[0] != "pipelines" or rest[2] != "executions":
            raise BuddyError(404, "Not found")
        pipeline = int(rest[1]) if rest[1].isdigit() else -1
        if pipeline not in world.STEPS:
            raise BuddyError(404, "Pipeline not found")
        if len(rest) == 3 and method == "GET":
            return self._runs(base, pipeline, query, now)
        plan = self.world.find(pipeline, int(rest[3])) if rest[3].isdigit() else None
        if plan is None or plan.start_ms > now:
            raise BuddyError(404, "Execution not found")
        if len(rest) == 4 and method == "GET":
            return world.full_run(base, plan, now)
        if len(rest) == 4 and method == "PATCH":
            return self._operate(base, plan, body, now)
        if len(rest) in (6, 7) and rest[4] == "action_executions" and method == "GET":
            states = world.action_states(plan, now)
            state = next((s for s in states if s["plan"].hex_id == rest[5]), None)
            if state is None:
                raise BuddyError(404, "Action execution not found")
            view = world.action_view(base, plan, state, with_log=True)
            if len(rest) == 6:
                return view
            if rest[6] == "logs" and self.logs_endpoint:
                return _log_page(view, query)
        raise BuddyError(404, "Not found")

    def _pipelines(self, base: str, query: dict[str, list[str]]) -> dict[str, Any]:
        page, per_page = _paging(query, 30)
        items = [
            {"url": f"{base}/pipelines/{pid}", "id": pid, "name": name, "ref_name": ref}
            for pid, name, ref in world.PIPELINES
        ]
        return {"pipelines": items[(page - 1) * per_page : page * per_page]}

    def _runs(self, base: str, pipeline: int, query: dict[str, list[str]], now: int) -> Any:
        page, per_page = _paging(query, 20)
        runs = self.world.of_pipeline(pipeline, now)
        chosen = runs[(page - 1) * per_page : page * per_page]
        return {
            "page": page,
            "page_size": per_page,
            "total_page_count": max(1, -(-len(runs) // per_page)),
            "element_count": len(chosen),
            "total_element_count": len(runs),
            "executions": [world.short_run(base, plan, now) for plan in chosen],
        }

    def _operate(self, base: str, plan: world.RunPlan, body: Any, now: int) -> Any:
        operation = body.get("operation") if isinstance(body, dict) else None
        status = world.run_status(world.action_states(plan, now))
        if operation == "APPLY":
            plan.approved_ms = now
        elif operation == "RETRY":
            if status not in ("FAILED", "TERMINATED"):
                raise BuddyError(400, "Only a failed or terminated execution can be retried")
            plan = self.world.start_run(plan.pipeline, now)
        elif operation != "CANCEL":
            raise BuddyError(400, "operation must be one of RETRY, CANCEL, APPLY, APPLY_VARIABLES")
        return world.full_run(base, plan, now)


def _envelope(message: str) -> dict[str, Any]:
    """A.1: ``{"errors": [{"message": …}]}``."""
    return {"errors": [{"message": message}]}


def _route_name(path: str) -> str:
    tail = path.rstrip("/").rsplit("/", 2)
    return "buddy." + (tail[-1] if not tail[-1].isdigit() else tail[-2])


def _paging(query: dict[str, list[str]], default: int) -> tuple[int, int]:
    page = int((query.get("page") or ["1"])[0])
    per_page = int((query.get("per_page") or [str(default)])[0])
    if page < 1 or not 1 <= per_page <= 100:
        raise BuddyError(400, "page must be 1 or more and per_page between 1 and 100")
    return page, per_page


def _log_page(view: dict[str, Any], query: dict[str, list[str]]) -> dict[str, Any]:
    """A.5's paged log: ``offset`` 0-based, ``limit`` default 100, at most 1000."""
    lines = view["log"]
    offset = int((query.get("offset") or ["0"])[0])
    limit = int((query.get("limit") or ["100"])[0])
    if offset < 0 or not 1 <= limit <= 1000:
        raise BuddyError(400, "offset must be 0 or more and limit between 1 and 1000")
    chosen = lines[offset : offset + limit]
    return {
        "url": view["url"] + "/logs",
        "offset": offset,
        "element_count": len(chosen),
        "total_element_count": len(lines),
        "logs": chosen,
    }
