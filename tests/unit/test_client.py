"""ComposioClient against httpx.MockTransport: requests sent, answers read, errors typed."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import ssl
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api_examples import example_log
from tui import __version__, debuglog
from tui.constants import CREDENTIAL_HEADERS
from tui.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ConnectionFailed,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    UnreadableBody,
)
from tui.query import Filter, LogQuery, TimeRange
from tui.sources.composio import ComposioClient, LogPage
from tui.sources.exchange import parse_retry_after

KEY = "sk_live_Zq9SECRETkey0123456789"
BASE = "https://composio.test"

ITEM = example_log()
ITEM2 = {**ITEM, "id": "log_Q8fz2LmN0xYt", "status": "success", "level": "info"}
DETAIL = {
    **ITEM,
    "context": {"session_id": "trs_7Hq2"},
    "source": {"host": "sdk"},
    "data": {"input": {"subject": "Hi"}},
}
TRACE = {
    "actionLogId": "4d1f",
    "actionId": "GITHUB_GET_A_REPOSITORY",
    "status": "success",
    "steps": [{"type": "tool_execution", "totalDuration": 324, "status": "success"}],
    "totalDuration": "390",
}

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that answers with ``respond`` and keeps every request."""

    def __init__(self, respond: Handler | httpx.Response) -> None:
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if isinstance(self.respond, httpx.Response):
            return self.respond
        return self.respond(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def client_for(respond: Handler | httpx.Response, **kwargs: Any) -> tuple[ComposioClient, Recorder]:
    recorder = Recorder(respond)
    client = ComposioClient(
        api_key=KEY, base_url=BASE + "/", transport=httpx.MockTransport(recorder), **kwargs
    )
    return client, recorder


def ok(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body)


def assert_no_key(error: BaseException) -> None:
    texts = [str(error), repr(error), repr(error.args)]
    if isinstance(error, ApiError):
        texts += [error.hint, str(error.detail), str(error.server_message)]
        texts.append(str(getattr(error, "suggested_fix", "")))
    for text in texts:
        assert KEY not in text


# -- requests -----------------------------------------------------------------------------


async def test_list_logs_sends_the_query_body_and_reads_the_page():
    client, rec = client_for(ok({"logs": [ITEM, ITEM2], "next_cursor": "eyJwYWdlIjoyfQ=="}))
    query = LogQuery(
        filters=(Filter("toolkit_slug", "==", "gmail"), Filter("status", "!=", "success")),
        time_range=TimeRange(1776384000000, 1776470400000),
    )
    async with client:
        page = await client.list_logs(query, limit=50, cursor="c1")
    assert isinstance(page, LogPage)
    assert [e.id for e in page.entries] == ["log_-jRTWClpBoVo", "log_Q8fz2LmN0xYt"]
    assert page.next_cursor == "eyJwYWdlIjoyfQ==" and page.skipped == []
    assert page.entries[0].raw == ITEM and page.entries[0].tool == "GMAIL_SEND_EMAIL"

    request = rec.last
    assert request.method == "POST"
    assert str(request.url) == BASE + "/api/v3.1/logs/tool_execution"
    assert json.loads(request.content) == query.to_api_body(limit=50, cursor="c1")
    assert request.headers["content-type"] == "application/json"


async def test_default_list_body():
    client, rec = client_for(ok({"logs": [], "next_cursor": None}))
    async with client:
        page = await client.list_logs(LogQuery())
    assert page == LogPage(entries=[], next_cursor=None, skipped=[])
    assert json.loads(rec.last.content) == LogQuery().to_api_body()


async def test_headers_exactly_one_credential():
    client, rec = client_for(ok({"logs": [], "next_cursor": None}))
    async with client:
        await client.list_logs(LogQuery())
    headers = rec.last.headers
    present = [name for name in CREDENTIAL_HEADERS if name in headers]
    assert present == ["x-api-key"]
    assert headers.get_list("x-api-key") == [KEY]
    assert "authorization" not in headers and "cookie" not in headers
    assert headers["user-agent"] == f"toolwatch/{__version__} (+python-httpx)"
    assert headers["accept"] == "application/json"


async def test_cookies_are_never_sent_back():
    # A session cookie is a second credential to Composio: two at once are a 401.
    client, rec = client_for(
        httpx.Response(200, json=DETAIL, headers={"set-cookie": "authToken=abc; Path=/"})
    )
    async with client:
        await client.get_detail("log_1")
        await client.get_detail("log_2")
    assert [r.headers.get("cookie") for r in rec.requests] == [None, None]


async def test_get_requests_send_no_body_and_one_credential():
    client, rec = client_for(ok(DETAIL))
    async with client:
        await client.get_detail("log_1")
    request = rec.last
    assert request.method == "GET" and request.content == b""
    assert [n for n in CREDENTIAL_HEADERS if n in request.headers] == ["x-api-key"]


@pytest.mark.parametrize(
    ("log_id", "raw_path"),
    [
        ("log_-jRTWClpBoVo", "log_-jRTWClpBoVo"),
        ("log/../x y?#", "log%2F..%2Fx%20y%3F%23"),
        ("a%2Fb", "a%252Fb"),
        ("ü&=+", "%C3%BC%26%3D%2B"),
        ("..", "%2E%2E"),
        (".", "%2E"),
    ],
)
async def test_ids_are_percent_encoded(log_id, raw_path):
    client, rec = client_for(ok(DETAIL))
    async with client:
        await client.get_detail(log_id)
    assert rec.last.url.raw_path.decode() == f"/api/v3.1/logs/tool_execution/{raw_path}"


async def test_get_trace_path_and_model():
    client, rec = client_for(ok(TRACE))
    async with client:
        trace = await client.get_trace("4d1f/x")
    assert rec.last.url.raw_path == b"/api/v3.1/internal/action_execution/log/4d1f%2Fx"
    assert trace.total_duration == "390" and trace.steps[0].total_duration == 324
    assert trace.model_dump(by_alias=True)["actionId"] == "GITHUB_GET_A_REPOSITORY"


async def test_get_detail_model():
    client, _ = client_for(ok(DETAIL))
    async with client:
        detail = await client.get_detail("log_-jRTWClpBoVo")
    assert detail.context.session_id == "trs_7Hq2" and detail.timings is None
    assert detail.data == {"input": {"subject": "Hi"}}


async def test_empty_id_is_refused_before_any_request():
    client, rec = client_for(ok(DETAIL))
    async with client:
        with pytest.raises(BadRequestError, match="empty"):
            await client.get_detail("")
    assert rec.requests == []


def test_base_url_normalized_and_repr_hides_the_key():
    client = ComposioClient(api_key=KEY, base_url=" https://user:pw@composio.test/// ")
    assert client.base_url == "https://user:pw@composio.test"
    assert KEY not in repr(client) and "pw" not in repr(client)
    assert KEY not in repr(vars(client)) and KEY not in str(vars(client))
    assert client.description == "composio.test"
    asyncio.run(client.aclose())


def test_a_key_is_required():
    with pytest.raises(ValueError, match="API key"):
        ComposioClient(api_key="")


# -- pages with bad items -------------------------------------------------------------------


async def test_malformed_items_are_skipped_and_the_rest_kept():
    bad_time = {**ITEM, "id": "log_badtime", "timestamp": "yesterday"}
    no_id = {k: v for k, v in ITEM.items() if k != "id"}
    client, _ = client_for(
        ok({"logs": [ITEM, bad_time, no_id, "not an object", ITEM2], "next_cursor": None})
    )
    async with client:
        page = await client.list_logs(LogQuery())
    assert [e.id for e in page.entries] == [ITEM["id"], ITEM2["id"]]
    assert len(page.skipped) == 3
    assert "item 1" in page.skipped[0] and "log_badtime" in page.skipped[0]
    assert "timestamp" in page.skipped[0]
    assert "item 2" in page.skipped[1] and "id missing" in page.skipped[1]
    assert "item 3" in page.skipped[2] and "JSON object" in page.skipped[2]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"logs": [{"id": "log_1", "timest', "invalid JSON"),
        (b"", "empty"),
        (b"<html><body>Welcome</body></html>", "text/html instead of JSON"),
        (b"[1, 2]", "got a list"),
        (b'{"logs": {"a": 1}}', "'logs' should be a list"),
        (b'{"logs": [], "next_cursor": {"page": 2}}', "next_cursor"),
        (b'{"logs": [], "next_cursor": 2}', "'next_cursor' should be a string, got a number"),
        (b'{"logs": [], "next_cursor": true}', "next_cursor"),
        (b"\xff\xfe\x00garbage", "invalid JSON"),
    ],
)
async def test_unreadable_list_bodies(content, words):
    ctype = "text/html" if content.startswith(b"<html") else "application/json"
    client, _ = client_for(httpx.Response(200, content=content, headers={"content-type": ctype}))
    async with client:
        with pytest.raises(UnreadableBody) as err:
            await client.list_logs(LogQuery())
    assert words in str(err.value)
    assert err.value.status is None
    assert_no_key(err.value)


async def test_empty_and_missing_cursors_end_the_walk():
    client, _ = client_for(ok({"logs": [], "next_cursor": ""}))
    async with client:
        assert (await client.list_logs(LogQuery())).next_cursor is None
    client, _ = client_for(ok({"logs": []}))
    async with client:
        assert (await client.list_logs(LogQuery())).next_cursor is None


async def test_unreadable_detail_and_trace():
    client, _ = client_for(ok({"id": {"no": 1}, "timestamp": "x"}))
    async with client:
        with pytest.raises(UnreadableBody, match="id wrong type"):
            await client.get_detail("log_1")
    client, _ = client_for(ok({"steps": "not a list"}))
    async with client:
        with pytest.raises(UnreadableBody, match="steps"):
            await client.get_trace("log_1")
    client, _ = client_for(ok(["a"]))
    async with client:
        with pytest.raises(UnreadableBody, match="got a list"):
            await client.get_trace("log_1")


# -- HTTP errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "title"),
    [
        (400, BadRequestError, "Request rejected"),
        (401, AuthError, "Authentication failed"),
        (403, ForbiddenError, "Permission denied"),
        (404, NotFoundError, "Not found"),
        (408, RequestTimeout, "Request timed out"),
        (409, BadRequestError, "Request rejected"),
        (410, NotFoundError, "Not found"),
        (413, BadRequestError, "Request rejected"),
        (422, BadRequestError, "Request rejected"),
        (429, RateLimitedError, "Rate limited"),
        (500, ServerError, "Server error"),
        (502, ServerError, "Server error"),
        (503, ServerError, "Server error"),
        (418, ApiError, "Request failed"),
        (301, ApiError, "Request failed"),
    ],
)
async def test_status_mapping(status, kind, title):
    body = {"error": {"message": f"status {status}", "status": status, "request_id": "req_9"}}
    client, rec = client_for(httpx.Response(status, json=body))
    async with client:
        with pytest.raises(ApiError) as err:
            await client.list_logs(LogQuery())
    error = err.value
    assert type(error) is kind and error.title == title
    assert error.status == status and error.server_message == f"status {status}"
    assert error.request_id == "req_9" and error.hint
    assert str(error) == f"{title} (HTTP {status}): status {status} [request req_9]"
    assert "\n" not in str(error)
    assert len(rec.requests) == 1  # never retried here
    assert_no_key(error)


