"""Every error type toolwatch raises, each able to explain itself to an engineer.

A source raises ``ApiError`` and its kinds; the UI and the headless commands show
their ``title`` and ``hint`` as they are, so the hint says what to do next, not what
went wrong inside the client. None of these ever holds the API key: the client scrubs
it out of everything it passes in, including messages a server might echo back.
``ConfigError`` is a setting toolwatch cannot use, ``QueryError`` a query the Logs
API cannot take.
"""

from __future__ import annotations

from typing import ClassVar

from tui.sanitize import clean

# A server message can be a whole HTML page or a stack trace; one line of it is
# enough to recognize the problem, and the debug log has the rest.
_MAX_MESSAGE = 300


class ApiError(Exception):
    """Something went wrong talking to a log source. ``str()`` is one display-safe line."""

    title: ClassVar[str] = "Request failed"
    default_hint: ClassVar[str] = ""
    # Whether the same request may succeed later (LiveTail backs off and tries again)
    # or repeating it only repeats the refusal (LiveTail stops and says what to fix).
    # Only a refused key is never worth repeating: a gateway's 404, a 418 or a redirect
    # may be gone on the next try, and a tail must not stop for one odd answer.
    retryable: ClassVar[bool] = True
    # Whether the server refused the request as asked (its filters, range or cursor):
    # fatal to a tail only when it is the first answer to a query with terms.
    rejects_request: ClassVar[bool] = False

    def __init__(
        self,
        server_message: str | None = None,
        *,
        status: int | None = None,
        request_id: str | None = None,
        hint: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.status = status
        self.server_message = server_message or None
        self.request_id = request_id or None
        self.hint = hint if hint is not None else self.default_hint
        # What the client itself observed (a refused connection, a broken JSON
        # body); shown when the server said nothing.
        self.detail = detail or None
        super().__init__(self._line())

    def _line(self) -> str:
        head = self.title if self.status is None else f"{self.title} (HTTP {self.status})"
        said = self.server_message or self.detail
        line = f"{head}: {said}" if said else head
        if self.request_id:
            line += f" [request {self.request_id}]"
        return clean(line, max_len=_MAX_MESSAGE)

    def __str__(self) -> str:
        return self._line()

    def explain(self) -> str:
        """The error's line and, unless the line already says it, what to do about it."""
        line = self._line()
        return f"{line}. {self.hint}" if self.hint and self.hint not in line else line

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, "
            f"server_message={self.server_message!r}, request_id={self.request_id!r})"
        )


class AuthError(ApiError):
    title = "Authentication failed"
    retryable = False
    default_hint = (
        "Check COMPOSIO_API_KEY: the key is missing, expired or from another project. "
        "Create one in the Composio dashboard → Settings → API keys."
    )


class ForbiddenError(ApiError):
    title = "Permission denied"
    retryable = False
    default_hint = (
        "The key was accepted but may not read these logs. Use a project API key "
        "(Composio dashboard → Settings → API keys) from the project whose logs you want."
    )


class NotFoundError(ApiError):
    title = "Not found"
    default_hint = (
        "Check the log id. If every request says this, COMPOSIO_BASE_URL may not point "
        "at a Composio backend."
    )


class BadRequestError(ApiError):
    """400, 409, 413, 422: the server understood the request and refused it."""

    title = "Request rejected"
    rejects_request = True
    default_hint = "Change the filters or the time range and try again."

    def __init__(
        self,
        server_message: str | None = None,
        *,
        status: int | None = None,
        request_id: str | None = None,
        hint: str | None = None,
        detail: str | None = None,
        suggested_fix: str | None = None,
    ) -> None:
        self.suggested_fix = suggested_fix or None
        # The server's own advice is more specific than anything we can guess.
        if hint is None and self.suggested_fix:
            hint = clean(self.suggested_fix, max_len=_MAX_MESSAGE)
        super().__init__(
            server_message, status=status, request_id=request_id, hint=hint, detail=detail
        )


# What a refusal the tail retries (a 400 to a query without terms, or to a later page)
# says instead of BadRequestError's advice to change the filters.
RETRIED_REJECTION_HINT = (
    "Taken as one odd answer and retried; if it keeps coming, check that "
    "COMPOSIO_BASE_URL points at a Composio backend."
)


class RateLimitedError(ApiError):
    title = "Rate limited"

    def __init__(
        self,
        server_message: str | None = None,
        *,
        status: int | None = 429,
        request_id: str | None = None,
        hint: str | None = None,
        detail: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        if hint is None:
            wait = f"after {retry_after:.0f} s" if retry_after is not None else "in a moment"
            hint = (
                f"Composio limits requests per organization per minute; try again {wait}. "
                "If this keeps happening, poll less often (--interval)."
            )
        super().__init__(
            server_message, status=status, request_id=request_id, hint=hint, detail=detail
        )


class ServerError(ApiError):
    title = "Server error"
    default_hint = "The problem is on the server side and is usually brief; try again shortly."


class RequestTimeout(ApiError):
    title = "Request timed out"
    default_hint = "The server did not answer in time; check the network and try again."


class ConnectionFailed(ApiError):
    title = "Cannot connect"
    default_hint = "Check the network, any proxy settings, and COMPOSIO_BASE_URL."


class UnreadableBody(ApiError):
    title = "Unreadable response"
    default_hint = (
        "The answer was not what the Composio API sends. If COMPOSIO_BASE_URL points at a "
        "proxy or another service, fix it; otherwise run with --log-level debug and report it."
    )


class InternalError(ApiError):
    """Not the server's fault: toolwatch itself failed while fetching or reading."""

    title = "toolwatch hit a bug"
    default_hint = (
        "The details are in the debug log (toolwatch --help says where; run with "
        "--log-level debug); please report it. toolwatch keeps trying."
    )


class ConfigError(ValueError):
    """A setting toolwatch cannot use; the message says which and what to do."""


class QueryError(ValueError):
    """A query the Logs API cannot take; the message says what to change."""


class QuerySyntaxError(QueryError):
    """A term of the query text that cannot be sent, and where it is.

    ``position`` is the 0-based character offset of the bad term (of the quote, for an
    unclosed one) and ``length`` its length in characters; ``str(error)`` is one line
    naming the term and saying how to fix it."""

    def __init__(self, message: str, position: int, length: int) -> None:
        super().__init__(_one_line(message))
        self.position = position
        self.length = max(1, length)

    def pointer(self, text: str, indent: str = "") -> str:
        """``text`` and a caret line under the bad term, like a compiler's (two lines)."""
        return f"{indent}{_one_line(text)}\n{indent}{' ' * self.position}{'^' * self.length}"


def _one_line(text: str) -> str:
    """Every space-like character (tabs, newlines) as one space: columns stay put."""
    return "".join(" " if char.isspace() else char for char in text)
