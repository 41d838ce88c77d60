"""CallDetail: a v3.1 detail joined with its per-step log, from hand-written wire JSON."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import pytest

from tests.api_examples import example_log
from tui.errors import (
    ApiError,
    AuthError,
    NotFoundError,
    ServerError,
    UnreadableBody,
)
from tui.models.call import CallDetail, build_call, parse_duration_ms, trace_note
from tui.models.wire import WireLogDetail, WireTrace
from tui.redact import MASK
from tui.sanitize import has_unsafe
from tui.sources.base import fetch_call

START = 1_776_421_499_798
END = 1_776_421_500_000
TIMESTAMP_MS = 1_776_421_500_000  # 2026-04-17T10:25:00.000Z
TOKEN = "Bearer ya29.sekretSEKRETsekret-0123456789"


def detail_wire(**changes: Any) -> dict[str, Any]:
    """The contract's example log as a detail, failed on a revoked token."""
    detail = example_log(
        message="GMAIL_SEND_EMAIL failed: 401 Unauthorized from gmail",
        metadata=example_log()["metadata"]
        | {"auth_config_id": "ac_9z8y7x", "version": "20250905_00"},
        parent={"log_id": "log_P1aR0ntL0g00", "tool_slug": "COMPOSIO_MULTI_EXECUTE_TOOL"},
        timings={"start_time": START, "end_time": END},
        context={"session_id": "trs_7Hq2", "trace_id": "trace_9f3c", "request_id": "req_abc"},
        source={"host": "sdk", "framework": "openai", "language": "python"},
        data={
            "input": {"recipient_email": "alice@acme.io", "subject": "Hi"},
            "response": {
                "successful": False,
                "error": "401 Unauthorized: the access token has been revoked",
                "data": {"error": {"code": 401, "status": "UNAUTHENTICATED"}},
            },
        },
    )
    return detail | changes


def network_log(**changes: Any) -> dict[str, Any]:
    return {
        "type": "network",
        "level": "error",
        "message": "POST https://gmail.googleapis.com/gmail/v1/users/me/messages/send -> 401",
        "requestId": "req_77aa",
        "time": START + 60,
        "request": {
            "method": "POST",
            "url": "https://gmail.googleapis.com/gmail/v1/users/me/messages/send",
            "headers": {"Accept": "application/json", "Authorization": TOKEN},
            "params": {"alt": "json"},
            "timeout": 60,
            "json": {"raw": "base64"},
        },
        "response": {"status": 401, "time": "120ms"},
        **changes,
    }


def trace_wire(**changes: Any) -> dict[str, Any]:
    return {
        "actionLogId": "log_-jRTWClpBoVo",
        "actionId": "GMAIL_SEND_EMAIL_FROM_TRACE",
        "status": "error",
        "app": {"name": "Gmail", "uniqueId": "gmail_from_trace", "icon": ""},
        "version": "20240101_00",
        "connection": {"id": "ca_from_trace", "entity": "user_from_trace"},
        "session": {"id": "trs_from_trace"},
        "executionMetadata": {
            "source": "mcp",
            "framework": "cursor",
            "language": "typescript",
            "traceId": "trace_from_trace",
        },
        "steps": [
            {
                "type": "fetch_connection_details",
                "startTime": START + 2,
                "endTime": START + 40,
                "totalDuration": 38,
                "status": "success",
                "message": "Fetched connection details for ca_1a2b3c4d5e6f",
            },
            {
                "type": "tool_execution",
                "startTime": START + 41,
                "endTime": START + 200,
                "totalDuration": 159,
                "status": "failure",
                "message": "401 Unauthorized: token revoked (from the step)",
                "logs": [
                    network_log(),
                    {"type": "system", "level": "info", "message": "Retrying without cache"},
                ],
            },
        ],
        "payloadReceived": {"recipient_email": "from-trace@acme.io"},
        "startTime": START - 100,
        "endTime": END + 100,
        "totalDuration": "402",
        "response": {"successful": False, "error": "from the trace response"},
        "error": {"message": "401 Unauthorized (the trace's error)", "status": 401},
        **changes,
    }


def build(
    detail: dict[str, Any] | None = None,
    trace: dict[str, Any] | None = None,
    problem: ApiError | None = None,
) -> CallDetail:
    return build_call(
        WireLogDetail.model_validate(detail if detail is not None else detail_wire()),
        WireTrace.model_validate(trace) if trace is not None else None,
        trace_problem=problem,
    )


