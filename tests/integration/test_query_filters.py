"""The query language against the embedded server on a real loopback socket.

Every query is typed as text, parsed with ``parse_query`` and sent by
``ComposioClient.list_logs`` (which sends ``to_api_body``); what comes back is checked
log by log against the field read from the log's detail (list items do not carry the
request id), and as a set against what an unfiltered listing holds. A field a log does
not have counts as the empty string, as the embedded server has it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.clock import FakeClock
from tests.demo.conftest import client_for, list_all
from tests.integration.test_client_vs_demo import field_value, matches, sample_value, walk
from tui.constants import FILTER_FIELDS, FILTER_OPERATORS, LOGS_DETAIL_PATH
from tui.demo import DemoServer
from tui.fmt import iso_utc
from tui.models.normalize import parse_timestamp_ms
from tui.query import Filter, LogQuery, format_query, parse_query
from tui.sources.composio import ComposioClient

# Logs with the fields the generator leaves out or never makes awkward.
AWKWARD_ID = "log_-extra_awkward"
EXTRAS: list[dict[str, Any]] = [
    {
        "log_id": AWKWARD_ID,
        "request_id": 'req "quoted" ~:',
        "sandbox_id": "sbx with spaces",
        "auth_config_id": "ac_ünïcödé:x",
        "connected_account_id": "-ca~tilde",
        "user_id": "user: a b",
        "session_id": 'sess"ion',
        "tool_slug": "GMAIL_SEND_EMAIL",
        "status": "failed",
        "message": "Quota EXCEEDED for the day",
    },
    *(
        {
            "log_id": f"log_extra_plain_{n}",
            "request_id": f"req_plain_{n}",
            "sandbox_id": "sbx_plain",
            "auth_config_id": "ac_plain",
            "session_id": "sess_plain",
            "tool_slug": "GITHUB_STAR_A_REPOSITORY",
            "status": status,
        }
        for n, status in ((1, "success"), (2, "failed"))
    ),
]


@dataclass(frozen=True)
class Held:
    """Everything the server holds, as details (list items lack the request id)."""

    server: DemoServer
    now_ms: int
    details: dict[str, dict[str, Any]]

    def value(self, log_id: str, api_field: str) -> str:
        return field_value(self.details[log_id], api_field)

    def matching(self, query: LogQuery) -> set[str]:
        return {log_id for log_id in self.details if self.matches(log_id, query)}

    def matches(self, log_id: str, query: LogQuery) -> bool:
        if query.time_range is not None:
            stamp = parse_timestamp_ms(self.details[log_id]["timestamp"])
            to_ms = query.time_range.to_ms
            if stamp < query.time_range.from_ms or (to_ms is not None and stamp > to_ms):
                return False
        return all(matches(self.value(log_id, f.field), f.operator, f.value) for f in query.filters)


def _detail(http: httpx.Client, log_id: str) -> dict[str, Any]:
    response = http.get(LOGS_DETAIL_PATH.format(id=quote(log_id, safe="")))
    assert response.status_code == 200, response.text
    detail: dict[str, Any] = response.json()
    return detail


@pytest.fixture(scope="module")
def held() -> Iterator[Held]:
    # Frozen at the real time: an open-ended since is sent up to a day past our clock.
    clock = FakeClock(float(int(time.time())))
    with DemoServer(seed=7, rate=0, prefill=300, clock=clock) as server:
        now_ms = int(clock() * 1000)
        for n, extra in enumerate(EXTRAS):
            server.add_log(**extra, timestamp_ms=now_ms - 60_000 * (n + 1))
        with client_for(server) as http:
            details = {item["id"]: _detail(http, item["id"]) for item in list_all(http)}
        yield Held(server, now_ms, details)


@pytest.fixture
async def client(held: Held) -> AsyncIterator[ComposioClient]:
    async with ComposioClient(api_key=held.server.api_key, base_url=held.server.url) as client:
        yield client


async def fetch(client: ComposioClient, held: Held, text: str) -> tuple[LogQuery, set[str]]:
    """The query typed as ``text``, and the ids of every log the server returns for it."""
    query = parse_query(text, now_ms=held.now_ms)
    ids = [entry.id for entry in await walk(client, query)]
    assert len(ids) == len(set(ids))
    return query, set(ids)


def _sample(held: Held, api_field: str, operator: str) -> str:
    value = sample_value(list(held.details.values()), api_field)
    # A piece from the middle, so contains is not just a prefix match.
    return value if operator in ("==", "!=") or api_field == "status" else value[1:-1]


@pytest.mark.parametrize("operator", FILTER_OPERATORS)
@pytest.mark.parametrize("api_field", FILTER_FIELDS)
async def test_each_field_and_operator_returns_only_and_all_matching_logs(
    client: ComposioClient, held: Held, api_field: str, operator: str
) -> None:
    flt = Filter(api_field, operator, _sample(held, api_field, operator))
    text = format_query(LogQuery((flt,)))
    query, got = await fetch(client, held, text)
    assert query.filters == (flt,)
    for log_id in got:
        assert matches(held.value(log_id, api_field), operator, flt.value), (text, log_id)
    assert got == held.matching(query), text
    assert 0 < len(got) < len(held.details), text  # the filter narrowed, to something


@pytest.mark.parametrize("operator", FILTER_OPERATORS)
@pytest.mark.parametrize(
    "api_field",
    [f for f in FILTER_FIELDS if f not in ("status", "tool_slug", "toolkit_slug")],
)
async def test_awkward_values_reach_the_server_intact(
    client: ComposioClient, held: Held, api_field: str, operator: str
) -> None:
    awkward = held.value(AWKWARD_ID, api_field)
    value = awkward if operator in ("==", "!=") else awkward[1:]
    text = format_query(LogQuery((Filter(api_field, operator, value),)))
    query, got = await fetch(client, held, text)
    assert query.filters == (Filter(api_field, operator, value),)
    assert got == held.matching(query)
    assert (AWKWARD_ID in got) == (operator in ("==", "contains")), text
    assert held.server.requests[-1].body["filters"] == [
        {"field": api_field, "operator": operator, "value": value}
    ]


@pytest.mark.parametrize(
    "text",
    [
        "toolkit:gmail failed",
        "-toolkit:gmail ok tool~_",
        "toolkit~git -tool~LIST -failed",
        "auth:ac_plain session:sess_plain sandbox:sbx_plain",
        "sandbox:sbx_plain -request:req_plain_1",
        "toolkit~g toolkit~l -toolkit:gmail",  # googlecalendar
    ],
)
async def test_combined_filters(client: ComposioClient, held: Held, text: str) -> None:
    query, got = await fetch(client, held, text)
    assert len(query.filters) >= 2
    assert got == held.matching(query)
    assert 0 < len(got) < len(held.details)


async def test_repeated_field_terms_are_and_combined(client: ComposioClient, held: Held) -> None:
    query, got = await fetch(client, held, "tool:GITHUB_STAR_A_REPOSITORY tool:GMAIL_SEND_EMAIL")
    assert len(query.filters) == 2
    assert got == set()  # no log has both: there is no OR


async def test_words_are_never_sent(client: ComposioClient, held: Held) -> None:
    query, got = await fetch(client, held, 'failed "quota exceeded" toolkit:gmail')
    assert query.words == ("quota exceeded",)
    assert got == held.matching(query.server_part)  # the server does not search messages
    body = held.server.requests[-1].body
    assert body == query.to_api_body(limit=100)
    assert "quota" not in str(body).lower()


async def test_time_ranges(client: ComposioClient, held: Held) -> None:
    stamps = sorted(parse_timestamp_ms(item["timestamp"]) for item in held.details.values())
    lo, hi = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    texts = [
        # ISO bounds on exact log timestamps: both ends are inclusive.
        f"since:{iso_utc(lo)} until:{iso_utc(hi)}",
        f"since:{lo} until:{hi}",  # epoch ms
        "since:5m",  # open-ended, relative to the server's frozen clock
        "since:10m until:5m",
        "until:5m",
        "since:1h",  # everything
        "until:30m",  # nothing: the prefill is the last 15 minutes
        f"since:{iso_utc(hi)} failed -toolkit:gmail",
    ]
    sizes = []
    for text in texts:
        query, got = await fetch(client, held, text)
        assert query.time_range is not None
        assert got == held.matching(query), text
        sizes.append(len(got))
    assert sizes[0] == sizes[1] > 0
    assert 0 < sizes[2] < len(held.details) and 0 < sizes[3] < len(held.details)
    assert sizes[5] == len(held.details) and sizes[6] == 0


async def test_the_request_is_to_api_body(client: ComposioClient, held: Held) -> None:
    text = "toolkit:gmail -user~x since:10m until:1m"
    query, _ = await fetch(client, held, text)
    assert held.server.requests[-1].body == query.to_api_body(limit=100)
    open_query, _ = await fetch(client, held, "since:10m failed")
    sent = held.server.requests[-1].body
    now_ms = int(time.time() * 1000)
    expected = open_query.to_api_body(limit=100, now_ms=now_ms)
    assert sent["filters"] == expected["filters"]
    assert sent["time_range"]["from"] == expected["time_range"]["from"]
    assert abs(sent["time_range"]["to"] - expected["time_range"]["to"]) < 60_000
