"""Column storage for logs: a handful of machine integers and two strings per log.

Filterable text fields are interned: each column holds a small code into a table of distinct
values, so a filter is evaluated once per distinct value and then becomes a set-membership
test per log. Only `log_id` and `request_id` are unique per log and kept as strings.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field
from typing import Any

# The filter fields (tui.constants.FILTER_FIELDS) stored as interned columns.
DIMENSIONS = (
    "tool_slug",
    "toolkit_slug",
    "connected_account_id",
    "auth_config_id",
    "status",
    "user_id",
    "session_id",
    "sandbox_id",
)
FLAG_NESTED = 1  # metadata uses {"tool": {"slug"}, "toolkit": {"slug"}} instead of *_slug keys
FLAG_NO_MESSAGE = 2  # the optional `message` is left out
FLAG_HOSTILE = 4  # message, arguments and response are rendered with hostile text (faults)


class Interner:
    """Distinct strings of one field; code 0 is the empty string, which means "absent"."""

    __slots__ = ("_codes", "values")

    def __init__(self, *initial: str) -> None:
        self.values: list[str] = [""]
        self._codes: dict[str, int] = {"": 0}
        for value in initial:
            self.code(value)

    def code(self, value: str) -> int:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self.values)
            self.values.append(value)
        return code


@dataclass(slots=True)
class Draft:
    """One log with every field resolved, before it is packed into the columns."""

    log_id: str
    request_id: str
    timestamp_ms: int
    duration_ms: int
    outcome: int
    source: int
    dims: dict[str, str]
    parent: int = -1  # index of the meta-tool log this call ran under
    flags: int = 0
    charge: str = ""
    version: str = ""
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Row:
    """A read-only view of one stored log."""

    index: int
    log_id: str
    request_id: str
    timestamp_ms: int
    duration_ms: int
    outcome: int
    source: int
    dims: dict[str, str]
    parent: int
    flags: int
    charge: str
    version: str
    extras: dict[str, Any]


class LogStore:
    def __init__(self) -> None:
        self.tables = {name: Interner() for name in DIMENSIONS}
        self.tables["status"].code("success")
        self.tables["status"].code("failed")
        self.columns = {name: array("i") for name in DIMENSIONS}
        self.ts = array("q")
        self.duration = array("i")
        self.parent = array("i")
        self.outcome = array("b")
        self.flags = array("B")
        self.source = array("B")
        self.charges = Interner()
        self.charge = array("H")
        self.versions = Interner()
        self.version = array("H")
        self.ids: list[str] = []
        self.request_ids: list[str] = []
        self.by_id: dict[str, int] = {}
        # Log indices sorted by (timestamp, index): appends are nearly always in order, and
        # the rare late or back-dated log is inserted where it belongs.
        self.order = array("i")
        # Only injected or executed logs carry free-form extras (arguments, message, ...).
        self.extras: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, draft: Draft) -> int:
        if draft.log_id in self.by_id:
            raise ValueError(f"duplicate log id {draft.log_id!r}")
        index = len(self.ids)
        for name in DIMENSIONS:
            self.columns[name].append(self.tables[name].code(draft.dims.get(name, "")))
        self.ts.append(draft.timestamp_ms)
        self.duration.append(draft.duration_ms)
        self.parent.append(draft.parent)
        self.outcome.append(draft.outcome)
        self.flags.append(draft.flags)
        self.source.append(draft.source)
        self.charge.append(self.charges.code(draft.charge))
        self.version.append(self.versions.code(draft.version))
        self.ids.append(draft.log_id)
        self.request_ids.append(draft.request_id)
        self.by_id[draft.log_id] = index
        if draft.extras:
            self.extras[index] = draft.extras
        if not self.order or self.ts[self.order[-1]] <= draft.timestamp_ms:
            self.order.append(index)
        else:
            at = bisect.bisect_right(self.order, draft.timestamp_ms, key=self.ts.__getitem__)
            self.order.insert(at, index)
        return index

    def row(self, index: int) -> Row:
        return Row(
            index=index,
            log_id=self.ids[index],
            request_id=self.request_ids[index],
            timestamp_ms=self.ts[index],
            duration_ms=self.duration[index],
            outcome=self.outcome[index],
            source=self.source[index],
            dims={n: self.tables[n].values[self.columns[n][index]] for n in DIMENSIONS},
            parent=self.parent[index],
            flags=self.flags[index],
            charge=self.charges.values[self.charge[index]],
            version=self.versions.values[self.version[index]],
            extras=self.extras.get(index, {}),
        )

    def children(self, index: int) -> list[int]:
        """A meta-tool log's children: always stored right after it."""
        found: list[int] = []
        nxt = index + 1
        while nxt < len(self.ids) and self.parent[nxt] == index:
            found.append(nxt)
            nxt += 1
        return found
