"""`GroupStats`: what the stats count for one group of logs (a toolkit, a tool, a user,
an auth config, a connected account, or the whole selection)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tui import fmt
from tui.models.entry import LogEntry
from tui.query import field_text
from tui.stats.percentiles import PERCENTILES, Durations

# What `--by` and the stats screen group by: the name used, and the API field. A group is
# keyed on the field's text as a filter compares it (`field_text`: the source's own, not
# the sanitized display value), so a group's key is exactly the filter that selects it;
# whatever draws a key sanitizes it.
GROUP_FIELDS = {
    "toolkit": "toolkit_slug",
    "tool": "tool_slug",
    "user": "user_id",
    "auth": "auth_config_id",
    "account": "connected_account_id",
}
ALL = "*"  # the group (and `by`) of the whole selection


def group_key(entry: LogEntry, by: str) -> str:
    return field_text(entry, GROUP_FIELDS[by])


def usable_duration(entry: LogEntry) -> int | None:
    """The duration percentiles count: none when unknown or not a duration at all."""
    ms = entry.duration_ms
    return None if ms is None or ms == fmt.INVALID_DURATION_MS else ms


def iso(ms: int) -> str:
    """``ms`` as an ISO UTC time; a bad time as the nearest one that can be written."""
    return fmt.iso_utc(min(max(ms, fmt.MIN_TIME_MS), fmt.MAX_TIME_MS))


@dataclass
class GroupStats:
    by: str
    group: str
    count: int = 0
    failed: int = 0
    durations: Durations = field(default_factory=Durations)
    last_failure_ms: int | None = None
    last_failure_id: str | None = None
    patterns: Counter[str] = field(default_factory=Counter)

    def add(self, entry: LogEntry, pattern: str | None) -> None:
        self.count += 1
        ms = usable_duration(entry)
        if ms is not None:
            self.durations.add(ms)
        if not entry.failed:
            return
        self.failed += 1
        if pattern is not None:
            self.patterns[pattern] += 1
        newest = self.last_failure_ms
        if newest is None or (entry.timestamp_ms, entry.id) > (newest, self.last_failure_id or ""):
            self.last_failure_ms, self.last_failure_id = entry.timestamp_ms, entry.id

    @property
    def error_rate(self) -> float:
        return self.failed / self.count if self.count else 0.0

    def percentile(self, p: float) -> int | None:
        return self.durations.percentile(p)

    @property
    def top_pattern(self) -> str | None:
        """The most frequent failure pattern (ties: the first by name); None when no
        failure was recognized."""
        if not self.patterns:
            return None
        return min(self.patterns.items(), key=lambda item: (-item[1], item[0]))[0]

    def summary(self) -> dict[str, Any]:
        """The JSON line `toolwatch stats` prints for this group."""
        line: dict[str, Any] = {
            "by": self.by,
            "group": self.group,
            "count": self.count,
            "failed": self.failed,
            "error_rate": round(self.error_rate, 4),
        }
        for p in PERCENTILES:
            line[f"p{p}_ms"] = self.percentile(p)
        line["last_failure"] = None if self.last_failure_ms is None else iso(self.last_failure_ms)
        line["last_failure_id"] = self.last_failure_id
        line["top_failure"] = self.top_pattern
        return line
