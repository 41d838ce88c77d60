"""The normalized log entry every part of toolwatch above the sources uses.

Sources (the Composio API, a JSON-lines file, later Buddy.works) turn their own
wire shapes into ``LogEntry``; nothing above them knows a vendor's field names.
Display fields are sanitized once, here at the model boundary (see
``tui.sanitize``); ``raw`` keeps the untouched wire object for copy and export.

Ids are keys, not display fields: ``id`` and ``parent_log_id`` stay as the source
wrote them (escapes, markup, newlines and all), because the store, the tail's
dedupe and every request for a log's detail key on them, and a sanitized id names
no log on the server. Whatever draws an id passes it through ``clean`` itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from tui import fmt
from tui.jsontree import cap_depth
from tui.redact import redact_text
from tui.sanitize import clean

STATUS_SUCCESS = "success"
STATUS_FAILED = "failed"

# Display fields that are sanitized on construction. ``message`` keeps a longer
# limit because the detail pane shows it whole; the table truncates further.
_SHORT_FIELDS = (
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


class LogEntry(BaseModel):
    """One tool execution as toolwatch shows it, independent of where it came from."""

    model_config = ConfigDict(frozen=True)

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
    raw: dict[str, Any] = Field(default_factory=dict, repr=False)

    @field_validator(*_SHORT_FIELDS, mode="before")
    @classmethod
    def _clean_short(cls, value: object) -> object:
        if value is None:
            return None
        return clean(value, max_len=500)

    @field_validator("id", "parent_log_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        """Kept as it is; anything but text (a number) as its text, as before."""
        if value is None or isinstance(value, str):
            return value
        return str(value)

    @field_validator("timestamp_ms", "duration_ms", mode="before")
    @classmethod
    def _number_in_range(cls, value: object, info: ValidationInfo) -> object:
        """Held in range. A time out of range (year 10000, -10**30) just outside it, shown
        as a bad time and sorted at its end; a duration of 2**63, 1e300, NaN or below 0
        as ``fmt.INVALID_DURATION_MS`` (SQLite holds no integer over 2**63 - 1). The
        source's value stays in ``raw``."""
        if not isinstance(value, int | float) or isinstance(value, bool):
            return value
        if info.field_name == "timestamp_ms":
            return fmt.time_in_range(value)
        return fmt.duration_in_range(value)

    @field_validator("raw", mode="before")
    @classmethod
    def _raw_depth_capped(cls, value: object) -> object:
        """Held no deeper than ``tui.jsontree.MAX_DEPTH``: every walk and writer after
        this one (store, redactor, exports, the JSON tab) can then recurse safely."""
        return cap_depth(value)

    @field_validator("message", mode="before")
    @classmethod
    def _clean_message(cls, value: object) -> str:
        # Credentials in the text (a token in a URL, "Authorization: Bearer …") are
        # masked here, where every view gets it; ``raw`` keeps the message for export,
        # which masks it on its way out.
        return clean(redact_text(value), max_len=10_000)

    @property
    def failed(self) -> bool:
        return self.status == STATUS_FAILED

    @property
    def timestamp(self) -> datetime:
        return fmt.utc_datetime(min(max(self.timestamp_ms, fmt.MIN_TIME_MS), fmt.MAX_TIME_MS))
