"""Pilot tests for issue 4: the query bar, the filter sidebar, views and local search."""

from __future__ import annotations

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import screen_showing, settle
from tui.demo import FaultPlan
from tui.ui.app import ToolwatchApp
from tui.ui.screens.views import ViewsScreen
from tui.ui.widgets.filter_sidebar import FilterSidebar
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar
from tui.ui.widgets.title_bar import TitleBar
from tui.views import last_query, remember_query, save_view, user_views

LIST_PATH = "/api/v3.1/logs/tool_execution"


def list_bodies(server) -> list[dict]:
    return [r.body for r in server.requests if r.path == LIST_PATH]


def rows(app: ToolwatchApp):
    return app.session.store.rows(0, len(app.session.store))


async def type_query(pilot, text: str) -> None:
    """/ from the table, clear the bar, type ``text`` key by key, Enter."""
    await pilot.press("slash")
    pilot.app.query_one(QueryBar).input.value = ""
    await pilot.press(*text, "enter")
    await settle(pilot.app, pilot)


async def test_typing_a_query_filters_the_table_on_the_server(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert any(not r.failed for r in rows(app))
        await type_query(pilot, "failed")
        assert rows(app) and all(r.failed for r in rows(app))
        body = list_bodies(demo_server)[-1]
        assert body["filters"] == [{"field": "status", "operator": "==", "value": "failed"}]
        assert "failed" in str(app.query_one(TitleBar).render())
        assert app.query_one(LogTable).has_focus  # back to the table after Enter
        assert last_query() == "failed"


async def test_an_invalid_term_is_pointed_at_and_nothing_is_sent(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sent = len(list_bodies(demo_server))
        await pilot.press("slash", *"failed tol:x", "enter")
        await settle(app, pilot)
        bar = app.query_one(QueryBar)
        assert bar.has_class("-error")
        error = str(bar.query_one("#query-error").render())
        assert error.index("^") == len("/ ") + len("failed ")  # under the bad term
        assert "tol" in error
        assert len(list_bodies(demo_server)) == sent  # nothing was sent
        assert app.session.query_text == ""


async def test_escape_on_the_table_drops_the_query(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await type_query(pilot, "failed")
        failed_only = len(app.session.store)
        await pilot.press("slash", "escape")  # in the bar: cancels the edit only
        await settle(app, pilot)
        assert app.session.query_text == "failed"
        assert app.query_one(LogTable).has_focus
        await pilot.press("escape")  # on the table: drops the query
        await settle(app, pilot)
        assert app.session.query_text == "" and app.query_one(QueryBar).text == ""
        assert len(app.session.store) > failed_only


async def test_sidebar_and_bar_stay_in_step(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        sidebar = app.query_one(FilterSidebar)
        assert sidebar.display  # wide enough: shown
        await type_query(pilot, "toolkit:gmail tool~SEND")
        assert sidebar.query_one("#side-toolkit").value == "gmail"
        # A sidebar control changes the bar, and keeps the term it does not own.
        await pilot.click("#side-status-failed")  # the first click counts
        await settle(app, pilot)
        text = app.query_one(QueryBar).text
        assert "failed" in text and "toolkit:gmail" in text and "tool~SEND" in text
        assert all(r.failed and r.toolkit == "gmail" for r in rows(app))
        app.query_one("#side-time").focus()
        await pilot.press("down", "down", "enter")  # by keyboard: all -> 15m -> 1h
        await settle(app, pilot)
        assert "since:1h" in app.query_one(QueryBar).text
        assert list_bodies(demo_server)[-1]["time_range"]["from"] == (fixed_clock() - 3600) * 1000


async def test_f2_toggles_the_sidebar_and_it_starts_hidden_when_narrow(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        sidebar = app.query_one(FilterSidebar)
        assert not sidebar.display
        await type_query(pilot, "failed")  # the bar still works
        assert all(r.failed for r in rows(app))
        await pilot.press("f2")
        assert sidebar.display
        await pilot.press("f2")
        assert not sidebar.display


async def test_views_load_and_save(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        assert isinstance(app.screen, ViewsScreen)
        await pilot.press("enter")  # the first: failed in the last hour
        await settle(app, pilot)
        assert app.session.query_text == "failed since:1h"
        assert all(r.failed for r in rows(app))
        # A view that needs a value fills the bar and waits.
        await pilot.press("v", "down", "enter")
        await pilot.pause()
        assert app.query_one(QueryBar).text == "failed user:"
        assert app.query_one(QueryBar).input.has_focus
        await pilot.press("escape")
        await settle(app, pilot)
        await type_query(pilot, "toolkit:github")
        await pilot.press("v", "s", *"gh", "enter")
        await pilot.pause()
        assert [(v.name, v.query) for v in user_views()] == [("gh", "toolkit:github")]
        await pilot.press("escape")


async def test_a_saved_view_is_in_the_command_palette(app_factory):
    save_view("github only", "toolkit:github")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"github only")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.session.query_text == "toolkit:github"
        assert rows(app) and all(r.toolkit == "github" for r in rows(app))


async def test_the_last_query_is_restored_unless_one_is_given(demo_server):
    app = ToolwatchApp(settings_for(demo_server), clock=fixed_clock, poll_on_interval=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await type_query(pilot, "failed")
    again = ToolwatchApp(settings_for(demo_server), clock=fixed_clock, poll_on_interval=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        assert again.query_one(QueryBar).text == "failed"
        assert rows(again) and all(r.failed for r in rows(again))
    given = ToolwatchApp(
        settings_for(demo_server, query_text="toolkit:slack"),
        clock=fixed_clock,
        poll_on_interval=False,
    )
    async with given.run_test(size=(120, 40)) as pilot:
        await settle(given, pilot)
        assert given.query_one(QueryBar).text == "toolkit:slack"
        assert all(r.toolkit == "slack" for r in rows(given))


async def test_a_last_query_that_no_longer_parses_waits_in_the_bar_unapplied(demo_server):
    remember_query("failed since:banana")  # as if a later version read it another way
    app = ToolwatchApp(settings_for(demo_server), clock=fixed_clock, poll_on_interval=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.query_one(QueryBar).text == "failed since:banana"
        assert app.session.query_text == ""  # nothing applied: every log is listed
        assert rows(app) and not all(r.failed for r in rows(app))
        await screen_showing(app, pilot, "as a time in since:banana")  # the bar says why


async def test_words_highlight_locally_and_n_jumps(app_factory, demo_server):
    for n in range(3):
        demo_server.add_log(message=f"upstream timeout number {n}")
    app = app_factory()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        requests_before = len(demo_server.requests)
        await type_query(pilot, "TIMEOUT")
        assert len(demo_server.requests) == requests_before  # words never reach the server
        table = app.query_one(LogTable)
        assert table.words == ("TIMEOUT",)
        newest = table.render_line(1)
        assert any("timeout" in seg.text and seg.style.bgcolor for seg in newest)
        await pilot.press("n")
        first = table.cursor_row
        assert "timeout" in table.selected.message
        await pilot.press("n")
        assert table.cursor_row > first and "timeout" in table.selected.message
        await pilot.press("N")
        assert table.cursor_row == first


async def test_answers_for_an_old_query_never_reach_the_new_table(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        demo_server.set_fault_plan(FaultPlan(slow_rate=1.0, slow_s=0.4))
        app.session.store.clear()
        app.query_one(LogTable).rows_reset()
        app.session.tail.head_ms = None  # the next poll reads a whole page, slowly
        app.poll_now()
        await pilot.pause(0.05)
        demo_server.set_fault_plan(None)
        await type_query(pilot, "failed")
        await settle(app, pilot)
        assert rows(app) and all(r.failed for r in rows(app))


async def test_the_bar_completes_fields_and_values_seen(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        bar = app.query_one(QueryBar)
        toolkits = {r.toolkit for r in rows(app)}
        tools = {r.tool for r in rows(app) if r.toolkit == "gmail"}
        assert "gmail" in toolkits and tools
        await pilot.press("slash", *"failed toolk")
        await settle(app, pilot)
        await pilot.press("tab")  # a field name
        assert bar.text == "failed toolkit:"
        await pilot.press(*"gm")
        await settle(app, pilot)
        await pilot.press("tab")  # a value seen in the loaded logs
        assert bar.text == "failed toolkit:gmail"
        await pilot.press("space", *"tool:GMAIL_")
        await settle(app, pilot)
        await pilot.press("tab")
        assert bar.text.startswith("failed toolkit:gmail tool:GMAIL_")
        assert bar.text.removeprefix("failed toolkit:gmail tool:") in tools
