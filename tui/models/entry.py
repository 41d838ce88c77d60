"""The normalized log entry every part of toolwatch above the sources uses.

Sources (the Composio API, a JSON-lines file, Buddy.works) turn their own wire shapes
into ``LogEntry``; nothing above them knows a vendor's field names. Display fields are
sanitized once, here at the model boundary (see ``tui.sanitize``); ``raw`` keeps the
untouched wire object for copy and export.

Ids are keys, not display fields: ``id`` and ``parent_log_id`` stay as the source
wrote them (escapes, markup, newlines and all), because the store, the tail's
dedupe and every request for a log's detail key on them, and a sanitized id names
no log on the server. Whatever draws an id passes it through ``clean`` itself.

A plain frozen dataclass, not a pydantic model: a file of a million lines builds
entries by the page, and ``toolwatch list --file`` should not pay pydantic's import
(about 0.3 s here) to print a hundred lines. What a validator did is ``__post_init__``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from tui import fmt
from tui.jsontree import cap_depth
from tui.redact import redact_text
from tui.sanitize import clean

STATUS_SUCCESS = "success"
STATUS_FAILED = "failed"

# Display fields that are sanitized on construction. ``message`` keeps a longer
# limit because the detail pane shows it whole; the table truncates further.
_SHORT_FIELDS: Final = (
    "status",
    "level",
    "type",
    "toolkit",
    "tool",
    "user_id",
    "session_id",
    "connected_account_id",
    "auth_config_id",
    "parent_tool",
    "source",
)


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One tool execution as toolwatch shows it, independent of where it came from."""

    id: str
    timestamp_ms: int
    status: str = ""
    level: str = ""
    type: str = ""
    toolkit: str = ""
    tool: str = ""
    user_id: str = ""
    session_id: str = ""
    connected_account_id: str = ""
    auth_config_id: str = ""
    duration_ms: int | None = None
    message: str = ""
    parent_log_id: str | None = None
    parent_tool: str | None = None
    source: str = "composio"
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        put = object.__setattr__
        for name in _SHORT_FIELDS:
            value = getattr(self, name)
            if value is not None or name != "parent_tool":
                put(self, name, clean(value, max_len=500))
        # Ids are kept as they are; anything but text (a number) as its text.
        if not isinstance(self.id, str):
            put(self, "id", str(self.id))
        if self.parent_log_id is not None and not isinstance(self.parent_log_id, str):
            put(self, "parent_log_id", str(self.parent_log_id))
        # Held in range. A time out of range (year 10000, -10**30) just outside it, shown
        # as a bad time and sorted at its end; a duration of 2**63, 1e300, NaN or below 0
        # as ``fmt.INVALID_DURATION_MS`` (SQLite holds no integer over 2**63 - 1). The
        # source's value stays in ``raw``.
        put(self, "timestamp_ms", fmt.time_in_range(_number(self.timestamp_ms)))
        if self.duration_ms is not None:
            put(self, "duration_ms", fmt.duration_in_range(_number(self.duration_ms)))
        # Credentials in the text (a token in a URL, "Authorization: Bearer …") are
        # masked here, where every view gets it; ``raw`` keeps the message for export,
        # which masks it on its way out.
        put(self, "message", clean(redact_text(self.message), max_len=10_000))
        # Held no deeper than ``tui.jsontree.MAX_DEPTH``: every walk and writer after
        # this one (store, redactor, exports, the JSON tab) can then recurse safely.
        if not isinstance(self.raw, dict):
            raise TypeError(f"LogEntry.raw must be a dict, not {type(self.raw).__name__}")
        put(self, "raw", cap_depth(self.raw))

    @classmethod
    def trusted(cls, **values: Any) -> LogEntry:
        """An entry from values made by an entry before (the store's rows), not checked
        or cleaned again; a field not given has its default."""
        entry = object.__new__(cls)
        for field_ in dataclasses.fields(cls):
            if field_.name in values:
                value = values[field_.name]
            elif field_.default_factory is not dataclasses.MISSING:
                value = field_.default_factory()
            else:
                value = field_.default
            object.__setattr__(entry, field_.name, value)
        return entry

    @property
    def failed(self) -> bool:
        return self.status == STATUS_FAILED

    @property
    def timestamp(self) -> datetime:
        return fmt.utc_datetime(min(max(self.timestamp_ms, fmt.MIN_TIME_MS), fmt.MAX_TIME_MS))


# The fields, in order: the store's columns.
FIELDS: Final = tuple(f.name for f in dataclasses.fields(LogEntry))


def _number(value: object) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"a LogEntry time or duration must be a number, not {value!r:.40}")
    return value
