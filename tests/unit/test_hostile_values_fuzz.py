"""Issue 13's fuzz suite for sections 1 and 2: hostile JSON values at random fields of a
Composio list item and detail, as text from outside, through every step a log takes:
decode -> normalize -> LogStore.add -> store rows -> writers -> redactor. No exception,
strict JSON out, and the log kept.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api_examples import example_log
from tui import fmt, jsonout, jsontree
from tui.errors import UnreadableBody
from tui.export import export_line
from tui.models.normalize import entry_from_wire
from tui.models.wire import WireLogDetail
from tui.redact import redact_json
from tui.store import LogStore

PLACEHOLDER = "__hostile__"
# Where a hostile value lands: every field toolwatch reads, and some it only carries.
FIELDS = (
    ("timestamp",),
    ("metrics", "duration_ms"),
    ("metrics",),
    ("message",),
    ("status",),
    ("metadata", "tool_slug"),
    ("metadata", "user_id"),
    ("metadata",),
    ("parent",),
    ("parent", "log_id"),
    ("context", "session_id"),
    ("timings", "start_time"),
    ("timings", "end_time"),
    ("data", "input"),
    ("data",),
    ("extra", "deep"),
)


def nested(levels: int, open_: str, close: str, inner: str = "1") -> str:
    return open_ * levels + inner + close * levels


# Each value is JSON text, as an API or a file would send it.
NUMBERS = st.one_of(
    st.integers().map(str),
    st.integers(4_200, 6_000).map(lambda digits: "9" * digits),  # around int's digit limit
    st.integers(4_200, 6_000).map(lambda digits: "-" + "1" * digits),
    st.sampled_from(["1e400", "-1e400", "NaN", "Infinity", "-Infinity", "1e300", "-0.0"]),
    st.sampled_from([str(2**63), str(2**64), str(-(2**63) - 1), "1e-400", "123.456e7"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
TIMES = st.sampled_from(
    [
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z",
        "253402300800000",
        "-62135596800000",
        "-1",
        "0",
        "9" * 400,
        "1e400",
        "2026-04-17T10:00:00+14:00",
        "2026-04-17T10:00:00-12:00",
    ]
).map(json.dumps) | st.sampled_from(["253402300800000", "-62135596800000", str(10**30)])
DEEP = st.integers(1, 12_000).flatmap(
    lambda levels: st.sampled_from(
        [nested(levels, "[", "]"), nested(levels, '{"a":', "}"), nested(levels, '[{"b":', "}]")]
    )
)
TEXTS = st.one_of(
    st.sampled_from(['"\\ud800"', '"\\udfff x \\ud83d"', '"\\u0000\\u009b[31m"', '"\\u202e"']),
    st.text(max_size=40).map(lambda text: json.dumps(text, ensure_ascii=False)),
)
LEAVES = st.one_of(NUMBERS, TIMES, DEEP, TEXTS, st.sampled_from(["null", "true", "[]", "{}"]))
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ",".join(items) + "]"),
        st.lists(inner, max_size=3).map(
            lambda items: "{" + ",".join(f'"k{i}":{v}' for i, v in enumerate(items)) + "}"
        ),
    ),
    max_leaves=4,
)


def reject(constant: str) -> Any:
    raise ValueError(f"not strict JSON: {constant}")


def strict(text: str) -> Any:
    return json.loads(text, parse_constant=reject)


def with_hostile(field: tuple[str, ...], value: str, *, detail: bool) -> str:
    """A list item (or detail) as JSON text with ``value`` at ``field``."""
    item: dict[str, Any] = example_log()
    if detail:
        item["context"] = {"session_id": "trs_1", "request_id": "req_1"}
        item["timings"] = {"start_time": 1, "end_time": 2}
    node = item
    for key in field[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[field[-1]] = PLACEHOLDER
    return json.dumps(item).replace(json.dumps(PLACEHOLDER), value)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(field=st.sampled_from(FIELDS), value=VALUES, detail=st.booleans())
def test_hostile_values_never_crash_and_every_output_is_strict_json(
    field: tuple[str, ...], value: str, detail: bool
) -> None:
    text = with_hostile(field, value, detail=detail)
    item = jsontree.loads(text)
    assert not jsontree.too_deep(item)
    try:
        entry = entry_from_wire(item)
    except UnreadableBody:
        # Only a time that is no time at all ("NaN", a list) may refuse a log.
        assert field == ("timestamp",)
        return
    assert entry.id == example_log()["id"]
    assert isinstance(entry.timestamp_ms, int)
    assert fmt.BAD_TIME_LOW <= entry.timestamp_ms <= fmt.BAD_TIME_HIGH
    assert (
        entry.duration_ms is None
        or 0 <= entry.duration_ms <= fmt.MAX_DURATION_MS
        or (entry.duration_ms == fmt.INVALID_DURATION_MS)
    )
    fmt.clock_time(entry.timestamp_ms, None)
    fmt.full_time(entry.timestamp_ms, fmt.EPOCH.tzinfo)
    fmt.duration(entry.duration_ms)

    store = LogStore(":memory:")
    try:
        store.add([entry])
        rows = store.rows(0, 10)
        assert [row.id for row in rows] == [entry.id]  # the log kept
        held = store.entry(rows[0].rowid)
        assert held is not None
        exported = [line for chunk in store.raw_chunks() for _, line in chunk]
    finally:
        store.close()
    strict(jsonout.dumps(held.raw))
    strict(jsonout.dumps(held.raw, indent=2))
    assert strict(export_line(held.raw))["id"] == entry.id
    assert strict(export_line(json.loads(exported[0])))["id"] == entry.id
    redact_json(held.raw)

    wire = WireLogDetail.model_validate(item)  # as `get` reads a detail and writes it
    strict(jsonout.dumps(redact_json(wire.model_dump(mode="json", by_alias=True)), indent=2))
