"""Pilot tests for issue 5: the detail pane, its tabs, layout, cache, parent and safety."""

from __future__ import annotations

import asyncio
import time

from textual.geometry import Region
from textual.widgets import TabbedContent

from tests.clock import FIXED_NOW_MS
from tests.tui.pilot import LoopStalls, settle
from tui.demo import FaultPlan
from tui.models.call import CallDetail
from tui.query import LogQuery
from tui.session.calls import Calls
from tui.ui.screens.diff import DiffScreen
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.json_view import JsonView
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.timeline import TimelineView

DETAIL = "/api/v3.1/logs/tool_execution/"
HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b]52;c;ZXZpbA==\x07 \x9b31m \u202eevil"


def pane(app) -> DetailPane:
    return app.query_one(DetailPane)


def summary(app) -> str:
    """The Summary tab's text as drawn (labels and wrapped values, line by line)."""
    widget = app.query_one("#detail-summary")
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text.rstrip() for line in lines)


async def open_newest(app, pilot) -> None:
    await settle(app, pilot)
    await pilot.press("home", "enter")
    await settle(app, pilot)
    await settle(app, pilot)  # the JSON views lay out in threads, then post


def detail_requests(server) -> int:
    return sum(1 for r in server.requests if r.path.startswith(DETAIL))


async def test_enter_opens_the_pane_beside_the_table_when_wide(app_factory, demo_server):
    demo_server.add_log(tool_slug="GMAIL_SEND_EMAIL", toolkit_slug="gmail", status="success")
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        detail = pane(app)
        table = app.query_one(LogTable)
        assert detail.display and detail.call is not None
        assert detail.region.x > table.region.x and detail.region.y == table.region.y
        assert "GMAIL_SEND_EMAIL" in summary(app) and "toolkit" in summary(app)
        assert "diagnosis" not in summary(app)


async def test_below_the_table_when_narrow_and_full_screen_with_z(app_factory):
    app = app_factory()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_newest(app, pilot)
        detail, table = pane(app), app.query_one(LogTable)
        assert detail.region.y > table.region.y and detail.region.x == table.region.x
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_newest(app, pilot)
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.maximized is pane(app)
        await pilot.press("z")
        await pilot.pause()
        assert app.screen.maximized is None
        await pilot.press("tab")  # into the pane, whose Esc closes it
        pane(app).action_close()
        await pilot.pause()
        assert not pane(app).display and app.query_one(LogTable).has_focus


async def test_each_failure_pattern_is_diagnosed_in_the_summary(app_factory, demo_server):
    expected = {
        "unauthorized": "re-authenticate",
        "forbidden": "scope",
        "invalid_input": "input",
        "tool_not_found": "slug",
        "no_account": "connected account",
    }
    for failure in expected:
        demo_server.add_log(failure=failure, message=f"{failure} marker")
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("home", "enter")
        await settle(app, pilot)
        table = app.query_one(LogTable)
        seen = {}
        for _ in expected:
            await settle(app, pilot)
            row = table.selected
            assert row is not None and row.failed
            text = summary(app)
            assert "FAILED" in text and "diagnosis" in text
            seen[row.message] = text
            await pilot.press("down")
        for failure, word in expected.items():
            text = next(t for m, t in seen.items() if m.startswith(failure))
            assert word in text.lower(), (failure, text)