# -- field picking ------------------------------------------------------------------------


def test_fields_from_flat_metadata_context_and_source() -> None:
    call = build(detail_wire(), trace_wire())
    assert (call.log_id, call.tool, call.toolkit) == (
        "log_-jRTWClpBoVo",
        "GMAIL_SEND_EMAIL",
        "gmail",
    )
    assert (call.status, call.level, call.failed) == ("failed", "error", True)
    assert call.user_id == "user_abc123"
    assert call.connected_account_id == "ca_1a2b3c4d5e6f"
    assert call.auth_config_id == "ac_9z8y7x"
    assert (call.session_id, call.trace_id, call.request_id) == (
        "trs_7Hq2",
        "trace_9f3c",
        "req_abc",
    )
    assert (call.source_host, call.source_framework, call.source_language) == (
        "sdk",
        "openai",
        "python",
    )
    assert call.version == "20250905_00"
    assert (call.parent_log_id, call.parent_tool) == (
        "log_P1aR0ntL0g00",
        "COMPOSIO_MULTI_EXECUTE_TOOL",
    )
    assert call.message == "GMAIL_SEND_EMAIL failed: 401 Unauthorized from gmail"
    assert call.trace_note is None


def test_fields_from_nested_metadata() -> None:
    metadata = {
        "tool": {"slug": "GITHUB_CREATE_AN_ISSUE", "version": "20251002_01"},
        "toolkit": {"slug": "github"},
        "user_id": "maria.lopez@acme.io",
        "connected_account": {"id": "ca_nested"},
        "auth_config": {"id": "ac_nested"},
        "session_id": "trs_meta",
    }
    call = build(detail_wire(metadata=metadata, parent=None), trace_wire())
    assert (call.tool, call.toolkit, call.version) == (
        "GITHUB_CREATE_AN_ISSUE",
        "github",
        "20251002_01",
    )
    assert (call.connected_account_id, call.auth_config_id) == ("ca_nested", "ac_nested")
    assert call.session_id == "trs_meta"  # metadata's before context's
    assert (call.parent_log_id, call.parent_tool) == (None, None)


def test_fields_fall_back_to_the_per_step_log() -> None:
    detail = detail_wire(metadata={}, context={}, source={})
    call = build(detail, trace_wire())
    assert (call.tool, call.toolkit, call.version) == (
        "GMAIL_SEND_EMAIL_FROM_TRACE",
        "gmail_from_trace",
        "20240101_00",
    )
    assert (call.user_id, call.connected_account_id) == ("user_from_trace", "ca_from_trace")
    assert (call.session_id, call.trace_id, call.request_id) == (
        "trs_from_trace",
        "trace_from_trace",
        "",
    )
    assert (call.source_host, call.source_framework, call.source_language) == (
        "mcp",
        "cursor",
        "typescript",
    )
    # The app's name when it has no uniqueId.
    named = build(detail, trace_wire(app={"name": "Gmail"}))
    assert named.toolkit == "Gmail"


def test_nothing_to_pick_gives_empty_fields() -> None:
    detail = {"id": "log_1", "timestamp": "2026-04-17T10:25:00Z", "data": "not an object"}
    call = build(detail, None)
    assert (call.tool, call.toolkit, call.user_id, call.version) == ("", "", "", "")
    assert (call.arguments, call.response, call.error) == (None, None, "")
    assert call.steps == ()


# -- times -----------------------------------------------------------------------------------


def test_times_from_the_detail_timings() -> None:
    call = build(detail_wire(), trace_wire())
    assert (call.started_ms, call.ended_ms, call.duration_ms) == (START, END, 202.0)


def test_times_from_the_trace_when_the_detail_has_no_timings() -> None:
    detail = detail_wire(timings=None, metrics={})
    call = build(detail, trace_wire())
    assert (call.started_ms, call.ended_ms) == (START - 100, END + 100)
    assert call.duration_ms == float(END + 100 - (START - 100))


def test_times_from_the_timestamp_and_metrics_without_timings_or_trace() -> None:
    call = build(detail_wire(timings=None), None)
    assert (call.started_ms, call.ended_ms, call.duration_ms) == (
        TIMESTAMP_MS,
        TIMESTAMP_MS + 202,
        202.0,
    )


