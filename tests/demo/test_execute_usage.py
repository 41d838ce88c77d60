"""A.7 tool execute and A.4 usage."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from tests.clock import NOW
from tests.demo.conftest import LIST, list_all
from tests.demo.test_list import assert_envelope
from tui.constants import BASE_TOOL_VERSION
from tui.demo import DemoServer

EXECUTE = "/api/v3.1/tools/execute/"
SUMMARY = "/api/v3.1/project/usage/summary"
USAGE = "/api/v3.1/project/usage/"


def test_execute_records_a_visible_log(server: DemoServer, client: httpx.Client) -> None:
    user = client.post(LIST, json={"limit": 1}).json()["logs"][0]["metadata"]["user_id"]
    before = server.log_count
    arguments = {"recipient_email": "alice@acme.io", "subject": "Re-run ✓", "body": "again"}
    response = client.post(
        EXECUTE + "GMAIL_SEND_EMAIL", json={"arguments": arguments, "user_id": user}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert set(result) >= {"data", "error", "successful", "log_id"}
    assert server.log_count == before + 1
    newest = client.post(LIST, json={"limit": 1}).json()["logs"][0]
    assert newest["id"] == result["log_id"]
    detail = client.get(f"{LIST}/{result['log_id']}").json()
    assert detail["data"]["input"] == arguments
    assert detail["metadata"]["tool_slug"] == "GMAIL_SEND_EMAIL"
    assert detail["metadata"]["user_id"] == user
    assert detail["metadata"]["version"] == BASE_TOOL_VERSION  # omitted version = base
    assert detail["data"]["response"]["successful"] is result["successful"]
    assert detail["source"]["host"] == "api"
    flt = [{"field": "log_id", "operator": "==", "value": result["log_id"]}]
    assert len(list_all(client, {"filters": flt})) == 1


def test_execute_with_explicit_account_and_version(client: httpx.Client) -> None:
    body = {
        "arguments": {"owner": "acme", "repo": "web-app"},
        "connected_account_id": "ca_mine",
        "user_id": "someone-new",
        "version": "20251002_01",
    }
    result = client.post(EXECUTE + "GITHUB_GET_A_REPOSITORY", json=body).json()
    meta = client.get(f"{LIST}/{result['log_id']}").json()["metadata"]
    assert (meta["connected_account_id"], meta["version"]) == ("ca_mine", "20251002_01")


def test_execute_without_account_fails_like_the_real_thing(client: httpx.Client) -> None:
    result = client.post(EXECUTE + "SLACK_SEND_MESSAGE", json={"user_id": "stranger"}).json()
    assert result["successful"] is False
    assert "No connected account" in result["error"]


def test_execute_unknown_tool_is_404(client: httpx.Client, server: DemoServer) -> None:
    before = server.log_count
    assert_envelope(client.post(EXECUTE + "GMAIL_SEND_EMAILS", json={}), 404, "GMAIL_SEND_EMAILS")
    assert server.log_count == before


@pytest.mark.parametrize(
    "body",
    [{"arguments": [1]}, {"arguments": {}, "text": "send it"}, {"user_id": 5}, [1]],
)
def test_execute_bad_body_is_400(client: httpx.Client, body: object) -> None:
    assert_envelope(client.post(EXECUTE + "GMAIL_SEND_EMAIL", json=body), 400)


def test_usage_summary(frozen_client: httpx.Client) -> None:
    logs = list_all(frozen_client)
    summary = frozen_client.post(SUMMARY, json={}).json()
    calls = summary["entities"]["tool_calls"]
    assert calls == {"unit": "count", "total_quantity": str(len(logs)), "event_count": len(logs)}
    sessions = {log["metadata"]["session_id"] for log in logs if "session_id" in log["metadata"]}
    assert summary["entities"]["sessions"]["event_count"] == len(sessions)
    assert isinstance(summary["instant_charge"], str) and float(summary["instant_charge"]) > 0

    user = logs[0]["metadata"]["user_id"]
    mine = [log for log in logs if log["metadata"]["user_id"] == user]
    body = {"entity_types": ["tool_calls"], "filters": {"user_id": [user]}}
    only = frozen_client.post(SUMMARY, json=body).json()["entities"]
    assert list(only) == ["tool_calls"] and only["tool_calls"]["event_count"] == len(mine)

    window = {"from": int(NOW * 1000) - 60_000, "to": int(NOW * 1000)}
    recent = frozen_client.post(SUMMARY, json=window).json()["entities"]["tool_calls"]
    assert 0 < recent["event_count"] < len(logs)


def toolkit_of(log: dict[str, object]) -> str:
    meta = log["metadata"]
    assert isinstance(meta, dict)
    return str(meta.get("toolkit_slug") or meta["toolkit"]["slug"])


def test_usage_breakdown_by_toolkit(frozen_client: httpx.Client) -> None:
    logs = list_all(frozen_client)
    expected = Counter(toolkit_of(log) for log in logs)
    body = {"group_by": "toolkit_slug", "limit": 3}
    result = frozen_client.post(USAGE + "tool_calls", json=body).json()
    assert result["entity_type"] == "tool_calls" and result["total_quantity"] == str(len(logs))
    assert [(g["key"], g["event_count"]) for g in result["groups"]] == expected.most_common(3)
    assert all(g["total_quantity"] == str(g["event_count"]) for g in result["groups"])

    ascending = frozen_client.post(
        USAGE + "tool_calls",
        json={"group_by": "toolkit_slug", "order_by": "key", "order_direction": "asc"},
    ).json()
    assert [g["key"] for g in ascending["groups"]] == sorted(expected)


def test_usage_breakdown_defaults_and_sessions(frozen_client: httpx.Client) -> None:
    by_tool = frozen_client.post(USAGE + "tool_calls").json()
    assert len(by_tool["groups"]) > 10 and by_tool["groups"][0]["key"].isupper()
    sessions = frozen_client.post(USAGE + "sessions", json={}).json()
    assert sessions["entity_type"] == "sessions"
    assert sum(g["event_count"] for g in sessions["groups"]) == sessions["event_count"]
    assert all(g["key"] for g in sessions["groups"])


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (USAGE + "tool_calls", {"group_by": "colour"}),
        (USAGE + "sessions", {"group_by": "tool_slug"}),
        (USAGE + "tool_calls", {"limit": 1001}),
        (USAGE + "tool_calls", {"order_by": "size"}),
        (USAGE + "tool_calls", {"order_direction": "up"}),
        (USAGE + "widgets", {}),
        (SUMMARY, {"entity_types": ["widgets"]}),
        (SUMMARY, {"from": 0, "to": 400 * 24 * 3600 * 1000}),
        (SUMMARY, {"filters": {"user_id": "x", "session_id": [1]}}),
    ],
)
def test_usage_bad_requests_are_400(frozen_client: httpx.Client, path: str, body: object) -> None:
    assert_envelope(frozen_client.post(path, json=body), 400)