async def test_moving_the_cursor_follows_and_moving_back_is_instant(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        first = pane(app).log_id
        await pilot.press("down")
        await settle(app, pilot)
        assert pane(app).log_id != first and pane(app).call is not None
        fetched = detail_requests(demo_server)
        await pilot.press("up")
        await pilot.pause()
        assert pane(app).log_id == first and pane(app).call is not None  # no wait
        assert detail_requests(demo_server) == fetched  # from the cache


async def test_tabs_on_a_success_and_a_failure(app_factory, demo_server):
    success = dict(tool_slug="GMAIL_SEND_EMAIL", toolkit_slug="gmail", status="success")
    demo_server.add_log(**success, timestamp_ms=FIXED_NOW_MS - 1_000)
    demo_server.add_log(failure="unauthorized", timestamp_ms=FIXED_NOW_MS)  # the newest
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)  # the failure; the next row down is a success
        for expect_failure in (True, False):
            call = pane(app).call
            assert call is not None and call.failed is expect_failure
            tabs = app.query_one(TabbedContent)
            tabs.active = "tab-timeline"
            await settle(app, pilot)
            options = app.query_one(TimelineView).query_one("OptionList")
            assert options.option_count >= len(call.steps) >= 1
            tabs.active = "tab-json"
            await settle(app, pilot)
            lines = app.query_one("#detail-json", JsonView).lines
            assert any(call.log_id in line for line in lines)
            tabs.active = "tab-io"
            await settle(app, pilot)
            assert app.query_one("#detail-response", JsonView).lines
            tabs.active = "tab-summary"
            app.query_one(LogTable).focus()
            await pilot.press("down")
            await settle(app, pilot)
            await settle(app, pilot)


async def test_credentials_in_network_requests_are_redacted(app_factory):
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        call = pane(app).call
        assert call is not None
        headers = [h for step in call.steps for r in step.requests for h in r.headers.items()]
        secret = [(k, v) for k, v in headers if k.lower() in ("authorization", "x-api-key")]
        assert secret and all("••" in v for _, v in secret)
        lines = "\n".join(app.query_one("#detail-json", JsonView).lines)
        assert "Bearer ey" not in lines and "sk-" not in lines


async def test_enter_in_the_pane_opens_the_parent_call(app_factory, demo_server):
    meta = "COMPOSIO_MULTI_EXECUTE_TOOL"
    parent = demo_server.add_log(tool_slug=meta, timestamp_ms=FIXED_NOW_MS - 1_000)
    demo_server.add_log(
        parent={"log_id": parent["id"], "tool_slug": meta}, timestamp_ms=FIXED_NOW_MS
    )
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        assert pane(app).call is not None and pane(app).call.parent_log_id == parent["id"]
        assert "parent" in summary(app)
        pane(app).action_parent()
        await settle(app, pilot)
        assert app.query_one(LogTable).selected.id == parent["id"]
        assert pane(app).log_id == parent["id"]


async def test_a_5mb_response_is_fetched_without_holding_the_screen(
    app_factory, demo_server, monkeypatch
):
    demo_server.set_fault_plan(FaultPlan(huge_rate=1.0, huge_bytes=5 << 20))
    huge = demo_server.add_log(message="huge")
    demo_server.advance()
    huge_fetched_at: list[float] = []  # when the huge detail's fetch returned
    huge_fetched = asyncio.Event()
    fetch = Calls.fetch

    async def timed_fetch(calls: Calls, log_id: str) -> CallDetail:
        call = await fetch(calls, log_id)
        if log_id == huge["id"]:
            huge_fetched_at.append(time.perf_counter())
            huge_fetched.set()
        return call

    monkeypatch.setattr(Calls, "fetch", timed_fetch)
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        # The pane opens on an ordinary call: drawing it is not what is measured here.
        await pilot.press("home", "down", "enter")
        await settle(app, pilot)
        stalls = LoopStalls()
        await pilot.press("up")
        assert table.selected.id == huge["id"]
        await asyncio.wait_for(huge_fetched.wait(), timeout=30)
        # Masking the credentials in 5 MB held the loop for 0.55 s here, before it was
        # done in pieces in a thread; fetching and reading the JSON now hold it 0.03-0.13
        # s. The bound leaves room for what is not toolwatch's: the demo server, in this
        # process, writes the 5 MB in one call that holds the interpreter ~30 ms, and a
        # loaded machine (the full suite on 2 cores) can stop the process inside one
        # (0.37 s once in three full runs with a bound of 0.25 s).
        longest = stalls.longest(until=huge_fetched_at[0])
        assert longest < 0.4, f"the loop was held {longest:.2f} s while 5 MB were fetched"
        await settle(app, pilot)
        await settle(app, pilot)
        assert pane(app).call is not None and pane(app).call.log_id == huge["id"]
        assert len(str(pane(app).call.response)) > 5 << 20  # it was the whole 5 MB
        view = app.query_one("#detail-json", JsonView)
        assert view.lines and len(view.lines) <= 20_000


