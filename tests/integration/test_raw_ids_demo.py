"""A log whose id holds an escape, markup or a newline opens, over a real loopback socket.

The embedded demo server serves such logs (``add_log(id=...)``); the client lists them,
the store keeps them under their raw ids, and fetch_call asks for the detail and the
per-step log with the id the table row holds: the request reaches the server intact
(percent-encoded), and the text a screen shows for the id names no log (404).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, unquote

import pytest

from tests.conftest import fixed_clock
from tui.demo import DemoServer
from tui.errors import NotFoundError
from tui.query import LogQuery
from tui.sanitize import clean
from tui.sources.base import fetch_call
from tui.sources.composio import ComposioClient
from tui.store import LogStore

ODD_IDS = ["log_\x1b[31mred", "log_[/b]", "log_a\nb", "log_\x1b]52;c;aGk=\x07"]
TRACE = "/api/v3.1/internal/action_execution/log/"
DETAIL = "/api/v3.1/logs/tool_execution/"


@pytest.fixture
def server() -> Iterator[DemoServer]:
    with DemoServer(seed=12, rate=0, prefill=10, clock=fixed_clock) as demo:
        for log_id in ODD_IDS:
            demo.add_log(id=log_id, failure="forbidden")
        yield demo


async def test_odd_ids_are_listed_stored_and_opened_by_their_raw_id(server: DemoServer) -> None:
    store = LogStore(":memory:")
    async with ComposioClient(api_key=server.api_key, base_url=server.url) as client:
        page = await client.list_logs(LogQuery(), limit=100)
        assert page.skipped == []
        assert set(ODD_IDS) <= {entry.id for entry in page.entries}
        store.add(page.entries)
        for log_id in ODD_IDS:
            index = store.index_of_id(log_id)
            assert index is not None, log_id
            row = store.row(index)
            assert row is not None and row.id == log_id  # what a selected row asks with
            before = len(server.requests)
            call = await fetch_call(client, row.id)
            assert call.log_id == log_id
            assert call.trace_note is None and call.trace_json is not None  # the per-step log
            assert call.failed and call.detail_json["id"] == log_id
            paths = {request.path for request in server.requests[before:]}
            encoded = quote(log_id, safe="")
            assert paths == {DETAIL + encoded, TRACE + encoded}
            assert {unquote(path.rsplit("/", 1)[1]) for path in paths} == {log_id}


async def test_the_text_shown_for_an_odd_id_names_no_log(server: DemoServer) -> None:
    async with ComposioClient(api_key=server.api_key, base_url=server.url) as client:
        for log_id in ODD_IDS:
            shown = clean(log_id)
            if shown == log_id:
                continue  # markup is shown as it is
            with pytest.raises(NotFoundError) as caught:
                await client.get_detail(shown)
            assert caught.value.status == 404
