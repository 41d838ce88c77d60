"""Pilot tests for issue 14 (items 1, 2, 3 and the small things of the bar and sidebar):
the sidebar, the bar and the title always show the one applied query."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.widgets import Input, RadioButton, RadioSet

from tests.tui.pilot import built, screen_showing, settle
from tui.ui.app import ToolwatchApp
from tui.ui.widgets.filter_sidebar import FilterSidebar
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar
from tui.ui.widgets.status_line import StatusLine
from tui.ui.widgets.title_bar import TitleBar


@asynccontextmanager
async def started(app_factory, size=(120, 40)) -> AsyncIterator[tuple[ToolwatchApp, Any]]:
    """The app at ``size``, its first page loaded and the sidebar built (the tests type in
    its fields, hidden or not: settled alone, a loaded machine left it unbuilt)."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await built(app, pilot, app.query_one(FilterSidebar))
        yield app, pilot


def lit(app: ToolwatchApp, radio_set: str) -> list[str]:
    """The labels of the buttons on in a sidebar radio set."""
    buttons = app.query_one(FilterSidebar).query_one(radio_set, RadioSet).query(RadioButton)
    return [str(button.label) for button in buttons if button.value]


def lit_both(app: ToolwatchApp) -> tuple[list[str], list[str]]:
    return lit(app, "#side-status"), lit(app, "#side-time")


def title(app: ToolwatchApp) -> str:
    return str(app.query_one(TitleBar).render())


def status(app: ToolwatchApp) -> str:
    return str(app.query_one(StatusLine).render())


async def press_option(pilot, radio_set: str, label: str, key: str) -> None:
    """Focus a sidebar radio set, move its highlight down to ``label``, press ``key``."""
    app = pilot.app
    app.query_one(radio_set).focus()
    buttons = list(app.query_one(radio_set, RadioSet).query(RadioButton))
    for _ in buttons:
        highlighted = [str(b.label) for b in buttons if b.has_class("-selected")]
        if highlighted == [label]:
            break
        await pilot.press("down")
    else:
        raise AssertionError(f"{label!r} was never highlighted")
    await pilot.press(key)
    await settle(app, pilot)


async def type_query(pilot, text: str) -> None:
    """/ from the table, clear the bar, type ``text`` key by key, Enter."""
    await pilot.press("slash")
    pilot.app.query_one(QueryBar).input.value = ""
    await pilot.press(*text, "enter")
    await settle(pilot.app, pilot)


async def test_escape_after_a_query_leaves_one_status_lit_and_a_press_applies(app_factory):
    """Item 1: ``/failed⏎``, ``Esc``: only "any" is lit; moving to "failed" and Space
    applies it (the title says so)."""
    async with started(app_factory) as (app, pilot):
        await type_query(pilot, "failed")
        assert lit(app, "#side-status") == ["failed"]
        await pilot.press("escape")  # on the table: clear the query
        await settle(app, pilot)
        assert lit(app, "#side-status") == ["any"]
        await press_option(pilot, "#side-status", "failed", "space")
        assert app.session.query_text == "failed"
        assert "failed" in title(app)
        assert lit(app, "#side-status") == ["failed"]


async def test_time_presets_never_have_two_lit(app_factory):
    """Item 1: the README screenshot's "all time" and "last 1h" lit together."""
    async with started(app_factory) as (app, pilot):
        await type_query(pilot, "failed since:1h")
        assert lit_both(app) == (["failed"], ["last 1h"])
        await type_query(pilot, "since:15m")
        assert lit_both(app) == (["any"], ["last 15m"])
        await pilot.press("escape")
        await settle(app, pilot)
        assert lit_both(app) == (["any"], ["all time"])
        # A view loaded from the views screen is shown too.
        await pilot.press("v", "enter")  # failed in the last hour
        await settle(app, pilot)
        assert (app.session.query_text, lit_both(app)) == (
            "failed since:1h",
            (["failed"], ["last 1h"]),
        )
        # Pressing the preset already lit asks nothing new of the server.
        generation = app.session.generation
        await press_option(pilot, "#side-time", "last 1h", "enter")
        assert app.session.generation == generation
        assert lit(app, "#side-time") == ["last 1h"]


async def test_escape_in_the_bar_cancels_the_edit(app_factory):
    """Item 2: ``/failed⏎``, ``/``, `` tool:``, ``Esc``: the applied query stays."""
    async with started(app_factory) as (app, pilot):
        await type_query(pilot, "failed")
        generation = app.session.generation
        await pilot.press("slash", "end", *" tool:", "escape")
        await settle(app, pilot)
        bar = app.query_one(QueryBar)
        assert bar.text == "failed"
        assert not bar.has_class("-error")
        assert app.session.query_text == "failed"
        assert app.session.generation == generation  # nothing was started again
        assert "failed" in title(app)
        assert app.query_one(LogTable).has_focus
        await pilot.press("escape")  # on the table: clears
        await settle(app, pilot)
        assert app.session.query_text == "" and bar.text == ""
        assert "all tool executions" in title(app)


async def test_a_query_applied_while_paused_shows_its_first_page(app_factory):
    """Item 3: ``p``, then a query: its first page loads, and the app stays paused."""
    async with started(app_factory) as (app, pilot):
        await pilot.press("p")
        await type_query(pilot, "failed")
        store = app.session.store
        assert len(store) > 0
        assert all(row.failed for row in store.rows(0, len(store)))
        assert app.session.paused and app.session.status.state == "paused"
        assert "paused" in status(app) and "first page of the new query" in status(app)
        assert "waiting for the first answer" not in await screen_showing(app, pilot, "failed")
        polls = len(app.session.store)
        await type_query(pilot, "failed toolkit:gmail")
        assert 0 < len(app.session.store) <= polls
        await pilot.press("p")  # resume: the note goes
        await settle(app, pilot)
        assert not app.session.paused
        assert "first page of the new query" not in status(app)


async def test_sidebar_fields_complete_from_seen_values(app_factory):
    """Small thing: typing "gm" in the toolkit field and Enter applies ``toolkit:gmail``."""
    async with started(app_factory) as (app, pilot):
        assert "gmail" in app.session.seen_values["toolkit_slug"]
        app.query_one("#side-toolkit", Input).focus()
        await pilot.press("g", "m")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.session.query_text == "toolkit:gmail"
        store = app.session.store
        assert len(store) and all(row.toolkit == "gmail" for row in store.rows(0, len(store)))
        assert app.query_one("#side-toolkit", Input).value == "gmail"


async def test_escape_in_a_sidebar_field_cancels_its_edit(app_factory):
    """Esc in a field is the bar's Esc: the applied query stays (it does not clear it)."""
    async with started(app_factory) as (app, pilot):
        await type_query(pilot, "failed toolkit:gmail")
        field = app.query_one("#side-toolkit", Input)
        field.focus()
        await pilot.press("end", *"-draft", "escape")
        await settle(app, pilot)
        assert field.value == "gmail"
        assert app.session.query_text == "failed toolkit:gmail"
        assert app.query_one(LogTable).has_focus
        # Tab takes the completion, as in the bar; with none it moves on.
        field.value = ""
        field.focus()
        await pilot.press("s", "l", "tab")
        assert field.value == "slack" and field.has_focus
        await pilot.press("tab")
        assert not field.has_focus


async def test_the_placeholder_reads_as_an_example(app_factory):
    async with started(app_factory) as (app, pilot):
        shown = await screen_showing(app, pilot, "e.g.")
        assert "type a query, e.g." in shown and "F1" in shown
