"""Keys that arrive in one read (a laggy SSH link) never take the screen down.

Each test does what a key handled before the screen caught up does: an option chosen
twice before its screen has closed, a page key before the palette's list is laid out."""

from __future__ import annotations

from types import SimpleNamespace

from tests.tui.pilot import settle
from tui.ui.screens.main import MainScreen
from tui.ui.screens.views import ViewsScreen


async def test_a_view_picked_twice_before_the_screen_closes_pops_it_once(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        views = app.screen
        assert isinstance(views, ViewsScreen)
        # v Enter Enter in one read: the option is selected twice before the pop happens.
        selected = SimpleNamespace(option_index=0)
        views.on_option_list_option_selected(selected)  # type: ignore[arg-type]
        views.on_option_list_option_selected(selected)  # type: ignore[arg-type]
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert app.session.query_text == "failed since:1h"  # the view was applied, once


async def test_the_palette_in_a_terminal_four_rows_high(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 4)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", "pagedown", "down", "pageup")
        await pilot.pause()
        assert app.is_running


async def test_a_query_typed_in_the_same_read_as_slash_goes_into_the_bar(app_factory):
    from textual import events

    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        # "/failed⏎" in one read: every key is queued before the first is handled.
        for key, char in [("slash", "/"), *((c, c) for c in "failed"), ("enter", "\r")]:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)  # type: ignore[union-attr]
        await settle(app, pilot)
        assert app.session.query_text == "failed"
        assert not app.main_screen.detail.display  # Enter applied the query, opened nothing
        # In the bar, "/" and ":" are text.
        await pilot.press("slash", "end", "space", *"since:1h/x")
        assert app.main_screen.bar.input.value == "failed since:1h/x"
