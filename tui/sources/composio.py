"""ComposioClient: the Composio Logs API over one httpx.AsyncClient (api-contract.md A.1–A.5).

It sends exactly one credential header (``x-api-key``; two together are a 401),
turns every HTTP status and transport failure into a typed ``ApiError`` that
says what to do, and never retries: the polling engine owns retry and backoff,
and a retry here would hide the failures it needs to see.

The key is held in a ``Secret``, set on each request rather than on the client's
default headers, and scrubbed out of anything the server echoes back, so it can
reach neither an exception, a repr, nor the debug log.
"""

from __future__ import annotations

import json
import time
from http.cookiejar import DefaultCookiePolicy
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from tui import debuglog, jsontree
from tui.config import Secret
from tui.constants import (
    API_KEY_HEADER,
    DEFAULT_BASE_URL,
    DEFAULT_LIMIT,
    LOGS_DETAIL_PATH,
    LOGS_LIST_PATH,
    TRACE_PATH,
    USAGE_SUMMARY_PATH,
)
from tui.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    UnreadableBody,
)
from tui.models.entry import LogEntry
from tui.models.normalize import entry_from_wire
from tui.models.wire import (
    WireLogDetail,
    WireTrace,
    json_kind,
    parse_error_body,
    summarize_errors,
)
from tui.query import LogQuery
from tui.sanitize import clean
from tui.sources.base import LogPage, no_row_logs
from tui.sources.exchange import (
    USER_AGENT,
    Endpoint,
    display_url,
    exchange,
    http_client,
    parse_retry_after,
    without_secret,
)
from tui.sources.limits import max_response_bytes as max_response_bytes_from_env
from tui.urlpath import path_segment

log = debuglog.get_logger("client")

_M = TypeVar("_M", bound=BaseModel)


