"""One HTTP exchange as every API source makes it (Composio's, Buddy's): the whole answer
within the timeout, its body read through the cap (``tui.sources.limits``), and every way
it can fail on the way turned into the typed ``ApiError`` of ``tui.errors``, worded for
the variable that names the server (``COMPOSIO_BASE_URL``, ``BUDDY_BASE_URL``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from tui.errors import ConnectionFailed, RequestTimeout, UnreadableBody
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
