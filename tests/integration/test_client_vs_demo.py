"""toolwatch's own client against the embedded server over a real loopback socket.

The embedded server is written from the wire contract, not from our models, so
these tests check both sides: every filter field and operator returns exactly
the logs that match, the cursor walks to the end, and errors map to the typed
errors the UI explains.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.clock import fixed_clock
from tui.constants import FILTER_FIELDS, FILTER_OPERATORS
from tui.demo import DemoServer
from tui.errors import AuthError, NotFoundError
from tui.query import Filter, LogQuery, QueryError, TimeRange
from tui.sources.composio import ComposioClient


@pytest.fixture(scope="module")
def server():
    with DemoServer(seed=3, rate=0, prefill=160, clock=fixed_clock) as srv:
        yield srv


@pytest.fixture
async def client(server) -> AsyncIterator[ComposioClient]:
    async with ComposioClient(api_key=server.api_key, base_url=server.url) as c:
        yield c


async def walk(client: ComposioClient, query: LogQuery, limit: int = 100) -> list[Any]:
    entries, cursor = [], None
    for _ in range(100):
        page = await client.list_logs(query, limit=limit, cursor=cursor)
        entries += page.entries
        if page.next_cursor is None:
            return entries
        cursor = page.next_cursor
    raise AssertionError("the cursor never reached the end")


def field_value(detail: dict[str, Any], field: str) -> str:
    meta = detail.get("metadata") or {}
    if field == "log_id":
        return str(detail["id"])
    if field == "status":
        return str(detail["status"])
    if field == "request_id":
        return str((detail.get("context") or {}).get("request_id") or "")
    if field in ("tool_slug", "toolkit_slug"):
        nested = meta.get(field.removesuffix("_slug"))
        value = meta.get(field) or (nested.get("slug") if isinstance(nested, dict) else None)
        return str(value or "")
    return str(meta.get(field) or "")


def matches(actual: str, operator: str, value: str) -> bool:
    return {
        "==": actual == value,
        "!=": actual != value,
        "contains": value in actual,
        "not_contains": value not in actual,
    }[operator]


@pytest.fixture(scope="module")
def details(server) -> list[dict[str, Any]]:
    headers = {"x-api-key": server.api_key}
    with httpx.Client(base_url=server.url, headers=headers) as http:
        ids, cursor = [], None
        while True:
            body: dict[str, Any] = {"limit": 100}
            if cursor:
                body["cursor"] = cursor
            page = http.post("/api/v3.1/logs/tool_execution", json=body).json()
            ids += [item["id"] for item in page["logs"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        return [http.get(f"/api/v3.1/logs/tool_execution/{i}").json() for i in ids]


def sample_value(details: list[dict[str, Any]], field: str) -> str:
    # The most common non-empty value, so == and != both have something to return.
    counts: dict[str, int] = {}
    for d in details:
        v = field_value(d, field)
        if v:
            counts[v] = counts.get(v, 0) + 1
    assert counts, f"no log has a {field}"
    return max(counts, key=lambda v: (counts[v], v))


@pytest.mark.parametrize("operator", FILTER_OPERATORS)
@pytest.mark.parametrize("field", FILTER_FIELDS)
async def test_each_field_and_operator_returns_exactly_the_matching_logs(
    client, details, field, operator
):
    value = sample_value(details, field)
    if operator in ("contains", "not_contains"):
        value = value[1:-1] if len(value) > 4 else value
    got = {e.id for e in await walk(client, LogQuery((Filter(field, operator, value),)))}
    expected = {d["id"] for d in details if matches(field_value(d, field), operator, value)}
    assert got == expected
    if operator in ("==", "contains"):
        assert got, "a positive filter should find the log the value came from"


async def test_filters_are_and_combined(client, details):
    toolkit = sample_value(details, "toolkit_slug")
    query = LogQuery((Filter("toolkit_slug", "==", toolkit), Filter("status", "==", "failed")))
    got = {e.id for e in await walk(client, query)}
    expected = {
        d["id"]
        for d in details
        if field_value(d, "toolkit_slug") == toolkit and d["status"] == "failed"
    }
    assert got == expected


async def test_time_range_is_inclusive_epoch_ms(client):
    everything = await walk(client, LogQuery())
    stamps = sorted(e.timestamp_ms for e in everything)
    lo, hi = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    got = await walk(client, LogQuery(time_range=TimeRange(lo, hi)))
    assert {e.id for e in got} == {e.id for e in everything if lo <= e.timestamp_ms <= hi}


async def test_cursor_walk_returns_every_log_once_newest_first(client, server):
    entries = await walk(client, LogQuery(), limit=7)
    assert len(entries) == server.log_count == len({e.id for e in entries})
    stamps = [e.timestamp_ms for e in entries]
    assert stamps == sorted(stamps, reverse=True)


def test_default_limit_is_20(server):
    r = httpx.post(
        f"{server.url}/api/v3.1/logs/tool_execution", headers={"x-api-key": server.api_key}
    )
    assert len(r.json()["logs"]) == 20


def test_limit_beyond_100_is_refused_on_both_sides(server):
    with pytest.raises(QueryError):
        LogQuery().to_api_body(limit=101)
    r = httpx.post(
        f"{server.url}/api/v3.1/logs/tool_execution",
        headers={"x-api-key": server.api_key},
        json={"limit": 101},
    )
    assert r.status_code == 400 and r.json()["error"]["status"] == 400


def test_bad_filter_is_a_bad_request_with_the_servers_words(server):
    r = httpx.post(
        f"{server.url}/api/v3.1/logs/tool_execution",
        headers={"x-api-key": server.api_key},
        json={"filters": [{"field": "colour", "operator": "==", "value": "x"}]},
    )
    assert r.status_code == 400 and "colour" in r.json()["error"]["message"]


async def test_wrong_key_is_an_auth_error(server):
    async with ComposioClient(api_key="sk_wrong", base_url=server.url) as bad:
        with pytest.raises(AuthError) as err:
            await bad.list_logs(LogQuery())
    assert "sk_wrong" not in str(err.value) and "COMPOSIO_API_KEY" in err.value.hint


async def test_unknown_log_is_not_found(client):
    with pytest.raises(NotFoundError):
        await client.get_detail("log_nothere")
    with pytest.raises(NotFoundError):
        await client.get_trace("log_nothere")


async def test_detail_and_trace_parse(client):
    first = (await client.list_logs(LogQuery(), limit=1)).entries[0]
    detail = await client.get_detail(first.id)
    trace = await client.get_trace(first.id)
    assert detail.id == first.id
    assert trace.steps and isinstance(trace.total_duration, str)


async def test_hostile_strings_round_trip_byte_for_byte(client, server):
    hostile = "[/bold] [@click=app.quit] \x1b]52;c;ZXZpbA==\x07 \u202e \x9b31m"
    injected = server.add_log(message=hostile)
    page = await client.list_logs(LogQuery((Filter("log_id", "==", injected["id"]),)))
    (entry,) = page.entries
    assert entry.raw["message"] == hostile  # raw kept for copy/export
    assert "\x1b" not in entry.message and "\\x1b]52" in entry.message  # display sanitized
