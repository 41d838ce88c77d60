"""HTTP plumbing: reading requests off the socket and writing replies back.

Everything about what to answer lives in `DemoServer.respond`; this module only speaks
HTTP/1.1 (keep-alive, Content-Length or chunked bodies) and plays back injected faults.
"""

from __future__ import annotations

import json
import secrets
import socketserver
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from tui.demo.api import Reply
from tui.demo.errors import ApiError, bad_request
from tui.demo.faults import ENDLESS_MAX_BYTES, FaultResponse

MAX_BODY = 1 << 20
MAX_DRAINED = 16 << 20
# One log item repeated forever: valid JSON so far, however much a client reads.
_ENDLESS_ITEM = b'{"id": "log_endless", "message": "' + b"x" * 4000 + b'"},'


class Responder(Protocol):
    def respond(
        self, method: str, target: str, headers: dict[str, list[str]], raw: bytes
    ) -> tuple[Reply, FaultResponse | None]: ...

    def rate_headers(self) -> dict[str, str]: ...


def encode_json(body: Any) -> bytes:
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (possible only in an injected log) cannot be UTF-8: escape it.
        return json.dumps(body, separators=(",", ":")).encode("ascii")


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[Handler], demo: Responder) -> None:
        self.demo = demo
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on a sandbox DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # never print tracebacks over the TUI


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "toolwatch-demo"
    sys_version = ""
    timeout = 60  # closes idle keep-alive connections so their threads end
    # Headers and body go out as separate writes; with Nagle on, the body waits for the
    # client's delayed ACK of the headers: 40 ms per request.
    disable_nagle_algorithm = True
    server: HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _serve(self) -> None:
        demo = self.server.demo
        request_id = "req_" + secrets.token_hex(10)
        try:
            raw = self._read_body()
        except ApiError as error:
            self.close_connection = True
            self._send(Reply(error.status, error, demo.rate_headers()), request_id)
            return
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        reply, fault = demo.respond(self.command, self.path, headers, raw)
        if fault is not None and fault.delay_s > 0:
            time.sleep(fault.delay_s)
        self._send(reply, request_id, fault)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError:
            raise bad_request("Content-Length is not a number") from None
        if size < 0:
            raise bad_request("Content-Length is negative")
        if size > MAX_BODY:
            # Read it anyway (up to a point) so the client gets to see the 413 instead of a
            # connection reset in the middle of its upload.
            remaining = size if size <= MAX_DRAINED else 0
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
            raise ApiError(413, f"The request body is larger than {MAX_BODY} bytes")
        return self.rfile.read(size)

    def _read_chunked(self) -> bytes:
        data = bytearray()
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise bad_request("Malformed chunked request body") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(data)
            if len(data) + size > MAX_BODY:
                raise ApiError(413, f"The request body is larger than {MAX_BODY} bytes")
            data += self.rfile.read(size)
            self.rfile.readline(1024)

    def _send_endless(self, request_id: str) -> None:
        """A 200 whose body has no length and no end: it stops when the client hangs up."""
        self.close_connection = True
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Request-Id", request_id)
            self.send_header("Connection", "close")
            self.end_headers()
            sent = self.wfile.write(b'{"logs": [') or 0
            chunk = _ENDLESS_ITEM * 64
            while sent < ENDLESS_MAX_BYTES:
                sent += self.wfile.write(chunk) or 0
        except OSError:
            pass  # the client stopped reading: what an endless body is for

    def _send(self, reply: Reply, request_id: str, fault: FaultResponse | None = None) -> None:
        if fault is not None and fault.endless and reply.status == 200:
            self._send_endless(request_id)
            return
        if fault is not None and fault.status is not None:
            payload = fault.body
            headers = {"Content-Type": "application/json", **fault.headers}
        else:
            body = (
                reply.body.envelope(request_id) if isinstance(reply.body, ApiError) else reply.body
            )
            # A fault may hand over bytes: raw values json.dumps cannot write (planted.py).
            payload = body if isinstance(body, bytes) else encode_json(body)
            headers = {"Content-Type": "application/json"}
        headers = {**reply.headers, **headers, "X-Request-Id": request_id}
        headers["Content-Length"] = str(len(payload))
        if fault is not None and fault.truncate_at is not None:
            # Always short, even when the policy could not know how long the body would be.
            payload = payload[: max(0, min(fault.truncate_at, len(payload) - 1))]
            self.close_connection = True
        if self.close_connection:
            headers["Connection"] = "close"
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            self.wfile.flush()
        except OSError:
            self.close_connection = True  # the client went away; nothing to tell it

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Protocol-level errors (bad request line, unknown method...) in the A.1 envelope too.
        self.close_connection = True
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        reply = Reply(code, ApiError(code, message or phrase), self.server.demo.rate_headers())
        self._send(reply, "req_" + secrets.token_hex(10))
