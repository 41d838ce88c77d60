"""Pilot tests (issue 17 §4, §8): on the Buddy demo the bar takes Buddy's fields, the title
says the query was applied here over the runs read, the sidebar has Buddy's fields, and a
Composio field is refused in the bar with what to write; a Buddy export replayed with
--file gives Buddy rows whose copy keys ask the API the rows came from."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.clock import FakeClock
from tests.tui.pilot import screen_showing, settle, toasts
from tests.tui.test_buddy_rows import buddy_app_on
from tests.tui.test_query_and_sidebar import type_query
from tui import clipboard
from tui.config import Secret, Settings
from tui.constants import DEFAULT_BASE_URL
from tui.export import export_line
from tui.sources.buddy.rows import parse_row_id
from tui.sources.file import FileSource
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar
from tui.ui.widgets.title_bar import TitleBar


@pytest.fixture(autouse=True)
def no_native_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "has_local_display", lambda: False)


async def test_the_title_says_a_buddy_query_is_applied_over_the_runs_read() -> None:
    async with buddy_app_on(FakeClock()) as (app, pilot, server):
        title = app.query_one(TitleBar)
        assert "filtered here" not in title.render().plain  # nothing is filtered yet
        rows = app.query_one(LogTable).store.rows(0, 500)
        failed = next(row for row in rows if row.status == "failed")
        branch = app.session.store.entry_by_id(failed.id).raw["metadata"]["branch"]
        await type_query(pilot, f"branch:{branch} failed")
        runs = len(server.world.runs)
        await screen_showing(app, pilot, f"filtered here over the {runs} runs read")
        shown = app.query_one(LogTable).store.rows(0, 500)
        assert shown and {row.status for row in shown} == {"failed"}
        # The sidebar has Buddy's fields, drawn from the applied query.
        assert app.screen.query_one("#side-branch", Input).value == branch
        assert app.screen.query_one("#side-pipeline", Input).value == ""
        # Narrow, the query keeps its room and the title still says where it was applied.
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        narrow = title.render().plain
        assert f"branch:{branch} failed" in narrow and "loaded · filtered here · " in narrow
        await pilot.resize_terminal(120, 40)
        # Cleared, the title no longer says it.
        await pilot.press("escape")
        await settle(app, pilot)
        assert "filtered here" not in title.render().plain


async def test_a_composio_field_in_the_bar_says_what_to_write_and_applies_nothing() -> None:
    async with buddy_app_on(FakeClock()) as (app, pilot, _server):
        held = len(app.query_one(LogTable).store)
        await type_query(pilot, "tool:Deploy")
        bar = app.query_one(QueryBar)
        assert bar.has_class("-error")
        await screen_showing(app, pilot, "tool is a Composio field", "write action:Deploy")
        assert app.session.query_text == "" and len(app.query_one(LogTable).store) == held


async def test_a_replayed_buddy_export_has_buddy_rows_and_copy_keys(tmp_path: Path) -> None:
    async with buddy_app_on(FakeClock()) as (live, _pilot, server):
        store = live.session.store
        entries = [store.entry(row.rowid) for row in store.rows(0, len(store))]
        saved = tmp_path / "buddy.jsonl"
        saved.write_text("".join(export_line(e.raw) for e in entries if e), encoding="utf-8")
        settings = Settings(
            base_url=DEFAULT_BASE_URL, api_key=Secret(""), tz=UTC, source_file=str(saved)
        )
        replay = ToolwatchApp(settings, source=FileSource(saved), poll_on_interval=False)
        async with replay.run_test(size=(120, 40)) as pilot:
            await settle(replay, pilot)
            await pilot.press("home")
            row = replay.query_one(LogTable).selected
            assert row is not None
            entry = replay.session.store.entry_by_id(row.id)
            assert entry is not None and entry.source == "buddy"
            await pilot.press("c")
            copied = replay.clipboard
            where = parse_row_id(row.id)
            assert copied.startswith(f"curl -sS '{server.url}/workspaces/acme/projects/agents/")
            assert f"/action_executions/{where.action}'" in copied
            toast = [n.message for n in toasts(replay)][-1]
            assert f"This row comes from a file; the command asks {server.url}." in toast
            await pilot.press("w")
            assert replay.clipboard.startswith("https://app.buddy.works/acme/agents/")
            await type_query(pilot, "branch:master type:BUILD")
            assert not replay.query_one(QueryBar).has_class("-error")
            held = replay.session.store
            types = {held.entry(r.rowid).type for r in held.rows(0, len(held))}  # type: ignore[union-attr]
            assert types == {"BUILD"}
