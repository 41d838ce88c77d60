"""Watching: the session's live statistics and alert rules, fed by what it stores.

Every batch the session stores (polls, older pages, filled gaps, late logs) goes into one
`StatsEngine` and one `RuleEngine`; a new query empties the statistics (they count what
the table holds) but keeps the rules, their episodes and snoozes (an alert outlives a
query change). A poll that fails tells the rules, which raise the "blind" alert once the
source has been failing for ``blind_after_ms``. Nothing here draws: the screen subscribes
to ``stats`` (via `on_stats_reset` for a new engine) and to ``rules``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tui.errors import ConfigError
from tui.models.entry import LogEntry
from tui.rules import DEFAULT_BLIND_AFTER_MS, Rule, RuleEngine
from tui.rules.config import rules_from_config
from tui.stats import StatsEngine

StatsListener = Callable[[StatsEngine], None]


class Watching:
    def __init__(
        self,
        rules: Sequence[Rule] = (),
        *,
        config: Path | None = None,
        blind_after_ms: int = DEFAULT_BLIND_AFTER_MS,
    ) -> None:
        self.problem: str | None = None  # why config.toml's rules are not watched
        try:
            configured = rules_from_config(config)
        except ConfigError as error:
            configured, self.problem = [], f"{error}. Its alert rules are not watched."
        given = {rule.name for rule in rules}
        # A rule given by name replaces config.toml's of the same name.
        ordered = [rule for rule in configured if rule.name not in given] + list(rules)
        self.rules = RuleEngine(ordered, blind_after_ms=blind_after_ms)
        self.stats = StatsEngine()
        self._reset_listeners: list[StatsListener] = []

    def on_stats_reset(self, listener: StatsListener) -> Callable[[], None]:
        """Call ``listener`` with each new StatsEngine (a new query, a file read again)."""
        self._reset_listeners.append(listener)
        return lambda: self._reset_listeners.remove(listener)

    def reset(self) -> None:
        """The rows are gone: the statistics start again, empty; the rules go on."""
        self.stats = StatsEngine()
        for listener in list(self._reset_listeners):
            listener(self.stats)

    def stored(self, entries: Iterable[LogEntry], now_ms: int) -> None:
        """A batch was stored at ``now_ms`` (any order, late logs too)."""
        batch = list(entries)
        self.stats.add(batch)
        self.rules.poll(batch, now_ms)

    def source_failed(self, now_ms: int, problem: str) -> None:
        self.rules.source_failed(now_ms, problem)
