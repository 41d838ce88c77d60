"""One HTTP exchange as every API source makes it (Composio's, Buddy's): the whole answer
within the timeout, its body read through the cap (``tui.sources.limits``), and every way
it can fail on the way turned into the typed ``ApiError`` of ``tui.errors``, worded for
the variable that names the server (``COMPOSIO_BASE_URL``, ``BUDDY_BASE_URL``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from tui import debuglog
from tui.errors import ConnectionFailed, RequestTimeout, UnreadableBody
from tui.models.loose import to_number
from tui.sources.limits import BodyTooLarge, read_capped

CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True)
class Endpoint:
    """Where the requests go, as the errors name it."""

    host: str  # for the messages: "backend.composio.dev"
    shown_url: str  # the base URL without any user:password@
    env_name: str  # the variable that sets it
    reach_hint: str = ""  # said after "Could not reach …"; default: check the network


def http_client(
    base_url: str, timeout: float, transport: httpx.AsyncBaseTransport | None
) -> httpx.AsyncClient:
    """The client of a source: no redirects followed (one would carry the credential to
    wherever it points; httpx strips only Authorization across hosts)."""
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
        transport=transport,
        follow_redirects=False,
    )


async def exchange(
    http: httpx.AsyncClient,
    request: httpx.Request,
    *,
    within_s: float,
    cap_bytes: int,
    endpoint: Endpoint,
    scrub: Callable[[str], str],
    unreadable: Callable[[str], UnreadableBody],
    describe: Callable[[Exception, str], str],
) -> httpx.Response:
    """The answer to ``request``, read whole; the typed error of whatever went wrong."""
    try:
        # httpx's timeout bounds each read; this bounds the whole exchange, so a server
        # trickling bytes cannot hold a poll forever.
        async with asyncio.timeout(within_s):
            streamed = await http.send(request, stream=True)
            try:
                return await read_capped(streamed, cap_bytes)
            finally:
                await streamed.aclose()
    except (TimeoutError, httpx.TimeoutException) as error:
        connect = isinstance(error, httpx.ConnectTimeout)
        raise RequestTimeout(
            detail=(
                f"no connection to {endpoint.host} within {min(CONNECT_TIMEOUT, within_s):g} s"
                if connect
                else f"no complete answer from {endpoint.host} within {within_s:g} s"
            ),
            hint=f"Check the network and {endpoint.env_name} ({endpoint.shown_url}), "
            "then try again.",
        ) from None
    except BodyTooLarge as error:
        raise unreadable(str(error)) from None
    except httpx.DecodingError as error:
        raise unreadable(f"the body could not be decoded: {error}") from None
    except (httpx.TransportError, httpx.InvalidURL) as error:
        raise ConnectionFailed(
            detail=scrub(describe(error, endpoint.host)),
            hint=f"Could not reach {endpoint.shown_url}. "
            + (
                endpoint.reach_hint
                or f"Check the network, any proxy settings, and {endpoint.env_name}."
            ),
        ) from None


def display_url(url: str) -> str:
    """``url`` without any user:password@ part."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=host))


def parse_retry_after(headers: httpx.Headers, *, now: datetime | None = None) -> float | None:
    """Seconds to wait: ``retry-after-ms``, else ``Retry-After`` as seconds or an HTTP date."""
    millis = to_number(headers.get("retry-after-ms"))
    if millis is not None and millis >= 0:
        return millis / 1000
    text = headers.get("retry-after")
    if text is None:
        return None
    seconds = to_number(text)
    if seconds is not None:
        return seconds if seconds >= 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def without_secret(text: str, secret: str) -> str:
    """``text`` through debuglog's scrubber (every registered secret, URL-encoded too),
    and without ``secret`` itself even if it was never registered."""
    text = debuglog.scrub(text)
    return text.replace(secret, debuglog.MASK) if secret and secret in text else text