def test_duration_from_the_trace_total_when_nothing_else_says() -> None:
    trace = trace_wire(startTime=None, endTime=None, totalDuration="390ms")
    call = build(detail_wire(timings=None, metrics={}), trace)
    assert (call.started_ms, call.duration_ms, call.ended_ms) == (
        TIMESTAMP_MS,
        390.0,
        TIMESTAMP_MS + 390,
    )


def test_an_unreadable_timestamp_still_builds() -> None:
    call = build(detail_wire(timestamp="yesterday-ish"), None)
    assert (call.started_ms, call.ended_ms) == (START, END)
    assert call.tool == "GMAIL_SEND_EMAIL"
    bare = build(detail_wire(timestamp="yesterday-ish", timings=None), None)
    assert (bare.started_ms, bare.ended_ms, bare.duration_ms) == (None, None, 202.0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("280ms", 280.0),
        ("0.28s", 280.0),
        ("280", 280.0),
        (" 280 MS ", 280.0),
        ("1.5 s", 1500.0),
        ("250us", 0.25),
        (".5s", 500.0),
        (280, 280.0),
        (12.5, 12.5),
        ("garbage", None),
        ("280 parsecs", None),
        ("", None),
        ("-5ms", None),
        ("nan", None),
        (float("inf"), None),
        (True, None),
        (None, None),
        ({"ms": 1}, None),
    ],
)
def test_parse_duration_ms(raw: object, expected: float | None) -> None:
    assert parse_duration_ms(raw) == expected


# -- steps -----------------------------------------------------------------------------------


def test_steps_requests_and_notes() -> None:
    call = build(detail_wire(), trace_wire())
    fetch, run = call.steps
    assert (fetch.kind, fetch.status, fetch.failed) == (
        "fetch_connection_details",
        "success",
        False,
    )
    assert (fetch.started_ms, fetch.ended_ms, fetch.duration_ms) == (START + 2, START + 40, 38.0)
    assert fetch.requests == () and fetch.notes == ()
    assert (run.kind, run.status, run.failed) == ("tool_execution", "failure", True)
    assert run.notes == ("Retrying without cache",)
    (request,) = run.requests
    assert (request.method, request.status, request.at_ms) == ("POST", 401, START + 60)
    assert request.url == "https://gmail.googleapis.com/gmail/v1/users/me/messages/send"
    assert (request.duration_ms, request.level, request.failed) == (120.0, "error", True)
    assert request.params == {"alt": "json"} and request.body == {"raw": "base64"}
    assert request.message.endswith("-> 401")
    assert call.requests == (request,)


@pytest.mark.parametrize(
    ("time", "expected"), [("280ms", 280.0), ("0.28s", 280.0), ("280", 280.0), ("soon", None)]
)
def test_request_duration_is_parsed_leniently(time: str, expected: float | None) -> None:
    trace = trace_wire()
    trace["steps"][1]["logs"] = [network_log(response={"status": 200, "time": time})]
    (request,) = build(detail_wire(), trace).steps[1].requests
    assert request.duration_ms == expected


def test_odd_step_logs_are_kept() -> None:
    trace = trace_wire()
    trace["steps"] = [
        {
            "type": "tool_execution",
            "status": "success",
            "startTime": START,
            "endTime": START + 50,
            "logs": [
                # no type, but a request: a network call
                {"request": {"method": "GET", "url": "https://x.example/a"}},
                # a system log without a message says what it dispatched
                {
                    "type": "system",
                    "request": {"method": "POST", "url": "https://backend.composio.dev/x"},
                    "response": {"status": 200, "time": "5ms"},
                },
                {"type": "network"},  # nothing at all
            ],
        }
    ]
    (step,) = build(detail_wire(), trace).steps
    assert step.duration_ms == 50.0  # no totalDuration: from the times
    assert [(r.method, r.url, r.status) for r in step.requests] == [
        ("GET", "https://x.example/a", None),
        ("", "", None),
    ]
    assert step.notes == ("POST https://backend.composio.dev/x -> 200",)


# -- arguments, response, error ------------------------------------------------------------


@pytest.mark.parametrize("key", ["input", "arguments", "request", "payload", "params"])
def test_arguments_from_each_data_key(key: str) -> None:
    call = build(detail_wire(data={key: {"q": 1}, "output": {"ok": True}}), trace_wire())
    assert call.arguments == {"q": 1}
    assert call.response == {"ok": True}


