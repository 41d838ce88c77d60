"""A response body is read up to a cap, so an endless answer cannot eat the memory."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.unit.test_client import client_for
from tui.errors import ConfigError, UnreadableBody
from tui.query import LogQuery
from tui.sources.limits import DEFAULT_MAX_RESPONSE_MB, ENV_MAX_RESPONSE_MB, max_response_bytes

MB = 1 << 20


class Endless(httpx.AsyncByteStream):
    """A body that never ends; counts what was taken from it."""

    def __init__(self) -> None:
        self.sent = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield b'{"logs": ['
        while True:
            chunk = b'{"id": "log_x"},' * 4096
            self.sent += len(chunk)
            yield chunk


async def test_an_endless_body_stops_at_the_cap_and_says_which() -> None:
    stream = Endless()
    client, _ = client_for(httpx.Response(200, stream=stream), max_response_bytes=MB)
    async with client:
        with pytest.raises(UnreadableBody) as caught:
            await client.list_logs(LogQuery())
    assert stream.sent < 2 * MB  # stopped soon after the cap, not at the end of memory
    assert "larger than the 1 MB cap" in str(caught.value)
    assert ENV_MAX_RESPONSE_MB in str(caught.value)
    assert caught.value.retryable  # a tail tries again, like any unreadable answer


async def test_the_cap_counts_unpacked_bytes() -> None:
    packed = gzip.compress(b" " * (3 * MB) + b'{"logs": []}')
    answer = httpx.Response(200, content=packed, headers={"content-encoding": "gzip"})
    client, _ = client_for(answer, max_response_bytes=MB)
    async with client:
        with pytest.raises(UnreadableBody, match="1 MB cap"):
            await client.list_logs(LogQuery())


async def test_a_body_under_the_cap_reads_as_before() -> None:
    body = json.dumps({"logs": [], "next_cursor": "2"}).encode()
    answer = httpx.Response(200, content=gzip.compress(body), headers={"content-encoding": "gzip"})
    client, _ = client_for(answer, max_response_bytes=MB)
    async with client:
        page = await client.list_logs(LogQuery())
    assert page.next_cursor == "2" and page.entries == []


def test_the_cap_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_MAX_RESPONSE_MB, raising=False)
    assert max_response_bytes() == DEFAULT_MAX_RESPONSE_MB * MB
    monkeypatch.setenv(ENV_MAX_RESPONSE_MB, "0.5")
    assert max_response_bytes() == MB // 2
    for bad in ("0", "-3", "lots", "nan", "inf"):
        monkeypatch.setenv(ENV_MAX_RESPONSE_MB, bad)
        with pytest.raises(ConfigError, match=ENV_MAX_RESPONSE_MB):
            max_response_bytes()
