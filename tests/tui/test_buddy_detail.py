"""Pilot tests: the detail pane of a Buddy row (issue 17 §3, buddy-contract.md A.4, A.5).

The Summary of the run, the run's actions on the Timeline with the row's marked, the
Log tab following a running action's log as the demo's log grows (no line twice), n/N
in it, secrets masked in every tab, the inline log[] when ``…/logs`` answers 404, and
no Log tab (nor key 5) for a Composio row.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import pytest
from textual.widgets import TabbedContent

from tests.clock import FakeClock
from tests.tui.pilot import screen_showing, settle
from tests.tui.test_buddy_rows import buddy_settings
from tui.demo.buddy_server import BuddyDemoServer
from tui.query import LogQuery
from tui.sources.buddy import BuddyClient, BuddySource
from tui.sources.buddy.rows import UNFINISHED, parse_row_id
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.action_log import ActionLogView, LogLines
from tui.ui.widgets.log_table import LogTable

POLL_S = 0.2  # the Log tab reads again this often here
WAIT_S = 10.0
PLANTED = "tok_planted_secret_0123456789"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@asynccontextmanager
async def running(
    clock: FakeClock, size: tuple[int, int] = (120, 40), **server_options: Any
) -> AsyncIterator[tuple[ToolwatchApp, Any, BuddyDemoServer]]:
    with BuddyDemoServer(seed=5, rate=0, prefill=12, clock=clock, **server_options) as server:
        client = BuddyClient(token=server.token, base_url=server.url, clock=clock)
        source = BuddySource(client, workspace="acme", project="agents", clock=clock)
        app = ToolwatchApp(
            replace(buddy_settings(server), poll_interval=POLL_S),
            source=source,
            clock=clock,
            poll_on_interval=False,
        )
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            yield app, pilot, server


@pytest.fixture
async def buddy_app(clock: FakeClock) -> AsyncIterator[tuple[ToolwatchApp, Any, BuddyDemoServer]]:
    async with running(clock) as started:
        yield started


async def until(pilot: Any, what: str, check: Callable[[], bool]) -> None:
    """Wait (at most WAIT_S) for ``check``: the Log tab reads on a real timer."""
    deadline = time.monotonic() + WAIT_S
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never: {what}")
        await pilot.pause(0.05)


async def open_row(app: ToolwatchApp, pilot: Any, pick: Callable[[Any], bool]) -> str:
    table = app.query_one(LogTable)
    rows = table.store.rows(0, len(table.store))
    index = next(n for n, row in enumerate(rows) if pick(row))
    table.move_cursor(index)
    await pilot.press("enter")
    await settle(app, pilot)
    return rows[index].id


def log_view(app: ToolwatchApp) -> ActionLogView:
    return app.query_one(ActionLogView)


async def test_a_running_actions_log_is_followed_as_it_grows(
    buddy_app: tuple[ToolwatchApp, Any, BuddyDemoServer], clock: FakeClock
) -> None:
    app, pilot, _ = buddy_app
    log_id = await open_row(app, pilot, lambda row: row.status == "running")
    await pilot.press("5")
    assert app.query_one(TabbedContent).active == "tab-log"
    view = log_view(app)
    await until(pilot, "the first lines read", lambda: bool(view.lines_view.lines))
    first = view.lines_view.lines
    await screen_showing(app, pilot, first[-1], "following")
    clock.now += 9  # six more lines in the demo's log (one each 1.5 s)
    await until(pilot, "new lines read", lambda: len(view.lines_view.lines) > len(first))
    await until(pilot, "all six", lambda: len(view.lines_view.lines) >= len(first) + 6)
    lines = view.lines_view.lines
    assert lines[: len(first)] == first, "the lines held before changed"
    assert len(lines) == len(set(lines)), "a line came twice"
    await screen_showing(app, pilot, lines[-1])  # kept at the bottom: the newest on screen
    assert view.following and view.log_id == log_id
    # The action ends: once the table has its final status, the last read says so.
    clock.now += 200
    app.poll_now()
    await settle(app, pilot)
    await until(pilot, "the end of the log", lambda: not view.following)
    entry = app.session.store.entry_by_id(log_id)
    assert entry is not None and entry.status not in UNFINISHED
    shown = app.main_screen.detail.call
    assert shown is not None and shown.status == entry.status, "the pane kept the old status"
    lines = view.lines_view.lines
    assert len(lines) == len(set(lines))
    await screen_showing(app, pilot, "finished", lines[-1])


async def test_following_stops_when_the_pane_closes_or_another_row_opens(
    buddy_app: tuple[ToolwatchApp, Any, BuddyDemoServer],
) -> None:
    app, pilot, _ = buddy_app
    await open_row(app, pilot, lambda row: row.status == "running")
    view = log_view(app)
    assert view.following
    app.main_screen.detail.focus_tabs()
    await pilot.press("escape")  # the pane's Esc closes it
    await pilot.pause()
    assert not app.main_screen.detail_open
    assert not view.following and view.log_id is None
    # Another row: the first one's log is no longer read, the new one's is.
    first = await open_row(app, pilot, lambda row: row.status == "running")
    await pilot.press("down")
    await settle(app, pilot)
    assert view.log_id is not None and view.log_id != first


async def test_n_and_N_find_the_query_words_in_the_log(
    buddy_app: tuple[ToolwatchApp, Any, BuddyDemoServer],
) -> None:
    app, pilot, _ = buddy_app
    await open_row(app, pilot, lambda row: row.status == "success")
    await pilot.press("5")
    view = log_view(app)
    await until(pilot, "the whole log read", lambda: not view.following)
    lines = view.lines_view.lines
    app.apply_query("step 1", LogQuery(words=("step 1",)))
    await settle(app, pilot)
    holding = [n for n, line in enumerate(lines) if "step 1" in line]
    assert len(holding) >= 3
    view.lines_view.focus()
    await pilot.pause()
    assert view.lines_view.cursor == len(lines) - 1  # it kept to the bottom
    await pilot.press("N")
    assert view.lines_view.cursor == holding[-1]
    await pilot.press("N")
    assert view.lines_view.cursor == holding[-2]
    await pilot.press("n")
    assert view.lines_view.cursor == holding[-1]
    await screen_showing(app, pilot, "n/N find step 1")


async def test_secrets_are_masked_in_every_tab(clock: FakeClock) -> None:
    async with running(clock, size=(200, 50)) as (app, pilot, server):
        await _planted_secret_masked(app, pilot, server)


async def _planted_secret_masked(app: ToolwatchApp, pilot: Any, server: BuddyDemoServer) -> None:
    table = app.query_one(LogTable)
    row = next(r for r in table.store.rows(0, len(table.store)) if r.status == "running")
    where = parse_row_id(row.id)
    plan = server.world.find(where.pipeline, where.execution)
    assert plan is not None
    server.plant(
        plan,
        variables=[{"key": "API_TOKEN", "value": PLANTED}],
        log_line=f"export API_TOKEN={PLANTED}",
    )
    await open_row(app, pilot, lambda r: r.id == row.id)
    shown = await screen_showing(app, pilot, "API_TOKEN = ••••••")  # the Summary
    assert PLANTED not in shown and "DEPLOY_TOKEN = ••••••" in shown
    assert "signing = ••••••" in shown, "an encrypted variable is masked whatever its key"
    for key in ("2", "3", "4", "5"):
        await pilot.press(key)
        await settle(app, pilot)
        assert PLANTED not in app.export_screenshot(), f"tab {key} shows the secret"
    view = log_view(app)
    await until(pilot, "the planted line read", lambda: len(view.lines_view.lines) > 1)
    assert view.lines_view.lines[1] == "export API_TOKEN=••••••789"
    assert all(PLANTED not in line for line in view.lines_view.lines)
    json_text = "\n".join(app.query_one("#detail-json").lines)  # type: ignore[attr-defined]
    assert "API_TOKEN" in json_text and PLANTED not in json_text


async def test_the_summary_says_the_run_and_the_timeline_marks_the_action(
    clock: FakeClock,
) -> None:
    async with running(clock, size=(200, 50)) as (app, pilot, _):
        await _summary_and_timeline(app, pilot)


async def _summary_and_timeline(app: ToolwatchApp, pilot: Any) -> None:
    # A queued action behind a running one: the second of its run.
    log_id = await open_row(app, pilot, lambda row: row.status == "queued")
    entry = app.session.store.entry_by_id(log_id)
    assert entry is not None
    meta = entry.raw["metadata"]
    shown = await screen_showing(app, pilot, "(Buddy: ENQUEUED)", "trigger", "revision")
    assert f"{meta['trigger']} by {meta['user_id']}" in shown
    assert meta["branch"] in shown and meta["revision"] in shown
    assert meta["html_url"][:60] in shown
    await pilot.press("2")
    shown = await screen_showing(app, pilot, "▶")
    marked = [line for line in shown.splitlines() if "▶" in line]
    assert len(marked) == 1 and entry.tool in marked[0]
    others = [line for line in shown.splitlines() if "████" in line and "▶" not in line]
    assert others, "the run's other action is drawn too"


async def test_waiting_for_approval_is_said(
    buddy_app: tuple[ToolwatchApp, Any, BuddyDemoServer],
) -> None:
    app, pilot, _ = buddy_app
    await open_row(app, pilot, lambda row: row.status == "waiting")
    await screen_showing(app, pilot, "WAITING_FOR_APPLY", "waiting for approval")


async def test_the_inline_log_when_the_logs_endpoint_is_missing(clock: FakeClock) -> None:
    async with running(clock, logs_endpoint=False) as (app, pilot, server):
        await open_row(app, pilot, lambda row: row.status == "running")
        await pilot.press("5")
        view = log_view(app)
        await until(pilot, "the inline log read", lambda: bool(view.lines_view.lines))
        first = view.lines_view.lines
        clock.now += 6
        await until(pilot, "more lines", lambda: len(view.lines_view.lines) > len(first))
        lines = view.lines_view.lines
        assert lines[: len(first)] == first and len(lines) == len(set(lines))
        assert any("/logs" in r for r in server.requests), "the endpoint was tried first"
        await screen_showing(app, pilot, lines[-1], "following")


async def test_a_composio_row_has_no_log_tab(app_factory: Callable[..., ToolwatchApp]) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.main_screen
        assert not screen.check_action("detail_tab", ("tab-log",))
        assert screen.check_action("detail_tab", ("tab-json",))
        assert "5" not in screen.active_bindings and "4" in screen.active_bindings
        await pilot.press("5")
        assert app.query_one(TabbedContent).active == "tab-summary"
        shown = await screen_showing(app, pilot, "1-4 tabs", "Request/Response")
        assert "Log" not in shown.split("Request/Response", 1)[1].splitlines()[0]
        assert not log_view(app).following


def test_the_log_lines_view_takes_the_json_tabs_search_keys() -> None:
    keys = {binding.key for binding in LogLines.BINDINGS}  # type: ignore[union-attr]
    assert {"n", "N", "home", "end"} <= keys


async def test_a_long_log_keeps_its_last_lines_and_says_how_many_were_dropped(
    buddy_app: tuple[ToolwatchApp, Any, BuddyDemoServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    from functools import partial

    from tui.session.action_log import FollowedLog
    from tui.ui.widgets import action_log

    monkeypatch.setattr(action_log, "FollowedLog", partial(FollowedLog, max_lines=5))
    app, pilot, _ = buddy_app
    await open_row(app, pilot, lambda row: row.status == "success" and row.tool == "Run tests")
    await pilot.press("5")
    view = log_view(app)
    await until(pilot, "the whole log read", lambda: not view.following)
    followed = view.lines_view.followed
    assert followed is not None and len(followed.lines) == 5 and followed.dropped > 0
    said = f"the first {followed.dropped:,} not kept (the last 5 are)"
    await screen_showing(app, pilot, said, followed.lines[-1])


async def test_p_pauses_the_log_tab_with_the_tail(
    buddy_app: tuple[ToolwatchApp, Any, BuddyDemoServer], clock: FakeClock
) -> None:
    app, pilot, server = buddy_app
    await open_row(app, pilot, lambda row: row.status == "running")
    await pilot.press("5")
    view = log_view(app)
    await until(pilot, "the first lines read", lambda: bool(view.lines_view.lines))
    await pilot.press("p")
    await screen_showing(app, pilot, "paused (p resumes)")  # a read in flight has landed
    held, asked = len(view.lines_view.lines), len(server.requests)
    clock.now += 9
    await pilot.pause(5 * POLL_S)  # several intervals: none of them reads
    assert len(view.lines_view.lines) == held and len(server.requests) == asked
    await pilot.press("p")
    await until(pilot, "reading again", lambda: len(view.lines_view.lines) > held)
    await screen_showing(app, pilot, "following")


async def test_scrolled_up_the_log_stays_put_and_end_follows_again(
    buddy_app: tuple[ToolwatchApp, Any, BuddyDemoServer], clock: FakeClock
) -> None:
    app, pilot, server = buddy_app
    plan = server.start_run(15)  # one test action of 36 s or more, a line each 1.5 s
    assert plan.actions[0].duration_ms >= 36_000
    clock.now += 2 + 1.5
    app.poll_now()
    await settle(app, pilot)
    log_id = f"15/{plan.run_id}/{plan.actions[0].hex_id}"
    await open_row(app, pilot, lambda row: row.id == log_id)
    await pilot.press("5")
    view = log_view(app)
    lines = view.lines_view
    await until(pilot, "the tab laid out", lambda: lines.size.height > 0)
    clock.now += (lines.size.height + 3) * 1.5  # more lines than the tab shows
    await until(pilot, "a screenful", lambda: len(lines.lines) > lines.size.height + 2)
    await until(pilot, "at the bottom", lambda: lines.scroll_offset.y == lines.max_scroll_y)
    lines.focus()
    await pilot.press("home")
    assert lines.scroll_offset.y == 0 and lines.cursor == 0
    held = len(lines.lines)
    clock.now += 3
    await until(pilot, "new lines", lambda: len(lines.lines) > held)
    assert lines.scroll_offset.y == 0 and lines.cursor == 0, "the view left where it was read"
    await pilot.press("end")
    held = len(lines.lines)
    clock.now += 3
    await until(pilot, "newer lines", lambda: len(lines.lines) > held)
    await until(pilot, "at the bottom again", lambda: lines.scroll_offset.y == lines.max_scroll_y)
    assert lines.cursor == len(lines.lines) - 1
