"""entry_from_wire: defensive metadata reading, timestamps, and the errors it may raise."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.api_examples import example_log
from tui import fmt
from tui.errors import ApiError, UnreadableBody
from tui.models.normalize import entry_from_wire, parse_timestamp_ms, read_item
from tui.models.wire import WireLogDetail, WireLogItem, summarize_errors

# The contract's example, as a call made inside a meta-tool would come (with a parent).
ITEM: dict[str, Any] = example_log(
    metadata=example_log()["metadata"] | {"session_id": "trs_1", "auth_config_id": "ac_9"},
    parent={"log_id": "log_P1aR0ntL0g00", "tool_slug": "COMPOSIO_MULTI_EXECUTE_TOOL"},
)
TS_MS = int(datetime(2026, 4, 17, 10, 25, tzinfo=UTC).timestamp() * 1000)


def item(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(ITEM)
    out.update(changes)
    return out


def test_contract_example():
    entry = entry_from_wire(ITEM)
    assert entry.id == "log_-jRTWClpBoVo" and entry.timestamp_ms == TS_MS
    assert (entry.status, entry.level, entry.type) == ("failed", "error", "tool.execution")
    assert (entry.tool, entry.toolkit) == ("GMAIL_SEND_EMAIL", "gmail")
    assert (entry.user_id, entry.session_id) == ("user_abc123", "trs_1")
    assert (entry.connected_account_id, entry.auth_config_id) == ("ca_1a2b3c4d5e6f", "ac_9")
    assert entry.duration_ms == 202 and entry.failed
    assert entry.message == "GMAIL_SEND_EMAIL failed: invalid recipient"
    assert (entry.parent_log_id, entry.parent_tool) == (
        "log_P1aR0ntL0g00",
        "COMPOSIO_MULTI_EXECUTE_TOOL",
    )
    assert entry.source == "composio"


def test_raw_is_the_untouched_wire_dict():
    wire = item(extra_field={"kept": [1, 2]}, metadata=["odd"])
    entry = entry_from_wire(wire)
    assert entry.raw == wire
    assert entry.raw["metadata"] == ["odd"] and entry.raw["extra_field"] == {"kept": [1, 2]}


def test_from_a_model_raw_is_the_wire_dump_with_extras():
    wire = item(extra_field="x")
    wire.pop("message")
    entry = entry_from_wire(WireLogItem.model_validate(wire), source="replay")
    assert entry.raw == {**wire, "message": None}
    assert entry.source == "replay" and entry.message == ""


@pytest.mark.parametrize(
    ("metadata", "tool", "toolkit"),
    [
        ({"tool": {"slug": "A_B"}, "toolkit": {"slug": "kit"}}, "A_B", "kit"),
        ({"tool": "A_B", "toolkit": "kit"}, "A_B", "kit"),
        ({"tool_slug": "FIRST", "tool": {"slug": "SECOND"}}, "FIRST", ""),
        ({"tool_slug": None, "tool": {"slug": "SECOND"}}, "SECOND", ""),
        ({"tool_slug": 123, "toolkit_slug": 4.5}, "123", "4.5"),
        ({"tool": ["A"], "toolkit": {"slug": ["x"]}}, "", ""),
        ({"tool": {"name": "no slug"}}, "", ""),
        ({"tool_slug": {"slug": "X"}}, "", ""),
        ({}, "", ""),
    ],
)
def test_tool_and_toolkit_lookups(metadata, tool, toolkit):
    entry = entry_from_wire(item(metadata=metadata))
    assert (entry.tool, entry.toolkit) == (tool, toolkit)


@pytest.mark.parametrize("metadata", [None, [], ["a"], "text", 7, True])
def test_metadata_of_the_wrong_type_is_ignored(metadata):
    entry = entry_from_wire(item(metadata=metadata))
    assert entry.tool == "" and entry.user_id == "" and entry.id == ITEM["id"]


def test_nested_account_ids_and_numeric_user():
    entry = entry_from_wire(
        item(
            metadata={
                "user_id": 42,
                "connected_account": {"id": "ca_n"},
                "auth_config": {"id": "ac_n"},
            }
        )
    )
    assert (entry.user_id, entry.connected_account_id, entry.auth_config_id) == (
        "42",
        "ca_n",
        "ac_n",
    )


@pytest.mark.parametrize(
    ("metrics", "expected"),
    [
        ({"duration_ms": 202}, 202),
        ({"duration_ms": 201.6}, 202),
        ({"duration_ms": "202"}, 202),
        ({"duration_ms": " 12.4 "}, 12),
        ({"duration_ms": "fast"}, None),
        ({"duration_ms": True}, None),
        ({"duration_ms": None}, None),
        ({"duration_ms": float("nan")}, fmt.INVALID_DURATION_MS),
        ({"duration_ms": 2**63}, fmt.INVALID_DURATION_MS),
        ({"duration_ms": 1e300}, fmt.INVALID_DURATION_MS),
        ({"duration_ms": "1e400"}, fmt.INVALID_DURATION_MS),
        ({"duration_ms": "9" * 30}, fmt.INVALID_DURATION_MS),
        ({"duration_ms": -5}, fmt.INVALID_DURATION_MS),
        ({"duration_ms": [1]}, None),
        ({}, None),
        ([], None),
    ],
)
def test_duration(metrics, expected):
    assert entry_from_wire(item(metrics=metrics)).duration_ms == expected


def test_detail_reads_context_session_and_timings():
    detail = item(
        metadata={"tool_slug": "X"},
        metrics={},
        timings={"start_time": 1000, "end_time": 1250},
        context={"session_id": "trs_ctx"},
        source={},
        data={},
    )
    entry = entry_from_wire(detail)
    assert entry.session_id == "trs_ctx" and entry.duration_ms == 250
    assert entry_from_wire(WireLogDetail.model_validate(detail)).session_id == "trs_ctx"
    # metadata wins over context when both are present
    detail["metadata"]["session_id"] = "trs_meta"
    assert entry_from_wire(detail).session_id == "trs_meta"


def test_parent_null_or_odd():
    assert entry_from_wire(item(parent=None)).parent_log_id is None
    odd = entry_from_wire(item(parent="log_0"))
    assert odd.parent_log_id is None and odd.parent_tool is None
    partial = entry_from_wire(item(parent={"log_id": "log_0"}))
    assert partial.parent_log_id == "log_0" and partial.parent_tool is None


def test_display_fields_are_sanitized_but_raw_is_not():
    entry = entry_from_wire(
        item(message="boom\x1b]52;c;aGk=\x07", metadata={"user_id": "u\x1b[2J"})
    )
    assert "\x1b" not in entry.message and "\x1b" not in entry.user_id
    assert entry.raw["message"] == "boom\x1b]52;c;aGk=\x07"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-17T10:25:00Z", TS_MS),
        ("2026-04-17T10:25:00.000Z", TS_MS),
        ("2026-04-17T10:25:00.1Z", TS_MS + 100),
        ("2026-04-17T10:25:00.33Z", TS_MS + 330),
        ("2026-04-17T10:25:00.123456789Z", TS_MS + 123),
        ("2026-04-17T10:25:00.999999Z", TS_MS + 999),
        ("2026-04-17T12:25:00+02:00", TS_MS),
        ("2026-04-17T05:25:00.5-05:00", TS_MS + 500),
        ("2026-04-17T10:25:00z", TS_MS),
        ("2026-04-17T10:25:00", TS_MS),  # no offset: UTC
        ("2026-04-17 10:25:00Z", TS_MS),
        (str(TS_MS), TS_MS),  # a bare number: epoch ms
        (str(TS_MS // 1000), TS_MS),  # too small for ms: epoch seconds
    ],
)
def test_timestamps(text, expected):
    assert parse_timestamp_ms(text) == expected


def test_numeric_timestamp_on_the_wire():
    assert entry_from_wire(item(timestamp=TS_MS)).timestamp_ms == TS_MS


@pytest.mark.parametrize("bad", ["yesterday", "", "2026-13-45T99:00:00Z", "-5", "1e3"])
def test_unreadable_timestamp_is_one_clear_error(bad):
    with pytest.raises(UnreadableBody) as err:
        entry_from_wire(item(timestamp=bad))
    assert "timestamp" in str(err.value) and ITEM["id"] in str(err.value)
    assert isinstance(err.value, ApiError)


@pytest.mark.parametrize(
    ("wire", "words"),
    [
        ({k: v for k, v in ITEM.items() if k != "id"}, "id missing"),
        ({k: v for k, v in ITEM.items() if k != "timestamp"}, "timestamp missing"),
        (item(id=""), "empty id"),
        (item(id="  "), "empty id"),
        (item(id={"x": 1}), "id wrong type"),
        (item(timestamp=None), "timestamp"),
    ],
)
def test_missing_or_wrong_id_and_timestamp(wire, words):
    with pytest.raises(UnreadableBody) as err:
        entry_from_wire(wire)
    assert words in str(err.value)


@pytest.mark.parametrize("wire", [None, [], "log", 5])
def test_not_an_object(wire):
    with pytest.raises(UnreadableBody, match="JSON object"):
        entry_from_wire(wire)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=10,
)
_keys = st.sampled_from(
    ["tool", "tool_slug", "toolkit", "toolkit_slug", "user_id", "session_id", "slug", "x"]
)


@settings(max_examples=300, deadline=None)
@given(
    metadata=_json | st.dictionaries(_keys, _json, max_size=5),
    metrics=_json | st.dictionaries(st.just("duration_ms"), _json, max_size=1),
    parent=_json,
    extra=_json,
)
def test_odd_metadata_never_raises(metadata, metrics, parent, extra):
    entry = entry_from_wire(
        item(metadata=metadata, metrics=metrics, parent=parent, context=extra, timings=extra)
    )
    assert entry.id == ITEM["id"]
    assert isinstance(entry.tool, str) and isinstance(entry.user_id, str)
    assert entry.duration_ms is None or isinstance(entry.duration_ms, int)


def test_a_timestamp_too_large_for_any_date_is_kept_as_a_bad_time_not_a_crash():
    entry = entry_from_wire({"id": "log_1", "timestamp": "9" * 400})
    assert entry.timestamp_ms == fmt.BAD_TIME_HIGH
    assert entry.raw["timestamp"] == "9" * 400


_FIELD_KEYS = st.sampled_from(
    ["id", "timestamp", "type", "status", "level", "message", "metrics", "parent", "timings"]
)
_INNER_KEYS = st.sampled_from(["log_id", "tool_slug", "start_time", "end_time", "duration_ms"])
_odd = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["12", " 7.5 ", "1e3", "nan", "-inf", "2026-04-17T10:25:00Z"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_INNER_KEYS, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=500, deadline=None)
@given(wire=st.dictionaries(_FIELD_KEYS, _odd, max_size=9))
def test_a_log_is_read_without_pydantic_as_the_wire_model_reads_it(wire):
    """read_item (which list --file uses, so it never imports pydantic) agrees with
    WireLogDetail on every field entry_from_wire reads, and on what is wrong."""
    try:
        model = WireLogDetail.model_validate(wire)
    except ValidationError as error:
        with pytest.raises(UnreadableBody) as raised:
            read_item(wire)
        assert summarize_errors(error) in str(raised.value.detail)
        return
    fields = read_item(wire)
    parent, timings = model.parent, model.timings
    assert (fields.id, fields.timestamp, fields.type, fields.status, fields.level) == (
        model.id,
        model.timestamp,
        model.type,
        model.status,
        model.level,
    )
    assert fields.message == model.message
    assert fields.metrics == model.metrics
    assert (fields.parent_log_id, fields.parent_tool) == (
        (parent.log_id, parent.tool_slug) if parent else (None, None)
    )
    assert (fields.start_time, fields.end_time) == (
        (timings.start_time, timings.end_time) if timings else (None, None)
    )
