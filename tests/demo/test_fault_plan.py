"""FaultPlan: each fault kind seen on a real socket at its rate, reproducibly, and its spec."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.clock import NOW, FakeClock
from tests.demo.conftest import LIST, client_for, list_all
from tests.demo.test_determinism import snapshot
from tui.demo import FAULT_SPEC_HELP, DemoServer, FaultPlan, main, parse_fault_spec
from tui.demo.fault_policy import PlannedFaults
from tui.demo.hostile import HOSTILE_STRINGS, LONG
from tui.demo.traffic import Traffic

USAGE = "/api/v3.1/project/usage/summary"
TRACE = "/api/v3.1/internal/action_execution/log/"
EXECUTE = "/api/v3.1/tools/execute/GMAIL_SEND_EMAIL"
MIB = 1 << 20


def faulty(plan: str, **kwargs: Any) -> DemoServer:
    settings: dict[str, Any] = {"seed": 11, "rate": 0, "prefill": 60, "clock": FakeClock()}
    return DemoServer(**{**settings, **kwargs}, faults=parse_fault_spec(plan))


@pytest.fixture
def reference() -> Iterator[httpx.Client]:
    """The same traffic as `faulty`'s default, without faults."""
    with (
        DemoServer(seed=11, rate=0, prefill=60, clock=FakeClock()) as server,
        client_for(server) as client,
    ):
        yield client


def valid_item(item: dict[str, Any]) -> bool:
    """The A.2 list-item types."""
    return (
        isinstance(item.get("id"), str)
        and isinstance(item.get("timestamp"), str)
        and isinstance(item.get("type"), str)
        and item.get("status") in ("success", "failed")
        and isinstance(item.get("level"), str)
        and isinstance(item.get("message", ""), str)
        and isinstance(item.get("metadata"), dict)
        and isinstance(item.get("metrics"), dict)
        and (item.get("parent") is None or isinstance(item.get("parent"), dict))
    )


def outcome(client: httpx.Client, method: str, path: str, **kwargs: Any) -> str:
    """What one request got, as a short label."""
    try:
        response = client.request(method, path, **kwargs)
    except httpx.RemoteProtocolError:
        return "truncated"
    if response.status_code != 200:
        return str(response.status_code)
    if path == LIST and not all(valid_item(item) for item in response.json()["logs"]):
        return "wrong-types"
    return "ok"


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)


def is_hostile(text: str) -> bool:
    return any(bad in text for bad in HOSTILE_STRINGS)


# Request faults


def test_request_faults_at_their_rates() -> None:
    plan = "5xx=0.15,429=0.1,truncate=0.1,wrong-types=0.1,seed=5"
    with faulty(plan) as server, client_for(server) as client:
        seen = Counter(outcome(client, "POST", LIST, json={"limit": 20}) for _ in range(400))
        counts = server.fault_counts
    five_xx = sum(n for label, n in seen.items() if label.startswith("5"))
    assert 40 <= five_xx <= 80
    assert 25 <= seen["429"] <= 55
    assert 25 <= seen["truncated"] <= 55
    assert 25 <= seen["wrong-types"] <= 55
    assert 180 <= seen["ok"] <= 260
    assert counts == {
        "5xx": five_xx,
        "429": seen["429"],
        "truncate": seen["truncated"],
        "wrong-types": seen["wrong-types"],
    }


def test_server_errors_are_a_mix_of_5xx_in_the_envelope() -> None:
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", LIST, {"json": {}}),
        ("GET", f"{LIST}/log_whatever", {}),
        ("GET", TRACE + "log_whatever", {}),
        ("POST", USAGE, {"json": {}}),
        ("POST", EXECUTE, {"json": {"arguments": {}}}),
    ]
    statuses: Counter[int] = Counter()
    with faulty("5xx=1") as server, client_for(server) as client:
        for n in range(60):
            method, path, kwargs = calls[n % len(calls)]
            response = client.request(method, path, **kwargs)
            statuses[response.status_code] += 1
            error = response.json()["error"]
            assert error["status"] == response.status_code
            assert error["request_id"] == response.headers["X-Request-Id"]
            assert error["message"] and error["slug"].startswith("HTTP_")
            assert isinstance(error["code"], int)
            assert "X-RateLimit" in response.headers
        assert server.fault_counts == {"5xx": 60}
    assert set(statuses) == {500, 502, 503, 504}


