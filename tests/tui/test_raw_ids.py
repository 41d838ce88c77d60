"""A log whose id holds an escape, markup or a newline opens, is diffed and exported under
its raw id, on the screen against the embedded server over a real socket."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.tui.pilot import settle
from tui.locations import ENV_EXPORT_DIR
from tui.ui.screens.diff import DiffScreen
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.log_table import LogTable

ODD_IDS = ["log_\x1b[31mred", "log_[/b]", "log_a\nb"]
DETAIL = "/api/v3.1/logs/tool_execution/"


@pytest.fixture
def odd_logs(demo_server):
    for log_id in ODD_IDS:
        demo_server.add_log(id=log_id, status="failed", tool_slug="GMAIL_SEND_EMAIL")
    return ODD_IDS


async def _open(app, pilot, log_id: str) -> DetailPane:
    index = app.session.store.index_of_id(log_id)
    assert index is not None, f"{log_id!r} is not in the table"
    app.query_one(LogTable).move_cursor(index)
    await pilot.press("enter")
    await settle(app, pilot)
    return app.query_one(DetailPane)


async def test_an_odd_id_opens_its_detail(app_factory, demo_server, odd_logs):
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        for log_id in odd_logs:
            before = len(demo_server.requests)
            pane = await _open(app, pilot, log_id)
            assert pane.log_id == log_id
            call = app.session.calls.cached(log_id)
            assert call is not None and call.log_id == log_id and call.failed
            asked = {r.path for r in demo_server.requests[before:] if r.path.startswith(DETAIL)}
            assert asked == {DETAIL + quote(log_id, safe="")}
            await pilot.press("escape")
            await settle(app, pilot)


async def test_two_odd_ids_are_diffed(app_factory, odd_logs):
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        await _open(app, pilot, odd_logs[0])
        await pilot.press("m")
        await _open(app, pilot, odd_logs[1])
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DiffScreen)
        assert (app.screen.first.log_id, app.screen.second.log_id) == (odd_logs[0], odd_logs[1])


def _exports(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.jsonl"))


async def test_odd_ids_are_exported_raw(app_factory, odd_logs, tmp_path: Path, monkeypatch):
    monkeypatch.setenv(ENV_EXPORT_DIR, str(tmp_path))
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        await _open(app, pilot, odd_logs[2])  # an opened call is exported whole
        await pilot.press("escape", "e")
        await settle(app, pilot)
    (export,) = _exports(tmp_path)
    assert export.stat().st_mode & 0o777 == 0o600  # logs are private, whatever the umask
    lines = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()]
    exported = {line["id"]: line for line in lines}
    assert set(odd_logs) <= set(exported)
    assert "trace" in exported[odd_logs[2]]  # the opened one, with its per-step log
