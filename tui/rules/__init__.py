"""Alert rules: their small language (the selection is the query language), and their
incremental evaluation on every poll, shared by the screen and `toolwatch watch`.

``model`` (Rule, AlertEvent), ``parser`` (parse_rule), ``window`` (one rule's trailing
window), ``engine`` (RuleEngine: episodes, cooldown, snooze, blind), ``config`` (the
``[[rules]]`` of config.toml, read only).
"""

from __future__ import annotations

from tui.rules.engine import DEFAULT_BLIND_AFTER_MS, Episode, RuleEngine
from tui.rules.model import (
    BLIND,
    COUNT,
    DEFAULT_COOLDOWN_MS,
    ERROR_RATE,
    FIRING,
    RESOLVED,
    SOURCE_RULE,
    AlertEvent,
    Rule,
)
from tui.rules.parser import FORMS, RuleSyntaxError, parse_named_rule, parse_rule

__all__ = [
    "BLIND",
    "COUNT",
    "DEFAULT_BLIND_AFTER_MS",
    "DEFAULT_COOLDOWN_MS",
    "ERROR_RATE",
    "FIRING",
    "FORMS",
    "RESOLVED",
    "SOURCE_RULE",
    "AlertEvent",
    "Episode",
    "Rule",
    "RuleEngine",
    "RuleSyntaxError",
    "parse_named_rule",
    "parse_rule",
]
