"""Keys that arrive in one read (a laggy SSH link) never take the screen down.

Each test does what a key handled before the screen caught up does: a page key that
reaches the palette's list before it is laid out."""

from __future__ import annotations

from tests.tui.pilot import settle


async def test_the_palette_in_a_terminal_four_rows_high(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 4)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", "pagedown", "down", "pageup")
        await pilot.pause()
        assert app.is_running
