"""diagnose(): seed 002's five failure patterns, their evidence, and what must not match."""

from __future__ import annotations

from typing import Any

import pytest

from tui.diagnose import (
    EVIDENCE_LEN,
    EXPIRED_TOKEN,
    INVALID_INPUT,
    MAX_EVIDENCE,
    MISSING_SCOPE,
    NO_CONNECTED_ACCOUNT,
    TITLES,
    TOOL_NOT_FOUND,
    Diagnosis,
    diagnose,
)
from tui.models.call import CallDetail, build_call
from tui.models.wire import WireLogDetail, WireTrace
from tui.sanitize import has_unsafe

GMAIL = "https://gmail.googleapis.com/gmail/v1/users/me/messages/send"
COMPOSIO = "https://backend.composio.dev/api/v3.1/tools/execute/GMAIL_SEND_EMAIL"
T0 = 1_776_421_499_600


def request(url: str, status: int, method: str = "POST") -> dict[str, Any]:
    return {
        "type": "network",
        "level": "error" if status >= 400 else "info",
        "message": f"{method} {url} -> {status}",
        "time": T0 + 50,
        "request": {"method": method, "url": url, "headers": {"Authorization": "Bearer x"}},
        "response": {"status": status, "time": "80ms"},
    }


def step(kind: str, status: str = "success", message: str = "", *logs: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "startTime": T0,
        "endTime": T0 + 100,
        "totalDuration": 100,
        "status": status,
        "message": message,
        "logs": list(logs),
    }


def ran(status: str, *logs: Any, message: str = "") -> list[dict[str, Any]]:
    """A fetched connection, then a tool_execution step with these logs."""
    return [step("fetch_connection_details"), step("tool_execution", status, message, *logs)]


def make(
    *,
    error: str | None = None,
    message: str = "",
    status: str = "failed",
    steps: list[dict[str, Any]] | None = None,
    body: Any = None,
    metadata: dict[str, Any] | None = None,
) -> CallDetail:
    """A call as build_call makes it; no steps means the per-step log was missing."""
    detail = {
        "id": "log_1",
        "timestamp": "2026-04-17T10:25:00.000Z",
        "status": status,
        "level": "error" if status == "failed" else "info",
        "message": message,
        "metadata": metadata
        if metadata is not None
        else {
            "tool_slug": "GMAIL_SEND_EMAIL",
            "toolkit_slug": "gmail",
            "user_id": "user_abc",
            "connected_account_id": "ca_1",
            "auth_config_id": "ac_1",
            "session_id": "trs_1",
        },
        "data": {
            "input": {"recipient_email": "alice.example.com"},
            "response": {"successful": status != "failed", "error": error, "data": body or {}},
        },
    }
    trace = None if steps is None else WireTrace.model_validate({"steps": steps})
    return build_call(WireLogDetail.model_validate(detail), trace)


def diagnosed(call: CallDetail, pattern: str) -> Diagnosis:
    found = diagnose(call)
    assert found is not None and found.pattern == pattern, found
    assert found.title == TITLES[pattern]
    return found


# -- the five patterns, from the upstream status and the steps ----------------------------------


def test_titles() -> None:
    assert TITLES == {
        EXPIRED_TOKEN: "The user's connected account token has expired or was revoked",
        MISSING_SCOPE: "The granted OAuth scopes do not include the permission this tool needs",
        INVALID_INPUT: "The tool's input failed validation",
        TOOL_NOT_FOUND: "The tool slug is misspelled or not available in this session",
        NO_CONNECTED_ACCOUNT: "The user has no connected account for this toolkit",
    }