async def test_auth_hint_says_what_to_do():
    client, _ = client_for(httpx.Response(401, json={"error": {"message": "Invalid API key"}}))
    async with client:
        with pytest.raises(AuthError) as err:
            await client.list_logs(LogQuery())
    assert "COMPOSIO_API_KEY" in err.value.hint and "API keys" in err.value.hint


async def test_nested_envelope_suggested_fix_and_details():
    body = {
        "error": {
            "message": "Invalid filter",
            "code": 1201,
            "slug": "Logs_InvalidFilter",
            "status": 400,
            "request_id": "req_abc",
            "suggested_fix": "Use a documented filter field",
            "errors": ["filters.0.field is unknown"],
        }
    }
    client, _ = client_for(httpx.Response(400, json=body))
    async with client:
        with pytest.raises(BadRequestError) as err:
            await client.list_logs(LogQuery())
    error = err.value
    assert error.suggested_fix == "Use a documented filter field"
    assert error.hint == "Use a documented filter field"
    assert error.server_message == "Invalid filter (filters.0.field is unknown)"
    assert error.request_id == "req_abc"


async def test_flat_429_body_with_retry_after_seconds():
    response = httpx.Response(
        429,
        json={"message": "Rate limit exceeded. Limit: 10000 requests per 1 minutes"},
        headers={"Retry-After": "7", "X-RateLimit-Remaining": "0"},
    )
    client, _ = client_for(response)
    async with client:
        with pytest.raises(RateLimitedError) as err:
            await client.list_logs(LogQuery())
    error = err.value
    assert error.retry_after == 7.0
    assert error.server_message == "Rate limit exceeded. Limit: 10000 requests per 1 minutes"
    assert "7 s" in error.hint


