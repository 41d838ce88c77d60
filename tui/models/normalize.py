"""Composio wire log -> LogEntry: the only place that knows where Composio keeps things.

``metadata`` is free-form and its layout is not contractually fixed (api-contract
A.2): public consumers read both ``tool_slug`` and ``tool.slug``, so every field
is looked up in each known spot and any value of an unexpected type is ignored
rather than trusted. Only a log we cannot place at all (no id, no readable time)
is refused, with an ``UnreadableBody`` the caller reports and skips.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from tui import fmt
from tui.errors import UnreadableBody
from tui.models.entry import LogEntry
from tui.models.loose import json_kind, loose_int, loose_text, text_or_empty, to_number

if TYPE_CHECKING:
    from tui.models.wire import WireLogItem

# A bare number as a timestamp: epoch milliseconds, as the rest of the API uses.
_DIGITS = re.compile(r"^\s*\d+(\.\d+)?\s*$")
# A number as text, finite or not (a long integer is kept as its digits: tui.jsontree).
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*(e[-+]?\d+)?|nan|inf(inity)?)\s*$", re.IGNORECASE)
# Timestamps after this (in ms) are the year 2286+: a number in seconds would read
# as 1970, so anything this small is taken as seconds instead.
_SECONDS_CUTOFF = 100_000_000_000


def entry_from_wire(item: WireLogItem | dict[str, Any], *, source: str = "composio") -> LogEntry:
    """Normalize one v3.1 list item (or detail) into a LogEntry.

    ``raw`` keeps the wire object untouched: the very dict when one is given, or
    the model dumped with wire names and unknown fields when a model is.
    Raises ``UnreadableBody`` when the item has no id, an unreadable timestamp,
    or is not an object at all; odd metadata never raises.
    """
    if isinstance(item, dict):
        raw = item
    elif hasattr(item, "model_dump"):  # a WireLogItem, as the API client reads a page
        raw = item.model_dump(mode="json", by_alias=True)
    else:
        raise UnreadableBody(detail=f"a log should be a JSON object, not {json_kind(item)}")
    wire = read_item(raw)

    if not wire.id.strip():
        raise UnreadableBody(detail="a log has an empty id")
    try:
        timestamp_ms = parse_timestamp_ms(wire.timestamp)
    except (ValueError, OverflowError):  # OverflowError: a number of 400 digits
        raise UnreadableBody(
            detail=f"log {wire.id}: unreadable timestamp {wire.timestamp[:40]!r}"
        ) from None

    return LogEntry(
        id=wire.id,
        timestamp_ms=timestamp_ms,
        status=wire.status,
        level=wire.level,
        type=wire.type,
        toolkit=wire_text(raw, "toolkit_slug"),
        tool=wire_text(raw, "tool_slug"),
        user_id=wire_text(raw, "user_id"),
        session_id=wire_text(raw, "session_id"),
        connected_account_id=wire_text(raw, "connected_account_id"),
        auth_config_id=wire_text(raw, "auth_config_id"),
        duration_ms=_duration_ms(wire),
        message=wire.message or "",
        parent_log_id=wire.parent_log_id,
        parent_tool=wire.parent_tool,
        source=source,
        raw=raw,
    )


@dataclass(frozen=True, slots=True)
class WireFields:
    """What ``entry_from_wire`` reads of a log, read as ``WireLogDetail`` reads it (a
    test holds the two to agree) without building the pydantic model."""

    id: str
    timestamp: str
    type: str
    status: str
    level: str
    message: str | None
    metrics: dict[str, Any]
    parent_log_id: str | None
    parent_tool: str | None
    start_time: int | None  # timings
    end_time: int | None


def read_item(item: dict[str, Any]) -> WireFields:
    """The fields of a list item or detail ``item``, coerced as the wire models coerce
    them; ``UnreadableBody`` when its id or timestamp is missing or not text (or a
    number), said as the models' errors are ("log X: timestamp missing")."""
    problems: list[str] = []
    log_id = _required_text(item, "id", problems)
    timestamp = _required_text(item, "timestamp", problems)
    if log_id is None or timestamp is None:
        ident = item.get("id")
        prefix = f"log {ident}" if isinstance(ident, str) and ident else "a log"
        raise UnreadableBody(detail=f"{prefix}: {', '.join(problems)}")
    parent, timings = _object(item, "parent"), _object(item, "timings")
    metrics = _object(item, "metrics")
    return WireFields(
        id=log_id,
        timestamp=timestamp,
        type=str(text_or_empty(item.get("type"))),
        status=str(text_or_empty(item.get("status"))),
        level=str(text_or_empty(item.get("level"))),
        message=_optional_text(item.get("message")),
        metrics=metrics if metrics is not None else {},
        parent_log_id=_optional_text(parent.get("log_id")) if parent is not None else None,
        parent_tool=_optional_text(parent.get("tool_slug")) if parent is not None else None,
        start_time=loose_int(timings.get("start_time")) if timings is not None else None,
        end_time=loose_int(timings.get("end_time")) if timings is not None else None,
    )


