"""CallDetail and diagnose() against the embedded demo server, over a real loopback socket.

The demo server writes its five failure kinds from seed 002's table (tui/demo/failures.py);
which kind a log is can be read from the tool's error it serves, independently of the
rules under test, so every failure the demo generates is checked against its diagnosis.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict
from typing import Any

import httpx
import pytest

from tests.clock import fixed_clock
from tests.unit.test_call_detail import display_strings
from tui.demo import DemoServer
from tui.demo.errors import not_found
from tui.demo.faults import FaultPlan, FaultResponse, Faults, RequestInfo
from tui.diagnose import (
    EXPIRED_TOKEN,
    INVALID_INPUT,
    MISSING_SCOPE,
    NO_CONNECTED_ACCOUNT,
    TOOL_NOT_FOUND,
    diagnose,
)
from tui.errors import NotFoundError
from tui.models.call import CallDetail
from tui.models.entry import LogEntry
from tui.query import Filter, LogQuery
from tui.redact import MASK
from tui.sanitize import has_unsafe
from tui.sources.base import fetch_call
from tui.sources.composio import ComposioClient

TRACE = "/api/v3.1/internal/action_execution/log/"
FAILURES = {
    "unauthorized": EXPIRED_TOKEN,
    "forbidden": MISSING_SCOPE,
    "invalid_input": INVALID_INPUT,
    "tool_not_found": TOOL_NOT_FOUND,
    "no_account": NO_CONNECTED_ACCOUNT,
}
# One tool per toolkit the demo serves, so every upstream error-body family is seen.
TOOLS = [
    "GMAIL_SEND_EMAIL",
    "GITHUB_CREATE_AN_ISSUE",
    "SLACK_SEND_MESSAGE",
    "NOTION_QUERY_DATABASE",
    "GOOGLECALENDAR_CREATE_EVENT",
    "LINEAR_CREATE_LINEAR_ISSUE",
    "HUBSPOT_CREATE_CONTACT",
]


def demo_kind(call: CallDetail) -> str:
    """The failure kind the demo wrote, from the tool's error it serves (failures.describe)."""
    error = call.detail_json["data"]["response"]["error"]
    if error.startswith("401 Unauthorized: "):
        return EXPIRED_TOKEN
    if error.startswith("403 Forbidden: "):
        return MISSING_SCOPE
    if error.startswith("422 Unprocessable Entity: "):
        return INVALID_INPUT
    if error.startswith("Tool ") and " not found: " in error:
        return TOOL_NOT_FOUND
    if error.startswith("No connected account found "):
        return NO_CONNECTED_ACCOUNT
    raise AssertionError(f"not a failure the demo writes: {error!r}")


@pytest.fixture(scope="module")
def population() -> Iterator[DemoServer]:
    """600 logs, never changed: about 60 failures of every kind."""
    with DemoServer(seed=3, rate=0, prefill=600, clock=fixed_clock) as server:
        yield server


@pytest.fixture
def fresh() -> Iterator[DemoServer]:
    """A server a test may change (add_log, its faults)."""
    with DemoServer(seed=11, rate=0, prefill=20, clock=fixed_clock) as server:
        yield server


def client_for(server: DemoServer) -> ComposioClient:
    return ComposioClient(api_key=server.api_key, base_url=server.url)


@pytest.fixture
async def client(population: DemoServer) -> AsyncIterator[ComposioClient]:
    async with client_for(population) as c:
        yield c


async def listed(client: ComposioClient, *filters: Filter) -> list[LogEntry]:
    entries: list[LogEntry] = []
    cursor = None
    while True:
        page = await client.list_logs(LogQuery(filters), limit=100, cursor=cursor)
        entries += page.entries
        cursor = page.next_cursor
        if cursor is None:
            return entries


def raw_trace(server: DemoServer, log_id: str) -> dict[str, Any]:
    headers = {"x-api-key": server.api_key}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        response = http.get(TRACE + log_id)
        assert response.status_code == 200, response.text
        trace: dict[str, Any] = response.json()
        return trace


# -- every failure the demo generates ------------------------------------------------------------


async def test_every_listed_failure_gets_the_right_diagnosis(client: ComposioClient) -> None:
    failures = await listed(client, Filter("status", "==", "failed"))
    seen: Counter[str] = Counter()
    for entry in failures:
        call = await fetch_call(client, entry.id)
        kind = demo_kind(call)
        found = diagnose(call)
        assert found is not None, (entry.id, call.error)
        assert found.pattern == kind, (entry.id, call.error, found)
        assert found.evidence and all(len(line) <= 160 for line in found.evidence)
        seen[kind] += 1
    assert set(seen) == set(FAILURES.values()), seen


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("failure", list(FAILURES))
async def test_every_failure_kind_for_every_toolkit(
    fresh: DemoServer, failure: str, tool: str
) -> None:
    item = fresh.add_log(failure=failure, tool_slug=tool)
    async with client_for(fresh) as client:
        call = await fetch_call(client, item["id"])
    found = diagnose(call)
    assert found is not None and found.pattern == FAILURES[failure], (call.error, found)
    assert call.trace_note is None
    if failure in ("unauthorized", "forbidden", "invalid_input"):
        status = {"unauthorized": 401, "forbidden": 403, "invalid_input": 422}[failure]
        assert found.evidence[0].endswith(f"answered {status}")
        assert found.evidence[0].split()[1].startswith("https://")
    elif failure == "no_account":
        assert found.evidence[0] == "step fetch_connection_details: failure"
        assert call.connected_account_id == ""
    else:
        assert found.evidence[-1] == "step tool_execution made no upstream request"


