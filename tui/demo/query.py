"""A.2 list requests: validation, cursor codec and the filtered, paged selection."""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.constants import DEFAULT_LIMIT, FILTER_FIELDS, FILTER_OPERATORS, MAX_LIMIT
from tui.demo.errors import bad_request
from tui.demo.store import DIMENSIONS, LogStore

STATUSES = ("success", "failed")
_CURSOR_FIX = "Send back the next_cursor of the previous response unchanged, or null."


@dataclass(frozen=True, slots=True)
class Filter:
    field: str
    operator: str
    value: str


@dataclass(frozen=True, slots=True)
class ListRequest:
    limit: int = DEFAULT_LIMIT
    page: int = 1
    filters: tuple[Filter, ...] = ()
    time_range: tuple[int, int] | None = None


def encode_cursor(page: int) -> str:
    # The documented example cursor "eyJwYWdlIjoyfQ==" is exactly this for page 2.
    return base64.b64encode(json.dumps({"page": page}, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        decoded = json.loads(base64.b64decode(cursor.encode("ascii"), validate=True))
    except (UnicodeError, binascii.Error, ValueError):
        raise bad_request(f"Invalid cursor {cursor!r}", _CURSOR_FIX) from None
    page = decoded.get("page") if isinstance(decoded, dict) else None
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise bad_request(f"Invalid cursor {cursor!r}", _CURSOR_FIX)
    return page


def is_integer(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse_list_request(body: Any) -> ListRequest:
    if body is None:
        return ListRequest()
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    limit = body.get("limit")
    if limit is None:
        limit = DEFAULT_LIMIT
    if not is_integer(limit) or not 1 <= limit <= MAX_LIMIT:
        raise bad_request(
            f"limit must be an integer from 1 to {MAX_LIMIT}, got {json.dumps(limit)}",
            f"Send a limit between 1 and {MAX_LIMIT} and follow next_cursor for more.",
        )
    cursor = body.get("cursor")
    if cursor is not None and not isinstance(cursor, str):
        raise bad_request("cursor must be a string or null", _CURSOR_FIX)
    page = 1 if cursor is None else decode_cursor(cursor)
    return ListRequest(
        limit=int(limit),
        page=page,
        filters=_parse_filters(body.get("filters")),
        time_range=_parse_time_range(body.get("time_range")),
    )


def _parse_filters(raw: Any) -> tuple[Filter, ...]:
    if raw is None:
        return ()
    shape = "an array of {field, operator, value} objects"
    if not isinstance(raw, list):
        raise bad_request(f"filters must be {shape}")
    parsed = []
    for n, item in enumerate(raw):
        where = f"filters[{n}]"
        if not isinstance(item, dict) or not {"field", "operator", "value"} <= item.keys():
            raise bad_request(f"{where} must be an object with field, operator and value")
        field, operator, value = item["field"], item["operator"], item["value"]
        if field not in FILTER_FIELDS:
            raise bad_request(
                f"{where}.field: unknown filter field {json.dumps(field)}",
                f"Use one of: {', '.join(FILTER_FIELDS)}.",
            )
        if operator not in FILTER_OPERATORS:
            raise bad_request(
                f"{where}.operator: unknown operator {json.dumps(operator)}",
                f"Use one of: {', '.join(FILTER_OPERATORS)}.",
            )
        if not isinstance(value, str):
            raise bad_request(f"{where}.value must be a string, got {json.dumps(value)}")
        if field == "status" and operator in ("==", "!=") and value not in STATUSES:
            raise bad_request(
                f"{where}.value: status must be 'success' or 'failed', got {json.dumps(value)}"
            )
        parsed.append(Filter(field, operator, value))
    return tuple(parsed)


def _parse_time_range(raw: Any) -> tuple[int, int] | None:
    if raw is None:
        return None
    fix = 'Send time_range as {"from": <epoch ms>, "to": <epoch ms>}, both required.'
    if not isinstance(raw, dict):
        raise bad_request("time_range must be an object with from and to", fix)
    for key in ("from", "to"):
        if key not in raw:
            raise bad_request(f"time_range.{key} is required", fix)
        if not is_number(raw[key]):
            raise bad_request(f"time_range.{key} must be epoch milliseconds (a number)", fix)
    start, end = math.ceil(raw["from"]), math.floor(raw["to"])
    if raw["from"] > raw["to"]:
        raise bad_request("time_range.from must not be after time_range.to", fix)
    return start, end


def _predicate(operator: str, value: str) -> Callable[[str], bool]:
    if operator == "==":
        return value.__eq__
    if operator == "!=":
        return value.__ne__
    if operator == "contains":
        return lambda s: value in s
    return lambda s: value not in s


def select(
    store: LogStore, request: ListRequest, hidden: Callable[[int], bool] | None = None
) -> tuple[list[int], int | None]:
    """Indices of one page, newest first, and the next page number (None on the last)."""
    order, ts = store.order, store.ts
    lo, hi = 0, len(order)
    if request.time_range is not None:
        start, end = request.time_range
        lo = bisect.bisect_left(order, start, key=ts.__getitem__)
        hi = bisect.bisect_right(order, end, key=ts.__getitem__)
    matches: Any = order[lo:hi]
    for flt in request.filters:
        matches = _keep(store, matches, flt)
    if hidden is not None:
        matches = [i for i in matches if not hidden(i)]
    # `matches` is oldest first; page 1 is its newest end.
    newer = len(matches) - (request.page - 1) * request.limit
    if newer <= 0:
        return [], None
    older = max(0, newer - request.limit)
    page = list(reversed(matches[older:newer]))
    return page, (request.page + 1 if older > 0 else None)


def _keep(store: LogStore, matches: Any, flt: Filter) -> list[int]:
    value = flt.value
    if flt.field in DIMENSIONS:
        # Decide once per distinct value, then it is a set lookup per log.
        predicate = _predicate(flt.operator, value)
        table = store.tables[flt.field].values
        allowed = frozenset(code for code, text in enumerate(table) if predicate(text))
        column = store.columns[flt.field]
        return [i for i in matches if column[i] in allowed]
    texts = store.ids if flt.field == "log_id" else store.request_ids
    if flt.operator == "==":
        return [i for i in matches if texts[i] == value]
    if flt.operator == "!=":
        return [i for i in matches if texts[i] != value]
    if flt.operator == "contains":
        return [i for i in matches if value in texts[i]]
    return [i for i in matches if value not in texts[i]]
