"""POST /api/v3.1/logs/tool_execution: filters, time_range, limit, cursor, ordering."""

from __future__ import annotations

import base64
import json
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.demo.conftest import LIST, list_all
from tui.constants import FILTER_FIELDS, FILTER_OPERATORS
from tui.demo import DemoServer

Log = dict[str, Any]


@pytest.fixture(scope="module")
def dataset(frozen_client: httpx.Client) -> tuple[list[Log], dict[str, Log]]:
    logs = list_all(frozen_client)
    details = {log["id"]: frozen_client.get(f"{LIST}/{log['id']}").json() for log in logs}
    return logs, details


def field_value(log: Log, detail: Log, field: str) -> str:
    """What a filter on `field` compares against; an absent value counts as ""."""
    meta = log["metadata"]
    if field in ("tool_slug", "toolkit_slug"):
        nested = meta.get(field.removesuffix("_slug"), {})
        return str(meta.get(field) or nested.get("slug", ""))
    if field == "status":
        return str(log["status"])
    if field == "log_id":
        return str(log["id"])
    if field == "request_id":
        return str(detail["context"]["request_id"])
    return str(meta.get(field, ""))


def matches(value: str, operator: str, wanted: str) -> bool:
    return {
        "==": value == wanted,
        "!=": value != wanted,
        "contains": wanted in value,
        "not_contains": wanted not in value,
    }[operator]


def probe(field: str, values: list[str]) -> str:
    """The most common present value, so that every operator has something to find."""
    present = Counter(v for v in values if v)
    assert present, f"the frozen traffic has no {field} at all"
    return present.most_common(1)[0][0]


def test_default_page_is_20_newest_first(frozen_client: httpx.Client, frozen: DemoServer) -> None:
    bodies: list[dict[str, Any]] = [{}, {"json": {}}, {"content": b""}, {"json": None}]
    for kwargs in bodies:
        response = frozen_client.post(LIST, **kwargs)
        assert response.status_code == 200
        page = response.json()
        assert set(page) == {"logs", "next_cursor"}
        assert len(page["logs"]) == 20
        assert page["next_cursor"] == "eyJwYWdlIjoyfQ=="  # the documented example: page 2
    stamps = [log["timestamp"] for log in list_all(frozen_client)]
    assert stamps == sorted(stamps, reverse=True)
    assert len(stamps) == frozen.log_count == 300


