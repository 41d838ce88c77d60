"""`RuleWindow`: the logs one rule selects over its trailing window, kept incrementally.

A log counts while ``now - window < timestamp``. Logs arrive in any order (a late one
is put in its place, usually near the newest end); each poll drops what the window has
left behind, so a poll costs O(new logs + logs dropped), and a percentile read sorts
only what changed (`tui.stats.Durations`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from tui.models.entry import LogEntry
from tui.rules.model import COUNT, ERROR_RATE, MAX_EVENT_IDS, PERCENTILE_METRICS, Rule
from tui.stats import Durations, usable_duration


@dataclass(frozen=True, slots=True)
class _Held:
    timestamp_ms: int
    log_id: str
    failed: bool
    duration_ms: int | None


class RuleWindow:
    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self._held: deque[_Held] = deque()
        self._ids: set[str] = set()
        self.count = 0
        self.failed = 0
        self.durations = Durations()

    def add(self, entry: LogEntry, now_ms: int) -> None:
        """Hold ``entry`` if the rule selects it, it is new, and it is inside the window."""
        if entry.id in self._ids or entry.timestamp_ms <= now_ms - self.rule.window_ms:
            return
        if not self.rule.query.matches(entry):
            return
        held = _Held(entry.timestamp_ms, entry.id, entry.failed, usable_duration(entry))
        at = len(self._held)
        while at and self._held[at - 1].timestamp_ms > held.timestamp_ms:
            at -= 1
        self._held.insert(at, held)
        self._ids.add(held.log_id)
        self.count += 1
        self.failed += held.failed
        if held.duration_ms is not None:
            self.durations.add(held.duration_ms)

    def advance(self, now_ms: int) -> None:
        """Drop what is no longer inside the window ending at ``now_ms``."""
        edge = now_ms - self.rule.window_ms
        while self._held and self._held[0].timestamp_ms <= edge:
            gone = self._held.popleft()
            self._ids.discard(gone.log_id)
            self.count -= 1
            self.failed -= gone.failed
            if gone.duration_ms is not None:
                self.durations.remove(gone.duration_ms)

    def value(self) -> float | None:
        """The rule's value over the window; None while a rate or percentile rule has
        fewer than its ``min`` calls."""
        rule = self.rule
        if rule.metric == COUNT:
            return self.count
        if rule.metric == ERROR_RATE:
            return self.failed / self.count if self.count >= max(rule.min_calls, 1) else None
        if len(self.durations) < max(rule.min_calls, 1):
            return None
        return self.durations.percentile(PERCENTILE_METRICS[rule.metric])

    def evidence(self) -> tuple[str, ...]:
        """The newest ids that make the case: the logs counted, the failures, or the calls
        slower than the threshold (at most MAX_EVENT_IDS)."""
        rule = self.rule
        if rule.metric == COUNT:
            picked = list(self._held)
        elif rule.metric == ERROR_RATE:
            picked = [held for held in self._held if held.failed]
        else:
            picked = [
                held
                for held in self._held
                if held.duration_ms is not None and held.duration_ms > rule.threshold
            ]
        return tuple(held.log_id for held in picked[-MAX_EVENT_IDS:])