def test_arguments_and_response_fall_back_to_the_trace() -> None:
    call = build(detail_wire(data={"other": 1}), trace_wire())
    assert call.arguments == {"recipient_email": "from-trace@acme.io"}
    assert call.response == {"successful": False, "error": "from the trace response"}
    listed = build(detail_wire(data=[1, 2]), trace_wire())
    assert listed.arguments == {"recipient_email": "from-trace@acme.io"}


def data_without_error() -> dict[str, Any]:
    return {"input": {}, "response": {"successful": False, "error": None}}


@pytest.mark.parametrize(
    ("data", "trace", "expected"),
    [
        (None, None, "401 Unauthorized: the access token has been revoked"),
        (
            {"response": {"error": {"message": "nested message", "code": 7}}},
            None,
            "nested message",
        ),
        ({"error": "data.error says"}, None, "data.error says"),
        (data_without_error(), trace_wire(), "401 Unauthorized (the trace's error)"),
        (
            data_without_error(),
            trace_wire(error={}),
            "from the trace response",
        ),
        (
            data_without_error(),
            trace_wire(error={}, response={}),
            "401 Unauthorized: token revoked (from the step)",
        ),
        (data_without_error(), None, "GMAIL_SEND_EMAIL failed: 401 Unauthorized from gmail"),
    ],
)
def test_error_comes_from_the_best_place(
    data: dict[str, Any] | None, trace: dict[str, Any] | None, expected: str
) -> None:
    detail = detail_wire() if data is None else detail_wire(data=data)
    assert build(detail, trace).error == expected


def test_a_success_has_no_error() -> None:
    detail = detail_wire(status="success", level="info")
    call = build(detail, trace_wire())
    assert (call.failed, call.error) == (False, "")


@pytest.mark.parametrize(
    ("status", "failed"),
    [("failed", True), ("failure", True), ("ERROR", True), ("success", False), ("", False)],
)
def test_failed(status: str, failed: bool) -> None:
    assert build(detail_wire(status=status)).failed is failed


# -- redaction ---------------------------------------------------------------------------------

CREDENTIAL_HEADERS = [
    "Authorization",
    "authorization",
    "AUTHORIZATION",
    "Cookie",
    "cookie",
    "X-Api-Key",
    "x-api-key",
    "X-API-KEY",
    "Proxy-Authorization",
    "proxy-authorization",
]


@pytest.mark.parametrize("name", CREDENTIAL_HEADERS)
def test_credential_headers_are_masked_in_requests(name: str) -> None:
    secret = "sekret-0123456789-abcdef"
    trace = trace_wire()
    trace["steps"][1]["logs"] = [
        network_log(
            request={"method": "GET", "url": "https://x.example", "headers": {name: secret}}
        )
    ]
    call = build(detail_wire(), trace)
    (request,) = call.steps[1].requests
    assert request.headers[name].startswith(MASK)
    assert secret not in json.dumps(request.headers)
    assert secret not in json.dumps(call.trace_json)


@pytest.mark.parametrize("name", CREDENTIAL_HEADERS)
def test_credential_headers_are_masked_anywhere_in_the_json(name: str) -> None:
    secret = "sekret-0123456789-abcdef"
    data = {
        "request": {"headers": {name: secret, "Accept": "*/*"}, "body": {"q": 1}},
        "response": {"debug": [{"upstream": {"Headers": {name: secret}}}]},
    }
    trace = trace_wire(response={"deep": [{"headers": {name: secret}}]})
    call = build(detail_wire(data=data), trace)
    for part in (call.detail_json, call.trace_json, call.arguments, call.response):
        assert secret not in json.dumps(part)
    assert call.arguments["headers"]["Accept"] == "*/*"  # the rest as sent
    assert call.detail_json["data"]["request"]["headers"][name].startswith(MASK)


def test_the_wire_models_are_not_changed_by_redaction() -> None:
    wire = trace_wire()
    original = copy.deepcopy(wire)
    trace = WireTrace.model_validate(wire)
    build_call(WireLogDetail.model_validate(detail_wire()), trace)
    assert trace.steps[1].logs[0].request is not None
    assert trace.steps[1].logs[0].request.headers == {
        "Accept": "application/json",
        "Authorization": TOKEN,
    }
    assert wire == original


# -- hostile text ----------------------------------------------------------------------------

HOSTILE = [
    "[/bold]",
    "[@click=app.quit]x[/]",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x9b31mred",
    "\u202eexe.txt",
    "line\nbreak",
]


