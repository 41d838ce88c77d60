"""One log line as the file index keeps it (``Record``), and which records a filter set lets
through, decided as the server decides (``Filter.accepts`` on the wire's text of each field).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable
from operator import attrgetter
from typing import Final

from tui.constants import BUDDY_FIELD_ALIASES, LOCAL_FIELDS
from tui.errors import BadRequestError
from tui.query import BUDDY_STATUSES, Filter

_AT: Final = {name: i for i, name in enumerate(LOCAL_FIELDS)}
# A Buddy row's pipeline and action are its toolkit and tool (tui.constants).
FIELD_AT: Final = _AT | {name: _AT[field] for name, field in BUDDY_FIELD_ALIASES.items()}
# Unique per log: remembering each value's verdict (or interning it) would only cost.
_UNIQUE: Final = frozenset({FIELD_AT["log_id"], FIELD_AT["request_id"]})
UNIQUE_AT: Final = tuple(i in _UNIQUE for i in range(len(LOCAL_FIELDS)))
# The fields a file scan keeps a small code for (the others are unique per log).
CODED: Final = tuple(i for i, unique in enumerate(UNIQUE_AT) if not unique)
NO_CODE: Final = 0xFFFF  # a field with too many distinct texts: read from the line
UNCHECKED: Final = 2  # a scanned line listed, but only glanced at: not known whole yet
BY_KEY: Final = attrgetter("key")
BY_TS: Final = attrgetter("ts")


class Record:
    """One log line: enough to order, filter and find it; the rest is re-read on demand."""

    __slots__ = (
        "alive",
        "blob",
        "id",
        "key",
        "length",
        "line",
        "offset",
        "placed",
        "seq",
        "ts",
        "values",
    )

    def __init__(
        self,
        log_id: str,
        ts: int,
        seq: int,
        line: int,
        offset: int,
        length: int,
        blob: bytes | None,
        values: tuple[str, ...],
    ) -> None:
        self.id = log_id  # as the line holds it: the key every lookup uses
        self.ts = ts
        self.seq = seq
        self.line = line
        self.offset = offset
        self.length = length
        self.blob = blob  # the line itself, for a stream (it cannot be read again)
        self.values = values  # the wire text of each filter field, LOCAL_FIELDS order
        self.key = (ts, seq)
        self.alive = True  # not replaced by a later line with its id, nor dropped
        self.placed = False  # in the sorted order (and the matching lists)


class Match:
    """The records one filter set lets through, oldest first, kept up to date."""

    __slots__ = ("accepts", "recs")

    def __init__(self, accepts: Callable[[Record], bool], recs: list[Record]) -> None:
        self.accepts = accepts
        self.recs = recs


def accepter(filters: tuple[Filter, ...]) -> Callable[[Record], bool]:
    """``Filter.accepts`` for every filter, each decided once per distinct value."""
    checks: list[tuple[int, Callable[[str], bool], dict[str, bool] | None]] = [
        (FIELD_AT[f.field], f.accepts, None if FIELD_AT[f.field] in _UNIQUE else {})
        for f in filters
    ]

    def accepts(rec: Record) -> bool:
        values = rec.values
        for index, check, memo in checks:
            value = values[index]
            if memo is None:
                if not check(value):
                    return False
                continue
            verdict = memo.get(value)
            if verdict is None:
                verdict = memo[value] = check(value)
            if not verdict:
                return False
        return True

    return accepts


def remove_sorted(recs: list[Record], rec: Record) -> None:
    """Take ``rec`` out of ``recs`` (sorted by key), if it is there."""
    at = bisect.bisect_left(recs, rec.key, key=BY_KEY)
    if at < len(recs) and recs[at] is rec:
        del recs[at]


def check_filters(filters: tuple[Filter, ...]) -> None:
    """What the server refuses of filters the query types allow, in its words. A file may
    hold Buddy rows, whose statuses are more than Composio's (running, queued…): those
    are compared too (the parser said which a query may name)."""
    for n, flt in enumerate(filters):
        if (
            flt.field == "status"
            and flt.operator in ("==", "!=")
            and flt.value not in BUDDY_STATUSES
        ):
            raise BadRequestError(
                f"filters[{n}].value: status must be 'success' or 'failed', "
                f"got {json.dumps(flt.value)}"
            )