def test_expired_token_from_an_upstream_401() -> None:
    call = make(
        error="401 Unauthorized from gmail — the access token has been revoked",
        message="GMAIL_SEND_EMAIL failed: 401 Unauthorized from gmail",
        steps=ran("failure", request(GMAIL, 401)),
    )
    found = diagnosed(call, EXPIRED_TOKEN)
    assert found.advice == (
        "Ask user_abc to re-authenticate gmail (a new connected account, replacing ca_1), "
        "then re-run the call."
    )
    assert found.evidence == (
        f"POST {GMAIL} answered 401",
        'error: "401 Unauthorized from gmail — the access token has been revoked"',
        'message: "GMAIL_SEND_EMAIL failed: 401 Unauthorized from gmail"',
    )


def test_an_upstream_401_needs_no_words() -> None:
    call = make(error="Request failed", steps=ran("failure", request(GMAIL, 401)))
    found = diagnosed(call, EXPIRED_TOKEN)
    assert found.evidence == (f"POST {GMAIL} answered 401",)


def test_missing_scope_from_an_upstream_403_names_the_scope() -> None:
    scope = "https://www.googleapis.com/auth/gmail.send"
    call = make(
        error=f"403 Forbidden: the granted OAuth scopes do not include {scope}",
        steps=ran("failure", request(GMAIL, 200, "GET"), request(GMAIL, 403)),
        body={"error": {"code": 403, "status": "PERMISSION_DENIED"}},
    )
    found = diagnosed(call, MISSING_SCOPE)
    assert found.advice == (
        f"Add {scope} to the gmail auth config (ac_1), then ask user_abc to re-authenticate "
        "gmail so the new scope is granted, and re-run the call."
    )
    assert found.evidence == (
        f"POST {GMAIL} answered 403",
        f'error: "403 Forbidden: the granted OAuth scopes do not include {scope}"',
        "response.data.error.code = 403",
    )


def test_invalid_input_from_an_upstream_422_names_the_field() -> None:
    call = make(
        error="422 Unprocessable Entity: invalid input for 'recipient_email': not an email",
        steps=ran("failure", request(GMAIL, 422)),
    )
    found = diagnosed(call, INVALID_INPUT)
    assert found.advice == (
        "Look at the request: fix the value of 'recipient_email' sent to GMAIL_SEND_EMAIL "
        "(Request/Response tab), then re-run the call."
    )
    assert found.evidence[0] == f"POST {GMAIL} answered 422"


def test_tool_not_found_from_the_error_and_a_step_without_requests() -> None:
    call = make(
        error="Tool GMAIL_SEND_EMAILS not found: check the slug",
        message="Tool GMAIL_SEND_EMAILS not found",
        steps=ran("error"),
        metadata={"tool_slug": "GMAIL_SEND_EMAILS", "toolkit_slug": "gmail", "user_id": "u"},
    )
    found = diagnosed(call, TOOL_NOT_FOUND)
    assert found.advice == (
        "Check the slug GMAIL_SEND_EMAILS for typos and that gmail is enabled for the session, "
        "then re-run with the right slug."
    )
    assert found.evidence == (
        'error: "Tool GMAIL_SEND_EMAILS not found: check the slug"',
        'message: "Tool GMAIL_SEND_EMAILS not found"',
        "step tool_execution made no upstream request",
    )


def test_no_connected_account_from_a_failed_fetch_step() -> None:
    call = make(
        error="Could not load the connection",
        steps=[step("fetch_connection_details", "failure", "Connection lookup failed")],
        metadata={"tool_slug": "SLACK_SEND_MESSAGE", "toolkit_slug": "slack", "user_id": "u_9"},
    )
    found = diagnosed(call, NO_CONNECTED_ACCOUNT)
    assert found.advice == (
        "Ask u_9 to connect slack (authenticate it to create a connected account), "
        "then re-run the call."
    )
    assert found.evidence == ('step fetch_connection_details: failure: "Connection lookup failed"',)


def test_a_failed_fetch_step_whose_message_is_the_error_is_quoted_once() -> None:
    said = "No connected account found for user_id 'u_9' and toolkit 'slack'"
    call = make(error=said, steps=[step("fetch_connection_details", "failure", said)])
    found = diagnosed(call, NO_CONNECTED_ACCOUNT)
    assert found.evidence == ("step fetch_connection_details: failure", f'error: "{said}"')


