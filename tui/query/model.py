"""LogQuery, its filters and time range, and the Logs API body they become (A.2).

Also how a query is evaluated here rather than by the server (``matches``), for
sources that filter locally and for checking what the server sent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

from tui.constants import (
    BUDDY_FILTER_FIELDS,
    DEFAULT_LIMIT,
    FILTER_FIELDS,
    FILTER_OPERATORS,
    MAX_LIMIT,
)
from tui.errors import QueryError
from tui.models.normalize import wire_text

if TYPE_CHECKING:
    from tui.models.entry import LogEntry

# A live window has no end; the API wants one, so it ends this far past our clock,
# which also absorbs any skew between our clock and the server's timestamps.
FUTURE_SLACK_MS: Final = 24 * 3600 * 1000


def open_end_ms(now_ms: int) -> int:
    """Where an open-ended time range is closed when it is sent: ``FUTURE_SLACK_MS``
    past ``now_ms``."""
    return now_ms + FUTURE_SLACK_MS


@dataclass(frozen=True)
class Filter:
    field: str
    operator: str
    value: str

    def __post_init__(self) -> None:
        if self.field not in FILTER_FIELDS and self.field not in BUDDY_FILTER_FIELDS:
            known = ", ".join((*FILTER_FIELDS, *BUDDY_FILTER_FIELDS))
            raise QueryError(f"unknown filter field {self.field!r}; use one of {known}")
        if self.operator not in FILTER_OPERATORS:
            raise QueryError(
                f"unknown operator {self.operator!r}; use one of {', '.join(FILTER_OPERATORS)}"
            )

    def to_api(self) -> dict[str, str]:
        return {"field": self.field, "operator": self.operator, "value": self.value}

    def accepts(self, text: str) -> bool:
        """Whether a log whose ``field`` reads ``text`` passes, as the server decides:
        exact or substring, case-sensitive; an absent value is ``""``."""
        if self.operator == "==":
            return text == self.value
        if self.operator == "!=":
            return text != self.value
        if self.operator == "contains":
            return self.value in text
        return self.value not in text

    def matches(self, entry: LogEntry) -> bool:
        return self.accepts(field_text(entry, self.field))


@dataclass(frozen=True)
class TimeRange:
    """Bounds in epoch milliseconds, as the API wants them; ``to_ms`` None is open-ended
    (``since:15m`` alone), sent as ``FUTURE_SLACK_MS`` past the clock because the API
    wants both bounds."""

    from_ms: int
    to_ms: int | None = None

    def __post_init__(self) -> None:
        if self.to_ms is not None and self.from_ms > self.to_ms:
            raise QueryError("the time range starts after it ends; swap since and until")

    def end_ms(self, now_ms: int) -> int:
        """The upper bound to send: ``to_ms``, or far enough past ``now_ms``."""
        if self.to_ms is not None:
            return self.to_ms
        return max(self.from_ms, open_end_ms(now_ms))

    def to_api(self, *, now_ms: int | None = None) -> dict[str, int]:
        now = int(time.time() * 1000) if now_ms is None else now_ms
        return {"from": self.from_ms, "to": self.end_ms(now)}

    def contains(self, ms: int) -> bool:
        """Whether a log stamped ``ms`` is in range: both bounds inclusive, as the server
        takes ``from`` and ``to``. An open end has no bound here (what is sent closes it
        ``FUTURE_SLACK_MS`` past the clock)."""
        return self.from_ms <= ms and (self.to_ms is None or ms <= self.to_ms)


@dataclass(frozen=True)
class LogQuery:
    """Filters (AND-combined by the API, repeated fields too: ``tool:a tool:b`` matches
    nothing; there is no OR), a time range, and bare words, which are searched for
    locally in messages and never sent."""

    filters: tuple[Filter, ...] = field(default=())
    time_range: TimeRange | None = None
    words: tuple[str, ...] = ()

    def to_api_body(
        self, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None, now_ms: int | None = None
    ) -> dict[str, Any]:
        """The list request body (A.2); ``now_ms`` closes an open-ended time range."""
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        body: dict[str, Any] = {"limit": limit, "filters": [f.to_api() for f in self.filters]}
        if cursor is not None:
            body["cursor"] = cursor
        if self.time_range is not None:
            body["time_range"] = self.time_range.to_api(now_ms=now_ms)
        return body

    @property
    def is_empty(self) -> bool:
        return not self.filters and self.time_range is None and not self.words

    @property
    def server_part(self) -> LogQuery:
        """The same query without its words: what requests are made with."""
        return replace(self, words=()) if self.words else self

    def matches_words(self, message: str) -> bool:
        """Whether ``message`` contains every word (case-insensitive)."""
        folded = message.casefold()
        return all(word.casefold() in folded for word in self.words)

    def matches(self, entry: LogEntry) -> bool:
        """Whether ``entry`` answers the whole query, evaluated here rather than by the
        server: the time range, every filter (``Filter.accepts``), and the words."""
        if self.time_range is not None and not self.time_range.contains(entry.timestamp_ms):
            return False
        return all(f.matches(entry) for f in self.filters) and self.matches_words(entry.message)


# -- evaluating filters locally ------------------------------------------------------------

# The LogEntry attribute for each field, for entries that carry no Composio wire object.
ENTRY_ATTRIBUTES: Final = {
    "tool_slug": "tool",
    "toolkit_slug": "toolkit",
    "connected_account_id": "connected_account_id",
    "auth_config_id": "auth_config_id",
    "status": "status",
    "user_id": "user_id",
    "session_id": "session_id",
    "log_id": "id",
    # A Buddy row's pipeline and action are its toolkit and tool (tui.constants).
    "pipeline": "toolkit",
    "action": "tool",
}


def field_text(entry: LogEntry, api_field: str) -> str:
    """The text a filter on ``api_field`` compares for ``entry``.

    For a Composio log it is the wire's own text (``entry.raw``), as the server compares
    it, not the sanitized display attribute (which escapes control characters and cuts
    long values); a Buddy row's too (its raw is a log line of the same shape, with its
    own fields in ``metadata``). An entry without a wire object falls back to its
    attribute."""
    if entry.raw and entry.source in ("composio", "buddy"):
        return wire_text(entry.raw, api_field)
    attribute = ENTRY_ATTRIBUTES.get(api_field)
    value = getattr(entry, attribute) if attribute is not None else ""
    return value if isinstance(value, str) else ""
