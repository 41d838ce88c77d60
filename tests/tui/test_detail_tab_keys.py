"""Issue 14 item 10: the detail tabs were hard to reach (Tab moves focus, ←/→ change tabs).
1-4 pick a tab whenever the pane is open and no text field has focus; typed in the query
bar, digits are text."""

from __future__ import annotations

from textual.widgets import TabbedContent

from tests.tui.pilot import settle
from tests.tui.test_detail_pane import open_newest
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar


def active(app) -> str:
    return app.query_one(TabbedContent).active


async def test_number_keys_pick_the_tabs_from_the_table_and_from_the_pane(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest(app, pilot)
        assert app.query_one(LogTable).has_focus and active(app) == "tab-summary"
        for key, tab in (("2", "tab-timeline"), ("3", "tab-json"), ("4", "tab-io")):
            await pilot.press(key)
            await pilot.pause()
            assert active(app) == tab, key
        await pilot.press("tab")  # into the pane: the keys still pick tabs there
        await pilot.pause()
        assert not app.query_one(LogTable).has_focus
        await pilot.press("1")
        await pilot.pause()
        assert active(app) == "tab-summary"
        await pilot.press("2")
        await pilot.pause()
        assert active(app) == "tab-timeline"


async def test_digits_typed_in_the_query_bar_stay_text(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_newest(app, pilot)
        await pilot.press("slash", *"since:15m")
        await pilot.pause()
        assert app.query_one(QueryBar).input.value.endswith("since:15m")
        assert active(app) == "tab-summary"


async def test_with_the_pane_closed_the_keys_do_nothing_and_f1_does_not_list_them(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        assert not app.query_one("#detail-pane").display
        keys = {binding.key for _, binding, enabled, _ in app.active_bindings.values() if enabled}
        assert "2" not in keys
        await pilot.press("enter")
        await settle(app, pilot)
        keys = {binding.key for _, binding, enabled, _ in app.active_bindings.values() if enabled}
        assert {"1", "2", "3", "4"} <= keys
