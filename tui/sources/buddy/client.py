"""BuddyClient: the Buddy.works REST API over one httpx.AsyncClient (buddy-contract.md).

- A.1: ``Authorization: Bearer`` with the token from ``BUDDY_TOKEN`` (held in a
  ``Secret``, set per request, scrubbed from anything echoed back); ``Accept:
  application/json``; no redirects followed (one would carry the token elsewhere); every
  body read through the response cap (``tui.sources.limits``). Errors come in the
  ``{"errors": [{"message": …}]}`` envelope (``{"error": "…"}`` is read too), and become
  the typed ``ApiError`` of ``tui.errors`` with a Buddy hint: "API is disabled in this
  workspace", 401/403 naming the scopes to add, and the rate limit (429, and a 403 that
  says "Rate limit exceeded", A.1 Rate limits) with the wait ``X-Rate-Limit-Reset`` gives.
- A.2 the pipelines, A.3 the runs (``page``/``per_page``), A.4 one run, A.5 one action
  execution and its paged log (``offset``/``limit``).

Like the Composio client it never retries: the tail owns retry and backoff (it reads
``RateLimitedError.retry_after``). The last rate-limit headers are kept in ``rate``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from tui import debuglog, jsontree
from tui.config import Secret
from tui.constants import (
    BUDDY_ACTION_PATH,
    BUDDY_API_DISABLED_MESSAGE,
    BUDDY_DEFAULT_BASE_URL,
    BUDDY_ENV_BASE_URL,
    BUDDY_ENV_TOKEN,
    BUDDY_EXECUTION_PATH,
    BUDDY_EXECUTIONS_PATH,
    BUDDY_LOGS_MAX_LIMIT,
    BUDDY_LOGS_PATH,
    BUDDY_PIPELINES_PATH,
    BUDDY_RATE_LIMIT_HEADER,
    BUDDY_RATE_REMAINING_HEADER,
    BUDDY_RATE_RESET_HEADER,
    BUDDY_READ_SCOPES,
)
from tui.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnreadableBody,
)
from tui.models.loose import json_kind, to_number
from tui.models.wire import parse_error_body
from tui.sanitize import clean
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
from tui.urlpath import buddy_path

RATE_LIMIT_WORDS = "rate limit exceeded"
SCOPES_HINT = (
    f"Give the token in {BUDDY_ENV_TOKEN} the scopes {', '.join(BUDDY_READ_SCOPES)} "
    "(newer tokens: PIPELINE_READ) under avatar → Security → Personal Access Tokens."
)

log = debuglog.get_logger("buddy")


@dataclass(frozen=True)
class RateInfo:
    """The last ``X-Rate-Limit-*`` headers seen (A.1); None where one was missing."""

    limit: int | None = None
    remaining: int | None = None
    reset_epoch_s: float | None = None


class BuddyClient:
    """The Buddy.works API. Use as ``async with BuddyClient(token=...) as client``."""

    def __init__(
        self,
        *,
        token: str,
        base_url: str = BUDDY_DEFAULT_BASE_URL,
        timeout: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_response_bytes: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not token:
            raise ValueError("BuddyClient needs a token")
        self._token = Secret(token)
        debuglog.register_secret(token)
        self.base_url = base_url.strip().rstrip("/")
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes or max_response_bytes_from_env()
        self.rate = RateInfo()
        self._clock = clock
        # A redirect is reported, not followed: it would carry the token elsewhere.
        self._http = http_client(self.base_url, timeout, transport)

    def __repr__(self) -> str:
        return f"BuddyClient(base_url={display_url(self.base_url)!r})"

    @property
    def host(self) -> str:
        return httpx.URL(display_url(self.base_url)).host or self.base_url

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- endpoints (A.2–A.5) ----------------------------------------------------------

    async def list_pipelines(
        self, workspace: str, project: str, *, page: int = 1, per_page: int = 30
    ) -> list[dict[str, Any]]:
        """A.2: one page of the project's pipelines (no counters: page until empty)."""
        path = buddy_path(BUDDY_PIPELINES_PATH, workspace, project)
        data = await self._get(path, params={"page": page, "per_page": per_page})
        return self._list_of(data, "pipelines")

    async def list_executions(
        self, workspace: str, project: str, pipeline: int, *, page: int = 1, per_page: int = 20
    ) -> tuple[list[dict[str, Any]], int | None]:
        """A.3: one page of a pipeline's runs, newest first, and ``total_page_count``
        (None when the answer has none: the v1.1.0 pages send no counters)."""
        path = buddy_path(BUDDY_EXECUTIONS_PATH, workspace, project, pipeline=pipeline)
        data = await self._get(path, params={"page": page, "per_page": per_page})
        runs = self._list_of(data, "executions")
        total = to_number(data.get("total_page_count")) if isinstance(data, dict) else None
        return runs, None if total is None else int(total)

    async def get_execution(
        self, workspace: str, project: str, pipeline: int, execution: int
    ) -> dict[str, Any]:
        """A.4: one run, with its ``action_executions[]``."""
        path = buddy_path(
            BUDDY_EXECUTION_PATH, workspace, project, pipeline=pipeline, execution=execution
        )
        return self._object(await self._get(path), "run")

    async def get_action_execution(
        self, workspace: str, project: str, pipeline: int, execution: int, action: str
    ) -> dict[str, Any]:
        """A.5: one action execution's details (status, variables, maybe ``log[]``)."""
        where: dict[str, int | str] = {
            "pipeline": pipeline,
            "execution": execution,
            "action": action,
        }
        path = buddy_path(BUDDY_ACTION_PATH, workspace, project, **where)
        return self._object(await self._get(path), "action execution")

    async def get_logs(
        self,
        workspace: str,
        project: str,
        pipeline: int,
        execution: int,
        action: str,
        *,
        offset: int = 0,
        limit: int = BUDDY_LOGS_MAX_LIMIT,
    ) -> tuple[list[str], int, int | None]:
        """A.5 paged logs: the lines from ``offset``, the offset of the next line, and
        ``total_element_count`` (None when not said)."""
        where: dict[str, int | str] = {
            "pipeline": pipeline,
            "execution": execution,
            "action": action,
        }
        path = buddy_path(BUDDY_LOGS_PATH, workspace, project, **where)
        data = self._object(
            await self._get(path, params={"offset": offset, "limit": limit}), "log page"
        )
        lines = [
            line if isinstance(line, str) else json.dumps(line)
            for line in self._list_of(data, "logs")
        ]
        start = to_number(data.get("offset"))
        start = offset if start is None else int(start)
        total = to_number(data.get("total_element_count"))
        return lines, start + len(lines), None if total is None else int(total)

    # -- transport (A.1) ----------------------------------------------------------------

    async def _get(self, path: str, *, params: dict[str, Any] | None = None) -> Any:
        headers = {
            "Authorization": f"Bearer {self._token.reveal()}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        started = time.perf_counter()
        request = self._http.build_request("GET", path, params=params, headers=headers)
        endpoint = Endpoint(
            self.host,
            display_url(self.base_url),
            BUDDY_ENV_BASE_URL,
            reach_hint=f"Check the network and {BUDDY_ENV_BASE_URL} (EU: "
            "https://api.eu.buddy.works; self-hosted: https://YOUR-HOST/api).",
        )
        response = await exchange(
            self._http,
            request,
            within_s=self.timeout,
            cap_bytes=self.max_response_bytes,
            endpoint=endpoint,
            scrub=self._scrub,
            unreadable=self._unreadable,
        )
        ms = (time.perf_counter() - started) * 1000
        log.debug("GET %s -> %d in %.0f ms", path, response.status_code, ms)
        self._note_rate(response.headers)
        if not response.is_success:
            raise self._error_for(response)
        if not response.content.strip():
            raise self._unreadable("the body is empty")
        try:
            return jsontree.loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError):
            kind = response.headers.get("content-type", "").split(";")[0].strip() or "not JSON"
            raise self._unreadable(f"the body is {kind}, not JSON") from None

    def _note_rate(self, headers: httpx.Headers) -> None:
        def number(name: str) -> float | None:
            return to_number(headers.get(name))

        limit, remaining = number(BUDDY_RATE_LIMIT_HEADER), number(BUDDY_RATE_REMAINING_HEADER)
        if limit is None and remaining is None:
            return
        self.rate = RateInfo(
            limit=None if limit is None else int(limit),
            remaining=None if remaining is None else int(remaining),
            reset_epoch_s=number(BUDDY_RATE_RESET_HEADER),
        )

    def _retry_after(self, headers: httpx.Headers) -> float | None:
        """Seconds to wait: ``Retry-After``, else ``X-Rate-Limit-Reset`` (epoch seconds,
        as Buddy's Go SDK reads it), else None (the tail's backoff decides)."""
        said = parse_retry_after(headers)
        if said is not None:
            return said
        reset = to_number(headers.get(BUDDY_RATE_RESET_HEADER))
        if reset is None:
            return None
        return max(0.0, reset - self._clock())

    def _error_for(self, response: httpx.Response) -> ApiError:
        status = response.status_code
        try:
            info = parse_error_body(jsontree.loads(response.content))
        except (json.JSONDecodeError, UnicodeDecodeError):
            info = parse_error_body(None)
        message = info.message or ("; ".join(info.errors[:3]) if info.errors else None)
        message = self._scrub(clean(message, max_len=300)) if message else None
        detail = None
        if message is None and response.content.strip():
            detail = self._scrub(clean(response.text, max_len=120))
        kwargs: dict[str, Any] = {"status": status, "detail": detail}
        lowered = (message or "").lower()
        if status == 429 or (status == 403 and RATE_LIMIT_WORDS in lowered):
            wait = self._retry_after(response.headers)
            when = f"in {wait:.0f} s" if wait is not None else "in a moment"
            return RateLimitedError(
                message,
                retry_after=wait,
                hint=f"Buddy limits API requests per token; trying again {when}. If it keeps "
                "happening, poll less often (--interval) or watch fewer pipelines (--pipeline).",
                **kwargs,
            )
        if BUDDY_API_DISABLED_MESSAGE.lower() in lowered:
            return ForbiddenError(
                message,
                hint="Turn the API on: Workspace Settings → Developer API → Enable developer "
                "API (an administrator of the workspace can).",
                **kwargs,
            )
        if status == 401:
            return AuthError(
                message,
                hint=f"Check {BUDDY_ENV_TOKEN}: the token is missing, expired or revoked. "
                + SCOPES_HINT,
                **kwargs,
            )
        if status == 403:
            return ForbiddenError(
                message, hint="The token was refused here. " + SCOPES_HINT, **kwargs
            )
        if status in (404, 410):
            return NotFoundError(
                message,
                hint="Check the workspace (its domain), the project name and the pipeline id; "
                f"if every request says this, {BUDDY_ENV_BASE_URL} may not point at Buddy's API.",
                **kwargs,
            )
        if status in (400, 409, 413, 422):
            return BadRequestError(message, hint="Buddy refused the request.", **kwargs)
        if status >= 500:
            return ServerError(message, **kwargs)
        if 300 <= status < 400:
            target = clean(display_url(self._scrub(response.headers.get("location", ""))))
            kwargs["detail"] = f"redirected to {target}" if target else "a redirect to nowhere"
            return ApiError(
                message,
                hint="toolwatch does not follow redirects, which would carry the token "
                f"elsewhere; set {BUDDY_ENV_BASE_URL} to the API's own address.",
                **kwargs,
            )
        return ApiError(message, hint=f"Unexpected answer; check {BUDDY_ENV_BASE_URL}.", **kwargs)

    # -- reading ----------------------------------------------------------------------

    def _object(self, data: Any, what: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self._unreadable(f"expected a JSON object for the {what}, got {json_kind(data)}")
        return data

    def _list_of(self, data: Any, key: str) -> list[Any]:
        if not isinstance(data, dict):
            raise self._unreadable(f"expected a JSON object with {key}, got {json_kind(data)}")
        items = data.get(key)
        if items is None:
            return []
        if not isinstance(items, list):
            raise self._unreadable(f"'{key}' should be a list, got {json_kind(items)}")
        return items

    def _unreadable(self, detail: str) -> UnreadableBody:
        detail = self._scrub(detail)
        log.warning("unreadable Buddy response: %s", detail)
        return UnreadableBody(
            detail=detail,
            hint=f"The answer was not what Buddy's API sends; check {BUDDY_ENV_BASE_URL}.",
        )

    def _scrub(self, text: str) -> str:
        return without_secret(text, self._token.reveal())