def test_rate_limits_mostly_say_when_to_retry() -> None:
    retry_after: Counter[str | None] = Counter()
    with faulty("429=1,seed=2") as server, client_for(server) as client:
        for _ in range(80):
            response = client.post(LIST, json={})
            assert response.status_code == 429
            assert response.json()["error"]["status"] == 429
            assert response.headers["X-RateLimit-Remaining"] == "0"
            retry_after[response.headers.get("Retry-After")] += 1
    assert set(retry_after) == {"1", "2", "3", None}
    assert 10 <= retry_after[None] <= 30  # about 1 in 4 without Retry-After


def test_auth_failures_and_unknown_paths_are_never_faulted() -> None:
    with faulty("5xx=1") as server:
        assert httpx.post(server.url + LIST).status_code == 401
        assert httpx.post(server.url + LIST, headers={"x-api-key": "nope"}).status_code == 401
        with client_for(server) as client:
            assert client.get("/api/v3.1/nothing").status_code == 404
            assert client.post(LIST).status_code >= 500
        assert server.fault_counts == {"5xx": 1}


def test_slow_answers_are_genuine_and_late() -> None:
    delay = 0.15
    with faulty(f"slow=0.25:{delay}s,seed=1") as server, client_for(server) as client:
        elapsed = []
        for _ in range(40):
            started = time.perf_counter()
            response = client.post(LIST, json={"limit": 5})
            elapsed.append(time.perf_counter() - started)
            assert response.status_code == 200 and len(response.json()["logs"]) == 5
        slow = server.fault_counts["slow"]
    assert 4 <= slow <= 18
    # Every injected delay shows; a genuine answer is rarely that slow, even on a busy box.
    assert slow <= sum(1 for e in elapsed if e >= delay) <= slow + 2


def test_truncated_bodies_stop_short_of_their_content_length() -> None:
    with faulty("truncate=1") as server, client_for(server) as client:
        for method, path in (("POST", LIST), ("GET", f"{LIST}/{server.add_log()['id']}")):
            received = b""
            with client.stream(method, path) as response:
                assert response.status_code == 200
                promised = int(response.headers["Content-Length"])
                with pytest.raises(httpx.RemoteProtocolError):
                    for chunk in response.iter_raw():
                        received += chunk
            assert len(received) < promised
        # Only genuine 200s are cut: an error answer arrives whole.
        missing = client.get(f"{LIST}/log_missing")
        assert missing.status_code == 404 and missing.json()["error"]["status"] == 404
        assert server.fault_counts == {"truncate": 2}


def test_wrong_types_break_only_some_items(reference: httpx.Client) -> None:
    expected = reference.post(LIST, json={"limit": 30}).json()["logs"]
    with faulty("wrong-types=1") as server, client_for(server) as client:
        for _ in range(10):
            logs = client.post(LIST, json={"limit": 30}).json()["logs"]
            broken = [n for n, item in enumerate(logs) if not valid_item(item)]
            assert 1 <= len(broken) <= 10
            # The rest are exactly the genuine items.
            assert all(logs[n] == expected[n] for n in range(30) if n not in broken)
        # Only lists are damaged; a detail stays valid.
        assert valid_item(client.get(f"{LIST}/{expected[0]['id']}").json())
        empty = client.post(LIST, json={"time_range": {"from": 0, "to": 1}})
        assert empty.json() == {"logs": [], "next_cursor": None}
        assert server.fault_counts == {"wrong-types": 11}  # the lists, not the detail


def test_same_seed_same_decisions() -> None:
    def run(plan: str) -> list[tuple[str, str | None]]:
        with faulty(plan) as server, client_for(server) as client:
            results = []
            for n in range(120):
                path = LIST if n % 3 else USAGE
                try:
                    response = client.post(path, json={"limit": 10})
                except httpx.RemoteProtocolError:
                    results.append(("truncated", None))
                    continue
                body = response.json()
                if "error" in body:
                    body["error"].pop("request_id")
                results.append((json.dumps(body), response.headers.get("Retry-After")))
            return results

    spec = "5xx=0.1,429=0.1,truncate=0.1,wrong-types=0.1"
    first = run(spec + ",seed=9")
    assert first == run(spec + ",seed=9")
    assert first != run(spec + ",seed=10")


# Log faults