async def test_429_with_http_date_and_ms_headers():
    soon = datetime.now(UTC) + timedelta(seconds=30)
    client, _ = client_for(
        httpx.Response(429, json={}, headers={"Retry-After": format_datetime(soon, usegmt=True)})
    )
    async with client:
        with pytest.raises(RateLimitedError) as err:
            await client.list_logs(LogQuery())
    assert err.value.retry_after is not None and 25 <= err.value.retry_after <= 30

    client, _ = client_for(
        httpx.Response(429, json={}, headers={"retry-after-ms": "1500", "Retry-After": "9"})
    )
    async with client:
        with pytest.raises(RateLimitedError) as err:
            await client.list_logs(LogQuery())
    assert err.value.retry_after == 1.5


async def test_429_without_retry_after():
    client, _ = client_for(httpx.Response(429, text="slow down"))
    async with client:
        with pytest.raises(RateLimitedError) as err:
            await client.list_logs(LogQuery())
    assert err.value.retry_after is None and "in a moment" in err.value.hint
    assert err.value.detail == "slow down"


NOW = datetime(2026, 4, 17, 10, 25, tzinfo=UTC)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"Retry-After": "0"}, 0.0),
        ({"Retry-After": "Fri, 17 Apr 2026 10:25:30 GMT"}, 30.0),
        ({"Retry-After": "Fri, 17 Apr 2026 10:24:00 GMT"}, 0.0),  # already past
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"retry-after-ms": "soon", "Retry-After": "9"}, 9.0),
        ({"Retry-After": "-3"}, None),
        ({"Retry-After": "later"}, None),
        ({"Retry-After": "nan"}, None),
        ({}, None),
    ],
)
def test_parse_retry_after(headers, expected):
    assert parse_retry_after(httpx.Headers(headers), now=NOW) == expected


