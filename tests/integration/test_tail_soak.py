"""LiveTail against the embedded server under bursts, 5xx, 429, slow answers and late logs.

One fake clock drives both sides: the server generates traffic and reveals late logs by
it, and LiveTail's waits (poll interval, backoff, Retry-After) advance it instead of
sleeping, so over a minute of simulated time runs in seconds on a real loopback socket.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.clock import NOW, FakeClock
from tests.demo.conftest import client_for, list_all
from tui.demo import DemoServer, FaultPlan
from tui.sources.composio import ComposioClient
from tui.tail import LiveTail, Retrying, Stopped, TailBatch

START = NOW  # simulated time starts at the demo tests' "now"
INTERVAL = 5.0
SIMULATED_S = 120.0
LAG_S = 12.0  # covers the server's lateness of up to 10 s
PAGE = 100


@pytest.mark.slow
async def test_every_log_delivered_exactly_once_through_bursts_and_faults() -> None:
    clock = FakeClock(START)
    plan = FaultPlan(
        error_rate=0.20,
        slow_rate=0.05,
        slow_s=0.3,  # real seconds: answers that arrive late, within the client's timeout
        rate_limit_rate=0.03,
        late_rate=0.10,
        late_max_s=10.0,
        burst_logs=5 * PAGE,  # five pages between two polls, on top of the steady rate
        burst_every_s=INTERVAL,
        seed=11,
    )
    # The prefill fits in the first page, so everything the server holds is the tail's.
    with DemoServer(seed=5, rate=5, prefill=50, clock=clock, faults=plan) as server:

        async def advance(seconds: float) -> None:
            clock.now += seconds
            await asyncio.sleep(0)

        # Generous: real time must not leak into this fake-clock run, and on a loaded
        # machine a tight timeout turns ordinary answers into failures (timeouts are
        # covered by tests/unit/test_tail.py and test_tail_cli.py).
        source = ComposioClient(api_key=server.api_key, base_url=server.url, timeout=2.0)
        tail = LiveTail(source, lag_s=LAG_S, clock=clock, sleep=advance, rng=random.Random(0))
        delivered: Counter[str] = Counter()
        events: Counter[str] = Counter()
        stop_at = START + SIMULATED_S
        try:
            async for event in tail.run(INTERVAL):
                if isinstance(event, TailBatch):
                    delivered.update(e.id for e in event.entries)
                    events["late" if event.late else "batch"] += 1
                    assert event.gap is None, event.gap
                elif isinstance(event, Retrying):
                    events[type(event.error).__name__] += 1
                else:
                    assert not isinstance(event, Stopped), event.error
                if clock.now >= stop_at:
                    break
        finally:
            await source.aclose()
        # The tail's own claim: everything stamped up to here has been delivered.
        settled = tail.settled_ms
        assert settled is not None and settled > (START + SIMULATED_S - 4 * INTERVAL - LAG_S) * 1000
        counts = server.fault_counts
        server.set_fault_plan(None)  # reveals every late log: the ground truth
        with client_for(server) as client:
            truth = _ids_between(client, START * 1000 - 600_000, settled)

    # The run really was hostile: every kind of fault happened, and bursts landed.
    assert counts["5xx"] > 30 and counts["429"] > 4 and counts["slow"] > 10
    assert counts["late"] > 600 and counts["burst"] >= SIMULATED_S // INTERVAL - 1
    assert events["ServerError"] and events["RateLimitedError"]
    assert events["late"] > 0  # late logs were caught after their neighbours
    # Everything that settled and appeared within the look-back arrived exactly once.
    assert len(truth) > 9_000
    duplicates = [i for i, n in delivered.items() if n > 1]
    assert not duplicates, duplicates[:5]
    missing = set(truth) - set(delivered)
    too_late = {i for i in missing if _appearance_delay_ms(truth, i) > LAG_S * 1000}
    assert missing == too_late, f"{len(missing - too_late)} of {len(truth)} never delivered"
    # A meta-tool call is stamped when it starts but listed when it ends, with its
    # children: one that ran longer than the look-back is out of reach, and rare.
    assert len(too_late) < 20


def _ids_between(client: httpx.Client, from_ms: float, to_ms: float) -> dict[str, Any]:
    logs = list_all(client, {"time_range": {"from": int(from_ms), "to": int(to_ms)}})
    by_id = {log["id"]: log for log in logs}
    assert len(by_id) == len(logs)
    return by_id


def _appearance_delay_ms(logs: dict[str, Any], log_id: str) -> float:
    """How long after its timestamp the server first listed a log: a meta-tool call and
    its children appear together when the call ends."""
    log = logs[log_id]
    parent = logs.get((log["parent"] or {}).get("log_id", ""), log)
    ended = _ms(parent["timestamp"]) + parent["metrics"].get("duration_ms", 0)
    return max(0.0, ended - _ms(log["timestamp"]))


def _ms(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000
