"""A.1: exactly one credential header; rate-limit headers on every response."""

from __future__ import annotations

import httpx
import pytest

from tests.demo.conftest import LIST
from tests.demo.test_list import assert_envelope
from tui.demo import DemoServer

PATHS = [
    ("POST", LIST),
    ("GET", LIST + "/log_anything"),
    ("GET", "/api/v3.1/internal/action_execution/log/log_anything"),
    ("GET", "/api/v3/internal/action_execution/log/log_anything"),
    ("POST", "/api/v3.1/tools/execute/GMAIL_SEND_EMAIL"),
    ("POST", "/api/v3.1/project/usage/summary"),
    ("POST", "/api/v3.1/project/usage/tool_calls"),
]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_missing_key_is_401_everywhere(frozen: DemoServer, method: str, path: str) -> None:
    response = httpx.request(method, frozen.url + path, json={})
    error = assert_envelope(response, 401, "x-api-key")
    assert "missing" in error["message"].lower()
    assert error["slug"] == "HTTP_Unauthorized"


def test_wrong_key_is_401(frozen: DemoServer) -> None:
    response = httpx.post(frozen.url + LIST, headers={"x-api-key": frozen.api_key + "x"})
    assert "invalid api key" in assert_envelope(response, 401)["message"].lower()


@pytest.mark.parametrize("second", ["x-user-api-key", "x-org-api-key"])
def test_two_credential_headers_are_401(frozen: DemoServer, second: str) -> None:
    headers = {"x-api-key": frozen.api_key, second: frozen.api_key}
    response = httpx.post(frozen.url + LIST, headers=headers)
    message = assert_envelope(response, 401)["message"]
    assert message.startswith("Multiple authentication modes were provided")


def test_right_key_is_200_with_rate_limit_headers(frozen_client: httpx.Client) -> None:
    response = frozen_client.post(LIST)
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Window-Size"] == "60s"
    assert int(response.headers["X-RateLimit"]) >= int(response.headers["X-RateLimit-Remaining"])


def test_recorded_requests_hide_credentials(server: DemoServer, client: httpx.Client) -> None:
    client.post(LIST, json={"limit": 3}, headers={"Authorization": "Bearer hunter2"})
    recorded = server.requests[-1]
    assert (recorded.method, recorded.path, recorded.body) == ("POST", LIST, {"limit": 3})
    assert recorded.headers["x-api-key"] == "<redacted>"
    assert recorded.headers["authorization"] == "<redacted>"
    assert server.api_key not in repr(server.requests)
    for _ in range(205):
        client.get("/nowhere")
    assert len(server.requests) == 200


def test_generated_key_shape() -> None:
    first, second = DemoServer(), DemoServer()
    assert first.api_key.startswith("demo_") and len(first.api_key) > 20
    assert first.api_key != second.api_key
    assert DemoServer(api_key="k").api_key == "k"
