"""Issue 14, a small thing: F1 listed keys that do nothing where it was opened ("← Scroll
Left", "^pgdn Page Right" on a table that cannot scroll sideways)."""

from __future__ import annotations

import pytest

from tests.tui.pilot import screen_showing, settle
from tui.ui.widgets.json_view import JsonView

NOTHING_HERE = ("Scroll Left", "Scroll Right", "Page Left", "Page Right")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_f1_on_the_table_lists_only_keys_that_work_there(app_factory, size):
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        shown = await screen_showing(app, pilot, "Follow", "Oldest")
        assert not [words for words in NOTHING_HERE if words in shown]


async def test_f1_in_the_query_bar_lists_no_scrolling_a_one_line_field_cannot_do(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "f1")
        shown = await screen_showing(app, pilot, "Cancel edit")
        assert not [words for words in (*NOTHING_HERE, "Scroll Up", "Page Up") if words in shown]


async def test_f1_lists_the_sideways_keys_exactly_where_they_scroll(app_factory):
    # A detail's JSON is often wider than its room: there ← and → do scroll it.
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("home", "enter")
        await settle(app, pilot)
        await pilot.press("3", "tab", "tab", "f1")
        shown = await screen_showing(app, pilot, "Fold")
        view = app.focused
        assert isinstance(view, JsonView)
        assert ("Scroll Left" in shown) == (view.max_scroll_x > 0)
