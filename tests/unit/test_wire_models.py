"""Wire models: the contract's examples parse, quirks coerce, unknown fields survive."""

from __future__ import annotations

import copy

import pytest

from tests.api_examples import example_list_response, example_log
from tui.models.wire import (
    ListLogsRequest,
    ListLogsResponse,
    WireLogDetail,
    WireLogItem,
    WireTrace,
    parse_error_body,
)
from tui.query import Filter, LogQuery, TimeRange

LIST_EXAMPLE = example_list_response()

# api-contract.md A.3 example.
DETAIL_EXAMPLE = {
    **example_log(),
    "timings": {"start_time": 1776421499798, "end_time": 1776421500000},
    "context": {"session_id": "trs_7Hq2", "trace_id": "trace_9f3c", "request_id": "req_abc"},
    "source": {"host": "sdk", "framework": "openai", "language": "python"},
    "data": {
        "input": {"recipient_email": "not-an-email", "subject": "Hi", "body": "Hello"},
        "response": {"successful": False, "error": "Invalid To header", "data": {}},
    },
}

# api-contract.md A.5.1 example.
TRACE_EXAMPLE = {
    "actionLogId": "4d1f0c9e-7a61-4c3b-9c2e-0e3b7f1f8a21",
    "actionId": "GITHUB_GET_A_REPOSITORY",
    "status": "success",
    "app": {"name": "github", "uniqueId": "github", "icon": "https://logos.example/github"},
    "version": "20250905_00",
    "connection": {"id": "ca_1a2b3c4d5e6f", "entity": "user_abc123"},
    "session": {},
    "executionMetadata": {"source": "sdk"},
    "steps": [
        {
            "type": "fetch_connection_details",
            "startTime": 1776421499610,
            "endTime": 1776421499655,
            "totalDuration": 45,
            "status": "success",
            "message": "Connection details fetched",
        },
        {
            "type": "tool_execution",
            "startTime": 1776421499656,
            "endTime": 1776421499980,
            "totalDuration": 324,
            "status": "success",
            "message": "Executed",
            "metadata": {"encryption": "none"},
            "logs": [
                {
                    "type": "network",
                    "level": "info",
                    "message": "GET https://api.github.com/repos/composiohq/composio",
                    "requestId": "req_77aa",
                    "time": 1776421499700,
                    "request": {
                        "method": "GET",
                        "url": "https://api.github.com/repos/composiohq/composio",
                        "headers": {"Accept": "application/json", "Authorization": "[redacted]"},
                        "params": {},
                        "timeout": 60,
                        "json": {"q": 1},
                    },
                    "response": {"status": 200, "time": "280ms"},
                }
            ],
        },
    ],
    "payloadReceived": {"owner": "composiohq", "repo": "composio"},
    "startTime": 1776421499600,
    "endTime": 1776421499990,
    "totalDuration": "390",
    "response": {"data": {"full_name": "ComposioHQ/composio"}, "successful": True, "error": None},
    "error": {},
}


def test_list_example_parses():
    page = ListLogsResponse.model_validate(LIST_EXAMPLE)
    assert page.next_cursor == "eyJwYWdlIjoyfQ=="
    first, second = page.logs
    assert first.status == "failed" and first.parent is None
    assert first.metrics == {"duration_ms": 202}
    assert second.message is None  # optional on the wire
    assert second.parent is not None and second.parent.tool_slug == "COMPOSIO_MULTI_EXECUTE_TOOL"


def test_list_item_round_trips_with_unknown_fields():
    item = example_log()
    item["sandbox_id"] = "sbx_1"
    item["metadata"]["nested"] = {"a": [1, 2]}
    model = WireLogItem.model_validate(item)
    assert model.model_dump(mode="json", by_alias=True) == item


def test_unknown_enum_values_are_kept_not_rejected():
    item = {"id": "log_1", "timestamp": "2026-04-17T10:25:00Z", "status": "cancelled", "level": 3}
    model = WireLogItem.model_validate(item)
    assert model.status == "cancelled" and model.level == "3"


def test_loose_item_defaults_and_odd_types():
    model = WireLogItem.model_validate(
        {
            "id": 42,
            "timestamp": "t",
            "metadata": ["not", "a", "dict"],
            "metrics": None,
            "parent": "x",
        }
    )
    assert model.id == "42"
    assert model.metadata == {} and model.metrics == {} and model.parent is None
    assert model.type == "" and model.message is None


def test_null_next_cursor_and_null_logs():
    page = ListLogsResponse.model_validate({"logs": None, "next_cursor": None})
    assert page.logs == [] and page.next_cursor is None
    assert ListLogsResponse.model_validate({"logs": [], "next_cursor": 2}).next_cursor == "2"


def test_detail_example_and_optional_parts():
    detail = WireLogDetail.model_validate(DETAIL_EXAMPLE)
    assert detail.timings is not None and detail.timings.end_time == 1776421500000
    assert detail.context.session_id == "trs_7Hq2" and detail.source.host == "sdk"
    assert isinstance(detail.data, dict) and detail.data["input"]["subject"] == "Hi"

    bare = {k: v for k, v in DETAIL_EXAMPLE.items() if k != "timings"}
    bare.update(context={}, source={})
    detail = WireLogDetail.model_validate(bare)
    assert detail.timings is None
    assert detail.context.session_id is None and detail.source.language is None


