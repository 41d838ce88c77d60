"""Seam for fault injection (500s, 429s, slow or truncated responses, late logs).

Everything here is inert: the server consults a `Faults` object before every response and
the log store asks it how late each log becomes visible. A later change subclasses or
replaces it; the server already knows how to play a `FaultResponse` back.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """What a fault policy may look at: enough to target one endpoint or one call."""

    method: str
    path: str
    route: str  # the matched route name, e.g. "logs.list"; "" when nothing matched
    number: int  # 1-based count of requests the server has seen, for "every Nth" policies


@dataclass(frozen=True, slots=True)
class FaultResponse:
    """A response to send instead of (or as a damaged copy of) the real one.

    `status is None` keeps the real status and body, which lets a policy only delay or
    truncate a genuine answer.
    """

    status: int | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    # Send the full Content-Length but only this many body bytes, then drop the connection.
    truncate_at: int | None = None


class Faults:
    """No faults. Override the methods to inject them."""

    def intercept(self, request: RequestInfo) -> FaultResponse | None:
        """Called after routing and auth, before the handler runs."""
        return None

    @property
    def delays_visibility(self) -> bool:
        """True when `visibility_delay_ms` must be consulted (kept off the hot path otherwise)."""
        return False

    def visibility_delay_ms(self, index: int, timestamp_ms: int) -> int:
        """How long after its timestamp log number `index` starts appearing in lists."""
        return 0