async def test_v2_flat_error_shape():
    body = {
        "status": 400,
        "message": "Invalid input",
        "requestId": "req_v2",
        "type": "BadRequestError",
        "details": {},
    }
    client, _ = client_for(httpx.Response(400, json=body))
    async with client:
        with pytest.raises(BadRequestError) as err:
            await client.get_detail("log_1")
    assert err.value.server_message == "Invalid input" and err.value.request_id == "req_v2"


async def test_non_json_error_body_and_request_id_header():
    client, _ = client_for(
        httpx.Response(
            502,
            text="<html><body><h1>502 Bad Gateway</h1>\n</body></html>",
            headers={"x-request-id": "edge_1"},
        )
    )
    async with client:
        with pytest.raises(ServerError) as err:
            await client.list_logs(LogQuery())
    error = err.value
    assert error.server_message is None and error.request_id == "edge_1"
    assert error.detail is not None and "502 Bad Gateway" in error.detail
    assert "\n" not in str(error)


async def test_redirect_is_reported_not_followed():
    client, rec = client_for(
        httpx.Response(301, headers={"location": "https://elsewhere.test/api/v3.1/logs"})
    )
    async with client:
        with pytest.raises(ApiError) as err:
            await client.list_logs(LogQuery())
    assert len(rec.requests) == 1 and err.value.status == 301
    assert "elsewhere.test" in err.value.explain()


async def test_server_echoing_the_key_is_scrubbed():
    body = {
        "error": {
            "message": f"Invalid API key {KEY}",
            "request_id": f"req_{KEY}",
            "suggested_fix": f"Replace {KEY}",
            "errors": [KEY],
        }
    }
    for status in (400, 401):
        client, _ = client_for(httpx.Response(status, json=body))
        async with client:
            with pytest.raises(ApiError) as err:
                await client.list_logs(LogQuery())
        assert_no_key(err.value)
        assert "***" in str(err.value)
    client, _ = client_for(httpx.Response(500, text=f"crash: key={KEY}"))
    async with client:
        with pytest.raises(ServerError) as err:
            await client.list_logs(LogQuery())
    assert_no_key(err.value)


# -- transport failures -------------------------------------------------------------------


