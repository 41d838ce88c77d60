"""The web server behind `toolwatch serve`: textual-serve's, with a token in front.

Each browser tab gets its own run of the screen: textual-serve starts ``command`` (the
same `python -m tui ...` with the serve command's flags) per websocket, in an
environment copied from this process, so the API key travels only from this process's
environment to that child's, never into the page, a URL or a command line.

Every request needs the run's token, either in the query (the printed URL) or in the
cookie the page's answer sets; the cookie then carries the assets, the websocket, a
reload and a second tab. Anything else gets 403 and a line on stderr.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware
from textual_serve.server import Server

from tui.sanitize import clean

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

TOKEN_PARAM = "token"
# What a Host header may hold to be echoed into the page as the websocket's address.
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")

REFUSED_BODY = (
    "403: toolwatch serve answers only the URL it printed (with ?token=...), and then "
    "the browser that opened it.\n"
)


def cookie_name(port: int) -> str:
    """One cookie per port: browsers share cookies across the ports of a host, and two
    serves on one machine must not log each other's tabs out."""
    return f"toolwatch_serve_{port}"


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def say(message: str) -> None:
    print(f"toolwatch: {message}", file=sys.stderr, flush=True)


def token_guard(token: str, port: int) -> Middleware:
    """An aiohttp middleware: the token or its cookie, or 403 (logged)."""
    cookie = cookie_name(port)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        by_token = _same(request.query.get(TOKEN_PARAM, ""), token)
        by_cookie = _same(request.cookies.get(cookie, ""), token)
        origin = request.headers.get("Origin")
        # A page elsewhere cannot carry the cookie (SameSite), but refuse it outright:
        # only this server's own page opens the websocket.
        if origin is not None and urlsplit(origin).netloc != request.host:
            return refuse(request, "from another site's page")
        if not (by_token or by_cookie):
            return refuse(request, "without the token or its cookie")
        response = await handler(request)
        response.headers["Referrer-Policy"] = "no-referrer"  # the URL holds the token
        response.headers["Cache-Control"] = "no-store"
        if by_token and not by_cookie and not response.prepared:
            response.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")
        return response

    return guard


def refuse(request: web.Request, why: str) -> web.Response:
    # The path only: a wrong token in the query may be the right one mistyped.
    say(f"refused {request.method} {clean(request.path, max_len=200)} {why} (403)")
    return web.Response(status=403, text=REFUSED_BODY)


class TokenServer(Server):
    """textual-serve's Server, quiet (this module says what is said), behind the token."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        super().__init__(command, host=host, port=port, title="toolwatch")
        self.token = token
        self.bound_port = port

    def initialize_logging(self) -> None:
        """textual-serve's own log goes to stderr, plainly; stdout starts with the URL."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("toolwatch serve: %(message)s"))
        textual_log = logging.getLogger("textual-serve")
        textual_log.addHandler(handler)
        textual_log.setLevel(logging.WARNING)
        textual_log.propagate = False

    async def on_startup(self, app: web.Application) -> None:
        """Instead of textual-serve's logo and "Serving ..." line: nothing (see serve)."""

    async def handle_index(self, request: web.Request) -> Any:
        # The page points its websocket and assets at the address the browser used, so
        # an SSH forward to any local port works. Read synchronously by the template
        # function, before its first await: no other request interleaves.
        host = request.host if _HOST.match(request.host) else f"{self.host}:{self.bound_port}"
        self.public_url = f"http://{host}"
        return await super().handle_index(request)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(token_guard(self.token, self.bound_port))
        return app

    async def run(self, url_for: Callable[[int], str], note: str) -> None:
        """Serve until SIGINT or SIGTERM, having printed ``url_for(port)`` first (stdout,
        for scripts) and ``note`` after it (stderr, for the person)."""
        self.initialize_logging()
        # The port is known only once bound (--port 0 picks a free one), and the
        # cookie's name and the middleware depend on it, so bind first.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.bound_port = sock.getsockname()[1]
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        print(url_for(self.bound_port), flush=True)
        say(note)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
