"""LiveTail against an in-memory API: catch-up, dedupe, late arrivals, gaps, backfill, backoff."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.clock import FakeClock
from tests.unit.fake_logs_api import FakeLogsApi
from tui.errors import AuthError, RateLimitedError, ServerError
from tui.query import Filter, LogQuery, TimeRange
from tui.tail import Backoff, Gap, LiveTail, Retrying, Stopped, TailBatch


def make(
    page_size: int = 5, lag_s: float = 10, max_pages: int = 100
) -> tuple[FakeClock, FakeLogsApi, LiveTail]:
    clock = FakeClock()
    api = FakeLogsApi(clock)
    tail = LiveTail(
        api,
        page_size=page_size,
        lag_s=lag_s,
        max_pages=max_pages,
        clock=clock,
        sleep=clock.sleep,
        rng=random.Random(0),  # the jitter of the Backoff the tail builds
    )
    return clock, api, tail


def burst(api: FakeLogsApi, clock: FakeClock, count: int, *, delay_ms: int = 0) -> list[str]:
    """`count` logs stamped over the last second before now."""
    now = api.now_ms()
    return [
        api.add(now - 1000 + i * 1000 // max(1, count), delay_ms=delay_ms) for i in range(count)
    ]


async def test_first_poll_shows_the_newest_page_and_knows_more_exist() -> None:
    clock, api, tail = make(page_size=5)
    ids = burst(api, clock, 12)
    batch = await tail.poll()
    assert [e.id for e in batch.entries] == ids[-5:]  # oldest first
    assert batch.more_older is True
    assert len(api.requests) == 1


async def test_burst_larger_than_a_page_is_caught_up_without_duplicates() -> None:
    clock, api, tail = make(page_size=5)
    burst(api, clock, 3)
    first = await tail.poll()
    clock.now += 2
    new = burst(api, clock, 23)
    second = await tail.poll()
    assert [e.id for e in second.entries] == new
    assert second.gap is None
    assert {e.id for e in first.entries}.isdisjoint(e.id for e in second.entries)
    # Every request of one walk uses the same page size and filters.
    assert {limit for _, limit, _ in api.requests} == {5}


async def test_walk_uses_an_overlapping_window_below_the_head() -> None:
    clock, api, tail = make(page_size=5, lag_s=10)
    burst(api, clock, 3)
    await tail.poll()
    head = tail.head_ms
    assert head is not None
    clock.now += 2
    await tail.poll()
    query, _, cursor = api.requests[-1]
    assert cursor is None
    assert query.time_range is not None
    assert query.time_range.from_ms == head - 10_000
    assert query.time_range.to_ms > api.now_ms()


async def test_late_arrival_is_delivered_once_at_its_own_time() -> None:
    clock, api, tail = make(page_size=5, lag_s=10)
    burst(api, clock, 4)
    await tail.poll()
    late = api.add(api.now_ms() - 500, delay_ms=6_000)  # stamped before the head
    clock.now += 2
    assert late not in [e.id for e in (await tail.poll()).entries]
    clock.now += 5
    batch = await tail.poll()
    assert [e.id for e in batch.entries] == [late]
    assert batch.late == 1
    clock.now += 2
    assert (await tail.poll()).entries == []


async def test_arrival_later_than_the_lag_is_missed() -> None:
    """The bound is real: what the window cannot see, it does not deliver."""
    clock, api, tail = make(page_size=5, lag_s=2)
    burst(api, clock, 4)
    await tail.poll()
    api.add(api.now_ms() - 3_000, delay_ms=4_000)
    clock.now += 5
    burst(api, clock, 1)
    await tail.poll()
    clock.now += 1
    assert (await tail.poll()).entries == []


async def test_budget_overrun_reports_a_gap_and_fill_gap_loads_it() -> None:
    clock, api, tail = make(page_size=5, lag_s=0, max_pages=3)
    burst(api, clock, 2)
    await tail.poll()
    old_head = tail.head_ms
    assert old_head is not None
    clock.now += 5
    new = burst(api, clock, 40)  # 8 pages; the budget reads 3
    batch = await tail.poll()
    # Three pages of five, less the row at page 1's lowest millisecond, which the
    # pinned rest of the walk starts from again.
    assert [e.id for e in batch.entries] == new[-14:]
    assert batch.gap is not None
    assert batch.gap.from_ms == old_head
    assert batch.gap.to_ms == batch.entries[0].timestamp_ms
    assert tail.gaps == [batch.gap]
    filled = await tail.fill_gap()
    assert tail.gaps == []
    got = [e.id for e in batch.entries] + [e.id for e in filled.entries]
    assert sorted(got) == sorted(new)
    assert len(set(got)) == len(got)


async def test_budget_spent_on_the_late_recheck_still_reports_what_it_skipped() -> None:
    clock, api, tail = make(page_size=5, lag_s=60, max_pages=2)
    burst(api, clock, 5)
    await tail.poll()
    clock.now += 1
    late = api.add(api.now_ms() - 30_000)  # stamped well below the head, now visible
    for _ in range(12):
        api.add(api.now_ms() - 10_000)
    batch = await tail.poll()
    assert late not in [e.id for e in batch.entries]
    assert batch.gap is not None
    floor = api.requests[-1][0].time_range.from_ms  # type: ignore[union-attr]
    assert batch.gap == Gap(floor, api.now_ms() - 10_000)
    filled = await tail.fill_gap()
    assert late in [e.id for e in filled.entries]


async def test_overlapping_gaps_merge() -> None:
    clock, api, tail = make(page_size=2, lag_s=5, max_pages=1)
    burst(api, clock, 2)
    await tail.poll()
    for _ in range(3):
        clock.now += 1
        burst(api, clock, 6)
        await tail.poll()
    assert len(tail.gaps) == 1


async def test_failure_mid_walk_resumes_at_the_failed_page() -> None:
    clock, api, tail = make(page_size=5)
    burst(api, clock, 2)
    await tail.poll()
    clock.now += 2
    new = burst(api, clock, 12)
    api.failures = []
    # Let the first page through, fail the second.
    original = api.list_logs
    calls = 0

    async def flaky(query: LogQuery, *, limit: int = 20, cursor: str | None = None):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ServerError("boom", status=503)
        return await original(query, limit=limit, cursor=cursor)

    api.list_logs = flaky  # type: ignore[method-assign]
    with pytest.raises(ServerError):
        await tail.poll()
    failed_cursor = api.requests[-1][2]
    batch = await tail.poll()
    assert api.requests[-3][2] == failed_cursor  # resumed where it failed
    assert [e.id for e in batch.entries] == new


async def test_backfill_pages_below_the_oldest_in_a_closed_range() -> None:
    clock, api, tail = make(page_size=5)
    ids = burst(api, clock, 13)
    first = await tail.poll()
    clock.now += 1
    burst(api, clock, 7)  # arrivals must not shift the older pages
    older = await tail.backfill()
    # The range includes the oldest shown log (same-millisecond neighbours may share
    # its timestamp); it is read again and dropped, so this page brings four.
    assert [e.id for e in older.entries] == ids[4:8]
    query = api.requests[-1][0]
    assert query.time_range is not None
    assert query.time_range.to_ms == first.entries[0].timestamp_ms
    assert older.more_older is True
    last = await tail.backfill()
    assert [e.id for e in last.entries] == ids[:4]
    assert last.more_older is False
    assert (await tail.backfill()).entries == []


async def test_filters_and_time_range_of_the_query_are_kept() -> None:
    clock, api, tail = make()
    tail.query = LogQuery(
        filters=(Filter("status", "==", "failed"),),
        time_range=TimeRange(api.now_ms() - 60_000, api.now_ms() + 60_000),
    )
    burst(api, clock, 3)
    await tail.poll()
    clock.now += 1
    await tail.poll()
    for query, _, _ in api.requests:
        assert query.filters == tail.query.filters
        assert query.time_range is not None
        assert query.time_range.to_ms == api.now_ms() - 1000 + 60_000


async def test_dedupe_memory_stays_within_the_window() -> None:
    clock, api, tail = make(page_size=50, lag_s=5)
    for _ in range(60):
        burst(api, clock, 20)
        await tail.poll()
        clock.now += 1
    # About lag + 1 s of logs at 20 per second, not all 1,200.
    assert tail.remembered <= 20 * 7


async def test_run_backs_off_then_recovers_and_stops_on_auth() -> None:
    clock, api, tail = make()
    burst(api, clock, 3)
    api.failures = [
        ServerError(status=503),
        ServerError(status=503),
        RateLimitedError(retry_after=7),
    ]
    events = []
    async for event in tail.run(interval=2):
        events.append(event)
        if isinstance(event, TailBatch):
            break
    assert [type(e) for e in events] == [Retrying, Retrying, Retrying, TailBatch]
    delays = [e.delay for e in events if isinstance(e, Retrying)]
    assert 0.375 <= delays[0] <= 0.5 and 0.75 <= delays[1] <= 1  # 0.5 s, doubling
    assert delays[2] == 7  # Retry-After exactly
    api.failures = [AuthError(status=401)]
    tail_events = [e async for e in tail.run(interval=2)]
    assert len(tail_events) == 1 and isinstance(tail_events[0], Stopped)


def test_backoff_is_capped_and_resets() -> None:
    backoff = Backoff(base=1, cap=30, rng=random.Random(1))
    delays = [backoff.delay_for(ServerError()) for _ in range(10)]
    for n, delay in enumerate(delays):
        raw = min(30, 2**n)  # 1, 2, 4 … 30 s, each jittered down by at most a quarter
        assert raw * 0.75 <= delay <= raw
    backoff.reset()
    assert backoff.delay_for(ServerError()) <= 1
    assert RateLimitedError(retry_after=None).retryable
    assert backoff.delay_for(RateLimitedError(retry_after=10**9)) == backoff.retry_after_cap


# -- property: any interleaving of arrivals, delays, page sizes and failures ------------

schedule = st.lists(
    st.tuples(
        st.integers(0, 40),  # logs arriving before this poll
        st.integers(0, 3_000),  # how far back they are stamped (ms)
        # Late delays (ms) of a few of them: with stamps up to 3 s back and polls up to
        # 3 s apart, 6 s keeps every late log within the 10 s look-back.
        st.lists(st.integers(0, 6_000), max_size=3),
        st.integers(0, 2),  # failures queued before this poll
        st.integers(500, 3_000),  # time to the next poll (ms)
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=schedule,
    page_size=st.integers(1, 7),
    max_pages=st.integers(1, 12),
    seed=st.integers(0, 10**6),
)
async def test_every_log_once_or_in_a_reported_gap(
    steps: list[tuple[int, int, list[int], int, int]], page_size: int, max_pages: int, seed: int
) -> None:
    """Whatever arrives, each log is delivered at most once, and every log made visible
    within the lag is delivered by a poll, by filling a reported gap, or (when older than
    the first page) by backfill."""
    clock, api, tail = make(page_size=page_size, lag_s=10, max_pages=max_pages)
    rng = random.Random(seed)
    delivered: Counter[str] = Counter()
    expected: set[str] = set()
    for count, spread, delays, failures, pause in steps:
        now = api.now_ms()
        for i in range(count):
            delay = delays[i] if i < len(delays) else 0
            stamp = now - rng.randint(0, spread)
            expected.add(api.add(stamp, delay_ms=delay))
        api.failures = [ServerError(status=503)] * failures
        for _ in range(failures + 1):
            try:
                batch = await tail.poll()
            except ServerError:
                continue
            delivered.update(e.id for e in batch.entries)
            break
        clock.now += pause / 1000
    # Settle: everything late becomes visible and, with no traffic to move the head, our
    # clock carries the sweep past it (within twice the lag); then nothing is left.
    clock.now += 21
    api.failures = []
    for _ in range(3):
        delivered.update(e.id for e in (await tail.poll()).entries)
    while tail.gaps:
        before = list(tail.gaps)
        delivered.update(e.id for e in (await tail.fill_gap()).entries)
        assert tail.gaps != before  # progress
    while tail.more_older:
        delivered.update(e.id for e in (await tail.backfill()).entries)
    assert all(n == 1 for n in delivered.values()), delivered.most_common(3)
    assert set(delivered) == expected


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.integers(0, 60))
async def test_backfill_reaches_every_older_log_once(page_size: int, count: int) -> None:
    _clock, api, tail = make(page_size=page_size)
    ids = [api.add(api.now_ms() - 100_000 + i * 37 % 900) for i in range(count)]
    got: Counter[str] = Counter(e.id for e in (await tail.poll()).entries)
    for _ in range(count + 2):
        got.update(e.id for e in (await tail.backfill()).entries)
    assert set(got) == set(ids)
    assert all(n == 1 for n in got.values())
    assert tail.more_older is not True


def test_gap_is_plain_data() -> None:
    assert Gap(1, 2) == Gap(1, 2)


def test_gap_without_a_loaded_stretch() -> None:
    gap = Gap(100, 200, new_from_ms=150)
    assert gap.without(0, 99) == [gap]
    assert gap.without(0, 300) == []
    assert gap.without(120, 300) == [Gap(100, 120, None)]
    assert gap.without(0, 160) == [Gap(160, 200, 160)]
    assert gap.without(120, 170) == [Gap(100, 120, None), Gap(170, 200, 170)]


def test_gap_says_what_is_certain() -> None:
    def clock(ms: int) -> str:
        return str(ms)

    assert Gap(1, 9, new_from_ms=5).describe(clock) == "logs between 5 and 9 not loaded"
    assert Gap(1, 9).describe(clock) == "late logs between 1 and 9 may be missing"


async def test_a_poll_merging_gaps_while_one_is_filled_loses_nothing() -> None:
    clock, api, tail = make(page_size=5, lag_s=0, max_pages=2)
    burst(api, clock, 2)
    await tail.poll()
    clock.now += 2
    first = burst(api, clock, 30)
    got = [e.id for e in (await tail.poll()).entries]
    assert len(tail.gaps) == 1
    original = api.list_logs
    polled = False

    async def poll_midway(query, *, limit=20, cursor=None):  # type: ignore[no-untyped-def]
        nonlocal polled
        if not polled and cursor is not None:
            polled = True  # a poll runs while the gap is being filled, and merges gaps
            clock.now += 1
            second.extend(burst(api, clock, 30))
            api.list_logs = original  # type: ignore[method-assign]
            got.extend(e.id for e in (await tail.poll()).entries)
            api.list_logs = poll_midway  # type: ignore[method-assign]
        return await original(query, limit=limit, cursor=cursor)

    second: list[str] = []
    api.list_logs = poll_midway  # type: ignore[method-assign]
    got.extend(e.id for e in (await tail.fill_gap()).entries)
    api.list_logs = original  # type: ignore[method-assign]
    assert polled
    while tail.gaps:
        got.extend(e.id for e in (await tail.fill_gap()).entries)
    assert sorted(got) == sorted(first + second)
