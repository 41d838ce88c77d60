"""A.5 per-step execution log, with the legacy endpoint's quirks kept on purpose.

Top-level `totalDuration` is a string while `steps[].totalDuration` is a number, step
statuses say "failure" (not "failed"), and `response.time` is a string such as "280ms".
The request headers carry fake credentials in the clear, as the real endpoint may.
"""

from __future__ import annotations

import re
from random import Random
from typing import Any

from tui.demo import catalog
from tui.demo.failures import UPSTREAM_STATUS, Failure, Outcome
from tui.demo.ids import HEX, stream, token, uuid4
from tui.demo.render import Renderer
from tui.demo.store import Row

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_USER_AGENT = "composio-tools/0.9.7 (+https://composio.dev)"
_LINEAR_QUERY = "mutation Run($input: JSON!) { run(input: $input) { success } }"


def build_trace(renderer: Renderer, index: int) -> dict[str, Any]:
    row = renderer.store.row(index)
    rng = stream(renderer.seed, index, "trace")
    outcome = Outcome(row.outcome)
    failure = renderer.failure(row)
    args = renderer.arguments(row)
    toolkit = row.dims["toolkit_slug"]
    start, end = row.timestamp_ms, row.timestamp_ms + row.duration_ms
    steps: list[dict[str, Any]] = []
    clock = start + min(2, row.duration_ms)
    if toolkit != catalog.META_TOOLKIT:
        took = max(1, min(rng.randint(12, 60), row.duration_ms // 3))
        ok = outcome is not Outcome.NO_ACCOUNT
        account = row.dims["connected_account_id"]
        message = f"Fetched connection details for {account}" if ok else _error(failure)
        steps.append(_step("fetch_connection_details", clock, took, "success" if ok else "failure"))
        steps[-1]["message"] = message
        steps[-1]["metadata"] = {"encryption": "aes-256-gcm"}
        clock += took + 1
    if outcome is not Outcome.NO_ACCOUNT:
        took = max(1, end - 1 - clock)
        status = {Outcome.OK: "success", Outcome.TOOL_NOT_FOUND: "error"}.get(outcome, "failure")
        step = _step("tool_execution", clock, took, status)
        step["message"] = f"Executed {row.dims['tool_slug']}" if failure is None else failure.error
        if row.dims["tool_slug"] == catalog.META_TOOL:
            step["logs"] = _dispatch_logs(renderer, row, rng)
        elif outcome is not Outcome.TOOL_NOT_FOUND:
            step["logs"] = _network_logs(renderer, row, args, clock, took, rng)
        steps.append(step)
    host, framework, language, _ = catalog.SOURCES[row.source]
    execution = {"source": host, "framework": framework, "language": language}
    execution = {k: v for k, v in execution.items() if v}
    execution["traceId"] = renderer.trace_id(row)
    session: dict[str, Any] = {}
    if row.dims["session_id"]:
        session["id"] = row.dims["session_id"]
    if row.dims["sandbox_id"]:
        session["sandboxId"] = row.dims["sandbox_id"]
    error: dict[str, Any] = {}
    if failure is not None:
        error = {"message": failure.error, "status": failure.upstream_status or 400}
    return {
        "actionLogId": row.log_id,
        "actionId": row.dims["tool_slug"],
        "status": "success" if failure is None else "error",
        "app": {
            "name": toolkit,
            "uniqueId": toolkit,
            "icon": f"https://logos.composio.dev/api/{toolkit}",
        },
        "version": row.version,
        "connection": {"id": row.dims["connected_account_id"], "entity": row.dims["user_id"]},
        "session": session,
        "executionMetadata": execution,
        "steps": steps,
        "payloadReceived": args,
        "startTime": start,
        "endTime": end,
        "totalDuration": str(row.duration_ms),
        "response": renderer.response(row),
        "error": error,
    }


def _error(failure: Failure | None) -> str:
    return failure.error if failure is not None else ""


def _step(kind: str, at: int, took: int, status: str) -> dict[str, Any]:
    return {
        "type": kind,
        "startTime": at,
        "endTime": at + took,
        "totalDuration": took,
        "status": status,
        "message": "",
    }


def _network_logs(
    renderer: Renderer, row: Row, args: dict[str, Any], at: int, took: int, rng: Random
) -> list[dict[str, Any]]:
    spec = renderer.spec(row)
    outcome = Outcome(row.outcome)
    calls = list(spec.calls)
    if outcome is Outcome.UNAUTHORIZED:
        calls = calls[:1]  # the first request is refused; nothing after it runs
    toolkit = row.dims["toolkit_slug"]
    secrets = renderer.world.secrets(row.dims["connected_account_id"], toolkit)
    shares = [rng.uniform(0.5, 1.5) for _ in calls]
    logs = []
    clock = at + 1
    for n, (call, share) in enumerate(zip(calls, shares, strict=True)):
        spent = max(1, int((took - 2) * share / sum(shares)))
        last = n == len(calls) - 1
        status = UPSTREAM_STATUS.get(outcome, 200) if last else 200
        if status == 200 and call.method == "POST" and toolkit in ("github", "hubspot"):
            status = 201
        request: dict[str, Any] = {
            "method": call.method,
            "url": _fill(call.url, args, rng),
            "headers": _headers(toolkit, call, secrets),
            "params": args if call.body == "params" else {},
            "timeout": 60,
        }
        if call.body == "json":
            body = {"query": _LINEAR_QUERY, "variables": args} if toolkit == "linear" else args
            request["json"] = body
        logs.append(
            {
                "type": "network",
                "level": "info" if status < 400 else "error",
                "message": f"{call.method} {request['url']} -> {status}",
                "requestId": uuid4(rng),
                "time": clock,
                "request": request,
                "response": {"status": status, "time": f"{max(1, spent - 3)}ms"},
            }
        )
        clock += spent
    return logs


def _dispatch_logs(renderer: Renderer, row: Row, rng: Random) -> list[dict[str, Any]]:
    logs = []
    for child in renderer.store.children(row.index):
        child_row = renderer.store.row(child)
        slug = child_row.dims["tool_slug"]
        failure = renderer.failure(child_row)
        status = 200 if failure is None else (failure.upstream_status or 400)
        logs.append(
            {
                "type": "system",
                "level": "info" if failure is None else "error",
                "message": f"Dispatched {slug} as {child_row.log_id}",
                "requestId": uuid4(rng),
                "time": child_row.timestamp_ms,
                "request": {
                    "method": "POST",
                    "url": f"https://backend.composio.dev/api/v3.1/tools/execute/{slug}",
                },
                "response": {"status": status, "time": f"{child_row.duration_ms}ms"},
            }
        )
    return logs


def _fill(template: str, args: dict[str, Any], rng: Random) -> str:
    def value(match: re.Match[str]) -> str:
        found = args.get(match.group(1))
        if isinstance(found, str | int) and not isinstance(found, bool) and found != "":
            return str(found)
        return token(rng, 16, HEX)

    return _PLACEHOLDER.sub(value, template)


def _headers(toolkit: str, call: catalog.Call, secrets: dict[str, str]) -> dict[str, str]:
    headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
    if toolkit == "github":
        headers["Accept"] = "application/vnd.github+json"
        headers["X-GitHub-Api-Version"] = "2022-11-28"
    elif toolkit == "notion":
        headers["Notion-Version"] = "2022-06-28"
    if call.body == "json":
        headers["Content-Type"] = "application/json"
    headers.update(secrets)
    return headers
