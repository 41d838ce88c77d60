"""A.3 detail and A.5 per-step trace, including the legacy type quirks."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.demo.conftest import LIST, list_all
from tests.demo.test_list import assert_envelope
from tui.demo import DemoServer

TRACE = "/api/v3.1/internal/action_execution/log/"
TRACE_V3 = "/api/v3/internal/action_execution/log/"


def test_detail_adds_timings_context_source_data(frozen_client: httpx.Client) -> None:
    for log in list_all(frozen_client)[:40]:
        detail = frozen_client.get(f"{LIST}/{log['id']}").json()
        assert {k: detail[k] for k in log} == log
        assert set(detail) - set(log) == {"timings", "context", "source", "data"}
        timings = detail["timings"]
        assert timings["end_time"] - timings["start_time"] == log["metrics"]["duration_ms"]
        assert {"trace_id", "request_id"} <= detail["context"].keys()
        assert detail["context"].get("session_id") == log["metadata"].get("session_id")
        assert detail["source"]["host"] in ("sdk", "mcp", "api")
        response = detail["data"]["response"]
        assert set(response) == {"successful", "error", "data"}
        assert isinstance(detail["data"]["input"], dict)
        assert response["successful"] is (log["status"] == "success")
        meta = log["metadata"]
        assert "version" in meta or "version" in meta.get("tool", {})


def test_detail_404_and_percent_decoding(server: DemoServer, client: httpx.Client) -> None:
    for path in (LIST, TRACE.rstrip("/"), TRACE_V3.rstrip("/")):
        assert_envelope(client.get(f"{path}/log_doesNotExist"), 404, "log_doesNotExist")
    odd = server.add_log(id="log_a/b c?d%")
    for path in (LIST + "/", TRACE, TRACE_V3):
        response = client.get(path + quote(odd["id"], safe=""))
        assert response.status_code == 200, response.text


def by_failure(
    server: DemoServer, client: httpx.Client, failure: str, **extra: Any
) -> dict[str, Any]:
    item = server.add_log(failure=failure, **extra)
    trace = client.get(TRACE + item["id"]).json()
    detail = client.get(f"{LIST}/{item['id']}").json()
    assert item["status"] == "failed" and trace["status"] == "error"
    assert detail["data"]["response"]["error"] == trace["response"]["error"]
    return {"item": item, "trace": trace, "detail": detail}


def test_trace_quirks_on_success(frozen_client: httpx.Client) -> None:
    ok = list_all(
        frozen_client,
        {
            "filters": [
                {"field": "tool_slug", "operator": "==", "value": "GMAIL_SEND_EMAIL"},
                {"field": "status", "operator": "==", "value": "success"},
            ]
        },
    )[0]
    trace = frozen_client.get(TRACE + ok["id"]).json()
    assert frozen_client.get(TRACE_V3 + ok["id"]).json() == trace
    assert trace["actionLogId"] == ok["id"] and trace["actionId"] == "GMAIL_SEND_EMAIL"
    assert trace["status"] == "success" and trace["error"] == {}
    assert isinstance(trace["totalDuration"], str) and trace["totalDuration"].isdigit()
    assert int(trace["totalDuration"]) == trace["endTime"] - trace["startTime"]
    assert [s["type"] for s in trace["steps"]] == ["fetch_connection_details", "tool_execution"]
    for step in trace["steps"]:
        assert isinstance(step["totalDuration"], int) and step["status"] == "success"
    network = trace["steps"][1]["logs"]
    assert 1 <= len(network) <= 3
    for entry in network:
        assert entry["type"] == "network"
        assert isinstance(entry["response"]["time"], str) and entry["response"]["time"].endswith(
            "ms"
        )
        assert entry["request"]["url"].startswith("https://gmail.googleapis.com/")
        assert entry["request"]["headers"]["Authorization"].startswith("Bearer ya29.")
    assert trace["connection"]["id"] == ok["metadata"]["connected_account_id"]
    assert set(trace) >= {
        "app",
        "version",
        "session",
        "executionMetadata",
        "payloadReceived",
        "response",
    }


@pytest.mark.parametrize(
    ("failure", "status"), [("unauthorized", 401), ("forbidden", 403), ("invalid_input", 422)]
)
def test_upstream_failures_show_in_the_network_log(
    server: DemoServer, client: httpx.Client, failure: str, status: int
) -> None:
    got = by_failure(server, client, failure, tool_slug="GITHUB_CREATE_AN_ISSUE")
    fetch, run = got["trace"]["steps"]
    assert fetch["status"] == "success" and run["status"] == "failure"
    assert run["logs"][-1]["response"]["status"] == status
    assert str(status) in got["item"]["message"]
    assert got["detail"]["data"]["response"]["data"]  # the upstream error body
    assert all(
        e["request"]["headers"]["Authorization"].startswith("Bearer gho_") for e in run["logs"]
    )


def test_invalid_input_carries_the_bad_value(server: DemoServer, client: httpx.Client) -> None:
    got = by_failure(server, client, "invalid_input", tool_slug="GMAIL_SEND_EMAIL")
    assert got["detail"]["data"]["input"]["recipient_email"] == "alice.example.com"
    assert "recipient_email" in got["item"]["message"]


def test_tool_not_found_has_no_network_log(server: DemoServer, client: httpx.Client) -> None:
    got = by_failure(
        server, client, "tool_not_found", tool_slug="GMAIL_SEND_EMAILS", toolkit_slug="gmail"
    )
    steps = got["trace"]["steps"]
    assert [s["type"] for s in steps] == ["fetch_connection_details", "tool_execution"]
    assert steps[1]["status"] == "error" and "logs" not in steps[1]
    assert got["item"]["message"] == "Tool GMAIL_SEND_EMAILS not found"


def test_no_connected_account_stops_before_the_tool(
    server: DemoServer, client: httpx.Client
) -> None:
    got = by_failure(server, client, "no_account", tool_slug="SLACK_SEND_MESSAGE")
    steps = got["trace"]["steps"]
    assert [s["type"] for s in steps] == ["fetch_connection_details"]
    assert steps[0]["status"] == "failure"
    assert "connected_account_id" not in got["item"]["metadata"]
    assert got["item"]["message"].startswith("No connected account found")


def test_some_requests_carry_cookies_or_api_keys(frozen_client: httpx.Client) -> None:
    seen: set[str] = set()
    for toolkit in ("slack", "notion", "hubspot"):
        flt = [
            {"field": "toolkit_slug", "operator": "==", "value": toolkit},
            {"field": "status", "operator": "==", "value": "success"},
        ]
        for log in list_all(frozen_client, {"filters": flt})[:8]:
            trace = frozen_client.get(TRACE + log["id"]).json()
            for entry in trace["steps"][-1].get("logs", []):
                seen |= set(entry["request"]["headers"])
    assert {"Authorization", "Cookie", "X-Api-Key"} <= seen


def test_meta_tool_parent_lists_its_children(frozen_client: httpx.Client) -> None:
    children = [log for log in list_all(frozen_client) if log["parent"]]
    parent_id = children[0]["parent"]["log_id"]
    kids = [c["id"] for c in children if c["parent"]["log_id"] == parent_id]
    detail = frozen_client.get(f"{LIST}/{parent_id}").json()
    results = detail["data"]["response"]["data"]["results"]
    assert {r["log_id"] for r in results} == set(kids)
    assert [c["tool_slug"] for c in detail["data"]["input"]["tools"]] == [
        r["tool_slug"] for r in results
    ]
    trace = frozen_client.get(TRACE + parent_id).json()
    assert [s["type"] for s in trace["steps"]] == ["tool_execution"]
    assert {e["type"] for e in trace["steps"][0]["logs"]} == {"system"}
    child = frozen_client.get(f"{LIST}/{kids[0]}").json()
    assert child["context"]["trace_id"] == detail["context"]["trace_id"]