def display_strings(call: CallDetail) -> list[str]:
    """Every text field the pane draws as it is; the ids are keys, cleaned where drawn."""
    shown = [
        call.tool,
        call.toolkit,
        call.status,
        call.level,
        call.message,
        call.user_id,
        call.connected_account_id,
        call.auth_config_id,
        call.session_id,
        call.trace_id,
        call.request_id,
        call.source_host,
        call.source_framework,
        call.source_language,
        call.version,
        call.error,
        call.parent_tool or "",
        call.trace_note or "",
    ]
    for step in call.steps:
        shown += [step.kind, step.status, step.message, *step.notes]
        for request in step.requests:
            shown += [request.method, request.url, request.message, request.level]
            shown += [*request.headers, *request.headers.values()]
    return shown


@pytest.mark.parametrize("evil", HOSTILE)
def test_hostile_text_is_sanitized_for_display_and_kept_in_the_json(evil: str) -> None:
    detail = detail_wire(
        id=f"log_{evil}",
        message=f"failed {evil}",
        metadata={"tool_slug": evil, "toolkit_slug": evil, "user_id": evil, "version": evil},
        parent={"log_id": evil, "tool_slug": evil},
        context={"session_id": evil, "trace_id": evil, "request_id": evil},
        source={"host": evil, "framework": evil, "language": evil},
        data={"input": {evil: evil}, "response": {"error": f"error {evil}"}},
    )
    trace = trace_wire(connection={"id": evil, "entity": evil})
    trace["steps"][1].update(type=evil, status=evil, message=evil)
    trace["steps"][1]["logs"] = [
        network_log(
            message=evil,
            level=evil,
            request={"method": evil, "url": f"https://x.example/{evil}", "headers": {evil: evil}},
        ),
        {"type": "system", "message": evil},
    ]
    call = build(detail, trace)
    for text in display_strings(call):
        assert not has_unsafe(text), repr(text)
        assert "\n" not in text and "\x1b" not in text and "\x9b" not in text
    if evil.startswith("["):
        assert evil in call.tool  # markup stays literal text: widgets never parse it
    # The ids are keys: as the server wrote them, to ask for the log and its parent.
    assert call.log_id == f"log_{evil}" and call.parent_log_id == evil
    # The JSON keeps the server's strings (only credentials are masked).
    assert call.detail_json["message"] == f"failed {evil}"
    assert call.detail_json["metadata"]["user_id"] == evil
    assert call.arguments == {evil: evil}
    assert call.trace_json["steps"][1]["message"] == evil


def test_a_hostile_header_value_is_sanitized_and_still_masked() -> None:
    trace = trace_wire()
    headers = {"Authorization": "Bearer \x1b]52;c;ZXZpbA==\x07-0123456789", "X-Note": "\x1b[2J"}
    trace["steps"][1]["logs"] = [
        network_log(request={"method": "GET", "url": "u", "headers": headers})
    ]
    (request,) = build(detail_wire(), trace).steps[1].requests
    assert request.headers["Authorization"].startswith(f"Bearer {MASK}")
    assert request.headers["X-Note"] == "\\x1b[2J"


# -- span --------------------------------------------------------------------------------------


def test_span_covers_the_call_its_steps_and_requests() -> None:
    trace = trace_wire()
    trace["steps"][1]["logs"] = [
        network_log(time=END + 500, response={"status": 200, "time": "0.25s"})
    ]
    trace["steps"][0]["startTime"] = START - 10
    call = build(detail_wire(), trace)
    assert call.span_ms == (START - 10, END + 750)


def test_span_of_a_call_without_times() -> None:
    detail = detail_wire(timestamp="??", timings=None, metrics={})
    assert build(detail, None).span_ms is None
    assert build(detail_wire(), None).span_ms == (START, END)


# -- a missing per-step log ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("problem", "says"),
    [
        (
            None,
            "No per-step log for this call: showing what the detail holds.",
        ),
        (
            NotFoundError("Log 'x' not found", status=404),
            "No per-step log for this call (the server answered 404): "
            "showing what the detail holds.",
        ),
        (
            NotFoundError(detail="file x.jsonl holds no per-step log for this call"),
            "File x.jsonl holds no per-step log for this call: showing what the detail holds.",
        ),
        (
            UnreadableBody(detail="execution trace: steps wrong type"),
            "The per-step log could not be read (execution trace: steps wrong type): "
            "showing what the detail holds.",
        ),
        (
            ServerError("upstream \x1b[2J down", status=503),
            "The per-step log could not be fetched (Server error (HTTP 503): upstream "
            "\\x1b[2J down): showing what the detail holds.",
        ),
    ],
)
def test_a_missing_trace_degrades_to_the_detail_with_one_line(
    problem: ApiError | None, says: str
) -> None:
    call = build(detail_wire(), None, problem)
    assert call.trace_note == says == trace_note(problem)
    assert "\n" not in says
    assert call.steps == () and call.trace_json is None
    assert call.arguments == {"recipient_email": "alice@acme.io", "subject": "Hi"}
    assert call.error == "401 Unauthorized: the access token has been revoked"


