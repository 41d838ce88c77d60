"""Issue 14 item 9: a curl selected by hand from the toast did not run (the toast wrapped
its JSON and added "…"), and stacked toasts covered the status line. Toasts now say what
was copied, how big and where it is whole; `w` shows the last copy whole, unwrapped."""

from __future__ import annotations

import json

import pytest
from textual.widgets import TextArea
from textual.widgets._toast import Toast, ToastRack  # Textual exports neither

from tests.tui.pilot import settle
from tests.tui.test_copy_keys import last_toast, select_newest
from tui import clipboard
from tui.ui.screens.copied import CopiedScreen
from tui.ui.widgets.status_line import StatusLine


@pytest.fixture(autouse=True)
def no_native_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "has_local_display", lambda: False)


def body_of(curl: str) -> dict:
    return json.loads(curl.split("-d '", 1)[1].rsplit("'", 1)[0])


async def test_w_shows_the_copied_curl_with_its_json_exactly_as_copied(app_factory, demo_server):
    demo_server.add_log(
        tool_slug="GMAIL_SEND_EMAIL",
        version="20250905_00",
        user_id="alice",
        status="success",
        arguments={"to": "bob@example.com", "body": "line one, " * 30 + "and the end"},
    )
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await select_newest(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        copied = app.clipboard
        assert body_of(copied)["arguments"]["body"].endswith("and the end")
        toast = last_toast(app)
        # Short: what, how big, where it is whole; none of the command itself.
        assert toast.startswith("Copied re-run curl for GMAIL_SEND_EMAIL (")
        assert "W shows it whole" in toast
        assert "curl" not in toast.replace("re-run curl", "") and "line one" not in toast
        assert "…" not in toast

        await pilot.press("W")
        await pilot.pause()
        assert isinstance(app.screen, CopiedScreen)
        area = app.screen.query_one(TextArea)
        assert area.text == copied  # whole, byte for byte
        assert area.read_only and not area.soft_wrap  # selectable, never wrapped
        assert area.has_focus
        assert body_of(area.text) == body_of(copied)
        # The toast's demo key is in the viewer too (toasts would cover it: they go).
        assert "export COMPOSIO_API_KEY=" in str(app.screen.query_one("#copied-notes").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CopiedScreen)


async def test_shift_w_before_any_copy_says_what_copies(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("W")
        assert "Nothing copied yet" in last_toast(app)
        assert not isinstance(app.screen, CopiedScreen)


async def test_stacked_toasts_stay_above_the_status_line(app_factory, demo_server):
    demo_server.add_log(tool_slug="GMAIL_SEND_EMAIL", status="success")
    app = app_factory()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await select_newest(app, pilot)
        for key in ("y", "c", "C"):
            await pilot.press(key)
        await settle(app, pilot)
        await pilot.pause()
        status = app.query_one(StatusLine).region
        rack = app.screen.get_child_by_type(ToastRack)
        toasts = list(rack.query(Toast))
        assert len(toasts) == 3
        assert all(toast.region.bottom <= status.y for toast in toasts)
        # And the status line still reads in full on screen.
        assert "live" in app.export_screenshot()
