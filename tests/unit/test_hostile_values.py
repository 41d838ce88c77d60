"""Issue 13, sections 1 and 2: numbers and times out of range, and depth.

Every case the issue lists, at the one boundary that handles its class: ``tui.jsontree``
(decoding and the depth cap), ``LogEntry``'s validators (times and durations held in
range), ``tui.fmt`` (formatting total) and ``tui.jsonout`` (strict JSON out).
"""

from __future__ import annotations

import json
import math
from datetime import UTC, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.api_examples import example_log
from tui import fmt, jsonout, jsontree
from tui.errors import ServerError
from tui.export import export_line
from tui.models.normalize import entry_from_wire
from tui.models.wire import WireLogDetail
from tui.query import LogQuery
from tui.redact import redact_json
from tui.sources.composio import ComposioClient
from tui.sources.file import FileSource
from tui.store import LogStore

LONG_DIGITS = "7" * 5000  # over int's 4,300-digit limit


def deep_list(levels: int, inner: Any = 1) -> Any:
    value = inner
    for _ in range(levels):
        value = [value]
    return value


def deep_text(levels: int) -> str:
    return "[" * levels + "1" + "]" * levels


def depth_of(value: Any) -> int:
    depth = 0
    while isinstance(value, list) and value:
        value, depth = value[0], depth + 1
    return depth


def reject(constant: str) -> Any:
    raise ValueError(f"not strict JSON: {constant}")


def strict(text: str) -> Any:
    return json.loads(text, parse_constant=reject)


def log(**changes: Any) -> dict[str, Any]:
    return {**example_log(), **changes}


def long_duration_line(log_id: str) -> str:
    """A log whose duration_ms is an integer of 5,000 digits, as a JSON line."""
    text = json.dumps(log(id=log_id))
    return text.replace('"duration_ms": 202', '"duration_ms": ' + LONG_DIGITS)


# -- 1. numbers and times out of range -------------------------------------------------------


@pytest.mark.parametrize("duration", [2**63, 2**64 + 5, 1e300, float("nan"), "9" * 30, "1e400"])
def test_a_duration_out_of_range_is_stored_and_shown_as_bad(duration: Any) -> None:
    entry = entry_from_wire(log(metrics={"duration_ms": duration}))
    assert entry.duration_ms == fmt.INVALID_DURATION_MS
    store = LogStore(":memory:")
    store.add([entry])  # was: OverflowError, Python int too large to convert to SQLite INTEGER
    row = store.rows(0, 1)[0]
    assert fmt.duration(row.duration_ms) == fmt.BAD_DURATION
    held = store.entry(row.rowid)
    assert held is not None
    kept = held.raw["metrics"]["duration_ms"]
    assert kept == duration or (isinstance(kept, float) and math.isnan(kept))


@pytest.mark.parametrize(
    ("stamp", "held"),
    [
        ("0001-01-01T00:00:00Z", fmt.BAD_TIME_LOW),
        ("253402300800000", fmt.BAD_TIME_HIGH),
        ("9" * 400, fmt.BAD_TIME_HIGH),
        (253402300800000, fmt.BAD_TIME_HIGH),
        (10**30, fmt.BAD_TIME_HIGH),
    ],
)
def test_a_time_out_of_range_keeps_the_log_as_a_bad_time(stamp: Any, held: int) -> None:
    entry = entry_from_wire(log(timestamp=stamp))
    assert entry.timestamp_ms == held
    assert entry.raw["timestamp"] == stamp
    assert fmt.clock_time(entry.timestamp_ms, None) == fmt.BAD_TIME
    store = LogStore(":memory:")
    store.add([entry, entry_from_wire(log(id="log_ok"))])
    order = [row.id for row in store.rows(0, 2)]
    # Newest first: a time past year 9999 sorts as newest, one before year 1 as oldest.
    assert order[0 if held == fmt.BAD_TIME_HIGH else 1] == entry.id


ZONES = [None, UTC, timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))]
ZONES += [ZoneInfo("Pacific/Kiritimati"), ZoneInfo("America/Adak")]


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(
    "ms",
    [
        fmt.MIN_TIME_MS,
        fmt.MAX_TIME_MS,
        fmt.BAD_TIME_LOW,
        fmt.BAD_TIME_HIGH,
        -62135596800000,  # 0001-01-01T00:00:00Z: year 0 in a zone west of UTC
        253402300800000,  # year 10000
        -(10**30),
        10**30,
    ],
)
def test_time_formatting_never_raises(ms: int, tz: Any) -> None:
    for text in (fmt.clock_time(ms, tz), fmt.full_time(ms, tz)):
        assert text == fmt.BAD_TIME or text[:1].isdigit()