def test_advice_without_user_or_toolkit() -> None:
    call = make(error="x", steps=ran("failure", request(GMAIL, 401)), metadata={})
    found = diagnosed(call, EXPIRED_TOKEN)
    assert found.advice == (
        "Ask the user to re-authenticate the toolkit (a new connected account), "
        "then re-run the call."
    )


# -- the same patterns from words alone (the per-step log missing) ------------------------------


@pytest.mark.parametrize(
    ("error", "pattern"),
    [
        ("401 Unauthorized: the access token has expired", EXPIRED_TOKEN),
        ("Upstream said HTTP 401", EXPIRED_TOKEN),
        ("The OAuth token has been revoked by the user", EXPIRED_TOKEN),
        ("invalid_grant: refresh token expired", EXPIRED_TOKEN),
        ("403 Forbidden — missing OAuth scope chat:write", MISSING_SCOPE),
        ("Request had insufficient scopes: repo", MISSING_SCOPE),
        ("Request had insufficient authentication scopes.", MISSING_SCOPE),
        ("422 Unprocessable Entity — 'max_results' must be between 1 and 500", INVALID_INPUT),
        ("Invalid value for 'start_datetime': not RFC 3339", INVALID_INPUT),
        ("Input validation failed: 'to' is required", INVALID_INPUT),
        ("Tool GMAIL_SEND_EMAILS not found", TOOL_NOT_FOUND),
        ("Tool not found", TOOL_NOT_FOUND),
        ("tool 'gmail_send' was not found in this session", TOOL_NOT_FOUND),
        ("ActionNotFound: GITHUB_CREATE_ISSUE", TOOL_NOT_FOUND),
        ("No connected account found for user 'u' and toolkit 'gmail'", NO_CONNECTED_ACCOUNT),
        ("Connected account for toolkit notion not found", NO_CONNECTED_ACCOUNT),
    ],
)
def test_patterns_from_the_error_text(error: str, pattern: str) -> None:
    found = diagnosed(make(error=error), pattern)
    assert found.evidence[0] == f'error: "{error}"'


# The error bodies each upstream family sends (as the demo server writes them).
BODIES = [
    ({"error": {"code": 401, "status": "UNAUTHENTICATED"}}, EXPIRED_TOKEN),
    ({"message": "Bad credentials", "status": "401"}, EXPIRED_TOKEN),
    ({"ok": False, "error": "token_revoked"}, EXPIRED_TOKEN),
    ({"object": "error", "status": 401, "code": "unauthorized"}, EXPIRED_TOKEN),
    ({"errors": [{"message": "m", "extensions": {"code": "AUTHENTICATION_ERROR"}}]}, EXPIRED_TOKEN),
    ({"status": "error", "category": "INVALID_AUTHENTICATION"}, EXPIRED_TOKEN),
    ({"error": {"errors": [{"reason": "insufficientPermissions"}]}}, MISSING_SCOPE),
    ({"ok": False, "error": "missing_scope"}, MISSING_SCOPE),
    ({"status": "error", "category": "MISSING_SCOPES"}, MISSING_SCOPE),
    ({"object": "error", "status": 422, "code": "validation_error"}, INVALID_INPUT),
    ({"errors": [{"extensions": {"code": "INVALID_INPUT"}}]}, INVALID_INPUT),
    ({"ok": False, "error": "invalid_arguments"}, INVALID_INPUT),
]


@pytest.mark.parametrize(("body", "pattern"), BODIES)
def test_patterns_from_the_response_body(body: dict[str, Any], pattern: str) -> None:
    # Slack answers HTTP 200 with ok: false, so the network says nothing here.
    found = diagnosed(make(error="Tool call failed", body=body, steps=ran("failure")), pattern)
    assert found.evidence[0].startswith("response.data.")


