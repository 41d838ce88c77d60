"""Issue 14, a small thing: the theme chosen in the palette is saved in config.toml (the
rest of the file kept as written) and applied at the next start."""

from __future__ import annotations

import time

from textual.command import CommandList

from tests.tui.pilot import SHOWING_TIMEOUT_S, settle, toasts
from tui.locations import config_path


async def first_hit(app, pilot, text: str) -> None:
    """Wait until the palette, which searches as it is typed in, lists ``text`` first."""
    deadline = time.monotonic() + SHOWING_TIMEOUT_S
    while True:
        hits = app.screen.query(CommandList)
        if hits and hits.first().option_count:
            option = hits.first().get_option_at_index(0)
            if text in str(option.prompt):
                return
        assert time.monotonic() < deadline, f"the palette never listed {text!r} first"
        await pilot.pause(0.05)


WRITTEN = '# mine\n[keymap]\n"copy.log_id" = "Y"  # Y, not y\n'


async def test_a_theme_picked_in_the_palette_is_saved_and_applied_next_time(app_factory):
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(WRITTEN, encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.theme != "nord"
        await pilot.press("ctrl+p")
        await pilot.press(*"theme")
        await first_hit(app, pilot, "Theme")
        await pilot.press("enter")  # the list of themes
        await pilot.press(*"nord")
        await first_hit(app, pilot, "nord")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.theme == "nord"
    text = config_path().read_text(encoding="utf-8")
    assert text == '# mine\ntheme = "nord"\n\n[keymap]\n"copy.log_id" = "Y"  # Y, not y\n'
    again = app_factory()
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        assert again.theme == "nord"


async def test_an_unknown_saved_theme_is_said_and_the_default_stays(app_factory):
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text('theme = "norde"\n', encoding="utf-8")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.theme == "textual-dark"
        said = [n.message for n in toasts(app)]
        assert any("theme 'norde' is not one toolwatch has" in m for m in said)
