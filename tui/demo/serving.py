"""`LoopbackServer`: a demo server's life (start, stop, ``with``, its URL), shared by the
Composio and the Buddy stand-ins. Each answers requests itself (``respond``); this serves
them on a loopback socket from a daemon thread (``tui.demo.httpd``)."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self

from tui.demo.api import Reply
from tui.demo.faults import FaultResponse
from tui.demo.httpd import Handler, HTTPServer


class LoopbackServer:
    """Set ``_address`` and ``_lock`` before use; override ``_begin`` and the answers."""

    _address: tuple[str, int]
    _lock: threading.RLock
    _httpd: HTTPServer | None = None
    _thread: threading.Thread | None = None
    thread_name = "toolwatch-demo-server"

    def _begin(self) -> None:
        """Called once, just before the socket opens (the traffic's clock starts)."""

    def respond(
        self, method: str, target: str, headers: dict[str, list[str]], raw: bytes
    ) -> tuple[Reply, FaultResponse | None]:
        raise NotImplementedError

    def rate_headers(self) -> dict[str, str]:
        raise NotImplementedError

    def start(self) -> Self:
        with self._lock:
            if self._httpd is not None:
                return self
            self._begin()
            self._httpd = HTTPServer(self._address, Handler, self)
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"{self.thread_name}:{self._httpd.server_address[1]}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            httpd, thread = self._httpd, self._thread
            self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        httpd = self._httpd
        if httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not running; call start() first")
        host, port = httpd.server_address[:2]
        return f"http://{host!s}:{port}"