def raising(error: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return handler


def chained(outer: Exception, cause: BaseException) -> Exception:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    ("error", "kind", "words"),
    [
        (
            chained(httpx.ConnectError("All connection attempts failed"), ConnectionRefusedError()),
            ConnectionFailed,
            "composio.test refused the connection",
        ),
        (
            chained(httpx.ConnectError("x"), socket.gaierror(-2, "Name or service not known")),
            ConnectionFailed,
            "could not be resolved",
        ),
        (httpx.ConnectError("[Errno -2] Name or service not known"), ConnectionFailed, "resolved"),
        (
            chained(httpx.ConnectError("x"), ssl.SSLCertVerificationError("bad cert")),
            ConnectionFailed,
            "TLS certificate",
        ),
        (httpx.ConnectError("[SSL: WRONG_VERSION_NUMBER]"), ConnectionFailed, "TLS handshake"),
        (httpx.RemoteProtocolError("Server disconnected"), ConnectionFailed, "broke off"),
        (httpx.ReadError("reset"), ConnectionFailed, "broke off"),
        (httpx.UnsupportedProtocol("ftp"), ConnectionFailed, "base URL"),
        (httpx.ProxyError("407"), ConnectionFailed, "407"),
        (httpx.ConnectTimeout("slow"), RequestTimeout, "no connection to composio.test within 5 s"),
        (httpx.ReadTimeout("slow"), RequestTimeout, "no complete answer"),
        (httpx.PoolTimeout("slow"), RequestTimeout, "no complete answer"),
    ],
)
async def test_transport_failures(error, kind, words):
    client, _ = client_for(raising(error))
    async with client:
        with pytest.raises(ApiError) as err:
            await client.list_logs(LogQuery())
    assert type(err.value) is kind and err.value.status is None
    assert words in str(err.value)
    assert BASE in err.value.hint
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert_no_key(err.value)


async def test_transport_error_text_holding_the_key_is_scrubbed():
    client, _ = client_for(raising(httpx.ConnectError(f"proxy said {KEY}")))
    async with client:
        with pytest.raises(ConnectionFailed) as err:
            await client.list_logs(LogQuery())
    assert_no_key(err.value)


async def test_overall_timeout_bounds_a_slow_server():
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return ok({"logs": []})

    client = ComposioClient(
        api_key=KEY, base_url=BASE, timeout=0.05, transport=httpx.MockTransport(slow)
    )
    async with client:
        with pytest.raises(RequestTimeout, match=r"within 0\.05 s"):
            await client.list_logs(LogQuery())


# -- the debug log --------------------------------------------------------------------------


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.fixture
def debug_file(tmp_path: Path):
    path = tmp_path / "logs" / "toolwatch.log"
    debuglog.configure("debug", path=path)
    yield path
    debuglog.configure("off")


async def test_requests_are_logged_without_the_key(debug_file: Path):
    answers = iter(
        [
            ok({"logs": [ITEM, {"id": "log_bad", "timestamp": "nope"}], "next_cursor": None}),
            httpx.Response(401, json={"error": {"message": f"bad key {KEY}"}}),
            httpx.Response(
                200, content=b'{"logs": [', headers={"content-type": "application/json"}
            ),
        ]
    )
    client, _ = client_for(lambda request: next(answers))
    async with client:
        page = await client.list_logs(LogQuery())
        assert len(page.skipped) == 1
        with pytest.raises(AuthError):
            await client.list_logs(LogQuery())
        with pytest.raises(UnreadableBody):
            await client.list_logs(LogQuery())
    client, _ = client_for(raising(httpx.ConnectError(f"nope {KEY}")))
    async with client:
        with pytest.raises(ConnectionFailed):
            await client.get_detail("log_1")
    # Whatever else logs the key through the toolwatch tree is masked too.
    logging.getLogger("toolwatch.test").error("key is %s", KEY)

    text = read_text(debug_file)
    assert "POST /api/v3.1/logs/tool_execution -> 200 in" in text
    assert "-> 401" in text and "WARNING" in text and "log_bad" in text
    assert "unreadable response" in text
    assert "GET /api/v3.1/logs/tool_execution/log_1 -> could not connect to composio.test" in text
    assert KEY not in text and "key is ***" in text


# -- the headless boundary --------------------------------------------------------------------


def test_no_textual_import():
    code = (
        "import sys\n"
        "import tui.sources.composio, tui.errors, tui.models.wire\n"
        "import tui.models.normalize, tui.debuglog\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_path_segments_survive_slashes_dots_and_lone_surrogates():
    from tui.urlpath import path_segment

    assert path_segment("a/b?c") == "a%2Fb%3Fc"
    assert path_segment("..") == "%2E%2E"
    assert path_segment("log_\ud800") == "log_%ED%A0%80"