def test_an_integer_too_long_for_digits_is_decoded_as_its_digits() -> None:
    text = '{"id": "log_1", "n": ' + LONG_DIGITS + ', "m": -' + LONG_DIGITS + "}"
    value = jsontree.loads(text)  # was: ValueError, Exceeds the limit (4300 digits)
    assert value["n"] == LONG_DIGITS and value["m"] == "-" + LONG_DIGITS
    assert jsontree.loads(b'{"n": 12}') == {"n": 12}


def test_an_integer_too_long_for_digits_is_written_as_valid_json() -> None:
    out = strict(jsonout.dumps({"n": int(LONG_DIGITS[:4000]) ** 2}))
    assert "too long to write" in out["n"]


@pytest.mark.parametrize(
    ("number", "written"),
    [(float("inf"), "Infinity"), (float("-inf"), "-Infinity"), (float("nan"), "NaN")],
)
def test_non_finite_numbers_are_written_as_strings(number: float, written: str) -> None:
    assert strict(jsonout.dumps({"x": [number]}, indent=2)) == {"x": [written]}
    line = export_line(log(metrics={"duration_ms": number}))
    assert strict(line)["metrics"]["duration_ms"] == written


def test_1e400_from_a_file_line_is_exported_as_strict_json() -> None:
    entry = entry_from_wire(jsontree.loads('{"id": "l", "timestamp": 1, "v": 1e400}'))
    assert strict(export_line(entry.raw))["v"] == "Infinity"


async def test_the_client_reads_a_page_holding_a_long_integer() -> None:
    body = '{"logs": [' + long_duration_line("log_big") + "]}"
    page = await _list_with(httpx.Response(200, text=body))
    assert [entry.id for entry in page.entries] == ["log_big"]
    assert page.entries[0].duration_ms == fmt.INVALID_DURATION_MS


async def test_a_file_line_with_a_long_integer_hides_nothing(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl"
    big = long_duration_line("log_big")
    path.write_text(big + "\n" + json.dumps(log(id="log_fine")) + "\n", encoding="utf-8")
    source = FileSource(path)
    try:
        page = await source.list_logs(LogQuery(), limit=10)
    finally:
        await source.aclose()
    assert sorted(entry.id for entry in page.entries) == ["log_big", "log_fine"]
    assert page.skipped == []


# -- 2. depth --------------------------------------------------------------------------------


def test_a_body_10000_deep_decodes_with_a_visible_marker() -> None:
    value = jsontree.loads('{"logs": [], "x": ' + deep_text(10_000) + "}")  # was RecursionError
    inner = value["x"]
    assert depth_of(inner) == jsontree.MAX_DEPTH - 1  # the root object is level 1
    out = jsonout.dumps(value)
    assert jsontree.DEEPER_MARKER in out


def test_brackets_inside_strings_are_not_nesting() -> None:
    tricky = '["[[[\\"{{", ' + deep_text(5000) + ', "]]]"]'
    value = jsontree.loads(tricky)
    assert value[0] == '[[["{{' and value[2] == "]]]"
    assert depth_of(value[1]) == jsontree.MAX_DEPTH - 1


@pytest.mark.parametrize("levels", [300, 900, 5000])
def test_deep_python_values_are_capped_for_every_walk(levels: int) -> None:
    value = {"a": deep_list(levels)}
    capped = jsontree.cap_depth(value)
    assert jsontree.DEEPER_MARKER in json.dumps(capped, ensure_ascii=False)
    redact_json(capped)  # redact_json(deep_list(900)) alone: RecursionError
    detail = WireLogDetail.model_validate({"id": "l", "timestamp": "1", "x": capped["a"]})
    detail.model_dump(mode="json")  # 300 deep: "Maximum serialization depth exceeded"
    assert strict(jsonout.dumps(deep_list(levels), indent=2))
    assert jsontree.cap_depth(value) is not value and jsontree.cap_depth(capped) is capped


def test_a_deep_log_is_held_capped() -> None:
    entry = entry_from_wire(log(data=deep_list(5000)))
    assert not jsontree.too_deep(entry.raw)
    store = LogStore(":memory:")
    store.add([entry])
    held = store.entry(store.rows(0, 1)[0].rowid)
    assert held is not None and jsontree.DEEPER_MARKER in json.dumps(held.raw, ensure_ascii=False)


async def test_the_client_reads_a_page_and_an_error_body_10000_deep() -> None:
    body = '{"logs": [' + json.dumps(log(id="log_deep"))[:-1] + ', "d": '
    body += deep_text(10_000) + "}]}"
    page = await _list_with(httpx.Response(200, text=body))
    assert [entry.id for entry in page.entries] == ["log_deep"]
    with pytest.raises(ServerError):  # was RecursionError
        await _list_with(httpx.Response(500, text='{"error": ' + deep_text(10_000) + "}"))


async def _list_with(response: httpx.Response) -> Any:
    transport = httpx.MockTransport(lambda request: response)
    client = ComposioClient(api_key="sk_test", base_url="https://test/", transport=transport)
    async with client:
        return await client.list_logs(LogQuery(), limit=10)