# -- successes ----------------------------------------------------------------------------------


async def test_a_success_has_steps_with_requests_and_no_diagnosis(client: ComposioClient) -> None:
    flt = (Filter("status", "==", "success"), Filter("toolkit_slug", "==", "github"))
    entry = (await listed(client, *flt))[0]
    call = await fetch_call(client, entry.id)
    assert diagnose(call) is None
    assert (call.failed, call.error, call.trace_note) == (False, "", None)
    assert (call.tool, call.toolkit) == (entry.tool, "github")
    assert call.user_id == entry.user_id and call.version
    assert call.started_ms == entry.timestamp_ms and call.duration_ms == entry.duration_ms
    assert [step.kind for step in call.steps] == ["fetch_connection_details", "tool_execution"]
    assert all(step.status == "success" for step in call.steps)
    requests = call.steps[1].requests
    assert requests
    for request in requests:
        assert request.method in ("GET", "POST") and request.url.startswith(
            "https://api.github.com/"
        )
        assert request.status in (200, 201) and request.at_ms is not None
        assert request.duration_ms is not None and request.duration_ms > 0
        assert request.headers["Authorization"].startswith(f"Bearer {MASK}")
    assert call.arguments == call.detail_json["data"]["input"]
    assert call.response["successful"] is True
    span = call.span_ms
    assert span is not None and span[0] <= call.started_ms and span[1] >= call.ended_ms


async def test_the_meta_tools_dispatches_are_notes(client: ComposioClient) -> None:
    entry = (await listed(client, Filter("tool_slug", "==", "COMPOSIO_MULTI_EXECUTE_TOOL")))[0]
    call = await fetch_call(client, entry.id)
    (run,) = call.steps
    assert run.kind == "tool_execution" and run.requests == ()
    assert run.notes and all(note.startswith("Dispatched ") for note in run.notes)
    assert diagnose(call) is None


# -- a missing per-step log --------------------------------------------------------------------


class NoTraces(Faults):
    """The per-step log endpoint answers 404 for every log; the rest is untouched."""

    def intercept(self, request: RequestInfo) -> FaultResponse | None:
        if request.route == "trace":
            return FaultResponse(error=not_found("No execution log for this id"))
        return None


async def test_a_trace_404_degrades_and_the_diagnosis_still_holds(fresh: DemoServer) -> None:
    items = [fresh.add_log(failure=name, tool_slug="GMAIL_SEND_EMAIL") for name in FAILURES]
    fresh.faults = NoTraces()
    async with client_for(fresh) as client:
        for item, pattern in zip(items, FAILURES.values(), strict=True):
            call = await fetch_call(client, item["id"])
            assert call.trace_note == (
                "No per-step log for this call (the server answered 404): "
                "showing what the detail holds."
            )
            assert call.steps == () and call.trace_json is None
            assert call.tool == "GMAIL_SEND_EMAIL" and call.started_ms is not None
            assert call.arguments == call.detail_json["data"]["input"]
            found = diagnose(call)  # from the words alone now
            assert found is not None and found.pattern == pattern
            assert not any(line.endswith("answered 401") for line in found.evidence)


async def test_an_unknown_id_raises_the_detail_error(fresh: DemoServer) -> None:
    async with client_for(fresh) as client:
        with pytest.raises(NotFoundError):
            await fetch_call(client, "log_doesNotExist")


# -- credentials -----------------------------------------------------------------------------


async def test_the_demo_credentials_come_back_masked(
    population: DemoServer, client: ComposioClient
) -> None:
    names: set[str] = set()
    for toolkit in ("slack", "notion", "hubspot", "gmail"):
        flt = (Filter("status", "==", "success"), Filter("toolkit_slug", "==", toolkit))
        for entry in (await listed(client, *flt))[:6]:
            raw = raw_trace(population, entry.id)
            secrets = {
                value
                for step in raw["steps"]
                for log in step.get("logs", [])
                for name, value in log.get("request", {}).get("headers", {}).items()
                if name in ("Authorization", "Cookie", "X-Api-Key")
            }
            call = await fetch_call(client, entry.id)
            everything = json.dumps(asdict(call), default=str, ensure_ascii=False)
            for secret in secrets:
                assert secret not in everything
                assert secret[4:-3] not in everything  # no long piece of it either
            for request in call.requests:
                for name in ("Authorization", "Cookie", "X-Api-Key"):
                    if name in request.headers:
                        assert MASK in request.headers[name]
                        names.add(name)
            for step in call.trace_json["steps"]:
                for log in step.get("logs", []):
                    headers = log["request"]["headers"]
                    assert headers["Authorization"].startswith(f"Bearer {MASK}")
    assert names == {"Authorization", "Cookie", "X-Api-Key"}


# -- hostile logs ---------------------------------------------------------------------------------


async def test_hostile_logs_are_safe_to_show() -> None:
    plan = FaultPlan(hostile_rate=1.0, seed=5)
    with DemoServer(seed=5, rate=0, prefill=40, clock=fixed_clock, faults=plan) as server:
        async with client_for(server) as client:
            entries = await listed(client)
            assert entries
            for entry in entries:
                call = await fetch_call(client, entry.id)
                found = diagnose(call)
                shown = display_strings(call)
                if found is not None:
                    shown += [found.title, found.advice, *found.evidence]
                for text in shown:
                    assert not has_unsafe(text), (entry.id, text)
    assert server.fault_counts.get("hostile", 0) > 0
