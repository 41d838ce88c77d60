"""StatsEngine: fed in any batches and any order (late logs, repeats), it holds what a
brute-force recount of the same logs says, for groups, histograms and windows."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui import diagnose
from tui.models.entry import LogEntry
from tui.query import ENTRY_ATTRIBUTES, parse_query
from tui.stats import (
    GROUP_FIELDS,
    MINUTE_MS,
    PERCENTILES,
    Durations,
    StatsEngine,
    bucket_start,
    nearest_rank,
    status_kind,
)

T0 = 1_790_000_000_000
MESSAGES = (
    "",
    "ok",
    "GMAIL_SEND_EMAIL failed: 401 Unauthorized from gmail — the access token has expired",
    "insufficient scopes for this call",
    "Tool GMAIL_SEND_EMAILS not found",
    "input validation failed: field 'to'",
)


@st.composite
def logs(draw: st.DrawFn) -> list[LogEntry]:
    count = draw(st.integers(0, 60))
    entries = []
    for n in range(count):
        entries.append(
            LogEntry(
                id=f"log_{n}",
                timestamp_ms=T0 + draw(st.integers(0, 10 * MINUTE_MS)),
                status=draw(st.sampled_from(("success", "failed", "failed", ""))),
                toolkit=draw(st.sampled_from(("gmail", "slack", ""))),
                tool=draw(st.sampled_from(("A", "B", "C"))),
                user_id=draw(st.sampled_from(("u1", "u2"))),
                auth_config_id=draw(st.sampled_from(("ac1", "ac2"))),
                connected_account_id=draw(st.sampled_from(("ca1", ""))),
                duration_ms=draw(st.one_of(st.none(), st.integers(0, 50_000), st.just(-5))),
                message=draw(st.sampled_from(MESSAGES)),
            )
        )
    return entries


@st.composite
def arrivals(draw: st.DrawFn) -> tuple[list[LogEntry], list[list[LogEntry]]]:
    """The logs, and batches that deliver them in any order, some more than once."""
    entries = draw(logs())
    order = draw(st.permutations(entries))
    repeats = draw(st.lists(st.sampled_from(entries), max_size=10)) if entries else []
    stream = list(order) + repeats
    cuts = sorted(draw(st.lists(st.integers(0, len(stream)), max_size=8)))
    batches = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)], strict=True)]
    return entries, batches


def brute_group(entries: list[LogEntry]) -> dict[str, object]:
    failed = [e for e in entries if e.status == "failed"]
    durations = sorted(
        e.duration_ms for e in entries if e.duration_ms is not None and e.duration_ms >= 0
    )
    patterns = Counter(
        p for p in (diagnose.failure_pattern(e.message) for e in failed) if p is not None
    )
    top = min(patterns.items(), key=lambda kv: (-kv[1], kv[0]))[0] if patterns else None
    last = max(failed, key=lambda e: (e.timestamp_ms, e.id)) if failed else None
    result: dict[str, object] = {
        "count": len(entries),
        "failed": len(failed),
        "top_failure": top,
        "last_failure_id": None if last is None else last.id,
    }
    for p in PERCENTILES:
        rank = math.ceil(p / 100 * len(durations))
        result[f"p{p}_ms"] = durations[max(rank, 1) - 1] if durations else None
    return result


def engine_group(line: dict[str, object]) -> dict[str, object]:
    keys = ("count", "failed", "top_failure", "last_failure_id", "p50_ms", "p95_ms", "p99_ms")
    return {key: line[key] for key in keys}


@settings(max_examples=100, deadline=None)
@given(arrivals())
def test_groups_equal_a_recount_whatever_the_arrivals(case):
    entries, batches = case
    engine = StatsEngine()
    for batch in batches:
        engine.add(batch)
    assert engine_group(engine.total.summary()) == brute_group(entries)
    for by, api_field in GROUP_FIELDS.items():
        attribute = ENTRY_ATTRIBUTES[api_field]
        keys = {getattr(e, attribute) for e in entries}
        got = {g.group: engine_group(g.summary()) for g in engine.groups(by)}
        want = {k: brute_group([e for e in entries if getattr(e, attribute) == k]) for k in keys}
        assert got == want


@settings(max_examples=100, deadline=None)
@given(arrivals(), st.integers(0, 12), st.integers(0, 12), st.sampled_from((1, 2, 5)))
def test_histogram_and_windows_equal_a_recount(case, start, length, width):
    entries, batches = case
    engine = StatsEngine()
    for batch in batches:
        engine.add(batch)
    from_ms = T0 + start * MINUTE_MS - 1
    to_ms = from_ms + length * MINUTE_MS
    window = engine.window(from_ms, to_ms)
    inside = [
        e
        for e in entries
        if bucket_start(from_ms) <= bucket_start(e.timestamp_ms) <= bucket_start(to_ms)
    ]
    assert (window.count, window.failed) == (len(inside), sum(e.failed for e in inside))
    assert window.percentile(95) == brute_group(inside)["p95_ms"]
    bucket_ms = width * MINUTE_MS
    histogram = engine.histogram(from_ms, to_ms, bucket_ms)
    first = bucket_start(from_ms, bucket_ms)
    assert [b.start_ms for b in histogram] == list(
        range(first, bucket_start(to_ms, bucket_ms) + 1, bucket_ms)
    )
    for bucket in histogram:
        held = [e for e in entries if bucket_start(e.timestamp_ms, bucket_ms) == bucket.start_ms]
        assert bucket.counts == Counter(status_kind(e) for e in held)


def test_updates_say_what_each_batch_added_and_which_were_late():
    engine = StatsEngine()
    seen = []
    unsubscribe = engine.subscribe(seen.append)
    new = LogEntry(id="b", timestamp_ms=T0 + 2 * MINUTE_MS, status="success")
    old = LogEntry(id="a", timestamp_ms=T0, status="failed")
    engine.add([new])
    engine.add([old, new])
    engine.add([new])  # nothing new: no call
    unsubscribe()
    engine.add([LogEntry(id="c", timestamp_ms=T0)])
    assert [(u.added, u.late, sorted(u.minutes)) for u in seen] == [
        (1, 0, [T0 + 2 * MINUTE_MS - (T0 % MINUTE_MS)]),
        (1, 1, [T0 - T0 % MINUTE_MS]),
    ]


def test_a_query_keeps_only_the_logs_it_matches():
    engine = StatsEngine(parse_query("toolkit:gmail failed", now_ms=T0))
    engine.add(
        [
            LogEntry(id="1", timestamp_ms=T0, toolkit="gmail", status="failed"),
            LogEntry(id="2", timestamp_ms=T0, toolkit="gmail", status="success"),
            LogEntry(id="3", timestamp_ms=T0, toolkit="slack", status="failed"),
        ]
    )
    assert (engine.total.count, engine.total.failed) == (1, 1)


@given(st.lists(st.integers(0, 10**6), max_size=50), st.lists(st.integers(0, 49), max_size=20))
def test_durations_hold_exact_percentiles_through_adds_and_removes(values, removals):
    held = Durations()
    kept = []
    for value in values:
        held.add(value)
        kept.append(value)
    for at in removals:
        if at < len(kept):
            held.remove(kept.pop(at))
    for p in (1, 50, 95, 99, 100):
        assert held.percentile(p) == nearest_rank(sorted(kept), p)
    assert len(held) == len(kept)
    with pytest.raises(ValueError):
        held.remove(-1)


def test_nearest_rank_is_one_of_the_values():
    assert nearest_rank([], 95) is None
    assert nearest_rank([10], 50) == 10
    assert nearest_rank(list(range(1, 101)), 95) == 95
    assert nearest_rank(list(range(1, 21)), 95) == 19
    with pytest.raises(ValueError):
        StatsEngine().histogram(T0, T0, 90_000)


def test_groups_are_keyed_on_the_sources_own_text_not_the_display_value():
    hostile = "gm\x1b[31mail"
    raw = {"id": "1", "metadata": {"toolkit_slug": hostile}}
    engine = StatsEngine()
    engine.add([LogEntry(id="1", timestamp_ms=T0, toolkit=hostile, raw=raw)])
    [group] = engine.groups("toolkit")
    assert group.group == hostile  # the filter toolkit:"gm\x1b[31mail" selects it
    assert engine.groups("toolkit")[0].summary()["group"] == hostile


def test_a_failure_is_counted_under_the_pattern_its_message_shows():
    engine = StatsEngine()
    engine.add(
        [
            LogEntry(id=str(n), timestamp_ms=T0, status="failed", message=MESSAGES[2])
            for n in range(2)
        ]
        + [LogEntry(id="x", timestamp_ms=T0, status="failed", message=MESSAGES[3])]
    )
    assert engine.total.top_pattern == diagnose.EXPIRED_TOKEN
    assert engine.total.patterns == {diagnose.EXPIRED_TOKEN: 2, diagnose.MISSING_SCOPE: 1}
    assert diagnose.failure_pattern("API key invalid: 401 Unauthorized") is None
