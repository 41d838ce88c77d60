"""RuleEngine with a fake clock: over arbitrary polls (late logs, repeats, snoozes, a
clock set back) it fires and resolves exactly when a brute-force evaluator, which
recounts every window from all the logs delivered so far, says so."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clock import NOW_MS
from tui.models.entry import LogEntry
from tui.rules import BLIND, FIRING, RESOLVED, SOURCE_RULE, RuleEngine, parse_rule
from tui.rules.model import MAX_EVENT_IDS, PERCENTILE_METRICS, Rule
from tui.stats import nearest_rank

RULE_TEXTS = {
    "gmail burst": "toolkit:gmail >= 3 in 2m",
    "any failure": "failed",
    "slack silent": "toolkit:slack == 0 over 3m",
    "few calls": "< 2 in 1m",
    "error rate": "error_rate > 50% over 2m min 2",
    "slow": "tool:A p95 > 1s over 2m min 2",
}


def make_rules(cooldown_ms: int) -> list[Rule]:
    return [parse_rule(text, name, cooldown_ms) for name, text in RULE_TEXTS.items()]


@dataclass
class Poll:
    at_ms: int
    entries: list[LogEntry]
    snooze: tuple[str, int] | None = None  # (rule, until) set before the poll


@st.composite
def polls(draw: st.DrawFn) -> list[Poll]:
    now = NOW_MS
    made: list[LogEntry] = []
    result = []
    for n in range(draw(st.integers(1, 25))):
        now += draw(st.sampled_from((-5_000, 0, 1_000, 10_000, 30_000, 60_000, 150_000)))
        entries = []
        for k in range(draw(st.integers(0, 4))):
            entries.append(
                LogEntry(
                    id=f"{n}.{k}",
                    timestamp_ms=now - draw(st.sampled_from((0, 500, 20_000, 90_000, 400_000))),
                    status=draw(st.sampled_from(("success", "failed"))),
                    toolkit=draw(st.sampled_from(("gmail", "slack"))),
                    tool=draw(st.sampled_from(("A", "B"))),
                    duration_ms=draw(st.sampled_from((None, 100, 900, 1_500, 3_000))),
                )
            )
        if made and draw(st.booleans()):
            entries.append(draw(st.sampled_from(made)))  # delivered again
        made += entries
        snooze = None
        if draw(st.integers(0, 5)) == 0:
            snooze = (draw(st.sampled_from(list(RULE_TEXTS))), now + draw(st.integers(0, 200_000)))
        result.append(Poll(now, entries, snooze))
    return result


def brute_force(rules: list[Rule], schedule: list[Poll]) -> list[tuple]:
    """Every window recounted from all the logs delivered, at every poll."""
    delivered: dict[str, LogEntry] = {}
    firing = dict.fromkeys(RULE_TEXTS, False)
    quiet: dict[str, int] = {}
    snoozed: dict[str, int] = {}
    events = []
    now = started = None
    for poll in schedule:
        now = poll.at_ms if now is None else max(now, poll.at_ms)
        started = now if started is None else started
        if poll.snooze is not None:
            snoozed[poll.snooze[0]] = poll.snooze[1]
        for entry in poll.entries:
            delivered.setdefault(entry.id, entry)
        for rule in rules:
            chosen = [
                e
                for e in sorted(delivered.values(), key=lambda e: e.timestamp_ms)
                if e.timestamp_ms > now - rule.window_ms and rule.query.matches(e)
            ]
            value, ids = measure(rule, chosen)
            holds = value is not None and rule.compare(value)
            if rule.low_side and now - started < rule.window_ms:
                holds = False
            if firing[rule.name] and not holds:
                firing[rule.name] = False
                quiet[rule.name] = now + rule.cooldown_ms
                events.append((RESOLVED, rule.name, value, now, ids))
            elif (
                not firing[rule.name]
                and holds
                and now >= quiet.get(rule.name, now)
                and now >= snoozed.get(rule.name, now)
            ):
                firing[rule.name] = True
                events.append((FIRING, rule.name, value, now, ids))
    return events


def measure(rule: Rule, chosen: list[LogEntry]) -> tuple[float | None, tuple[str, ...]]:
    need = max(rule.min_calls, 1)
    if rule.metric == "count":
        return len(chosen), tuple(e.id for e in chosen[-MAX_EVENT_IDS:])
    if rule.metric == "error_rate":
        failed = [e for e in chosen if e.failed]
        value = len(failed) / len(chosen) if len(chosen) >= need else None
        return value, tuple(e.id for e in failed[-MAX_EVENT_IDS:])
    timed = [e for e in chosen if e.duration_ms is not None]
    durations = sorted(e.duration_ms for e in timed)
    value = nearest_rank(durations, PERCENTILE_METRICS[rule.metric]) if len(timed) >= need else None
    slow = [e.id for e in timed if e.duration_ms > rule.threshold]
    return value, tuple(slow[-MAX_EVENT_IDS:])


@settings(max_examples=200, deadline=None)
@given(polls(), st.sampled_from((0, 30_000, 120_000)))
def test_rules_fire_and_resolve_exactly_when_a_recount_says(schedule, cooldown_ms):
    rules = make_rules(cooldown_ms)
    engine = RuleEngine(rules)
    heard: list = []
    engine.subscribe(heard.extend)
    got = []
    for poll in schedule:
        if poll.snooze is not None:
            engine.snooze(*poll.snooze)
        for event in engine.poll(poll.entries, poll.at_ms):
            got.append((event.event, event.rule, event.value, event.at_ms, event.log_ids))
    assert got == brute_force(rules, schedule)
    assert len(heard) == len(got)
    open_now = {e.rule for e in engine.firing}
    assert open_now == {name for name in RULE_TEXTS if _last_kind(got, name) == FIRING}


def _last_kind(events: list[tuple], name: str) -> str | None:
    kinds = [kind for kind, rule, *_ in events if rule == name]
    return kinds[-1] if kinds else None


def log(n: int, at_ms: int, **fields: object) -> LogEntry:
    return LogEntry(id=f"l{n}", timestamp_ms=at_ms, **fields)  # type: ignore[arg-type]


def test_a_count_rule_fires_on_the_first_poll_that_reaches_it_then_once():
    engine = RuleEngine([parse_rule("toolkit:gmail failed >= 3 in 1m", "gmail", 0)])
    t = NOW_MS
    assert engine.poll([log(1, t, toolkit="gmail", status="failed")], t) == []
    assert engine.poll([log(2, t + 1000, toolkit="gmail", status="failed")], t + 2000) == []
    # A late one (stamped before the others) completes the count: fire now.
    [fired] = engine.poll([log(3, t - 5000, toolkit="gmail", status="failed")], t + 4000)
    assert (fired.event, fired.value, fired.threshold, fired.window_s) == (FIRING, 3, 3, 60)
    assert fired.log_ids == ("l3", "l1", "l2")
    assert engine.poll([log(4, t + 5000, toolkit="gmail", status="failed")], t + 6000) == []
    [resolved] = engine.poll([], t + 61_000)  # l3, l1 and l2 left the window: 1 left
    assert (resolved.event, resolved.value) == (RESOLVED, 1)
    assert [(e.fired_at_ms, e.resolved_at_ms) for e in engine.history] == [(t + 4000, t + 61_000)]


def test_absence_waits_for_a_whole_window_then_fires():
    engine = RuleEngine([parse_rule("toolkit:gmail == 0 over 10m", "quiet", 0)])
    t = NOW_MS
    assert engine.poll([], t) == []
    assert engine.poll([], t + 599_000) == []
    [fired] = engine.poll([], t + 600_000)
    assert (fired.event, fired.value) == (FIRING, 0)
    [resolved] = engine.poll([log(1, t + 600_500, toolkit="gmail")], t + 601_000)
    assert resolved.event == RESOLVED


def test_snooze_and_cooldown_hold_new_episodes_back():
    engine = RuleEngine([parse_rule("failed", "any", 30_000)])
    t = NOW_MS
    engine.snooze("any", t + 10_000)
    assert engine.snooze and engine.snoozed_until("any") == t + 10_000
    assert engine.poll([log(1, t, status="failed")], t) == []  # snoozed
    [fired] = engine.poll([log(2, t + 10_000, status="failed")], t + 10_000)
    assert fired.event == FIRING
    [resolved] = engine.poll([], t + 80_000)
    assert resolved.event == RESOLVED
    assert engine.poll([log(3, t + 90_000, status="failed")], t + 90_000) == []  # cooling
    [again] = engine.poll([], t + 110_000)
    assert again.event == FIRING
    engine.unsnooze("any")
    assert engine.snoozed_until("any") is None


def test_a_source_failing_longer_than_the_limit_is_one_blind_alert_until_it_answers():
    engine = RuleEngine([], blind_after_ms=30_000)
    t = NOW_MS
    assert engine.poll([], t) == []
    assert engine.source_failed(t + 1_000, "503 Service Unavailable") == []
    [blind] = engine.source_failed(t + 31_000, "503 Service Unavailable")
    assert (blind.event, blind.rule, blind.value, blind.threshold) == (BLIND, SOURCE_RULE, 30, 30)
    assert blind.detail == {"error": "503 Service Unavailable"}
    assert engine.source_failed(t + 60_000, "again") == []
    assert [e.rule for e in engine.firing] == [SOURCE_RULE]
    [back] = engine.poll([], t + 61_000)
    assert (back.event, back.rule) == (RESOLVED, SOURCE_RULE)
    assert engine.source_failed(t + 62_000, "once") == []  # a new run of failures


def test_rule_names_are_unique():
    with pytest.raises(ValueError, match="two rules are named 'x'"):
        RuleEngine([parse_rule("failed", "x"), parse_rule("ok", "x")])
