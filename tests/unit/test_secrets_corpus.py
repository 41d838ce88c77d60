"""Issue 13 §6: every shape of secret a log can hold, planted in a list item, a detail, a
per-step log, messages and URLs; none of the planted values comes out of any output:
the redactor, an export line, `list`, `get`, `get --trace`, `tail`, the call detail's
display texts and the screen. Harmless names next to them stay readable."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.integration.test_cli import run
from tests.tui.pilot import screen_showing, settle
from tui.demo import DemoServer
from tui.diagnose import diagnose
from tui.export import export_line
from tui.models.call import build_call
from tui.redact import redact_json
from tui.sources.file import FileSource

MARK = "S3CR3T"  # every planted string secret starts with it; a masked one keeps 3 chars
NUMBER_SECRET = 7373737373737373  # an api_key that is a number
LOG_ID = "log_secrets_corpus"

# Values under harmless names: they must stay as they are.
VISIBLE = {
    "max_tokens": 4096,
    "token_count": 1717,
    "auth_config_id": "ac_VISIBLE_auth_config",
    "tokenizer": "cl100k_VISIBLE",
    "session_id": "trs_VISIBLE_session",
    "token_type": "VISIBLE_bearer_type",
    "keyboard": "VISIBLE_keyboard",
}


def _s(shape: str) -> str:
    return f"{MARK}_{shape}_0123456789"


def secret_body() -> dict[str, Any]:
    """Credentials in every shape a body can hold them, next to harmless names."""
    return {
        "githubToken": _s("camel"),
        "aws_secret_access_key": _s("aws"),
        "private_key": _s("private"),
        "client_secret": _s("client"),
        "x-refresh-token": _s("kebab"),
        "password": {"value": _s("nested_password")},
        "credentials": {"value": _s("nested_credentials"), "more": [_s("deeper")]},
        "api_key": NUMBER_SECRET,
        "variables": [
            {"key": "API_TOKEN", "value": _s("buddy_pair")},
            {"name": "db-password", "value": _s("name_pair")},
            {"key": "region", "value": "VISIBLE_region"},
        ],
        "note": f"retry with Authorization: Bearer {_s('body_bearer')} please",
        **VISIBLE,
    }


def secret_message() -> str:
    return (
        f"GET https://api.example.com/v1/items?access_token={_s('msg_url')}&limit=5 failed; "
        f"sent Authorization: Bearer {_s('msg_bearer')} and api_key={_s('msg_apikey')} "
        f'and {{"password": "{_s("msg_json")}"}}'
    )


def secret_trace(log_id: str) -> dict[str, Any]:
    request = {
        "method": "GET",
        "url": f"https://www.googleapis.com/drive/v3/files?key={_s('url_key')}&pageSize=10",
        "headers": {
            "X-Goog-Api-Key": _s("goog"),
            "Private-Token": _s("gitlab"),
            "X-Amz-Security-Token": _s("amz"),
            "Authorization": f"Bearer {_s('auth_header')}",
            "Accept": "application/json",
        },
        "params": {"key": _s("params_key"), "pageSize": 10},
        "json": secret_body(),
    }
    network = {
        "type": "network",
        "level": "error",
        "message": secret_message(),
        "time": 1_764_000_000_100,
        "request": request,
        "response": {
            "status": 401,
            "time": "12ms",
            "headers": {"Set-Cookie": f"sid={_s('cookie')}; HttpOnly"},
        },
    }
    return {
        "actionLogId": log_id,
        "status": "error",
        "steps": [
            {
                "type": "tool_execution",
                "status": "failure",
                "startTime": 1_764_000_000_000,
                "endTime": 1_764_000_000_200,
                "message": f"upstream said: Authorization: Bearer {_s('step_bearer')} rejected",
                "logs": [network, {"type": "system", "message": secret_message()}],
            }
        ],
        "payloadReceived": secret_body(),
        "error": {"message": f"401 from https://x.test/cb?token={_s('trace_error')}"},
    }


def corpus_line(item: dict[str, Any]) -> dict[str, Any]:
    """A list item as the demo server served it, with the per-step log a file line carries."""
    line = copy.deepcopy(item)
    line["message"] = secret_message()
    line["trace"] = secret_trace(line["id"])
    return line


def assert_no_secret(text: str, where: str) -> None:
    assert MARK not in text, f"{where} shows a planted secret: …{_around(text, MARK)}…"
    assert str(NUMBER_SECRET) not in text, f"{where} shows the numeric api_key"


def _around(text: str, needle: str) -> str:
    at = text.find(needle)
    return text[max(0, at - 80) : at + 80]


@pytest.fixture(scope="module")
def server():
    with DemoServer(seed=13, rate=0, prefill=20) as srv:
        yield srv


@pytest.fixture(scope="module")
def planted(server) -> dict[str, Any]:
    """A failed log on the demo server with secrets in its message, arguments and response."""
    return server.add_log(
        id=LOG_ID,
        status="failed",
        message=secret_message(),
        arguments=secret_body(),
        response={"error": secret_message(), "data": secret_body()},
    )


@pytest.fixture(scope="module")
def corpus_file(planted, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "secrets.jsonl"
    path.write_text(json.dumps(corpus_line(planted)) + "\n", encoding="utf-8")
    return path


# -- the redactor and the export line ---------------------------------------------------


def test_the_redactor_and_an_export_line_hide_every_shape(planted):
    line = corpus_line(planted)
    raw = json.dumps(line)
    assert MARK in raw and str(NUMBER_SECRET) in raw  # the corpus does hold them
    assert_no_secret(json.dumps(redact_json(line), ensure_ascii=False), "redact_json")
    assert_no_secret(export_line(line), "export_line")


def test_harmless_names_stay_readable(planted):
    out = redact_json(corpus_line(planted))
    body = out["trace"]["steps"][0]["logs"][0]["request"]["json"]
    for name, value in VISIBLE.items():
        assert body[name] == value, name
    assert {"key": "region", "value": "VISIBLE_region"} in body["variables"]
    headers = out["trace"]["steps"][0]["logs"][0]["request"]["headers"]
    assert headers["Accept"] == "application/json"
    assert out["trace"]["steps"][0]["logs"][0]["request"]["params"]["pageSize"] == 10


# -- the call detail's display texts ----------------------------------------------------


async def test_the_call_detail_and_its_diagnosis_show_no_secret(corpus_file, planted):
    source = FileSource(corpus_file)
    try:
        await source.read_to_end()
        detail = await source.get_detail(planted["id"])
        trace = await source.get_trace(planted["id"])
    finally:
        await source.aclose()
    call = build_call(detail, trace)
    texts = repr(call) + repr(diagnose(call))
    assert call.failed and call.steps and call.steps[0].requests
    assert_no_secret(texts, "CallDetail")
    assert "VISIBLE_region" in texts and "ac_VISIBLE_auth_config" in texts


# -- the commands ---------------------------------------------------------------------------


COMMANDS = [
    ("list", "--limit", "5"),
    ("get", LOG_ID),
    ("get", "--trace", LOG_ID),
    ("tail", "--last", "5", "--for", "1"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_command_prints_a_secret_from_the_api(server, planted, command):
    done = run(*command, env={"COMPOSIO_API_KEY": server.api_key, "COMPOSIO_BASE_URL": server.url})
    assert done.returncode == 0, done.stderr
    assert LOG_ID in done.stdout
    assert_no_secret(done.stdout + done.stderr, " ".join(command))


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_command_prints_a_secret_from_a_file(corpus_file, command):
    done = run("--file", str(corpus_file), *command, env={})
    assert done.returncode == 0, done.stderr
    assert LOG_ID in done.stdout
    assert_no_secret(done.stdout + done.stderr, " ".join(command))
    if command[0] == "get":
        assert "VISIBLE_region" in done.stdout and "cl100k_VISIBLE" in done.stdout


def test_show_secrets_still_shows_the_raw_trace(corpus_file):
    done = run("--file", str(corpus_file), "get", "--trace", "--show-secrets", LOG_ID, env={})
    assert done.returncode == 0, done.stderr
    assert _s("goog") in done.stdout and _s("params_key") in done.stdout


# -- the screen -------------------------------------------------------------------------------


def _screen_text(app) -> str:
    return app.export_screenshot()


async def test_the_screen_shows_no_secret_in_the_table_or_any_tab(server, corpus_file):
    from textual.widgets import TabbedContent

    from tui.ui.app import ToolwatchApp

    settings = settings_for(server, demo=False, source_file=str(corpus_file))
    app = ToolwatchApp(
        settings, source=FileSource(corpus_file), clock=fixed_clock, poll_on_interval=False
    )
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        screens = [_screen_text(app)]
        await pilot.press("home", "enter")
        await settle(app, pilot)
        await settle(app, pilot)
        tabs = app.query_one(TabbedContent)
        pane_ids = [str(pane.id) for pane in tabs.query("TabPane")]
        assert {"tab-summary", "tab-timeline", "tab-json", "tab-io"} <= set(pane_ids)
        # The Timeline's step message carries a masked secret: wait until it is drawn
        # (its words, as the message wraps where the pane's width says).
        expected = {"tab-timeline": ("upstream", "rejected")}
        for pane_id in pane_ids:
            tabs.active = pane_id
            await settle(app, pilot)
            screens.append(await screen_showing(app, pilot, *expected.get(pane_id, ())))
        shown = "\n".join(screens)
        assert "access_token=" in shown  # the message is on screen, its token masked
        assert_no_secret(shown, "the screen")
