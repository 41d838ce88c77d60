"""Pilot tests (issue 17 §5, §10): y, c, r, C and w on a Buddy row against the Buddy demo
server, each copied curl run through ``sh`` and the real curl over loopback, with the demo
token in BUDDY_TOKEN only (never in what was copied); w on a Composio row says there is no
web link; W shows the last copy whole."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.tui.pilot import settle, toasts
from tests.tui.test_buddy_rows import buddy_app_on, cursor_on_first
from tui import clipboard
from tui.curl import buddy_list_curl
from tui.demo.buddy_server import BuddyDemoServer
from tui.sources.buddy.rows import parse_row_id
from tui.ui.app import ToolwatchApp
from tui.ui.screens.copied import CopiedScreen
from tui.ui.widgets.log_table import LogTable

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


@pytest.fixture(autouse=True)
def no_native_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "has_local_display", lambda: False)


@pytest.fixture
async def buddy() -> AsyncIterator[tuple[ToolwatchApp, Any, BuddyDemoServer]]:
    async with buddy_app_on(FakeClock()) as running:
        yield running


def toast(app: ToolwatchApp) -> str:
    found = [n.message for n in toasts(app)]
    assert found, "no toast was shown"
    return found[-1]


async def sh(command: str, server: BuddyDemoServer, home: Path) -> Any:
    """``command`` pasted into a shell with the demo token in BUDDY_TOKEN: its JSON."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "BUDDY_TOKEN": server.token,
        "HOME": str(home),
        "CURL_HOME": str(home),
    }
    done = await asyncio.to_thread(
        subprocess.run, ["sh", "-c", command], env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return json.loads(done.stdout)


def no_token(app: ToolwatchApp, server: BuddyDemoServer) -> str:
    copied = app.clipboard
    assert server.token not in copied and '"Authorization: Bearer $BUDDY_TOKEN"' in copied
    return copied


async def test_y_and_c_copy_the_id_and_a_curl_that_fetches_the_action_execution(
    buddy: tuple[ToolwatchApp, Any, BuddyDemoServer], tmp_path: Path
) -> None:
    app, pilot, server = buddy
    row = await cursor_on_first(pilot, app.query_one(LogTable), "failed")
    await pilot.press("y")
    assert app.clipboard == row.id and "Copied action execution id" in toast(app)
    await pilot.press("c")
    command = no_token(app, server)
    said = toast(app)
    assert said.startswith("Copied curl for this action execution")
    assert f"export BUDDY_TOKEN={server.token}" in said  # the demo's, for another terminal
    answer = await sh(command, server, tmp_path)
    assert answer["action_execution_id"] == parse_row_id(row.id).action
    assert answer["status"] == "FAILED"
    where = parse_row_id(row.id)
    path = f"/pipelines/{where.pipeline}/executions/{where.execution}"
    assert server.requests[-1] == (
        f"GET /workspaces/acme/projects/agents{path}/action_executions/{where.action}"
    )


async def test_r_copies_a_curl_that_retries_the_failed_run(
    buddy: tuple[ToolwatchApp, Any, BuddyDemoServer], tmp_path: Path
) -> None:
    app, pilot, server = buddy
    row = await cursor_on_first(pilot, app.query_one(LogTable), "failed")
    where = parse_row_id(row.id)
    await pilot.press("r")
    command = no_token(app, server)
    said = toast(app)
    assert said.startswith(f"Copied retry curl for run {where.run}")
    assert f"retries the whole run {where.run}" in said
    assert "Buddy retries only" not in said  # the run failed: Buddy takes it
    assert "-X PATCH" in command and '"operation":"RETRY"' in command
    answer = await sh(command, server, tmp_path)
    assert answer["status"] in ("INPROGRESS", "ENQUEUED")  # a new run of the pipeline
    path = f"/workspaces/acme/projects/agents/pipelines/{where.pipeline}/executions"
    assert f"PATCH {path}/{where.execution}" in server.requests


async def test_r_on_a_run_that_did_not_fail_says_buddy_refuses_it(
    buddy: tuple[ToolwatchApp, Any, BuddyDemoServer],
) -> None:
    app, pilot, _server = buddy
    await cursor_on_first(pilot, app.query_one(LogTable), "running")
    await pilot.press("r")
    assert "Buddy retries only a failed or terminated run" in toast(app)


async def test_capital_c_copies_a_curl_for_the_pipelines_runs(
    buddy: tuple[ToolwatchApp, Any, BuddyDemoServer], tmp_path: Path
) -> None:
    app, pilot, server = buddy
    await pilot.press("C")
    command = no_token(app, server)
    assert "takes no filters" in toast(app)
    answer = await sh(command, server, tmp_path)
    assert {p["id"] for p in answer["pipelines"]}  # every pipeline watched: their list


async def test_w_copies_the_runs_web_page_and_shift_w_shows_it(
    buddy: tuple[ToolwatchApp, Any, BuddyDemoServer],
) -> None:
    app, pilot, _server = buddy
    row = await cursor_on_first(pilot, app.query_one(LogTable), "failed")
    where = parse_row_id(row.id)
    await pilot.press("w")
    link = app.clipboard
    assert link.startswith("https://app.buddy.works/acme/agents/pipelines/pipeline/")
    assert f"actionExecutionId={where.action}" in link
    assert toast(app).startswith(f"Copied Buddy link to run {where.run}")
    await pilot.press("W")
    await pilot.pause()
    assert isinstance(app.screen, CopiedScreen)


async def test_w_on_a_composio_row_says_there_is_no_web_link(app_factory, demo_server) -> None:
    demo_server.add_log(status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("home", "w")
        assert "A Composio log has no web page to link to" in toast(app)
        assert not app.clipboard


async def test_the_runs_list_curl_of_named_pipelines_runs_each(tmp_path: Path) -> None:
    """With --pipeline 12,15, C copies one command a line, each a pipeline's runs (A.3)."""
    with BuddyDemoServer(seed=5, rate=0, prefill=12, clock=FakeClock()) as server:
        curl = buddy_list_curl(server.url, "acme", "agents", (12, 15))
        assert curl.command.count("curl -sS") == 2 and server.token not in curl.command
        env = {"PATH": os.environ.get("PATH", ""), "BUDDY_TOKEN": server.token}
        env |= {"HOME": str(tmp_path), "CURL_HOME": str(tmp_path)}
        done = await asyncio.to_thread(
            subprocess.run, ["sh", "-c", curl.command], env=env, capture_output=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        text, answers = done.stdout.decode(), []
        decoder, at = json.JSONDecoder(), 0
        while at < len(text):  # one JSON answer after the other, as curl printed them
            answer, at = decoder.raw_decode(text, at)
            answers.append(answer)
        assert [a["executions"][0]["url"].split("/pipelines/")[1][:2] for a in answers] == [
            "12",
            "15",
        ]
        assert server.requests[-2:] == [
            f"GET /workspaces/acme/projects/agents/pipelines/{p}/executions?page=1&per_page=20"
            for p in (12, 15)
        ]
