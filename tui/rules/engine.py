"""`RuleEngine`: rules evaluated on every poll, incrementally; episodes, cooldown, snooze,
and the "blind" alert when the source itself has been failing too long.

Each poll hands over the batch's logs (late ones too) and the time; every rule's window
takes the new logs and drops the old, and its value is compared with the threshold. A
rule fires on the first poll its condition holds, once per episode; the episode is
resolved on the first poll it no longer holds. After a resolve the rule stays quiet for
its cooldown, and a snoozed rule starts no episode until the snooze ends (an episode in
progress still resolves). A comparison that an empty window satisfies (``<``, ``<=``,
``==``: "no gmail calls for 10 minutes") waits until one whole window was watched.

Nothing here draws: a screen or `toolwatch watch` `subscribe`s to the events.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from tui.models.entry import LogEntry
from tui.rules.model import BLIND, FIRING, RESOLVED, SOURCE_RULE, AlertEvent, Rule
from tui.rules.window import RuleWindow

DEFAULT_BLIND_AFTER_MS = 60_000
MAX_EPISODES = 200


@dataclass
class Episode:
    """One firing of a rule, for the alerts panel: when it fired, and resolved."""

    rule: str
    fired_at_ms: int
    value: float | None
    log_ids: tuple[str, ...]
    resolved_at_ms: int | None = None


@dataclass
class _State:
    rule: Rule
    window: RuleWindow
    episode: Episode | None = None
    quiet_until_ms: int | None = None  # the cooldown after the last resolve
    snoozed_until_ms: int | None = None


Listener = Callable[[list[AlertEvent]], None]


class RuleEngine:
    def __init__(self, rules: Sequence[Rule], blind_after_ms: int = DEFAULT_BLIND_AFTER_MS):
        names = [rule.name for rule in rules]
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            raise ValueError(f"two rules are named {doubled[0]!r}; give each its own name")
        self._states = {rule.name: _State(rule, RuleWindow(rule)) for rule in rules}
        self.blind_after_ms = blind_after_ms
        self.history: deque[Episode] = deque(maxlen=MAX_EPISODES)
        self._now_ms: int | None = None
        self._started_ms: int | None = None
        self._failing_since_ms: int | None = None
        self._blind: Episode | None = None
        self._listeners: list[Listener] = []

    @property
    def rules(self) -> list[Rule]:
        return [state.rule for state in self._states.values()]

    @property
    def firing(self) -> list[Episode]:
        """The episodes in progress (the source's blind one too)."""
        open_ = [s.episode for s in self._states.values() if s.episode is not None]
        return open_ + ([self._blind] if self._blind is not None else [])

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with the events of every poll that had some."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def add(self, rule: Rule) -> None:
        """Watch ``rule`` too, from the next poll (ValueError: the name is taken)."""
        if rule.name in self._states:
            raise ValueError(f"a rule is named {rule.name!r} already; give this one its own name")
        self._states[rule.name] = _State(rule, RuleWindow(rule))

    def watch_anew(self) -> None:
        """Another source from now on: each window starts empty (a rule never counts two
        sources' logs together) and a rule an empty window satisfies waits a whole window
        again. Episodes in progress, cooldowns and snoozes go on; the next polls decide."""
        for state in self._states.values():
            state.window = RuleWindow(state.rule)
        self._started_ms = None

    def snooze(self, name: str, until_ms: int) -> None:
        """Start no episode of rule ``name`` before ``until_ms`` (KeyError: no such rule)."""
        self._states[name].snoozed_until_ms = until_ms

    def unsnooze(self, name: str) -> None:
        self._states[name].snoozed_until_ms = None

    def snoozed_until(self, name: str) -> int | None:
        return self._states[name].snoozed_until_ms

    def poll(self, entries: Iterable[LogEntry], now_ms: int) -> list[AlertEvent]:
        """A poll answered at ``now_ms`` with ``entries`` (new to the caller, any order)."""
        now = self._advance(now_ms)
        events: list[AlertEvent] = []
        if self._failing_since_ms is not None:
            self._failing_since_ms = None
            if self._blind is not None:
                events.append(self._end_blind(now))
        batch = list(entries)
        assert self._started_ms is not None
        watched_ms = now - self._started_ms
        for state in self._states.values():
            for entry in batch:
                state.window.add(entry, now)
            state.window.advance(now)
            event = self._step(state, now, watched_ms)
            if event is not None:
                events.append(event)
        return self._tell(events)

    def source_failed(self, now_ms: int, problem: str) -> list[AlertEvent]:
        """A poll failed at ``now_ms``; a blind event once failing for ``blind_after_ms``."""
        now = self._advance(now_ms)
        if self._failing_since_ms is None:
            self._failing_since_ms = now
        failing_ms = now - self._failing_since_ms
        if self._blind is not None or failing_ms < self.blind_after_ms:
            return []
        self._blind = Episode(SOURCE_RULE, now, failing_ms / 1000, ())
        self.history.append(self._blind)
        limit_s = self.blind_after_ms / 1000
        event = AlertEvent(
            BLIND, SOURCE_RULE, failing_ms / 1000, limit_s, limit_s, now, (), {"error": problem}
        )
        return self._tell([event])

    # -- steps ------------------------------------------------------------------------

    def _advance(self, now_ms: int) -> int:
        """Time never runs backwards here: a clock set back is held where it was."""
        now = now_ms if self._now_ms is None else max(now_ms, self._now_ms)
        self._now_ms = now
        if self._started_ms is None:
            self._started_ms = now
        return now

    def _step(self, state: _State, now: int, watched_ms: int) -> AlertEvent | None:
        rule, window = state.rule, state.window
        value = window.value()
        holds = value is not None and rule.compare(value)
        if holds and rule.low_side and watched_ms < rule.window_ms:
            holds = False
        episode = state.episode
        if episode is not None:
            if holds:
                return None
            episode.resolved_at_ms = now
            state.episode = None
            state.quiet_until_ms = now + rule.cooldown_ms
            return self._event(RESOLVED, rule, value, now, window.evidence())
        if not holds or _before(now, state.quiet_until_ms) or _before(now, state.snoozed_until_ms):
            return None
        ids = window.evidence()
        state.episode = Episode(rule.name, now, value, ids)
        self.history.append(state.episode)
        return self._event(FIRING, rule, value, now, ids)

    def _event(
        self, kind: str, rule: Rule, value: float | None, now: int, ids: tuple[str, ...]
    ) -> AlertEvent:
        return AlertEvent(
            kind, rule.name, value, rule.threshold, rule.window_ms / 1000, now, ids, {}
        )

    def _end_blind(self, now: int) -> AlertEvent:
        assert self._blind is not None
        self._blind.resolved_at_ms = now
        self._blind = None
        limit_s = self.blind_after_ms / 1000
        return AlertEvent(RESOLVED, SOURCE_RULE, None, limit_s, limit_s, now)

    def _tell(self, events: list[AlertEvent]) -> list[AlertEvent]:
        if events:
            for listener in list(self._listeners):
                listener(events)
        return events


def _before(now: int, until: int | None) -> bool:
    return until is not None and now < until
