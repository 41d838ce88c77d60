"""Pilot tests for issue 6: what `e` exports, `--file` shows again; bad lines are reported
with their numbers and the rest shown; the query applies to the file; a growing file is
followed; the detail comes from the file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.clock import FIXED_NOW_MS, fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import settle, toasts
from tui import views
from tui.locations import ENV_EXPORT_DIR
from tui.query import parse_query
from tui.sources.file import FileSource
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.status_line import StatusLine


def file_app(server, path: Path) -> ToolwatchApp:
    settings = settings_for(server, demo=False, source_file=str(path))
    return ToolwatchApp(
        settings, source=FileSource(path), clock=fixed_clock, poll_on_interval=False
    )


def shown_ids(app: ToolwatchApp) -> list[str]:
    return [row.id for row in app.session.store.rows(0, len(app.session.store))]


def write_lines(path: Path, lines: list[str], mode: str = "w") -> None:
    with path.open(mode, encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)


def status(app: ToolwatchApp) -> str:
    return str(app.query_one(StatusLine).render())


async def test_an_export_opened_with_file_shows_the_same_rows(
    app_factory, demo_server, tmp_path, monkeypatch
):
    monkeypatch.setenv(ENV_EXPORT_DIR, str(tmp_path))
    live = app_factory()
    async with live.run_test(size=(120, 40)) as pilot:
        await settle(live, pilot)
        await pilot.press("e")
        await settle(live, pilot)
        expected = shown_ids(live)
    (exported,) = tmp_path.glob("*.jsonl")

    replay = file_app(demo_server, exported)
    async with replay.run_test(size=(120, 40)) as pilot:
        await settle(replay, pilot)
        assert shown_ids(replay) == expected and len(expected) > 50
        assert "file toolwatch-" in status(replay)


async def test_bad_lines_are_reported_by_number_and_the_rest_shown(demo_server, tmp_path):
    items = [demo_server.add_log(status="success") for _ in range(4)]
    path = tmp_path / "logs.jsonl"
    lines = [json.dumps(item) for item in items]
    lines[1:1] = ["{not json"]  # line 2
    lines.append("[1, 2]")  # line 6
    write_lines(path, lines)
    app = file_app(demo_server, path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert sorted(shown_ids(app)) == sorted(item["id"] for item in items)
        line = status(app)
        assert "skipped unreadable: line 2: not JSON" in line and "(+1 more)" in line
        app.poll_now()
        await settle(app, pilot)
        assert "line 2: not JSON" in status(app)  # still said after the next poll


async def test_the_query_applies_to_the_file_and_a_growing_file_is_followed(demo_server, tmp_path):
    failed = [demo_server.add_log(status="failed", tool_slug="GMAIL_SEND_EMAIL") for _ in range(3)]
    ok = [demo_server.add_log(status="success") for _ in range(3)]
    path = tmp_path / "logs.jsonl"
    write_lines(path, [json.dumps(item) for item in failed + ok])
    app = file_app(demo_server, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.apply_query("failed", parse_query("failed", now_ms=FIXED_NOW_MS))
        await settle(app, pilot)
        assert sorted(shown_ids(app)) == sorted(item["id"] for item in failed)
        assert views.last_query() is None  # a file's query is not the next live start

        later = demo_server.add_log(status="failed", timestamp_ms=FIXED_NOW_MS + 1_000)
        write_lines(
            path, [json.dumps(demo_server.add_log(status="success")), json.dumps(later)], "a"
        )
        app.poll_now()
        await settle(app, pilot)
        assert shown_ids(app)[0] == later["id"] and len(app.session.store) == 4


async def test_the_detail_comes_from_the_file(demo_server, tmp_path):
    item = demo_server.add_log(status="failed", tool_slug="GMAIL_SEND_EMAIL")
    path = tmp_path / "logs.jsonl"
    write_lines(path, [json.dumps(item)])
    app = file_app(demo_server, path)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("home", "enter")
        await settle(app, pilot)
        pane = app.query_one(DetailPane)
        assert pane.call is not None and pane.call.log_id == item["id"]
        assert pane.call.tool == "GMAIL_SEND_EMAIL"
        assert pane.call.trace_note == (
            "File logs.jsonl holds no per-step log for this call: showing what the detail holds."
        )
        requests = len(demo_server.requests)
        await pilot.press("y")
        assert app.clipboard == item["id"]
        assert len(demo_server.requests) == requests  # the file answered, not the server
        await pilot.press("c")
        assert item["id"] in app.clipboard
        assert "come from a file" in [n.message for n in toasts(app)][-1]


@pytest.mark.parametrize("flag", [["--demo"], []])
def test_file_is_refused_with_demo_and_a_missing_file_is_a_usage_error(flag, tmp_path, capsys):
    from tui.cli.main import EXIT_USAGE, main

    assert main(["--file", str(tmp_path / "missing.jsonl"), *flag]) == EXIT_USAGE
    err = capsys.readouterr().err
    if flag:
        assert "--file and --demo" in err
    else:
        assert "missing.jsonl: No such file or directory" in err


async def test_a_file_rewritten_from_scratch_is_read_again(demo_server, tmp_path):
    before = [demo_server.add_log(status="success") for _ in range(3)]
    path = tmp_path / "logs.jsonl"
    write_lines(path, [json.dumps(item) for item in before])
    app = file_app(demo_server, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert len(app.session.store) == 3
        after = demo_server.add_log(status="failed")
        write_lines(path, [json.dumps(after)])  # shorter: truncated and rewritten
        app.poll_now()
        await settle(app, pilot)
        await settle(app, pilot)
        assert shown_ids(app) == [after["id"]]
        assert any("again from the start" in n.message for n in toasts(app))


async def test_calls_opened_before_an_export_replay_with_their_timeline(
    app_factory, demo_server, tmp_path, monkeypatch
):
    monkeypatch.setenv(ENV_EXPORT_DIR, str(tmp_path))
    item = demo_server.add_log(status="failed", tool_slug="GMAIL_SEND_EMAIL")
    live = app_factory()
    async with live.run_test(size=(200, 50)) as pilot:
        await settle(live, pilot)
        await pilot.press("home", "enter")  # opened: its detail and per-step log are held
        await settle(live, pilot)
        opened = live.session.calls.cached(item["id"])
        assert opened.steps and opened.trace_json is not None
        await pilot.press("e")
        await settle(live, pilot)
    (exported,) = tmp_path.glob("*.jsonl")
    # The per-step log's upstream requests carried tokens in the clear: masked here.
    text = exported.read_text(encoding="utf-8")
    assert re.search(r'"Authorization": ?"Bearer ••••••', text)
    assert not re.search(r'"Authorization": ?"Bearer (?!••••••)', text)

    replay = file_app(demo_server, exported)
    async with replay.run_test(size=(200, 50)) as pilot:
        await settle(replay, pilot)
        await pilot.press("home", "enter")
        await settle(replay, pilot)
        call = replay.query_one(DetailPane).call
        assert call is not None and call.log_id == item["id"]
        assert call.trace_note is None and len(call.steps) == len(opened.steps)
        assert call.arguments == opened.arguments and call.arguments
