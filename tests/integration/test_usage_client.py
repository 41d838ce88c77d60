"""ComposioClient.usage_tool_calls against the embedded server's Usage API (A.4.1): the
count the stats screen shows beside its own."""

from __future__ import annotations

import httpx
import pytest

from tests.clock import fixed_clock
from tui.demo import DemoServer
from tui.errors import UnreadableBody
from tui.query import LogQuery
from tui.sources.composio import ComposioClient


async def test_the_usage_count_equals_the_logs_listed_in_the_range():
    with DemoServer(seed=3, rate=0, prefill=160, clock=fixed_clock) as server:
        async with ComposioClient(api_key=server.api_key, base_url=server.url) as client:
            page = await client.list_logs(LogQuery(), limit=100)
            times = sorted(entry.timestamp_ms for entry in page.entries)
            # The newest 100: nothing else in their range, so the API counts exactly them.
            assert await client.usage_tool_calls(times[0], times[-1] + 1) == 100
            assert await client.usage_tool_calls(times[-1] + 1, times[-1] + 2) == 0


async def test_an_answer_without_the_count_is_unreadable():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"entities": {"tool_calls": {"event_count": "12"}}})

    transport = httpx.MockTransport(handler)
    async with ComposioClient(
        api_key="usage-test-key-0123456789", base_url="https://x.test", transport=transport
    ) as client:
        with pytest.raises(UnreadableBody, match=r"tool_calls\.event_count"):
            await client.usage_tool_calls(0, 1)
