"""The demo's odd answers: stray 4xx, refused cursors, redirects that leak the key, and
bodies without end, each on a real loopback socket."""

from __future__ import annotations

import socket
import time

import pytest

from tests.demo.conftest import LIST, client_for
from tests.demo.test_fault_plan import faulty
from tui.demo import parse_fault_spec
from tui.demo.fault_policy import REDIRECT_TARGET, STRAY_ANSWERS


def test_the_spec_names_the_odd_answers() -> None:
    plan = parse_fault_spec("stray4xx=10%,badcursor=0.2,redirect=0.05,endless=0.01")
    assert (plan.stray4xx_rate, plan.badcursor_rate) == (0.1, 0.2)
    assert (plan.redirect_rate, plan.endless_rate) == (0.05, 0.01)
    with pytest.raises(ValueError, match="at most 1"):
        parse_fault_spec("stray4xx=0.6,endless=0.6")


def test_stray_answers_are_the_odd_4xx_a_gateway_gives() -> None:
    with faulty("stray4xx=1") as server, client_for(server) as client:
        statuses = {client.post(LIST, json={"limit": 5}).status_code for _ in range(40)}
    assert statuses == set(STRAY_ANSWERS)
    assert server.fault_counts == {"stray4xx": 40}


def test_a_bad_cursor_fault_refuses_only_requests_with_a_cursor() -> None:
    with faulty("badcursor=1") as server, client_for(server) as client:
        first = client.post(LIST, json={"limit": 5})
        assert first.status_code == 200
        cursor = first.json()["next_cursor"]
        refused = client.post(LIST, json={"limit": 5, "cursor": cursor})
    assert refused.status_code == 400
    assert "Invalid cursor" in refused.json()["error"]["message"]
    assert server.fault_counts == {"badcursor": 1}


def test_a_redirect_points_at_another_host_with_the_key() -> None:
    with faulty("redirect=1") as server, client_for(server) as client:
        answer = client.post(LIST, json={"limit": 5})
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith(REDIRECT_TARGET) and location.endswith(server.api_key)


def test_an_endless_body_keeps_coming_until_the_client_hangs_up() -> None:
    with faulty("endless=1") as server:
        host, port = server.url.removeprefix("http://").split(":")
        request = (
            f"POST {LIST} HTTP/1.1\r\nHost: {host}\r\nx-api-key: {server.api_key}\r\n"
            "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
        ).encode()
        with socket.create_connection((host, int(port)), timeout=5) as conn:
            conn.sendall(request)
            received = 0
            started = time.monotonic()
            while received < 8 << 20 and time.monotonic() - started < 10:
                received += len(conn.recv(1 << 16))
        assert received >= 8 << 20  # far more than any page: it does not stop by itself
