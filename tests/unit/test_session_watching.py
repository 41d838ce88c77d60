"""The session feeds what it stores into one StatsEngine and one RuleEngine (issue 16)."""

from __future__ import annotations

import pytest

from tests.unit.test_session import entry, make_session
from tui.errors import ServerError
from tui.locations import config_path
from tui.models.entry import LogEntry
from tui.query import parse_query
from tui.rules import BLIND, FIRING, AlertEvent, parse_rule
from tui.rules.engine import RuleEngine
from tui.session import Session
from tui.store import LogStore
from tui.tail import TailBatch


def failed(n: int, ts: int, **fields: str) -> LogEntry:
    return LogEntry(id=f"log_{n}", timestamp_ms=ts, status="failed", **fields)  # type: ignore[arg-type]


def test_every_stored_batch_is_counted_once_and_a_new_query_starts_the_stats_again():
    session, _, clock = make_session()
    now = int(clock() * 1000)
    session.store_batch(
        TailBatch([entry(1, now - 5_000), entry(2, now - 4_000)], polled_at=0), "poll"
    )
    session.store_batch(
        TailBatch([entry(2, now - 4_000), entry(3, now - 90_000)], polled_at=0), "older"
    )
    assert len(session.watching.stats) == 3
    resets = []
    session.watching.on_stats_reset(resets.append)
    session.apply("failed", parse_query("failed", now_ms=now))
    assert len(session.watching.stats) == 0 and resets == [session.watching.stats]


def test_rules_from_config_and_given_ones_fire_on_a_stored_batch():
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[[rules]]\nname = "any failure"\nwhen = "failed"\n', encoding="utf-8")
    session, _, clock = make_session()
    given = parse_rule("toolkit:gmail >= 2 in 1m", "gmail busy")
    session = Session(
        session.settings, session.source, LogStore(":memory:"), clock=clock, rules=[given]
    )
    assert [rule.name for rule in session.watching.rules.rules] == ["any failure", "gmail busy"]
    events: list[AlertEvent] = []
    session.watching.rules.subscribe(events.extend)
    now = int(clock() * 1000)
    batch = [failed(1, now - 1_000, toolkit="gmail"), entry(2, now - 500, toolkit="gmail")]
    session.store_batch(TailBatch(batch, polled_at=0), "poll")
    assert sorted((e.event, e.rule) for e in events) == [
        (FIRING, "any failure"),
        (FIRING, "gmail busy"),
    ]


def test_a_rule_survives_a_new_query():
    session, _, clock = make_session()
    session.watching.rules.add(parse_rule("failed", "any failure"))
    session.apply("failed", parse_query("failed", now_ms=int(clock() * 1000)))
    assert [rule.name for rule in session.watching.rules.rules] == ["any failure"]


def test_a_bad_config_rule_is_said_and_the_rest_still_runs():
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[[rules]]\nname = "x"\nwhen = "failed >= in 1m"\n', encoding="utf-8")
    session, _, _ = make_session()
    assert session.watching.problem and "rule 'x'" in session.watching.problem
    assert session.watching.rules.rules == []


def test_a_source_failing_long_enough_raises_the_blind_alert():
    session, _, clock = make_session()
    events: list[AlertEvent] = []
    session.watching.rules.subscribe(events.extend)
    session.store_batch(TailBatch([], polled_at=clock()), "poll")
    session.failed(ServerError(status=503), "poll")
    clock.now += 30
    session.failed(ServerError(status=503), "poll")
    assert events == []
    clock.now += 31
    session.failed(ServerError(status=503), "poll")
    assert [(e.event, e.rule) for e in events] == [(BLIND, "source")]
    assert "503" in events[0].detail["error"]


def test_a_failed_backfill_is_not_blindness():
    session, _, clock = make_session()
    events: list[AlertEvent] = []
    session.watching.rules.subscribe(events.extend)
    for _ in range(5):
        session.failed(ServerError(status=500), "older")
        clock.now += 60
    assert events == []


def test_the_engine_takes_a_new_rule_but_not_a_taken_name():
    engine = RuleEngine([parse_rule("failed", "a")])
    engine.add(parse_rule("toolkit:gmail", "b"))
    assert [rule.name for rule in engine.rules] == ["a", "b"]
    with pytest.raises(ValueError, match="named 'a' already"):
        engine.add(parse_rule("failed", "a"))