async def test_hostile_keys_and_values_render_literally_in_every_tab(app_factory, demo_server):
    demo_server.add_log(
        message=HOSTILE,
        user_id=HOSTILE,
        arguments={HOSTILE: HOSTILE, "[bold]k[/bold]": [HOSTILE]},
        response={"data": {HOSTILE: {"[@click=app.quit]": HOSTILE}}},
    )
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        tabs = app.query_one(TabbedContent)
        for tab in ("tab-summary", "tab-timeline", "tab-json", "tab-io"):
            tabs.active = tab
            await settle(app, pilot)
            await pilot.pause()
            shot = app.export_screenshot()
            assert "\x1b]52" not in shot and "\x9b" not in shot and "\u202e" not in shot
        lines = "\n".join(app.query_one("#detail-request", JsonView).lines)
        assert "[@click=app.quit]" in lines and "[/bold]" in lines  # literal, not markup
        assert "\\x1b]52" in lines or "\\u001b]52" in lines
        await pilot.press("escape")
        assert app.is_running


async def test_the_pane_shows_the_highlighted_row_as_logs_arrive(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        table = app.query_one(LogTable)
        opened = pane(app).log_id
        assert not table.following  # opening holds the table on the call being read
        demo_server.add_log(message="arrived while reading")
        app.poll_now()
        await settle(app, pilot)
        assert table.selected.id == opened and pane(app).log_id == opened
        await pilot.press("f")  # follow: the pane follows the newest too
        await settle(app, pilot)
        newest = demo_server.add_log(message="arrived while following")
        app.poll_now()
        await settle(app, pilot)
        await settle(app, pilot)
        assert table.selected.id == newest["id"] == pane(app).log_id


async def test_b_diffs_a_failure_against_the_last_success_of_the_tool(app_factory, demo_server):
    same = dict(tool_slug="GMAIL_SEND_EMAIL", toolkit_slug="gmail")
    good = demo_server.add_log(**same, status="success", timestamp_ms=FIXED_NOW_MS - 5_000)
    demo_server.add_log(**same, failure="invalid_input", timestamp_ms=FIXED_NOW_MS)
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, DiffScreen)
        assert screen.first.log_id == good["id"] and screen.second.failed
        paths = {c.path for c in screen.changes}
        assert "status" in paths and "error" in paths
        body = str(screen.query_one("#diff-body").render())
        assert "status" in body and "→" in body
        await pilot.press("escape")
        assert not isinstance(app.screen, DiffScreen)


async def test_m_marks_and_d_diffs_two_calls(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        await pilot.press("d")  # nothing marked yet: says so, opens nothing
        await pilot.pause()
        assert not isinstance(app.screen, DiffScreen)
        first = pane(app).log_id
        await pilot.press("m", "down")
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DiffScreen)
        assert app.screen.first.log_id == first and app.screen.second.log_id == pane(app).log_id


async def test_json_folds_by_key_and_finds_the_query_words(app_factory, demo_server):
    demo_server.add_log(
        arguments={"to": "alice@example.com", "nested": {"deep": {"needle": "found me"}}},
        timestamp_ms=FIXED_NOW_MS,
    )
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        app.query_one(TabbedContent).active = "tab-json"
        await settle(app, pilot)
        view = app.query_one("#detail-json", JsonView)
        view.focus()
        whole = len(view._visible)
        await pilot.press("minus")  # collapse: only the top-level keys remain
        folded = len(view._visible)
        assert folded < whole / 2 and view.folded
        await pilot.press("plus")
        assert len(view._visible) == whole
        await pilot.press("home", "enter")  # the opening line folds the whole document
        assert len(view._visible) == 1
        await pilot.press("space")
        assert len(view._visible) == whole
        # The query's words are searched in the JSON too; n opens folds to reach them.
        await pilot.press("minus")
        app.apply_query("needle", LogQuery(words=("needle",)))
        await settle(app, pilot)
        view.focus()
        await pilot.press("n")
        assert "needle" in view._lines[view._visible[view.cursor]]
