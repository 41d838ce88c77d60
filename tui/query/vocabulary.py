"""The words of the query language: field names, operators, statuses, time names.

The parser reads them, the printer writes them and completion offers them, so they
are defined once here.
"""

from __future__ import annotations

from typing import Final

from tui.constants import FILTER_FIELDS

# Short name -> API field, in the order completion offers them.
FIELDS: Final = {
    "tool": "tool_slug",
    "toolkit": "toolkit_slug",
    "status": "status",
    "user": "user_id",
    "session": "session_id",
    "account": "connected_account_id",
    "auth": "auth_config_id",
    "sandbox": "sandbox_id",
    "request": "request_id",
    "id": "log_id",
}
FIELD_NAMES: Final = tuple(FIELDS)
SHORT_NAMES: Final = {api: short for short, api in FIELDS.items()}
TIME_NAMES: Final = ("since", "until")
# The status values the API knows (A.2), and the bare words that stand for them.
STATUSES: Final = ("success", "failed")
STATUS_WORDS: Final = {"failed": "failed", "ok": "success"}
WORD_FOR_STATUS: Final = {value: word for word, value in STATUS_WORDS.items()}

# (negated, operator character) <-> API operator.
OPERATORS: Final = {
    (False, ":"): "==",
    (True, ":"): "!=",
    (False, "~"): "contains",
    (True, "~"): "not_contains",
}
OPERATOR_SYNTAX: Final = {operator: syntax for syntax, operator in OPERATORS.items()}


def field_for(name: str) -> str | None:
    """The API field a short or full field name stands for, else None."""
    if name in FIELDS:
        return FIELDS[name]
    return name if name in FILTER_FIELDS else None