def _required_text(item: dict[str, Any], key: str, problems: list[str]) -> str | None:
    """A required text field: text as it is, a number as its text (``coerce_numbers_to_str``)."""
    if key not in item:
        problems.append(f"{key} missing")
        return None
    value = item[key]
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # an integer past str()'s 4,300 digits
            pass
    problems.append(f"{key} wrong type")
    return None


def _object(item: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = item.get(key)
    return value if isinstance(value, dict) else None


def _optional_text(value: object) -> str | None:
    text = loose_text(value)
    return text if text is None else str(text)


# Where a Composio log (A.2 list item, A.3 detail) keeps each field a filter names, as
# paths from the log's root: entry_from_wire reads LogEntry's fields from these, and
# local filters (files) compare them as the server does. request_id and sandbox_id have
# no LogEntry attribute (the detail's context holds request_id; metadata sandbox_id).
WIRE_PATHS: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "tool_slug": (("metadata", "tool_slug"), ("metadata", "tool", "slug"), ("metadata", "tool")),
    "toolkit_slug": (
        ("metadata", "toolkit_slug"),
        ("metadata", "toolkit", "slug"),
        ("metadata", "toolkit"),
    ),
    "connected_account_id": (
        ("metadata", "connected_account_id"),
        ("metadata", "connected_account", "id"),
    ),
    "auth_config_id": (("metadata", "auth_config_id"), ("metadata", "auth_config", "id")),
    "status": (("status",),),
    "user_id": (("metadata", "user_id"),),
    "session_id": (("metadata", "session_id"), ("context", "session_id")),
    "sandbox_id": (("metadata", "sandbox_id"), ("metadata", "sandbox", "id")),
    "request_id": (("context", "request_id"), ("metadata", "request_id"), ("request_id",)),
    "log_id": (("id",),),
}
# A Buddy row's own fields (tui.constants.BUDDY_FILTER_FIELDS), where build_row keeps them.
WIRE_PATHS.update(
    {
        "pipeline": WIRE_PATHS["toolkit_slug"],
        "action": WIRE_PATHS["tool_slug"],
        "action_type": (("metadata", "action_type"),),
        "branch": (("metadata", "branch"),),
        "trigger": (("metadata", "trigger"),),
    }
)


def wire_text(raw: dict[str, Any], api_field: str) -> str:
    """The text a filter on ``api_field`` compares for the wire log ``raw``: the first of
    its ``WIRE_PATHS`` that holds text (or a number), else ``""`` (absent)."""
    return first_text(raw, *WIRE_PATHS[api_field])