# -- fetch_call ------------------------------------------------------------------------------


class FakeSource:
    """A DetailSource whose requests can wait for each other, block, fail, and report
    whether they were cancelled."""

    def __init__(
        self,
        *,
        detail_error: ApiError | None = None,
        trace_error: ApiError | None = None,
        wait_for_other: tuple[str, ...] = (),
        block: tuple[str, ...] = (),
    ) -> None:
        self.errors = {"detail": detail_error, "trace": trace_error}
        self.wait_for_other = wait_for_other
        self.block = block
        self.started = {"detail": asyncio.Event(), "trace": asyncio.Event()}
        self.cancelled: set[str] = set()
        self.asked: list[str] = []

    async def _answer(self, name: str, log_id: str) -> None:
        self.asked.append(log_id)
        self.started[name].set()
        other = "trace" if name == "detail" else "detail"
        try:
            if name in self.wait_for_other:
                await self.started[other].wait()
            if name in self.block:
                await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.cancelled.add(name)
            raise
        error = self.errors[name]
        if error is not None:
            raise error

    async def get_detail(self, log_id: str) -> WireLogDetail:
        await self._answer("detail", log_id)
        return WireLogDetail.model_validate(detail_wire(id=log_id))

    async def get_trace(self, log_id: str) -> WireTrace:
        await self._answer("trace", log_id)
        return WireTrace.model_validate(trace_wire())


async def test_fetch_call_asks_for_both_at_once() -> None:
    # Each answer waits until the other request has started: one after the other never ends.
    source = FakeSource(wait_for_other=("detail", "trace"))
    call = await asyncio.wait_for(fetch_call(source, "log_1"), timeout=5)
    assert sorted(source.asked) == ["log_1", "log_1"]
    assert call.log_id == "log_1" and len(call.steps) == 2 and call.trace_note is None


@pytest.mark.parametrize(
    ("error", "start"),
    [
        (NotFoundError("Log 'log_1' not found", status=404), "No per-step log"),
        (
            UnreadableBody(detail="execution trace: steps wrong type"),
            "The per-step log could not be read",
        ),
        (ServerError("boom", status=500), "The per-step log could not be fetched"),
    ],
)
async def test_fetch_call_degrades_when_the_trace_fails(error: ApiError, start: str) -> None:
    call = await fetch_call(FakeSource(trace_error=error), "log_1")
    assert call.trace_note is not None and call.trace_note.startswith(start)
    assert call.steps == () and call.tool == "GMAIL_SEND_EMAIL"


async def test_fetch_call_raises_the_detail_error_and_stops_the_trace() -> None:
    refused = AuthError("Invalid API key", status=401)
    source = FakeSource(detail_error=refused, wait_for_other=("detail",), block=("trace",))
    with pytest.raises(AuthError) as raised:
        await asyncio.wait_for(fetch_call(source, "log_1"), timeout=5)
    assert raised.value is refused
    assert source.cancelled == {"trace"}


async def test_fetch_call_raises_the_detail_error_even_when_the_trace_fails_too() -> None:
    source = FakeSource(
        detail_error=NotFoundError("gone", status=404),
        trace_error=NotFoundError("gone too", status=404),
        wait_for_other=("detail", "trace"),
    )
    with pytest.raises(NotFoundError, match="gone"):
        await asyncio.wait_for(fetch_call(source, "log_1"), timeout=5)


async def test_cancelling_fetch_call_cancels_both_requests() -> None:
    source = FakeSource(block=("detail", "trace"))
    task = asyncio.create_task(fetch_call(source, "log_1"))
    await asyncio.wait_for(source.started["detail"].wait(), timeout=5)
    await asyncio.wait_for(source.started["trace"].wait(), timeout=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert source.cancelled == {"detail", "trace"}