def test_hostile_logs_are_served_verbatim() -> None:
    with (
        DemoServer(seed=11, rate=0, prefill=200, clock=FakeClock()) as plain,
        client_for(plain) as reference,
    ):
        genuine = {log["id"]: log for log in list_all(reference)}
    with faulty("hostile=0.3", prefill=200) as server, client_for(server) as client:
        served = list_all(client)
        # Only the hostile share differs from the same traffic served without faults.
        hostile = [log for log in served if log != genuine[log["id"]]]
        assert len(served) == len(genuine) and 35 <= len(hostile) <= 85
        assert server.fault_counts == {"hostile": len(hostile)}
        found: set[str] = set()
        for log in hostile:
            assert log["metadata"]["user_id"] in HOSTILE_STRINGS
            assert is_hostile(log["message"])
            detail = client.get(f"{LIST}/{log['id']}").json()
            data_input, data_response = detail["data"]["input"], detail["data"]["response"]
            assert any(is_hostile(key) for key in data_input)  # JSON keys too
            assert any(is_hostile(text) for text in strings_in(data_response))
            found |= {bad for text in strings_in(detail) for bad in HOSTILE_STRINGS if bad in text}
            trace = client.get(TRACE + log["id"])
            assert trace.status_code == 200 and is_hostile(json.dumps(trace.json()))
        assert {"[/bold]", "[@click=app.quit]x[/]", "\x1b]52;c;aGk=\x07", LONG} <= found
        assert {"\x9b31mred", "\u202eexe.txt\u202c"} <= found
        # A hostile user id is an ordinary filter value.
        user_id = hostile[0]["metadata"]["user_id"]
        flt = [{"field": "user_id", "operator": "==", "value": user_id}]
        matched = list_all(client, {"filters": flt})
        assert matched and all(log["metadata"]["user_id"] == user_id for log in matched)


def test_huge_details_are_megabytes_while_lists_stay_small(reference: httpx.Client) -> None:
    with faulty("huge=0.2", prefill=40) as server, client_for(server) as client:
        page = client.post(LIST, json={"limit": 100})
        assert len(page.content) < 64 * 1024
        sizes = {}
        for log in page.json()["logs"]:
            sizes[log["id"]] = len(client.get(f"{LIST}/{log['id']}").content)
        huge = [log_id for log_id, size in sizes.items() if size >= 5 * MIB]
        assert 3 <= len(huge) <= 15 and server.fault_counts == {"huge": len(huge)}
        assert all(size < 64 * 1024 for log_id, size in sizes.items() if log_id not in huge)
        first = client.get(f"{LIST}/{huge[0]}")
        assert first.content == client.get(f"{LIST}/{huge[0]}").content  # re-derived alike
        attachment = first.json()["data"]["response"]["data"]["attachment"]
        assert len(attachment["content"]) == attachment["size_bytes"] == 5 * MIB


def test_huge_logs_are_not_stored() -> None:
    traffic = Traffic(seed=1, rate=200, prefill=0)
    traffic.shaper = PlannedFaults(FaultPlan(huge_rate=1.0, hostile_rate=1.0)).shape_log
    traffic.advance(int(NOW * 1000))
    traffic.advance(int(NOW * 1000) + 2_000)  # warm the world's caches before measuring
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        count = len(traffic.store)
        traffic.advance(int(NOW * 1000) + 12_000)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    added = len(traffic.store) - count
    assert added > 1500
    assert grown / added < 2000, f"{grown / added:.0f} bytes per log"


def test_late_logs_are_hidden_until_their_time() -> None:
    late_clock, clock = FakeClock(), FakeClock()
    late_server = DemoServer(
        seed=4, rate=10, prefill=0, clock=late_clock, faults=FaultPlan(late_rate=0.5)
    )
    with (
        late_server,
        DemoServer(seed=4, rate=10, prefill=0, clock=clock) as server,
        client_for(late_server) as late,
        client_for(server) as client,
    ):
        late_clock.now = clock.now = NOW + 30
        genuine = {log["id"]: log for log in list_all(client)}
        visible = list_all(late)
        assert all(genuine[log["id"]] == log for log in visible)
        hidden = {i: log for i, log in genuine.items() if i not in {v["id"] for v in visible}}
        assert 5 <= len(hidden) <= 60
        now_ms = int(late_clock.now * 1000)
        for log_id in hidden:
            start = client.get(f"{LIST}/{log_id}").json()["timings"]["start_time"]
            assert now_ms - 10_000 < start <= now_ms  # only the last 10 s can be hidden
            assert late.get(f"{LIST}/{log_id}").status_code == 404
        assert 0.35 < late_server.fault_counts["late"] / len(genuine) < 0.65
        # Step the clock: each late log appears within 10 s of its timestamp, then stays.
        appeared: dict[str, float] = {}
        for _ in range(21):
            late_clock.now += 0.5
            listed = {log["id"] for log in list_all(late)}
            assert set(appeared) <= listed
            appeared.update(
                (i, late_clock.now) for i in hidden if i in listed and i not in appeared
            )
        assert set(appeared) == set(hidden)
        delays = []
        for log_id in hidden:
            detail = late.get(f"{LIST}/{log_id}")
            assert detail.status_code == 200
            delays.append(appeared[log_id] * 1000 - detail.json()["timings"]["start_time"])
        # Delays spread over (0, 10 s]: the steps are 0.5 s, so allow that much on top.
        assert all(0 < d <= 10_500 for d in delays)
        assert min(delays) < 4_000 and max(delays) > 6_000


