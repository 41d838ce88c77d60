"""One HTTP exchange as every API source makes it (Composio's, Buddy's): the whole answer
within the timeout, its body read through the cap (``tui.sources.limits``), and every way
it can fail on the way turned into the typed ``ApiError`` of ``tui.errors``, worded for
the variable that names the server (``COMPOSIO_BASE_URL``, ``BUDDY_BASE_URL``).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

import httpx

from tui import __version__, debuglog
from tui.errors import ConnectionFailed, RequestTimeout, UnreadableBody
from tui.models.loose import to_number
from tui.sources.limits import BodyTooLarge, read_capped

CONNECT_TIMEOUT = 5.0
USER_AGENT = f"toolwatch/{__version__} (+python-httpx)"


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
            detail=scrub(describe_transport(error, endpoint.host)),
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


def describe_transport(error: Exception, host: str) -> str:
    """What went wrong on the way, from the exception chain's root cause."""
    causes: list[BaseException] = []
    node: BaseException | None = error
    while node is not None and len(causes) < 10:
        causes.append(node)
        node = node.__cause__ or node.__context__
    for cause in causes:
        if isinstance(cause, ssl.SSLCertVerificationError):
            # Set only when raised by the ssl module itself.
            why = getattr(cause, "verify_message", None) or "not trusted"
            return f"the TLS certificate of {host} could not be verified ({why})"
        if isinstance(cause, ssl.SSLError):
            return (
                f"the TLS handshake with {host} failed ({getattr(cause, 'reason', None) or cause})"
            )
        if isinstance(cause, socket.gaierror):
            return f"the host name {host} could not be resolved"
        if isinstance(cause, ConnectionRefusedError):
            return f"{host} refused the connection"
    text = str(error)
    lowered = text.lower()
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"the base URL is not usable: {text}"
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return f"the host name {host} could not be resolved"
    if "refused" in lowered:
        return f"{host} refused the connection"
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return f"the TLS handshake with {host} failed"
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return f"the connection to {host} broke off ({text or type(error).__name__})"
    if isinstance(error, httpx.ConnectError):
        return f"could not connect to {host}: {text or 'no reason given'}"
    return text or type(error).__name__