def wire_texts(raw: dict[str, Any]) -> tuple[str, ...]:
    """``wire_text`` of every field, in ``LOCAL_FIELDS`` order, in one pass over ``raw``
    (for indexing many logs; spelled out for speed, and a test checks the two agree)."""
    meta = raw.get("metadata")
    if (
        meta.__class__ is dict
        and "context" not in raw
        and "request_id" not in raw
        and _FALLBACK_KEYS.isdisjoint(meta)
    ):
        # Each field's first path is its only one here: when every value is text (or
        # absent), it is the field's text.
        get = meta.get
        texts = (
            get("tool_slug", ""),
            get("toolkit_slug", ""),
            get("connected_account_id", ""),
            get("auth_config_id", ""),
            raw.get("status", ""),
            get("user_id", ""),
            get("session_id", ""),
            get("sandbox_id", ""),
            get("request_id", ""),
            raw.get("id", ""),
            get("action_type", ""),
            get("branch", ""),
            get("trigger", ""),
        )
        try:
            "".join(texts)  # raises TypeError unless each is a str
        except TypeError:
            pass
        else:
            return texts
    if not isinstance(meta, dict):
        meta = {}
    context = raw.get("context")
    if not isinstance(context, dict):
        context = {}
    get = meta.get
    return (
        _text_or_empty(get("tool_slug"))
        or _text_or_empty(_inner(meta, "tool", "slug"))
        or _text_or_empty(get("tool")),
        _text_or_empty(get("toolkit_slug"))
        or _text_or_empty(_inner(meta, "toolkit", "slug"))
        or _text_or_empty(get("toolkit")),
        _text_or_empty(get("connected_account_id"))
        or _text_or_empty(_inner(meta, "connected_account", "id")),
        _text_or_empty(get("auth_config_id")) or _text_or_empty(_inner(meta, "auth_config", "id")),
        _text_or_empty(raw.get("status")),
        _text_or_empty(get("user_id")),
        _text_or_empty(get("session_id")) or _text_or_empty(context.get("session_id")),
        _text_or_empty(get("sandbox_id")) or _text_or_empty(_inner(meta, "sandbox", "id")),
        _text_or_empty(context.get("request_id"))
        or _text_or_empty(get("request_id"))
        or _text_or_empty(raw.get("request_id")),
        _text_or_empty(raw.get("id")),
        _text_or_empty(get("action_type")),
        _text_or_empty(get("branch")),
        _text_or_empty(get("trigger")),
    )


# The usual log's shape: no context, no top-level request_id and none of these metadata
# keys (where a field falls back to): then each field's text is one value.
_FALLBACK_KEYS: Final = frozenset(
    {"tool", "toolkit", "connected_account", "auth_config", "sandbox"}
)


def _text_or_empty(value: object) -> str:
    """As ``first_text`` reads the end of a path: text, a number as text, else ""."""
    if value.__class__ is str:  # the usual cases first: a file reads millions
        return value
    if value is None:
        return ""
    return _text(value) or ""


def _inner(obj: dict[str, Any], key: str, inner: str) -> object:
    node = obj.get(key)
    return node.get(inner) if isinstance(node, dict) else None


def parse_timestamp_ms(value: str) -> int:
    """ISO 8601 (any fractional digits, ``Z`` or an offset; none means UTC) -> epoch ms.

    A bare number is taken as epoch milliseconds (seconds when it is too small to
    be milliseconds). A time out of range (``253402300800000``, 400 digits) is held as
    ``fmt.time_in_range`` says. Raises ValueError for anything else.
    """
    text = value.strip()
    if _DIGITS.match(text):
        number = float(text)  # inf for 400 digits: out of range, high
        return fmt.time_in_range(number * 1000 if number < _SECONDS_CUTOFF else number)
    if text[-1:] in ("z", "Z"):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # Integer arithmetic on timedeltas: float seconds would lose the last millisecond.
    return fmt.time_in_range(fmt.epoch_ms(moment))


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def first_text(obj: dict[str, Any], *paths: tuple[str, ...]) -> str:
    """The first path through nested objects that ends in text (or a number), else ""."""
    for path in paths:
        node: object = obj
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        found = _text(node)
        if found is not None:
            return found
    return ""


def _numeric(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (
        isinstance(value, str) and _NUMBER.match(value) is not None
    )


def _duration_ms(wire: WireFields) -> int | None:
    metric = wire.metrics.get("duration_ms")
    number = to_number(metric)
    if number is not None:
        return fmt.duration_in_range(number)
    if _numeric(metric):
        return fmt.INVALID_DURATION_MS  # a number, but not a finite one (1e400, NaN)
    # A detail without metrics still says how long the call took.
    start, end = wire.start_time, wire.end_time
    if start is not None and end is not None and end >= start:
        return end - start
    return None