def test_burst_lands_several_pages_at_its_instant() -> None:
    clock = FakeClock()
    with (
        DemoServer(
            seed=2, rate=0, prefill=0, clock=clock, faults=parse_fault_spec("burst=250/5s")
        ) as server,
        client_for(server) as client,
    ):
        clock.now = NOW + 4.999
        assert server.log_count == 0
        clock.now = NOW + 5
        first = client.post(LIST, json={"limit": 100}).json()
        assert first["next_cursor"] is not None  # several pages at one poll
        logs = list_all(client)
        assert len(logs) == server.log_count == 250
        starts = [client.get(f"{LIST}/{log['id']}").json()["timings"]["start_time"] for log in logs]
        burst_ms = int((NOW + 5) * 1000)
        assert all(burst_ms - 250 < start <= burst_ms for start in starts)
        assert len(set(starts)) < 250  # many share a millisecond
        clock.now = NOW + 12
        assert server.log_count == 500 and server.fault_counts == {"burst": 2}


def test_burst_does_not_depend_on_polling() -> None:
    plan = FaultPlan(burst_logs=120, burst_every_s=2.0, late_rate=0.2, hostile_rate=0.1)
    clocks = [FakeClock(), FakeClock()]
    polled = DemoServer(seed=6, rate=5, prefill=20, clock=clocks[0], faults=plan)
    jumped = DemoServer(seed=6, rate=5, prefill=20, clock=clocks[1], faults=plan)
    with polled, jumped, client_for(polled) as a, client_for(jumped) as b:
        for _ in range(40):
            clocks[0].now += 0.25
            a.post(LIST, json={"limit": 100})
        clocks[1].now += 10
        logs = list_all(a)
        assert logs == list_all(b)
        assert len(logs) > 4 * 120  # five bursts, some of them late
        assert polled.fault_counts == jumped.fault_counts


# Plans, spec and command line


def test_an_empty_plan_changes_nothing() -> None:
    clocks = [FakeClock(), FakeClock()]
    with (
        DemoServer(seed=3, clock=clocks[0], faults=FaultPlan(seed=5)) as planned,
        DemoServer(seed=3, clock=clocks[1]) as plain,
    ):
        assert snapshot(planned, clocks[0]) == snapshot(plain, clocks[1])
        assert planned.fault_counts == {}


def test_set_fault_plan_switches_faults_on_and_off(
    client: httpx.Client, server: DemoServer
) -> None:
    server.set_fault_plan(parse_fault_spec("5xx=1"))
    assert server.fault_plan == FaultPlan(error_rate=1.0)
    assert client.post(LIST).status_code >= 500
    server.set_fault_plan(None)
    assert server.fault_plan is None
    assert client.post(LIST).status_code == 200
    assert server.fault_counts == {"5xx": 1}


