"""The `incident` fault: for a set time, every generated log of one toolkit fails, or one
tool's calls crawl; outside that time the traffic is what it always is."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.clock import NOW, FakeClock
from tests.demo.conftest import client_for, list_all
from tui.demo import FAULT_SPEC_HELP, DemoServer, FaultPlan, parse_fault_spec

NOW_MS = int(NOW * 1000)


def traffic_through(plan: str, seconds: int) -> list[dict]:
    """Live traffic for ``seconds`` of fake time, a poll each second, under ``plan``."""
    clock = FakeClock(NOW)
    with DemoServer(seed=5, rate=5, prefill=0, clock=clock, faults=parse_fault_spec(plan)) as s:
        for _ in range(seconds):
            clock.now += 1
            s.advance()
        with client_for(s) as client:
            logs = list_all(client)
        assert s.fault_counts["incident"] > 10
    return logs


def stamp_ms(log: dict) -> int:
    return int(datetime.fromisoformat(log["timestamp"].replace("Z", "+00:00")).timestamp() * 1000)


def toolkit(log: dict) -> str:
    meta = log["metadata"]
    return meta.get("toolkit_slug") or meta["toolkit"]["slug"]


def tool(log: dict) -> str:
    meta = log["metadata"]
    return meta.get("tool_slug") or meta["tool"]["slug"]


def test_a_failure_incident_fails_every_log_of_its_toolkit_for_its_time_only():
    logs = traffic_through("incident=fail:gmail:20s@10s", 40)
    start, end = NOW_MS + 10_000, NOW_MS + 30_000
    during = [log for log in logs if start <= stamp_ms(log) < end]
    gmail = [log for log in during if toolkit(log) == "gmail"]
    assert len(gmail) > 10
    assert all(log["status"] == "failed" for log in gmail)
    assert all(log["message"] for log in gmail if log.get("message"))
    others = [log for log in during if toolkit(log) != "gmail"]
    assert sum(log["status"] == "failed" for log in others) < len(others) / 3
    before_or_after = [
        log for log in logs if toolkit(log) == "gmail" and not start <= stamp_ms(log) < end
    ]
    assert sum(log["status"] == "failed" for log in before_or_after) < len(before_or_after) / 3


def test_a_latency_incident_slows_one_tool():
    logs = traffic_through("incident=slow:gmail:20s", 30)
    hit = [log for log in logs if toolkit(log) == "gmail" and stamp_ms(log) < NOW_MS + 20_000]
    assert hit and all(5_000 <= log["metrics"]["duration_ms"] <= 20_000 for log in hit)
    tools = {tool(log) for log in hit}
    assert len(tools) > 1  # a toolkit's every tool; a tool slug names just one


def test_the_incident_spec_reads_and_refuses():
    plan = parse_fault_spec("incident=slow:GMAIL_SEND_EMAIL:90s@1m")
    assert (plan.incident_kind, plan.incident_target) == ("slow", "GMAIL_SEND_EMAIL")
    assert (plan.incident_s, plan.incident_after_s) == (90, 60)
    assert parse_fault_spec("incident=fail:gmail").incident_s == 60
    assert "incident=fail|slow:TARGET" in FAULT_SPEC_HELP
    for bad, says in [
        ("incident=boom:gmail", "write incident=fail:TARGET"),
        ("incident=fail", "write incident=fail:TARGET"),
        ("incident=fail:gmail:soon", "not a duration"),
        ("incident=fail:gmail@", "nothing after '@'"),
    ]:
        with pytest.raises(ValueError, match=says):
            parse_fault_spec(bad)
    with pytest.raises(ValueError, match="with a target"):
        FaultPlan(incident_kind="fail")
