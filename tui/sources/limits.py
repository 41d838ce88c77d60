"""How much of one answer toolwatch reads: a response body is read as it streams in and
cut off at a cap, so an endless or enormous answer costs at most that much memory.

The cap is ``TOOLWATCH_MAX_RESPONSE_MB`` megabytes (default 64: the largest real page,
100 logs with big bodies, is a few MB). It counts the decoded bytes, so a small
compressed answer cannot unpack into gigabytes either.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

from tui.errors import ConfigError

if TYPE_CHECKING:  # the parser reads the names below; only the API clients read answers
    import httpx

ENV_MAX_RESPONSE_MB: Final = "TOOLWATCH_MAX_RESPONSE_MB"
DEFAULT_MAX_RESPONSE_MB: Final = 64
_MB: Final = 1 << 20


class BodyTooLarge(Exception):
    """The answer went past the cap; ``str()`` says which cap."""

    def __init__(self, cap_bytes: int) -> None:
        super().__init__(
            f"the body is larger than the {describe_size(cap_bytes)} cap "
            f"({ENV_MAX_RESPONSE_MB}); stopped reading there"
        )
        self.cap_bytes = cap_bytes


def describe_size(size: int) -> str:
    return f"{size // _MB} MB" if size % _MB == 0 else f"{size} bytes"


def max_response_bytes() -> int:
    """The cap from ``TOOLWATCH_MAX_RESPONSE_MB`` (a number of megabytes, fractions too)."""
    text = os.environ.get(ENV_MAX_RESPONSE_MB, "").strip()
    if not text:
        return DEFAULT_MAX_RESPONSE_MB * _MB
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes <= 1 << 20:  # also rejects nan and inf
        raise ConfigError(
            f"{ENV_MAX_RESPONSE_MB} takes a number of megabytes above 0, such as "
            f"{DEFAULT_MAX_RESPONSE_MB}, not {text!r}"
        )
    return max(1, round(megabytes * _MB))


async def read_capped(response: httpx.Response, cap_bytes: int) -> httpx.Response:
    """The streamed ``response`` read whole into a new one, or BodyTooLarge past the cap.

    The copy holds the decoded body, so its encoding headers are dropped with it."""
    import httpx

    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > cap_bytes:
            raise BodyTooLarge(cap_bytes)
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        response.status_code, headers=headers, content=bytes(body), request=response.request
    )