def test_parse_full_spec() -> None:
    plan = parse_fault_spec(
        "5xx=0.2,429=0.05,slow=0.05:2s,truncate=0.02,wrong-types=0.02,hostile=0.05,"
        "huge=0.01:5MB,late=0.1:10s,burst=500/5s,seed=3"
    )
    assert plan == FaultPlan(
        error_rate=0.2,
        rate_limit_rate=0.05,
        slow_rate=0.05,
        slow_s=2.0,
        truncate_rate=0.02,
        wrong_types_rate=0.02,
        hostile_rate=0.05,
        huge_rate=0.01,
        huge_bytes=5 * MIB,
        late_rate=0.1,
        late_max_s=10.0,
        burst_logs=500,
        burst_every_s=5.0,
        seed=3,
    )


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("", FaultPlan()),
        ("none", FaultPlan()),
        (" 5xx = 5% , ", FaultPlan(error_rate=0.05)),
        ("slow=0.1:500ms", FaultPlan(slow_rate=0.1, slow_s=0.5)),
        ("slow=0.1", FaultPlan(slow_rate=0.1)),
        ("late=1:1.5", FaultPlan(late_rate=1.0, late_max_s=1.5)),
        ("late=0.2:2m", FaultPlan(late_rate=0.2, late_max_s=120.0)),
        ("huge=0.5:512KB", FaultPlan(huge_rate=0.5, huge_bytes=512 * 1024)),
        ("huge=0.5:1000", FaultPlan(huge_rate=0.5, huge_bytes=1000)),
        ("burst=10", FaultPlan(burst_logs=10)),
        ("BURST=10/250ms,Seed=-4", FaultPlan(burst_logs=10, burst_every_s=0.25, seed=-4)),
        ("5xx=0.5,429=0.5", FaultPlan(error_rate=0.5, rate_limit_rate=0.5)),
    ],
)
def test_parse_valid_specs(text: str, plan: FaultPlan) -> None:
    assert parse_fault_spec(text) == plan


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("errr=0.1", "unknown fault 'errr'; use one of 5xx, 429, slow"),
        ("5xx", "'5xx' needs a value, e.g. 5xx=0.1"),
        ("5xx=", "'5xx' needs a value"),
        ("5xx=1.5", "5xx=1.5: a share must be between 0 and 1"),
        ("429=-0.1", "429=-0.1: a share must be between 0 and 1"),
        ("hostile=150%", "hostile=150%: a share must be between 0 and 1"),
        ("truncate=lots", "truncate=lots: a share is a number from 0 to 1 or a percentage"),
        ("5xx=nan", "5xx=nan: a share must be between 0 and 1"),
        ("5xx=0.1:2s", "5xx=0.1:2s: this fault takes only a share, e.g. 5xx=0.1"),
        ("slow=0.1:fast", "slow=0.1:fast: 'fast' is not a duration"),
        ("slow=0.1:", "slow=0.1:: nothing after ':'"),
        ("late=0.1:0s", "late=0.1:0s: the duration must be at least 1ms"),
        ("huge=0.1:5XB", "huge=0.1:5XB: '5XB' is not a size"),
        ("huge=0.1:1GB", "huge=0.1:1GB: the size must be at most 256MB"),
        ("burst=x/5s", "burst=x/5s: write burst=COUNT/DURATION"),
        ("burst=500/0s", "burst=500/0s: the duration must be at least 1ms"),
        ("burst=500/", "burst=500/: nothing after '/'"),
        ("seed=three", "seed=three: the seed must be a whole number"),
        ("5xx=0.1,5xx=0.2", "'5xx' is given twice"),
        (
            "5xx=0.6,slow=0.5",
            "5xx=0.6 + slow=0.5 = 1.1: shares of requests must add up to at most 1",
        ),
    ],
)
def test_parse_rejects_bad_specs(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_fault_spec(text)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"error_rate": 1.5}, "error_rate=1.5: a share must be between 0 and 1"),
        ({"late_rate": True}, "late_rate=True"),
        ({"error_rate": 0.6, "truncate_rate": 0.6}, "must add up to at most 1"),
        ({"slow_s": -1.0}, "slow_s=-1.0"),
        ({"huge_bytes": -1}, "huge_bytes=-1"),
        ({"burst_logs": 10, "burst_every_s": 0.0}, "burst_every_s=0.0"),
        ({"seed": 1.5}, "seed=1.5"),
    ],
)
def test_fault_plan_rejects_bad_values(settings: dict[str, Any], named: str) -> None:
    with pytest.raises(ValueError) as caught:
        FaultPlan(**settings)
    assert named in str(caught.value)


def test_help_names_every_fault_and_its_example_parses() -> None:
    for kind in ("5xx", "429", "slow", "truncate", "wrong-types", "hostile", "huge", "late"):
        assert f"{kind}=SHARE" in FAULT_SPEC_HELP
    assert "burst=COUNT" in FAULT_SPEC_HELP and "seed=N" in FAULT_SPEC_HELP
    example = FAULT_SPEC_HELP.rsplit("Example: ", 1)[1]
    assert parse_fault_spec(example).burst_logs == 500


def test_cli_rejects_a_bad_spec(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--faults", "errr=1"]) == 2
    err = capsys.readouterr().err
    assert "argument --faults: unknown fault 'errr'; use one of" in err


def test_cli_serves_the_faults() -> None:
    code = "from tui.demo import main; raise SystemExit(main(['--faults', '5xx=1,seed=2']))"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().split("=", 1)[1]
        key = proc.stdout.readline().strip().split("=", 1)[1]
        response = httpx.post(url + LIST, headers={"x-api-key": key})
        assert response.status_code in (500, 502, 503, 504)
        assert response.json()["error"]["status"] == response.status_code
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