# -- near misses ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "steps", "body"),
    [
        # a 401 from Composio's own API is our key, not the user's token
        ("401 Unauthorized", ran("failure", request(COMPOSIO, 401)), None),
        ("HTTP 401: invalid x-api-key", None, None),
        ("401 Unauthorized: the API key is invalid", None, {"status": 401}),
        # numbers inside unrelated strings
        ("Could not find order 422 in the shop", None, None),
        ("Invoice #4221 is overdue", None, None),
        ("422 messages were skipped", None, None),
        ("Plan 401(k) document missing", None, None),
        ("Retry after 403 seconds", None, None),
        # "not found" that is not the tool
        ("Tool failed: file not found", ran("failure"), None),
        ("The tool result was not found in the cache", None, None),
        ("Repository not found", ran("failure", request(GMAIL, 404)), None),
        # a 403 that is a rate limit, not a scope
        ("403 Forbidden: API rate limit exceeded", ran("failure", request(GMAIL, 403)), None),
        ("403 Forbidden", None, {"message": "You have exceeded a secondary rate limit"}),
        # statuses no rule knows
        ("Internal error", ran("failure", request(GMAIL, 500)), None),
        ("Timed out", ran("failure", request(GMAIL, 200)), None),
        # words that only look like a pattern
        ("Rate limit: 1000 tokens per minute exceeded", None, None),
        ("Connected account ca_1 refreshed; the upstream timed out", None, None),
        ("JWT signature validation failed", None, None),
        # a code deep inside the data is not an HTTP status
        ("Something went wrong", None, {"items": [{"sku": {"code": 422}}]}),
    ],
)
def test_near_misses_get_no_diagnosis(
    error: str, steps: list[dict[str, Any]] | None, body: Any
) -> None:
    assert diagnose(make(error=error, steps=steps, body=body)) is None


def test_successes_get_no_diagnosis() -> None:
    call = make(
        status="success",
        message="401 Unauthorized, token expired (retried and succeeded)",
        steps=[step("fetch_connection_details", "failure"), *ran("success", request(GMAIL, 401))],
        body={"status": 401},
    )
    assert not call.failed
    assert diagnose(call) is None


def test_the_meta_tools_dispatch_log_is_not_upstream() -> None:
    dispatch = request(COMPOSIO, 401)
    dispatch["type"] = "system"
    call = make(
        error="1 of 3 tools failed", steps=[step("tool_execution", "failure", "", dispatch)]
    )
    assert diagnose(call) is None


# -- evidence shape ----------------------------------------------------------------------------


def test_evidence_is_short_and_few() -> None:
    long = "x" * 300 + " 401 Unauthorized: the token has expired " + "y" * 300
    call = make(
        error=long,
        message="m " + long,
        steps=ran("failure", request(GMAIL + "/" + "p" * 300, 401)),
        body={"error": {"code": 401, "status": "UNAUTHENTICATED"}},
    )
    found = diagnosed(call, EXPIRED_TOKEN)
    assert len(found.evidence) == MAX_EVIDENCE
    assert all(len(line) <= EVIDENCE_LEN for line in found.evidence)
    network, error, message = found.evidence
    assert network.startswith("POST https://gmail") and network.endswith("… answered 401")
    assert error.startswith('error: "…') and "401 Unauthorized" in error
    assert message.startswith('message: "…') and "401 Unauthorized" in message


def test_evidence_is_sanitized() -> None:
    evil = "401 Unauthorized \x1b]52;c;ZXZpbA==\x07 [@click=app.quit]x[/] \u202e"
    found = diagnosed(make(error=evil, body={"error": "token_revoked\x1b[2J"}), EXPIRED_TOKEN)
    assert all(not has_unsafe(line) for line in [*found.evidence, found.advice, found.title])
    assert "\\x1b]52" in found.evidence[0]


def test_the_error_is_not_quoted_twice_as_a_body_field() -> None:
    found = diagnosed(make(error="token_revoked"), EXPIRED_TOKEN)
    assert found.evidence == ('error: "token_revoked"',)
