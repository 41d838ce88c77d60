"""The words of the query language: field names, operators, statuses, time names.

The parser reads them, the printer writes them and completion offers them, so they
are defined once here. Composio's fields are the Logs API's filters (api-contract.md
A.2); a Buddy source's are its rows' own (pipeline, action, type, branch, trigger:
buddy-contract.md A.3–A.5), compared here, since Buddy's lists take no filters.
"""

from __future__ import annotations

from typing import Final, Literal

from tui.constants import BUDDY_FILTER_FIELDS, FILTER_FIELDS

# Whose fields a query may name: a Composio source's, a Buddy source's, or (None) either,
# for a file, which may hold either kind of line, and for alert rules.
Kind = Literal["composio", "buddy"] | None

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
# A Buddy row's own fields (issue 17 §4; buddy-contract.md A.3–A.5), compared here only.
BUDDY_FIELDS: Final = {
    "pipeline": "pipeline",
    "action": "action",
    "type": "action_type",
    "branch": "branch",
    "trigger": "trigger",
}
# The fields both kinds have: on a Buddy row, who triggered the run and the row's id.
SHARED_FIELDS: Final = ("status", "user", "id")
SHORT_NAMES: Final = {api: short for short, api in (FIELDS | BUDDY_FIELDS).items()}
TIME_NAMES: Final = ("since", "until")
# The status values the API knows (A.2), and the bare words that stand for them.
STATUSES: Final = ("success", "failed")
# A Buddy row's statuses, as tui.sources.buddy.rows maps Buddy's words (A.4, A.5).
BUDDY_STATUSES: Final = (*STATUSES, "running", "queued", "skipped", "waiting")
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
    """The field a short or full field name stands for, whatever the kind, else None."""
    if name in FIELDS:
        return FIELDS[name]
    if name in BUDDY_FIELDS:
        return BUDDY_FIELDS[name]
    return name if name in FILTER_FIELDS or name in BUDDY_FILTER_FIELDS else None


def field_names(kind: Kind) -> tuple[str, ...]:
    """The short names a query on ``kind`` takes, in the order completion offers them."""
    if kind == "buddy":
        return (*BUDDY_FIELDS, *SHARED_FIELDS)
    if kind == "composio":
        return FIELD_NAMES
    return (*FIELD_NAMES, *BUDDY_FIELDS)


def statuses(kind: Kind) -> tuple[str, ...]:
    """The status values a query on ``kind`` takes."""
    return STATUSES if kind == "composio" else BUDDY_STATUSES


def foreign_field(api_field: str, kind: Kind) -> tuple[str, str] | None:
    """Why ``api_field`` is not one of ``kind``'s, and what to write instead (``{term}``
    stands for the term with ``BUDDY_INSTEAD``'s field); None when it is."""
    short = SHORT_NAMES[api_field]
    if short in SHARED_FIELDS or kind is None:
        return None
    if kind == "composio" and api_field in BUDDY_FILTER_FIELDS:
        names = ", ".join(FIELD_NAMES)
        return f"{short} is a Buddy field", f"this source is Composio's; its fields: {names}"
    if kind == "buddy" and api_field not in BUDDY_FILTER_FIELDS:
        names = ", ".join(field_names(kind))
        instead = "write {term}" if short in BUDDY_INSTEAD else f"its fields: {names}"
        return f"{short} is a Composio field", f"this source is Buddy's: {instead}"
    return None


def field_of(name: str, kind: Kind) -> str | None:
    """The field ``name`` stands for on a source of ``kind``; None when it is none of
    its fields."""
    found = field_for(name)
    return found if found is not None and foreign_field(found, kind) is None else None


# On a Buddy row, the field that holds what a Composio field would.
BUDDY_INSTEAD: Final = {"tool": "action", "toolkit": "pipeline"}