@pytest.mark.parametrize("field", FILTER_FIELDS)
@pytest.mark.parametrize("operator", FILTER_OPERATORS)
def test_every_field_and_operator(
    frozen_client: httpx.Client,
    dataset: tuple[list[Log], dict[str, Log]],
    field: str,
    operator: str,
) -> None:
    logs, details = dataset
    values = [field_value(log, details[log["id"]], field) for log in logs]
    wanted = probe(field, values)
    if operator in ("contains", "not_contains") and len(wanted) > 4:
        wanted = wanted[len(wanted) // 3 : len(wanted) // 3 + 4]
    expected = [
        log["id"] for log, v in zip(logs, values, strict=True) if matches(v, operator, wanted)
    ]
    got = list_all(
        frozen_client, {"filters": [{"field": field, "operator": operator, "value": wanted}]}
    )
    assert [log["id"] for log in got] == expected
    assert expected, f"{field} {operator} {wanted!r} should match something"
    assert len(expected) < len(logs) or operator in ("!=", "not_contains")


def test_filters_are_and_combined(
    frozen_client: httpx.Client, dataset: tuple[list[Log], dict[str, Log]]
) -> None:
    logs, details = dataset
    filters = [
        {"field": "status", "operator": "==", "value": "failed"},
        {"field": "tool_slug", "operator": "contains", "value": "_"},
        {"field": "toolkit_slug", "operator": "!=", "value": "gmail"},
    ]
    got = [log["id"] for log in list_all(frozen_client, {"filters": filters})]
    expected = [
        log["id"]
        for log in logs
        if all(
            matches(field_value(log, details[log["id"]], f["field"]), f["operator"], f["value"])
            for f in filters
        )
    ]
    assert got == expected and 0 < len(got) < 60


def test_nested_metadata_still_matches_slug_filters(
    frozen_client: httpx.Client, dataset: tuple[list[Log], dict[str, Log]]
) -> None:
    logs, _ = dataset
    nested = [log for log in logs if "tool" in log["metadata"]]
    assert nested, "about 5% of generated logs use the nested layout"
    for log in nested:
        assert "tool_slug" not in log["metadata"] and "toolkit_slug" not in log["metadata"]
        for field, key in (("tool_slug", "tool"), ("toolkit_slug", "toolkit")):
            value = log["metadata"][key]["slug"]
            flt = [{"field": field, "operator": "==", "value": value}]
            assert log["id"] in {x["id"] for x in list_all(frozen_client, {"filters": flt})}


def test_time_range_is_inclusive(
    frozen_client: httpx.Client, dataset: tuple[list[Log], dict[str, Log]]
) -> None:
    logs, details = dataset
    starts = sorted(details[log["id"]]["timings"]["start_time"] for log in logs)
    low, high = starts[40], starts[120]
    got = list_all(frozen_client, {"time_range": {"from": low, "to": high}})
    stamps = [details[log["id"]]["timings"]["start_time"] for log in got]
    assert stamps == sorted((s for s in starts if low <= s <= high), reverse=True)
    assert low in stamps and high in stamps


@pytest.mark.parametrize(
    "time_range",
    [{"from": 1}, {"to": 1}, {}, {"from": "1", "to": 2}, {"from": 5, "to": 1}, [1, 2], "today"],
)
def test_bad_time_range_is_400(frozen_client: httpx.Client, time_range: Any) -> None:
    response = frozen_client.post(LIST, json={"time_range": time_range})
    assert_envelope(response, 400, "time_range")


@pytest.mark.parametrize("limit", [1, 57, 100])
def test_limit(frozen_client: httpx.Client, limit: int) -> None:
    response = frozen_client.post(LIST, json={"limit": limit})
    assert len(response.json()["logs"]) == limit


@pytest.mark.parametrize("limit", [101, 0, -1, "20", 2.5, True, [20]])
def test_bad_limit_is_400(frozen_client: httpx.Client, limit: Any) -> None:
    assert_envelope(frozen_client.post(LIST, json={"limit": limit}), 400, "limit")


@pytest.mark.parametrize(
    ("flt", "named"),
    [
        ({"field": "colour", "operator": "==", "value": "x"}, "colour"),
        ({"field": "user_id", "operator": "=~", "value": "x"}, "=~"),
        ({"field": "user_id", "operator": "=="}, "filters[0]"),
        ({"field": "user_id", "operator": "==", "value": 3}, "value"),
        ({"field": "status", "operator": "==", "value": "error"}, "status"),
        ("user_id == x", "filters[0]"),
    ],
)
def test_bad_filter_is_400_naming_the_problem(
    frozen_client: httpx.Client, flt: Any, named: str
) -> None:
    response = frozen_client.post(LIST, json={"filters": [flt]})
    assert_envelope(response, 400, named)


def test_filters_must_be_a_list(frozen_client: httpx.Client) -> None:
    response = frozen_client.post(LIST, json={"filters": {"field": "user_id"}})
    assert_envelope(response, 400, "filters")


def test_cursor_walk_returns_every_log_once(
    frozen_client: httpx.Client, frozen: DemoServer
) -> None:
    everything = [log["id"] for log in list_all(frozen_client)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = frozen_client.post(LIST, json={"limit": 7, "cursor": cursor}).json()
        seen += [log["id"] for log in page["logs"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
        assert json.loads(base64.b64decode(cursor)) == {"page": pages + 1}
    assert seen == everything and len(set(seen)) == frozen.log_count
    assert pages == -(-frozen.log_count // 7)


def test_page_past_the_end_is_empty(frozen_client: httpx.Client) -> None:
    cursor = base64.b64encode(b'{"page":999}').decode()
    assert frozen_client.post(LIST, json={"cursor": cursor}).json() == {
        "logs": [],
        "next_cursor": None,
    }


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",
        "e30=",
        base64.b64encode(b'{"page":0}').decode(),
        base64.b64encode(b"[]").decode(),
        2,
    ],
)
def test_bad_cursor_is_400(frozen_client: httpx.Client, cursor: Any) -> None:
    assert_envelope(frozen_client.post(LIST, json={"cursor": cursor}), 400, "cursor")


def test_item_shape(dataset: tuple[list[Log], dict[str, Log]]) -> None:
    logs, _ = dataset
    required = {"id", "timestamp", "type", "status", "level", "metadata", "metrics", "parent"}
    for log in logs:
        assert required <= log.keys() <= required | {"message"}
        assert log["id"].startswith("log_") and len(log["id"]) == 16
        assert log["timestamp"].endswith("Z") and len(log["timestamp"]) == 24
        assert log["type"] == "tool.execution"
        assert (log["status"], log["level"]) in {("success", "info"), ("failed", "error")}
        assert isinstance(log["metrics"]["duration_ms"], int)
        meta = log["metadata"]
        assert "user_id" in meta and ("tool_slug" in meta or "tool" in meta)
        assert log["parent"] is None or set(log["parent"]) == {"log_id", "tool_slug"}
    missing_message = sum("message" not in log for log in logs)
    assert 0 < missing_message < len(logs) * 0.08
    children = [log for log in logs if log["parent"]]
    assert children and all(
        c["parent"]["tool_slug"] == "COMPOSIO_MULTI_EXECUTE_TOOL" for c in children
    )
    ids = {log["id"] for log in logs}
    assert all(c["parent"]["log_id"] in ids for c in children)
    assert any("-" in i or "_" in i[4:] for i in ids)
    assert any("instant_charge" in log["metadata"] for log in logs)


def test_failures_cover_the_five_patterns(dataset: tuple[list[Log], dict[str, Log]]) -> None:
    logs, details = dataset
    failed = [log for log in logs if log["status"] == "failed"]
    assert 0.05 < len(failed) / len(logs) < 0.15
    errors = " | ".join(details[log["id"]]["data"]["response"]["error"] for log in failed)
    for pattern in (
        "401 Unauthorized",
        "403 Forbidden",
        "422 Unprocessable",
        "not found",
        "No connected account",
    ):
        assert pattern in errors


def assert_envelope(response: httpx.Response, status: int, mentions: str = "") -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert {"message", "code", "slug", "status", "request_id", "suggested_fix"} <= error.keys()
    assert error["status"] == status and isinstance(error["code"], int)
    assert mentions in error["message"], error["message"]
    for header in ("X-RateLimit", "X-RateLimit-Remaining", "X-RateLimit-Window-Size"):
        assert header in response.headers
    return dict(error)
