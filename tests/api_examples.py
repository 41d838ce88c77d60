"""The Logs API's documented example, written once for every test that reads wire JSON.

Composio's example response for listing tool-execution logs (api-contract.md A.2). Each
call returns a fresh copy, so a test may change what it gets without touching another's.
"""

from __future__ import annotations

import copy
from typing import Any

_LIST_RESPONSE: dict[str, Any] = {
    "logs": [
        {
            "id": "log_-jRTWClpBoVo",
            "timestamp": "2026-04-17T10:25:00.000Z",
            "type": "tool.execution",
            "status": "failed",
            "level": "error",
            "message": "GMAIL_SEND_EMAIL failed: invalid recipient",
            "metadata": {
                "tool_slug": "GMAIL_SEND_EMAIL",
                "toolkit_slug": "gmail",
                "user_id": "user_abc123",
                "connected_account_id": "ca_1a2b3c4d5e6f",
            },
            "metrics": {"duration_ms": 202},
            "parent": None,
        },
        {
            "id": "log_Q8fz2LmN0xYt",
            "timestamp": "2026-04-17T10:19:41.512Z",
            "type": "tool.execution",
            "status": "failed",
            "level": "error",
            "metadata": {"tool_slug": "GMAIL_FETCH_EMAILS", "instant_charge": "0.000"},
            "metrics": {"duration_ms": 1840},
            "parent": {"log_id": "log_P1aR0ntL0g00", "tool_slug": "COMPOSIO_MULTI_EXECUTE_TOOL"},
        },
    ],
    "next_cursor": "eyJwYWdlIjoyfQ==",
}


def example_list_response() -> dict[str, Any]:
    """The whole example answer: two logs and a next_cursor."""
    return copy.deepcopy(_LIST_RESPONSE)


def example_log(**changes: Any) -> dict[str, Any]:
    """The example's first log (a failed GMAIL_SEND_EMAIL), with `changes` set on top."""
    log: dict[str, Any] = copy.deepcopy(_LIST_RESPONSE["logs"][0])
    log.update(changes)
    return log
