"""A.1 authentication and the rate-limit headers every response carries."""

from __future__ import annotations

import hmac

from tui.constants import API_KEY_HEADER, CREDENTIAL_HEADERS
from tui.demo.errors import ApiError

RATE_LIMIT = 2000  # the Hobby plan's requests per minute; counted, never enforced here
SECRET_HEADERS = frozenset((*CREDENTIAL_HEADERS, "authorization", "cookie"))


def authenticate(headers: dict[str, list[str]], api_key: str) -> None:
    """A.1: exactly one credential header, and it must be this project's x-api-key."""
    sent = {name: headers.get(name, []) for name in CREDENTIAL_HEADERS}
    if sum(len(values) for values in sent.values()) > 1:
        raise ApiError(
            401,
            "Multiple authentication modes were provided; send exactly one of "
            + ", ".join(CREDENTIAL_HEADERS),
        )
    if sent["x-user-api-key"] or sent["x-org-api-key"]:
        used = "x-user-api-key" if sent["x-user-api-key"] else "x-org-api-key"
        raise ApiError(401, f"{used} is not accepted on this endpoint; send x-api-key instead")
    values = sent[API_KEY_HEADER]
    if not values or not values[0].strip():
        raise ApiError(401, "API key is missing: send your project API key in the x-api-key header")
    if not hmac.compare_digest(values[0].strip().encode(), api_key.encode()):
        raise ApiError(
            401,
            "Invalid API key: the x-api-key header does not match any project",
            "Copy the project API key again; demo-server prints it at startup.",
        )


class RateWindow:
    """Fixed one-minute windows, as A.1 documents; only counted, for the headers."""

    def __init__(self) -> None:
        self.window = -1
        self.used = 0

    def hit(self, now_s: float) -> dict[str, str]:
        window = int(now_s // 60)
        if window != self.window:
            self.window, self.used = window, 0
        self.used += 1
        return {
            "X-RateLimit": str(RATE_LIMIT),
            "X-RateLimit-Remaining": str(max(0, RATE_LIMIT - self.used)),
            "X-RateLimit-Window-Size": "60s",
        }


def redacted(headers: dict[str, list[str]]) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, values in headers.items():
        shown[name] = "<redacted>" if name in SECRET_HEADERS else values[-1]
    return shown