def test_detail_coerces_vague_numbers_and_keeps_data_as_sent():
    detail = WireLogDetail.model_validate(
        {
            **DETAIL_EXAMPLE,
            "timings": {"start_time": "1776421499798", "end_time": 1776421500000.0},
            "context": None,
            "data": "a string, not an object",
        }
    )
    assert detail.timings is not None
    assert detail.timings.start_time == 1776421499798 and detail.timings.end_time == 1776421500000
    assert detail.context.session_id is None
    assert detail.data == "a string, not an object"


def test_trace_example_quirks():
    trace = WireTrace.model_validate(TRACE_EXAMPLE)
    assert trace.action_id == "GITHUB_GET_A_REPOSITORY"
    assert trace.total_duration == "390"  # string at the top
    assert trace.steps[0].total_duration == 45  # number per step
    net = trace.steps[1].logs[0]
    assert net.request_id == "req_77aa" and net.time == 1776421499700
    assert net.response is not None and net.response.time == "280ms" and net.response.status == 200
    assert net.request is not None and net.request.json_body == {"q": 1}
    assert trace.app is not None and trace.app.unique_id == "github"
    assert trace.connection is not None and trace.connection.entity == "user_abc123"


def test_trace_dumps_back_to_wire_names():
    trace = WireTrace.model_validate(TRACE_EXAMPLE)
    dumped = trace.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert dumped == TRACE_EXAMPLE


def test_trace_coerces_the_other_way_round():
    odd = copy.deepcopy(TRACE_EXAMPLE)
    odd["totalDuration"] = 390
    odd["steps"][0]["totalDuration"] = "45.5"  # type: ignore[index]
    odd["steps"][1]["logs"][0]["response"]["time"] = 280  # type: ignore[index]
    odd["steps"][1]["logs"][0]["response"]["status"] = "502"  # type: ignore[index]
    odd["steps"][1]["startTime"] = "soon"  # type: ignore[index]
    odd["future_field"] = {"kept": True}
    trace = WireTrace.model_validate(odd)
    assert trace.total_duration == "390"
    assert trace.steps[0].total_duration == 45.5
    response = trace.steps[1].logs[0].response
    assert response is not None and response.time == "280" and response.status == 502
    assert trace.steps[1].start_time is None
    assert trace.model_dump(by_alias=True)["future_field"] == {"kept": True}


def test_trace_tolerates_missing_parts():
    trace = WireTrace.model_validate({"actionLogId": "a", "steps": [{"logs": None}]})
    assert trace.steps[0].logs == [] and trace.app is None and trace.total_duration is None


def test_list_request_accepts_what_logquery_sends():
    query = LogQuery(
        filters=(Filter("toolkit_slug", "==", "gmail"), Filter("status", "==", "failed")),
        time_range=TimeRange(1776384000000, 1776470400000),
    )
    body = query.to_api_body(limit=2, cursor="abc")
    request = ListLogsRequest.model_validate(body)
    assert request.time_range is not None and request.time_range.from_ == 1776384000000
    assert request.model_dump(by_alias=True, exclude_unset=True) == body
    assert ListLogsRequest.model_validate({}).filters == []


# -- error bodies -----------------------------------------------------------------------


def test_nested_envelope():
    info = parse_error_body(
        {
            "error": {
                "message": "Invalid filter",
                "code": 1201,
                "slug": "Logs_InvalidFilter",
                "status": 400,
                "request_id": "req_1",
                "suggested_fix": "Use one of the documented fields",
                "errors": ["filters.0.field: unknown", {"message": "second"}],
            }
        }
    )
    assert info.message == "Invalid filter" and info.code == "1201"
    assert info.slug == "Logs_InvalidFilter" and info.status == 400
    assert info.request_id == "req_1" and info.suggested_fix == "Use one of the documented fields"
    assert info.errors == ["filters.0.field: unknown", "second"]


def test_nested_envelope_with_odd_and_missing_parts():
    info = parse_error_body({"error": {"status": "404", "errors": "not a list", "code": None}})
    assert info.message is None and info.status == 404 and info.errors == []


def test_flat_429_and_v2_shapes():
    info = parse_error_body({"message": "Rate limit exceeded. Limit: 10000 requests per 1 minutes"})
    assert info.message is not None and info.message.startswith("Rate limit exceeded")
    v2 = parse_error_body(
        {
            "status": 400,
            "message": "Bad input",
            "requestId": "req_v2",
            "type": "BadRequestError",
            "details": {"field": "input"},
        }
    )
    assert (v2.message, v2.status, v2.request_id) == ("Bad input", 400, "req_v2")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "invalid_token"}, "invalid_token"),
        ({"errors": [{"message": "Pipeline not found"}]}, None),
        (None, None),
        ([1, 2], None),
        ("text", None),
        ({}, None),
        ({"message": {"nested": True}}, '{"nested":true}'),
    ],
)
def test_any_body_is_read_without_raising(body, message):
    assert parse_error_body(body).message == message