class ComposioClient:
    """The Composio Logs API. Use as ``async with ComposioClient(api_key=...) as client``."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        """``max_response_bytes``: the most of one answer read (default: from
        ``TOOLWATCH_MAX_RESPONSE_MB``, see tui.sources.limits)."""
        if not api_key:
            raise ValueError("ComposioClient needs an API key")
        self._key = Secret(api_key)
        debuglog.register_secret(api_key)
        self.base_url = base_url.strip().rstrip("/")
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes or max_response_bytes_from_env()
        # A redirect is reported, not followed (it would carry x-api-key elsewhere).
        self._http = http_client(self.base_url, timeout, transport)
        # Composio also accepts a session cookie (authToken) as a credential, and two
        # credentials at once are a 401: never store or send back cookies.
        self._http.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def __repr__(self) -> str:
        return f"ComposioClient(base_url={display_url(self.base_url)!r})"

    @property
    def description(self) -> str:
        return urlsplit(display_url(self.base_url)).netloc or self.base_url

    @property
    def restarts(self) -> int:
        """An API never starts over: what it listed stays listed."""
        return 0

    @property
    def ended(self) -> bool:
        """An API has no end: there may always be newer logs."""
        return False

    @property
    def progress_text(self) -> str | None:
        return None  # an API answers page by page: nothing is read ahead

    @property
    def reads_logs(self) -> bool:
        return False  # a Composio log is its detail and per-step log

    async def read_log(self, log_id: str, offset: int = 0) -> tuple[list[str], int, int | None]:
        raise no_row_logs(self.description)

    def filtered_note(self, query: LogQuery) -> str:
        return ""  # the API applies the filters itself

    async def read_to_end(self) -> None:
        """Nothing to wait for: every request is answered from all the API holds."""

    # -- lifetime ---------------------------------------------------------------------

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> ComposioClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # -- endpoints ----------------------------------------------------------------------

    async def list_logs(
        self, query: LogQuery, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
    ) -> LogPage:
        """One page of logs. Unreadable items land in ``skipped``; the others are kept."""
        body = query.to_api_body(limit=limit, cursor=cursor)
        data = await self._request("POST", LOGS_LIST_PATH, body=body)
        if not isinstance(data, dict):
            raise self._unreadable(f"expected a JSON object with logs, got {json_kind(data)}")
        items = data.get("logs")
        if items is None:
            items = []
        if not isinstance(items, list):
            raise self._unreadable(f"'logs' should be a list, got {json_kind(items)}")
        raw_cursor = data.get("next_cursor")
        if raw_cursor is not None and not isinstance(raw_cursor, str):
            # The API's cursor is an opaque string; a number (or anything else) is not one
            # we were given, and guessing would stop paging early or loop on one page.
            raise self._unreadable(f"'next_cursor' should be a string, got {json_kind(raw_cursor)}")
        next_cursor = raw_cursor or None

        entries: list[LogEntry] = []
        skipped: list[str] = []
        for index, item in enumerate(items):
            try:
                entries.append(entry_from_wire(item))
            except UnreadableBody as error:
                problem = self._scrub(error.detail or str(error))
                skipped.append(f"item {index}: {problem}")
                log.warning("skipped log item %d: %s", index, problem)
        return LogPage(entries=entries, next_cursor=next_cursor, skipped=skipped)

    async def usage_tool_calls(self, from_ms: int, to_ms: int) -> int:
        """Tool calls the Usage API (A.4.1) counts in ``[from_ms, to_ms)``, project-wide."""
        body = {"from": from_ms, "to": to_ms, "entity_types": ["tool_calls"]}
        data = await self._request("POST", USAGE_SUMMARY_PATH, body=body)
        entities = data.get("entities") if isinstance(data, dict) else None
        calls = entities.get("tool_calls") if isinstance(entities, dict) else None
        count = calls.get("event_count") if isinstance(calls, dict) else None
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise self._unreadable("the usage summary has no tool_calls.event_count count")
        return count

    async def get_detail(self, log_id: str) -> WireLogDetail:
        data = await self._request("GET", LOGS_DETAIL_PATH.format(id=_path_id(log_id)))
        return self._parse(WireLogDetail, data, "log detail")

    async def get_trace(self, log_id: str) -> WireTrace:
        data = await self._request("GET", TRACE_PATH.format(id=_path_id(log_id)))
        return self._parse(WireTrace, data, "execution trace")

    # -- transport -------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {
            API_KEY_HEADER: self._key.reveal(),
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }

    async def _request(self, method: str, path: str, *, body: Any = None) -> Any:
        started = time.perf_counter()
        request = self._http.build_request(method, path, json=body, headers=self._headers())
        endpoint = Endpoint(self.description, display_url(self.base_url), "COMPOSIO_BASE_URL")
        try:
            response = await exchange(
                self._http,
                request,
                within_s=self.timeout,
                cap_bytes=self.max_response_bytes,
                endpoint=endpoint,
                scrub=self._scrub,
                unreadable=self._unreadable,
            )
        except ApiError as error:
            said = error.detail or error
            log.debug("%s %s -> %s after %.0f ms", method, path, said, _ms_since(started))
            raise
        log.debug("%s %s -> %d in %.0f ms", method, path, response.status_code, _ms_since(started))
        if not response.is_success:
            raise self._error_for(response)
        return self._json(response)

    def _json(self, response: httpx.Response) -> Any:
        content = response.content
        if not content.strip():
            raise self._unreadable("the body is empty")
        try:
            return jsontree.loads(content)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            kind = response.headers.get("content-type", "").split(";")[0].strip()
            what = f"{kind} instead of JSON" if kind and "json" not in kind else "invalid JSON"
            where = (
                f" ({error.msg} at byte {error.pos} of {len(content)})"
                if isinstance(error, json.JSONDecodeError)
                else ""
            )
            raise self._unreadable(f"the body is {what}{where}") from None

    def _parse(self, model: type[_M], data: Any, what: str) -> _M:
        if not isinstance(data, dict):
            raise self._unreadable(f"expected a JSON object for the {what}, got {json_kind(data)}")
        try:
            return model.model_validate(data)
        except ValidationError as error:
            problems = summarize_errors(error)
            raise self._unreadable(f"the {what} is not readable: {problems}") from None

    def _unreadable(self, detail: str) -> UnreadableBody:
        detail = self._scrub(detail)
        log.warning("unreadable response: %s", detail)
        return UnreadableBody(detail=detail)

    def _scrub(self, text: str) -> str:
        """``text`` without the key: every text from the server passes through here."""
        return without_secret(text, self._key.reveal())

    def _error_for(self, response: httpx.Response) -> ApiError:
        status = response.status_code
        try:
            info = parse_error_body(jsontree.loads(response.content))
        except (json.JSONDecodeError, UnicodeDecodeError):
            info = parse_error_body(None)
        message = info.message
        if info.errors:
            details = "; ".join(info.errors[:3])
            message = f"{message} ({details})" if message else details
        detail = None
        if message is None and response.content.strip():
            # A proxy's HTML page or a bare text answer: its start still helps.
            detail = self._scrub(clean(response.text, max_len=120))
        request_id = info.request_id or response.headers.get("x-request-id") or None
        request_id = self._scrub(request_id) if request_id else None
        kwargs: dict[str, Any] = {"status": status, "request_id": request_id, "detail": detail}
        message = self._scrub(message) if message else None

        if status == 401:
            return AuthError(message, **kwargs)
        if status == 403:
            return ForbiddenError(message, **kwargs)
        if status in (404, 410):
            return NotFoundError(message, **kwargs)
        if status in (400, 409, 413, 422):
            fix = self._scrub(info.suggested_fix) if info.suggested_fix else None
            return BadRequestError(message, suggested_fix=fix, **kwargs)
        if status == 408:
            return RequestTimeout(message, **kwargs)
        if status == 429:
            return RateLimitedError(
                message, retry_after=parse_retry_after(response.headers), **kwargs
            )
        if status >= 500:
            return ServerError(message, **kwargs)
        if 300 <= status < 400:
            # Not followed: the request carries x-api-key, and a Location may even hold
            # the key itself (it is scrubbed like anything else the server sends).
            target = clean(display_url(self._scrub(response.headers.get("location", ""))))
            kwargs["detail"] = f"redirected to {target}" if target else "a redirect to nowhere"
            return ApiError(
                message,
                hint=(
                    "toolwatch does not follow redirects, which would carry the API key "
                    "elsewhere; if that address is the Composio API, set COMPOSIO_BASE_URL "
                    "to it, otherwise check COMPOSIO_BASE_URL."
                ),
                **kwargs,
            )
        return ApiError(
            message,
            hint="Unexpected answer from the server; check COMPOSIO_BASE_URL.",
            **kwargs,
        )


# -- helpers -------------------------------------------------------------------------------


def _path_id(log_id: str) -> str:
    if not log_id:
        raise BadRequestError(
            detail="the log id is empty", hint="Pass the id of a log, such as log_-jRTWClpBoVo."
        )
    return path_segment(log_id)


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
