"""The in-process budget: compact per-log state and fast filtering over many logs."""

from __future__ import annotations

import time
import tracemalloc

from tests.clock import NOW_MS
from tui.demo.query import Filter, ListRequest, select
from tui.demo.traffic import Traffic


def test_per_log_memory_is_compact() -> None:
    traffic = Traffic(seed=1, rate=200, prefill=0)
    traffic.advance(NOW_MS)
    traffic.advance(NOW_MS + 2_000)  # warm the world's caches before measuring
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        count = len(traffic.store)
        traffic.advance(NOW_MS + 30_000)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    added = len(traffic.store) - count
    assert added > 4000
    assert grown / added < 400, f"{grown / added:.0f} bytes per log"


def test_filtering_many_logs_is_fast() -> None:
    traffic = Traffic(seed=1, rate=300, prefill=0)
    traffic.begin(NOW_MS)
    traffic.advance(NOW_MS + 100_000)  # ~30k logs
    store = traffic.store
    assert len(store) > 25_000
    worst = ListRequest(
        limit=100,
        filters=(
            Filter("request_id", "not_contains", "zz"),
            Filter("log_id", "contains", "a"),
            Filter("user_id", "!=", "default"),
            Filter("session_id", "==", "nobody"),
        ),
    )
    started = time.perf_counter()
    page, _ = select(store, worst)
    elapsed = time.perf_counter() - started
    assert page == []
    # ~4x this many logs must stay well under 100 ms; this leaves room for a slow CI box.
    assert elapsed < 0.06, f"{elapsed * 1000:.1f} ms for {len(store)} logs"
