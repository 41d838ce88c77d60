"""Fixtures: demo servers on real loopback sockets, driven with a plain httpx client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.clock import FakeClock
from tui.demo import DemoServer

LIST = "/api/v3.1/logs/tool_execution"


def client_for(server: DemoServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"x-api-key": server.api_key}, timeout=10)


def list_all(client: httpx.Client, body: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every log matching `body`, following next_cursor to the end."""
    body = dict(body or {})
    body.setdefault("limit", 100)
    logs: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = client.post(LIST, json={**body, "cursor": cursor})
        assert response.status_code == 200, response.text
        page = response.json()
        logs += page["logs"]
        cursor = page["next_cursor"]
        if cursor is None:
            return logs


@pytest.fixture(scope="module")
def frozen() -> Iterator[DemoServer]:
    """300 prefilled logs, no live traffic, a clock that never moves: never mutate it."""
    with DemoServer(seed=7, rate=0, prefill=300, clock=FakeClock()) as server:
        yield server


@pytest.fixture(scope="module")
def frozen_client(frozen: DemoServer) -> Iterator[httpx.Client]:
    with client_for(frozen) as client:
        yield client


@pytest.fixture
def server() -> Iterator[DemoServer]:
    """A fresh server a test may change (add_log, execute)."""
    with DemoServer(seed=11, rate=0, prefill=50, clock=FakeClock()) as server:
        yield server


@pytest.fixture
def client(server: DemoServer) -> Iterator[httpx.Client]:
    with client_for(server) as client:
        yield client
