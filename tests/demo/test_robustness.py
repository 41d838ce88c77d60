"""Bad input of every kind gets an envelope; the server thread never dies or prints."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.clock import FakeClock
from tests.demo.conftest import LIST, client_for
from tests.demo.test_list import assert_envelope
from tui.demo import DemoServer
from tui.demo.faults import FaultResponse, Faults, RequestInfo


def test_unknown_path_is_404(client: httpx.Client) -> None:
    for path in ("/", "/api/v3.1/logs", "/api/v3.1/logs/tool_execution/a/b", "/api/v9/x"):
        assert_envelope(client.get(path), 404)


def test_wrong_method_is_405(client: httpx.Client) -> None:
    response = client.get(LIST)
    assert_envelope(response, 405, "GET")
    assert response.headers["Allow"] == "POST"
    assert_envelope(client.delete(LIST + "/log_x"), 405)


@pytest.mark.parametrize("content", [b"{", b"\xff\xfe", b"nul", b'{"limit": 5,}'])
def test_unparseable_body_is_400(client: httpx.Client, content: bytes) -> None:
    response = client.post(LIST, content=content, headers={"Content-Type": "application/json"})
    assert_envelope(response, 400, "JSON")


@pytest.mark.parametrize("body", [[], "x", 3, None])
def test_body_must_be_an_object(client: httpx.Client, body: object) -> None:
    response = client.post(LIST, json=body)
    if body is None:  # JSON null: as good as no body
        assert response.status_code == 200
    else:
        assert_envelope(response, 400, "object")


def test_oversized_body_is_413(client: httpx.Client) -> None:
    response = client.post(LIST, content=b" " * ((1 << 20) + 1))
    assert response.status_code == 413


def test_garbage_on_the_socket_does_not_kill_the_server(
    server: DemoServer, client: httpx.Client
) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    for garbage in (
        b"\x00\x01\x02 nonsense\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"BREW /pot HTTP/1.1\r\n\r\n",
        b"POST " + LIST.encode() + b" HTTP/1.1\r\nContent-Length: 50\r\n\r\n{",
    ):
        with socket.create_connection((host, int(port)), timeout=5) as raw:
            raw.sendall(garbage)
            raw.shutdown(socket.SHUT_WR)
            while raw.recv(4096):
                pass
    assert client.post(LIST).status_code == 200


def test_chunked_body(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"li'
        yield b'mit": 3}'

    response = client.post(LIST, content=chunks())
    assert response.status_code == 200 and len(response.json()["logs"]) == 3


def test_head_and_options(client: httpx.Client) -> None:
    assert client.head(LIST).status_code == 405
    assert client.options(LIST).status_code == 405


def test_stop_is_idempotent_and_start_returns_self() -> None:
    server = DemoServer(prefill=5)
    assert server.start() is server and server.start() is server
    url = server.url
    server.stop()
    server.stop()
    with pytest.raises(RuntimeError):
        _ = server.url
    with pytest.raises(httpx.ConnectError):
        httpx.post(url + LIST)


def test_nothing_is_printed(capfd: pytest.CaptureFixture[str]) -> None:
    with DemoServer(prefill=5) as server, client_for(server) as client:
        client.post(LIST)
        client.get("/nope")
        client.post(LIST, content=b"{")
    out, err = capfd.readouterr()
    assert out == err == ""


class _Flaky(Faults):
    """The seam the fault-injection work builds on: a 503 and late-visible logs."""

    def intercept(self, request: RequestInfo) -> FaultResponse | None:
        if request.route == "usage.summary":
            return FaultResponse(
                status=503, body=b'{"message":"busy"}', headers={"Retry-After": "2"}
            )
        if request.route == "logs.get":
            return FaultResponse(truncate_at=5)
        return None

    @property
    def delays_visibility(self) -> bool:
        return True

    def visibility_delay_ms(self, index: int, timestamp_ms: int) -> int:
        return 10**12 if index % 2 else 0


def test_fault_seam() -> None:
    with DemoServer(prefill=20, rate=0, clock=FakeClock()) as server, client_for(server) as client:
        server.faults = _Flaky()
        response = client.post("/api/v3.1/project/usage/summary")
        assert response.status_code == 503 and response.headers["Retry-After"] == "2"
        assert "X-RateLimit" in response.headers
        assert server.log_count == 10
        assert len(client.post(LIST, json={"limit": 100}).json()["logs"]) == 10
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(f"{LIST}/anything")
