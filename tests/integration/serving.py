"""`toolwatch serve` run as a person runs it, for the tests that reach it over HTTP, a
websocket or a real browser: a subprocess on a free port, its URL read from its first
line, its stdout and stderr kept whole for the secrets checks."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
ANSI = re.compile(r"\x1b\[[0-9;:?<>=]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]")
# A tool slug in a row of the table: GMAIL_SEND_EMAIL, GITHUB_CREATE_ISSUE, ...
TOOL_SLUG = re.compile(r"\b[A-Z][A-Z0-9]+_[A-Z0-9_]{3,}\b")


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    stdout: list[bytes] = field(default_factory=list)
    stderr: list[bytes] = field(default_factory=list)

    @property
    def port(self) -> int:
        port = urlsplit(self.url).port
        assert port is not None
        return port

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        return parse_qs(urlsplit(self.url).query)["token"][0]

    @property
    def cookie(self) -> dict[str, str]:
        return {f"toolwatch_serve_{self.port}": self.token}

    def log(self) -> str:
        """All it printed: stdout (with what tabs' screens wrote to stderr) and stderr."""
        return b"".join(self.stdout + self.stderr).decode("utf-8", "replace")


def serve_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSIO_")}
    env.update(extra or {})
    return env


def _pump(stream: object, into: list[bytes], first_line: threading.Event | None) -> None:
    for line in iter(stream.readline, b""):  # type: ignore[attr-defined]
        into.append(line)
        if first_line is not None:
            first_line.set()


@contextmanager
def serving(*flags: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=serve_env(env),
        cwd=ROOT,
        start_new_session=True,  # its tabs' screens too are ended with it
    )
    served = Served(process, url="")
    got_line = threading.Event()
    pumps = [
        threading.Thread(target=_pump, args=(process.stdout, served.stdout, got_line)),
        threading.Thread(target=_pump, args=(process.stderr, served.stderr, None)),
    ]
    for pump in pumps:
        pump.start()
    try:
        if not got_line.wait(30):
            raise AssertionError(f"serve printed no URL in 30 s: {served.log()!r}")
        served.url = served.stdout[0].decode().rstrip("\n")
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with suppress(subprocess.TimeoutExpired):
                process.wait(20)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # any tab's screen left behind
        process.wait(10)
        for pump in pumps:
            pump.join(10)


def screen_text(frames: list[bytes | str]) -> str:
    """What the websocket drew, escapes removed: the words on screen, run together."""
    raw = "".join(f if isinstance(f, str) else f.decode("utf-8", "replace") for f in frames)
    return ANSI.sub("", raw)


class Tab:
    """One browser tab's websocket, without a browser: what it sends and what it drew."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames: list[bytes | str] = []

    async def press(self, keys: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", keys]))

    async def wait_for(self, pattern: re.Pattern[str] | str, within: float) -> str:
        """Read frames until the screen shows ``pattern``; the screen text so far."""
        wanted = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + within
        while not wanted.search(text := screen_text(self.frames)):
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{wanted.pattern!r} not on screen in {within} s: {text!r}")
            try:
                message = await self.ws.receive(timeout=left)
            except TimeoutError:
                continue
            if message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                self.frames.append(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                raise AssertionError(f"the websocket closed: {text!r}")
        return text
