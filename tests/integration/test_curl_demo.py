"""tui.curl's commands, run by the real curl against the embedded server on loopback.

Each command is pasted into ``sh -c`` as an engineer would paste it, with the demo's key in
COMPOSIO_API_KEY (and an empty CURL_HOME, so no ~/.curlrc changes what curl does). The
server's record of each request shows what arrived: the method, the request target as
sent, the parsed body.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.clock import FIXED_NOW_MS
from tui.constants import LOGS_DETAIL_PATH, LOGS_LIST_PATH, TOOL_EXECUTE_PATH
from tui.curl import (
    HEREDOC_DELIMITER,
    HEREDOC_THRESHOLD,
    detail_curl,
    list_curl,
    rerun_curl,
)
from tui.demo import DemoServer
from tui.demo.hostile import HOSTILE_STRINGS
from tui.demo.httpd import MAX_BODY
from tui.jsonout import dumps as json_text
from tui.models.call import CallDetail
from tui.query import parse_query
from tui.sources.base import fetch_call
from tui.sources.composio import ComposioClient, _path_id

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")

TOOL = "GMAIL_SEND_EMAIL"
HOSTILE_IDS = [
    'it\'s "quoted"',
    "$(touch /tmp/x) `id`; rm -rf ~",
    "line1\nline2\ttab\r",
    "a/b?c=d#e%2F%00",
    "\x1b]52;c;ZXZpbA==\x07 \x9b31m \u202eevil",
    "emoji 😀 CJK 日本語 [/bold]",
    "..",
    ".",
]
HOSTILE = (
    'it\'s "q" $(touch /tmp/x) `id`; \\ \n\t \x1b]52;c;x\x07 \x9b \u202e 😀 日本 [/bold] \u200b'
)


def sh(command: str, server: DemoServer, home: Path) -> str:
    """Run ``command`` as pasted into a shell; its stdout."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "COMPOSIO_API_KEY": server.api_key,
        "HOME": str(home),
        "CURL_HOME": str(home),
    }
    if len(command.encode()) < 64 * 1024:
        args = ["sh", "-c", command]
        done = subprocess.run(args, env=env, capture_output=True, timeout=60)
    else:  # one argument cannot hold a multi-megabyte script: the shell reads it from a file
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=home, suffix=".sh") as file:
            file.write(command)
            file.flush()
            done = subprocess.run(["sh", file.name], env=env, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stderr == b""
    return done.stdout.decode("utf-8")


def answer(command: str, server: DemoServer, home: Path) -> Any:
    return json.loads(sh(command, server, home))


def last_request(server: DemoServer) -> Any:
    request = server.requests[-1]
    assert request.headers["x-api-key"] == "<redacted>"  # one credential header, sent
    return request


def a_real_call(server: DemoServer) -> CallDetail:
    """A logged GMAIL_SEND_EMAIL call, read as the detail pane reads it."""

    async def fetch() -> CallDetail:
        async with ComposioClient(api_key=server.api_key, base_url=server.url) as client:
            query = parse_query(f"tool:{TOOL}", now_ms=FIXED_NOW_MS)
            page = await client.list_logs(query, limit=50)
            for entry in page.entries:
                call = await fetch_call(client, entry.id)
                if call.user_id and call.connected_account_id and call.version:
                    return call
        raise AssertionError("no logged call names its user, account and version")

    return asyncio.run(fetch())


# -- detail ------------------------------------------------------------------------------------


def test_detail_curl_fetches_a_real_log(demo_server: DemoServer, tmp_path: Path) -> None:
    listed = answer(list_curl(demo_server.url, {"limit": 5}).command, demo_server, tmp_path)
    log_id = listed["logs"][3]["id"]
    curl = detail_curl(demo_server.url + "/", log_id)
    assert curl.warnings == ()
    detail = answer(curl.command, demo_server, tmp_path)
    assert detail["id"] == log_id and "error" not in detail
    assert {"context", "source", "data"} <= detail.keys()
    request = last_request(demo_server)
    assert (request.method, request.path) == ("GET", LOGS_DETAIL_PATH.format(id=_path_id(log_id)))


@pytest.mark.parametrize("log_id", HOSTILE_IDS)
def test_detail_curl_sends_a_hostile_id_intact(
    demo_server: DemoServer, tmp_path: Path, log_id: str
) -> None:
    reply = answer(detail_curl(demo_server.url, log_id).command, demo_server, tmp_path)
    # The server decoded the very id we meant, and found no such log.
    assert reply["error"]["status"] == 404
    assert reply["error"]["message"] == f"Log {log_id!r} not found"
    request = last_request(demo_server)
    assert request.method == "GET"
    assert request.path == LOGS_DETAIL_PATH.format(id=_path_id(log_id))


# -- list --------------------------------------------------------------------------------------


def test_list_curl_of_a_query_lists_what_it_asks_for(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    query = parse_query(f"tool:{TOOL} status:failed since:7d", now_ms=FIXED_NOW_MS)
    body = query.to_api_body(limit=10, now_ms=FIXED_NOW_MS)
    reply = answer(list_curl(demo_server.url, body).command, demo_server, tmp_path)
    assert reply["logs"], "the demo has failed GMAIL_SEND_EMAIL calls"
    for log in reply["logs"]:
        assert (log["metadata"]["tool_slug"], log["status"]) == (TOOL, "failed")
    request = last_request(demo_server)
    assert (request.method, request.path, request.body) == ("POST", LOGS_LIST_PATH, body)
    assert request.headers["content-type"] == "application/json"


def test_list_curl_sends_hostile_filters_exactly(demo_server: DemoServer, tmp_path: Path) -> None:
    body = {
        "limit": 7,
        "filters": [
            {"field": "user_id", "operator": "contains", "value": HOSTILE},
            *(
                {"field": "toolkit_slug", "operator": "not_contains", "value": value}
                for value in HOSTILE_STRINGS
            ),
            {"field": "request_id", "operator": "!=", "value": ""},
        ],
        "time_range": {"from": 0, "to": FIXED_NOW_MS},
    }
    reply = answer(list_curl(demo_server.url, body).command, demo_server, tmp_path)
    assert reply == {"logs": [], "next_cursor": None}  # no user id holds all that
    request = last_request(demo_server)
    assert (request.method, request.path, request.body) == ("POST", LOGS_LIST_PATH, body)


# -- re-run ------------------------------------------------------------------------------------


def logged_as(call: CallDetail, **fields: Any) -> CallDetail:
    """The call as if the log had held these values (re-runs read ``call.execute``)."""
    return dataclasses.replace(call, **fields, execute=dataclasses.replace(call.execute, **fields))


def test_rerun_curl_runs_a_logged_call_again(demo_server: DemoServer, tmp_path: Path) -> None:
    call = a_real_call(demo_server)
    assert isinstance(call.arguments, dict) and call.arguments
    curl = rerun_curl(demo_server.url, call)
    assert curl.warnings == ()
    reply = answer(curl.command, demo_server, tmp_path)
    assert reply["log_id"].startswith("log_") and reply["log_id"] != call.log_id
    assert isinstance(reply["successful"], bool)
    request = last_request(demo_server)
    assert (request.method, request.path) == ("POST", f"/api/v3.1/tools/execute/{TOOL}")
    assert request.body == {
        "arguments": call.arguments,
        "user_id": call.user_id,
        "connected_account_id": call.connected_account_id,
        "version": call.version,
    }
    # The new log is the same call: tool, user, account, version and arguments.
    again = answer(detail_curl(demo_server.url, reply["log_id"]).command, demo_server, tmp_path)
    meta = again["metadata"]
    assert meta["tool_slug"] == TOOL and meta["version"] == call.version
    assert (meta["user_id"], meta["connected_account_id"]) == (
        call.user_id,
        call.connected_account_id,
    )
    assert again["data"]["input"] == call.arguments


def test_rerun_curl_with_hostile_arguments(demo_server: DemoServer, tmp_path: Path) -> None:
    arguments = {
        "body": HOSTILE,
        HOSTILE: [*HOSTILE_STRINGS, None, 1.5, True],
        "nested": {"'": {"`": "$COMPOSIO_API_KEY"}},
    }
    call = logged_as(a_real_call(demo_server), arguments=arguments, version="")
    curl = rerun_curl(demo_server.url, call)
    assert len(curl.warnings) == 1 and "00000000_00" in curl.warnings[0]
    reply = answer(curl.command, demo_server, tmp_path)
    request = last_request(demo_server)
    assert request.path == TOOL_EXECUTE_PATH.format(tool_slug=TOOL)
    assert request.body == {
        "arguments": arguments,
        "user_id": call.user_id,
        "connected_account_id": call.connected_account_id,
    }
    again = answer(detail_curl(demo_server.url, reply["log_id"]).command, demo_server, tmp_path)
    assert again["data"]["input"] == arguments
    assert again["metadata"]["version"] == "00000000_00"  # what the warning said


def test_rerun_curl_of_an_unknown_tool_reaches_the_server_encoded(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    slug = "GMAIL_SEND/EMAIL' $(id)\n"
    call = logged_as(a_real_call(demo_server), tool=slug)
    reply = answer(rerun_curl(demo_server.url, call).command, demo_server, tmp_path)
    assert reply["error"]["status"] == 404
    assert reply["error"]["message"] == f"Tool {slug} not found"
    assert last_request(demo_server).path == TOOL_EXECUTE_PATH.format(tool_slug=_path_id(slug))


# -- large bodies ------------------------------------------------------------------------------


def test_a_large_rerun_body_arrives_intact(demo_server: DemoServer, tmp_path: Path) -> None:
    """Far above what one argument may hold, just under what the demo accepts (1 MiB)."""
    unit = HOSTILE + " "
    arguments = {"body": unit * ((MAX_BODY - 4096) // len(json_text(unit).encode())), "to": "x"}
    call = logged_as(a_real_call(demo_server), arguments=arguments)
    curl = rerun_curl(demo_server.url, call)
    size = len(json_text({"arguments": arguments}).encode())
    assert 7 * HEREDOC_THRESHOLD < size < MAX_BODY
    assert curl.command.endswith(f"\n{HEREDOC_DELIMITER}")
    reply = answer(curl.command, demo_server, tmp_path)
    assert reply["log_id"].startswith("log_")
    request = last_request(demo_server)
    assert request.body["arguments"] == arguments
    assert request.body["version"] == call.version


def test_a_multi_megabyte_body_is_sent_whole(demo_server: DemoServer, tmp_path: Path) -> None:
    """More than the demo accepts: it drains the upload, answers 413, and curl reports
    how many bytes it sent, the whole here-document."""
    body = {"limit": 1, "filters": [{"field": "user_id", "operator": "==", "value": HOSTILE}]}
    body["filters"] *= 4 * MAX_BODY // len(json_text(body["filters"][0]))
    curl = list_curl(demo_server.url, body)
    sent = len(json_text(body).encode()) + 1  # the here-document's closing newline
    assert sent > 4 * MAX_BODY
    # The same command, with curl saying how it went after the answer.
    wrapped = 'curl() { command curl -w "\\n%{http_code} %{size_upload}" "$@"; }\n' + curl.command
    out = sh(wrapped, demo_server, tmp_path)
    reply, status_line = out.rsplit("\n", 1)
    assert status_line == f"413 {sent}"
    assert json.loads(reply)["error"]["status"] == 413  # answered before it is recorded
