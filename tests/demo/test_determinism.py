"""Same seed and clock readings give the same bytes; injected strings survive untouched."""

from __future__ import annotations

import json

import httpx

from tests.clock import NOW_MS, FakeClock
from tests.demo.conftest import LIST, client_for, list_all
from tui.demo import DemoServer

HOSTILE = {
    "message": "[/bold] [@click=app.quit]quit[/] \x1b]52;c;ZXZpbA==\x07 \x1b[2J \u202e evil\x00",
    "tool_slug": "[@click=app.quit]",
    "toolkit_slug": "[red]kit[/red]",
    "user_id": "\x1b]52;c;ZXZpbA==\x07",
    "session_id": "trs_\r\nInjected: header",
    "connected_account_id": "ca_\t[b]",
}


def snapshot(server: DemoServer, clock: FakeClock) -> list[bytes]:
    out = []
    with client_for(server) as client:
        out.append(client.post(LIST, json={"limit": 100}).content)
        clock.now += 30  # live traffic at rate 3/s, generated lazily on the next request
        page = client.post(LIST, json={"limit": 100})
        out.append(page.content)
        for log in page.json()["logs"][:10]:
            out.append(client.get(f"{LIST}/{log['id']}").content)
            out.append(client.get(f"/api/v3.1/internal/action_execution/log/{log['id']}").content)
        out.append(client.post("/api/v3.1/project/usage/tool_calls", json={}).content)
    return out


def test_same_seed_and_clock_give_identical_responses() -> None:
    clocks = [FakeClock(), FakeClock()]
    with DemoServer(seed=3, clock=clocks[0]) as one, DemoServer(seed=3, clock=clocks[1]) as two:
        first, second = snapshot(one, clocks[0]), snapshot(two, clocks[1])
        assert one.log_count == two.log_count > 300
    assert first == second
    with DemoServer(seed=4, clock=FakeClock()) as other:
        assert snapshot(other, FakeClock())[0] != first[0]


def test_advance_frequency_does_not_change_the_logs() -> None:
    clocks = [FakeClock(), FakeClock()]
    with (
        DemoServer(seed=5, rate=20, clock=clocks[0]) as one,
        DemoServer(seed=5, rate=20, clock=clocks[1]) as two,
    ):
        for _ in range(20):
            clocks[0].now += 1.5
            one.advance()
        clocks[1].now += 30
        with client_for(one) as a, client_for(two) as b:
            assert list_all(a) == list_all(b)


def test_rate_zero_is_frozen_and_rate_adds_live_logs() -> None:
    clock = FakeClock()
    with DemoServer(rate=0, prefill=40, clock=clock) as frozen:
        clock.now += 600
        assert frozen.log_count == 40
    clock = FakeClock()
    with DemoServer(rate=10, prefill=0, clock=clock) as live:
        assert live.log_count == 0
        clock.now += 60
        assert 450 < live.log_count < 750  # ~10 logs/s, Poisson-jittered


def test_prefill_spans_the_last_fifteen_minutes(frozen_client: httpx.Client) -> None:
    starts = [
        frozen_client.get(f"{LIST}/{log['id']}").json()["timings"]["start_time"]
        for log in list_all(frozen_client)[::25]
    ]
    assert all(NOW_MS - 15 * 60_000 - 60_000 <= s <= NOW_MS for s in starts)
    assert max(starts) - min(starts) > 10 * 60_000


def test_hostile_strings_round_trip_exactly(server: DemoServer, client: httpx.Client) -> None:
    item = server.add_log(**HOSTILE)
    served = client.post(LIST, json={"limit": 1}).json()["logs"][0]
    assert served == item
    assert served["message"] == HOSTILE["message"]
    meta = served["metadata"]
    for key in ("tool_slug", "toolkit_slug", "user_id", "session_id", "connected_account_id"):
        assert meta[key] == HOSTILE[key]
    detail = client.get(f"{LIST}/{item['id']}").json()
    assert detail["context"]["session_id"] == HOSTILE["session_id"]
    for field in ("tool_slug", "user_id", "session_id"):
        flt = [{"field": field, "operator": "==", "value": HOSTILE[field]}]
        assert [log["id"] for log in list_all(client, {"filters": flt})] == [item["id"]]
    trace = client.get(f"/api/v3.1/internal/action_execution/log/{item['id']}")
    assert trace.status_code == 200 and trace.json()["actionId"] == HOSTILE["tool_slug"]


def test_add_log_overrides(server: DemoServer, client: httpx.Client) -> None:
    parent = server.add_log(tool_slug="COMPOSIO_MULTI_EXECUTE_TOOL")
    link = {"log_id": parent["id"], "tool_slug": "COMPOSIO_MULTI_EXECUTE_TOOL"}
    item = server.add_log(
        status="failed",
        level="warn",
        duration_ms=12345,
        timestamp_ms=1_000,
        parent=link,
        nested=True,
        tool_slug="GITHUB_CREATE_AN_ISSUE",
        message=None,
        instant_charge="0.010",
    )
    assert item["status"] == "failed" and item["level"] == "warn"
    assert item["metrics"] == {"duration_ms": 12345} and item["parent"] == link
    assert item["timestamp"] == "1970-01-01T00:00:01.000Z" and "message" not in item
    assert item["metadata"]["tool"]["slug"] == "GITHUB_CREATE_AN_ISSUE"
    assert item["metadata"]["toolkit"]["slug"] == "github"
    assert item["metadata"]["instant_charge"] == "0.010"
    assert list_all(client)[-1] == item  # the oldest log of all
    flt = [
        {"field": "toolkit_slug", "operator": "==", "value": "github"},
        {"field": "tool_slug", "operator": "==", "value": "GITHUB_CREATE_AN_ISSUE"},
    ]
    assert item["id"] in [log["id"] for log in list_all(client, {"filters": flt})]
    json.dumps(client.get(f"{LIST}/{item['id']}").json())


def test_add_log_rejects_unknown_fields(server: DemoServer) -> None:
    import pytest

    with pytest.raises(TypeError):
        server.add_log(colour="red")
    with pytest.raises(ValueError):
        server.add_log(duration_ms=-1)
    with pytest.raises(ValueError):
        server.add_log(id=server.add_log()["id"])
