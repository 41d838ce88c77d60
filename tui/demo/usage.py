"""A.4 usage summary and breakdown, counted from the generated logs."""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tui.demo.errors import bad_request
from tui.demo.query import is_integer, is_number
from tui.demo.store import LogStore

ENTITY_TYPES = ("tool_calls", "sessions")
GROUP_BY = {
    "tool_calls": ("tool_slug", "toolkit_slug", "connected_account_id", "user_id", "session_id"),
    "sessions": ("user_id",),
}
ORDER_BY = ("key", "total_quantity", "event_count")
DEFAULT_WINDOW_MS = 30 * 24 * 3600 * 1000
MAX_WINDOW_MS = 366 * 24 * 3600 * 1000
DEFAULT_GROUPS = 100  # the spec's default; a guide says 50
MAX_GROUPS = 1000


@dataclass(frozen=True, slots=True)
class Scope:
    """The logs a usage request counts: [start, end) and optional user/session sets."""

    start: int
    end: int
    user_ids: frozenset[str] | None
    session_ids: frozenset[str] | None


def parse_scope(body: Any, now_ms: int) -> Scope:
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    for key in ("from", "to"):
        if body.get(key) is not None and not is_number(body[key]):
            raise bad_request(f"{key} must be epoch milliseconds (a number)")
    end = int(body["to"]) if body.get("to") is not None else now_ms
    start = int(body["from"]) if body.get("from") is not None else end - DEFAULT_WINDOW_MS
    if start > end:
        raise bad_request("from must not be after to")
    if end - start > MAX_WINDOW_MS:
        raise bad_request("The time range may span at most 366 days")
    filters = body.get("filters")
    if filters is None:
        filters = {}
    if not isinstance(filters, dict):
        raise bad_request("filters must be an object with user_id and/or session_id arrays")
    return Scope(start, end, _id_set(filters, "user_id"), _id_set(filters, "session_id"))


def _id_set(filters: dict[str, Any], key: str) -> frozenset[str] | None:
    raw = filters.get(key)
    if raw is None:
        return None
    if isinstance(raw, str):
        # The guide allows a bare string; the spec says an array. Accept both.
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise bad_request(f"filters.{key} must be an array of strings")
    return frozenset(raw)


def _selected(store: LogStore, scope: Scope) -> list[int]:
    order, ts = store.order, store.ts
    lo = bisect.bisect_left(order, scope.start, key=ts.__getitem__)
    hi = bisect.bisect_left(order, scope.end, key=ts.__getitem__)
    picked: Any = order[lo:hi]
    for name, wanted in (("user_id", scope.user_ids), ("session_id", scope.session_ids)):
        if wanted is not None:
            table = store.tables[name].values
            codes = frozenset(c for c, v in enumerate(table) if v in wanted)
            column = store.columns[name]
            picked = [i for i in picked if column[i] in codes]
    return list(picked)


def summary(store: LogStore, body: Any, now_ms: int) -> dict[str, Any]:
    scope = parse_scope(body, now_ms)
    wanted = body.get("entity_types") if isinstance(body, dict) else None
    if wanted is None:
        wanted = list(ENTITY_TYPES)
    if not isinstance(wanted, list) or any(w not in ENTITY_TYPES for w in wanted):
        raise bad_request(f"entity_types must be an array of: {', '.join(ENTITY_TYPES)}")
    picked = _selected(store, scope)
    sessions = store.columns["session_id"]
    counts = {
        "tool_calls": len(picked),
        "sessions": len({sessions[i] for i in picked} - {0}),
    }
    entities = {
        kind: {"unit": "count", "total_quantity": str(counts[kind]), "event_count": counts[kind]}
        for kind in ENTITY_TYPES
        if kind in wanted
    }
    # Few distinct charges, many logs: price each distinct value once.
    per_charge = Counter(store.charge[i] for i in picked)
    charges = store.charges.values
    total = sum((_usd(charges[code]) * n for code, n in per_charge.items()), Decimal(0))
    return {"entities": entities, "instant_charge": f"{total:.3f}"}


def _usd(text: str) -> Decimal:
    try:
        value = Decimal(text or "0")
    except ArithmeticError:  # an injected log may carry any string
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def breakdown(store: LogStore, entity_type: str, body: Any, now_ms: int) -> dict[str, Any]:
    if entity_type not in ENTITY_TYPES:
        raise bad_request(
            f"Unknown entity_type {entity_type!r}", f"Use one of: {', '.join(ENTITY_TYPES)}."
        )
    scope = parse_scope(body, now_ms)
    options = body if isinstance(body, dict) else {}
    group_by = options.get("group_by") or GROUP_BY[entity_type][0]
    if group_by not in GROUP_BY[entity_type]:
        allowed = ", ".join(GROUP_BY[entity_type])
        raise bad_request(f"group_by {group_by!r} is not allowed for {entity_type}: use {allowed}")
    order_by = options.get("order_by") or "total_quantity"
    if order_by not in ORDER_BY:
        raise bad_request(f"order_by must be one of: {', '.join(ORDER_BY)}")
    direction = options.get("order_direction") or "desc"
    if direction not in ("asc", "desc"):
        raise bad_request("order_direction must be 'asc' or 'desc'")
    limit = options.get("limit")
    if limit is None:
        limit = DEFAULT_GROUPS
    if not is_integer(limit) or not 1 <= limit <= MAX_GROUPS:
        raise bad_request(f"limit must be an integer from 1 to {MAX_GROUPS}")

    picked = _selected(store, scope)
    keys = store.tables[group_by].values
    column = store.columns[group_by]
    counts: Counter[int] = Counter()
    if entity_type == "tool_calls":
        counts.update(column[i] for i in picked)
    else:
        sessions = store.columns["session_id"]
        per_key: defaultdict[int, set[int]] = defaultdict(set)
        for i in picked:
            if sessions[i]:
                per_key[column[i]].add(sessions[i])
        counts.update({code: len(found) for code, found in per_key.items()})
    counts.pop(0, None)  # logs without that key (no session, no account) form no group
    groups = sorted(((keys[code], n) for code, n in counts.items()), key=lambda g: g[0])
    if order_by != "key":
        groups.sort(key=lambda g: g[1], reverse=direction == "desc")
    elif direction == "desc":
        groups.reverse()
    total = sum(counts.values())
    return {
        "entity_type": entity_type,
        "unit": "count",
        "total_quantity": str(total),
        "event_count": total,
        "groups": [
            {"key": key, "total_quantity": str(n), "event_count": n}
            for key, n in groups[: int(limit)]
        ],
    }
