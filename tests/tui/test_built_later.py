"""Pilot tests for issue 15 ("first rows on screen"): the filter sidebar and the detail
pane, hidden at 120x40, compose their children only when first shown or once the first
rows are drawn; what the screen asks of them before that is shown when they are."""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from textual.widgets import Input, RadioButton

from tests.integration.test_cli import run_python
from tests.tui.pilot import built, screen_showing, settle
from tests.tui.test_query_and_sidebar import type_query
from tests.tui.test_source_switch import buddy_server, configured, kind_words, pick
from tui.ui.app import ToolwatchApp
from tui.ui.screens.main import MainScreen
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.filter_sidebar import FilterSidebar
from tui.ui.widgets.json_view import JsonView
from tui.ui.widgets.keys_footer import KeysFooter

__all__ = ["buddy_server", "configured"]  # fixtures of the source switch's tests


@pytest.fixture
def not_built_at_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen does not build the hidden widgets once the rows are drawn: only their
    first showing does (so a test sees them before they are built)."""
    monkeypatch.setattr(MainScreen, "_build_hidden", lambda screen: None)


@pytest.fixture
async def unbuilt(
    app_factory: Any, not_built_at_idle: None
) -> AsyncIterator[tuple[ToolwatchApp, Any]]:
    """The app at 120x40 with its rows, the sidebar and the pane hidden and not built."""
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert len(app.session.store) > 0
        yield app, pilot


def parts(app: ToolwatchApp) -> tuple[FilterSidebar, DetailPane]:
    return app.query_one(FilterSidebar), app.query_one(DetailPane)


async def test_hidden_widgets_have_no_children_until_shown(unbuilt):
    app, pilot = unbuilt
    sidebar, pane = parts(app)
    assert not sidebar.display and not pane.display
    assert not sidebar.children and not sidebar.built
    assert not pane.children and not pane.built
    await pilot.press("f2")
    await built(app, pilot, sidebar)
    assert sidebar.display and sidebar.query_one("#side-status")
    assert not pane.children  # the pane still waits for its first opening


async def test_both_are_built_once_the_first_rows_are_drawn(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        sidebar, pane = parts(app)
        await built(app, pilot, sidebar, pane)
        assert not sidebar.display and not pane.display
        assert sidebar.query_one("#side-toolkit", Input).value == ""
        assert pane.query_one("#detail-json", JsonView)


def screen_lines(app: ToolwatchApp) -> list[str]:
    """The screen's text, line by line."""
    lines: dict[int, str] = {}
    for found in LINE_TEXT.finditer(app.export_screenshot()):
        row = int(found.group(1))
        lines[row] = lines.get(row, "") + html.unescape(found.group(2)).replace("\xa0", " ")
    return [lines[row] for row in sorted(lines)]


LINE_TEXT = re.compile(r'<text [^>]*clip-path="url\(#terminal-\d+-line-(\d+)\)">(.*?)</text>')


async def newest_opened(app: ToolwatchApp, pilot: Any, tab: str) -> list[str]:
    """Enter on the newest row, then ``tab``'s key: the screen once it is all drawn."""
    await pilot.press("home", "enter", tab)
    await built(app, pilot, app.query_one(DetailPane))
    await settle(app, pilot)  # the JSON views lay out in threads, then post
    return screen_lines(app)


@pytest.mark.parametrize("tab", ["1", "3"])
async def test_a_row_opened_before_the_pane_is_built_shows_what_it_did(
    app_factory, monkeypatch, tab
):
    """Right after start, Enter shows the very screen it shows once the pane is built."""
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await built(app, pilot, app.query_one(DetailPane))
        expected = await newest_opened(app, pilot, tab)
    monkeypatch.setattr(MainScreen, "_build_hidden", lambda screen: None)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(DetailPane)
        assert not pane.children
        newest = app.session.store.rows(0, 1)[0]
        assert await newest_opened(app, pilot, tab) == expected
        assert pane.call is not None and pane.call.log_id == newest.id
        assert any(f'"id": "{newest.id}"' in line for line in expected) == (tab == "3")
        pane.action_close()
        await settle(app, pilot)
        assert not pane.display


async def test_a_query_typed_before_the_sidebar_is_built_shows_in_it(unbuilt):
    app, pilot = unbuilt
    sidebar, _ = parts(app)
    await type_query(pilot, "failed toolkit:gmail since:1h")
    assert not sidebar.children  # the query was kept, not drawn
    await pilot.press("f2")
    await built(app, pilot, sidebar)
    assert sidebar.query_one("#side-toolkit", Input).value == "gmail"
    lit = [str(b.label) for b in sidebar.query(RadioButton) if b.value]
    assert lit == ["failed", "last 1h"]
    # The controls say the applied query: drawing them applied nothing new.
    assert app.session.query_text == "failed toolkit:gmail since:1h"


async def test_a_source_switched_before_the_sidebar_is_built_names_its_fields(
    app_factory, configured, not_built_at_idle
):
    app = app_factory()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await pick(app, pilot, "ci")
        await screen_showing(app, pilot, "ci · buddy · acme/agents")
        sidebar, _ = parts(app)
        assert not sidebar.children
        await pilot.press("f2")
        await built(app, pilot, sidebar)
        assert kind_words(app)[2] == "Pipeline"
        assert not sidebar.query_one("#side-toolkit").display
        assert sidebar.query_one("#side-pipeline").display


async def test_the_footer_is_composed_again_only_when_its_keys_change(app_factory):
    """A change of bindings that leaves the keys as they were does not compose the
    footer again (at start, three of them delayed the first rows); a real change does."""
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await built(app, pilot, *parts(app))
        footer = app.query_one(KeysFooter)
        keys = list(footer.children)
        assert keys
        app.screen.refresh_bindings()
        await settle(app, pilot)
        assert list(footer.children) == keys  # the very same widgets
        await pilot.press("slash")  # the bar has the focus: its keys
        await settle(app, pilot)
        assert list(footer.children) != keys
        await screen_showing(app, pilot, "Cancel")


# Imported when first used, not with the app or for its first rows: the secondary
# screens (the copy viewer pulls in TextArea), tomlkit (only for writing config.toml),
# what the detail pane's tabs are made of (the call model, the JSON, timeline and log
# views, Textual's tabs), what the copy and export keys build with, and what reads a
# config.toml or a named zone. Together they were a tenth of the start-up (issue 15).
LATER = (
    "tomlkit", "tomllib", "zoneinfo", "tui.ui.screens.stats", "tui.ui.screens.alerts",
    "tui.ui.screens.diff", "tui.ui.screens.views", "tui.ui.screens.sources",
    "tui.ui.screens.copied", "textual.widgets._text_area", "tui.models.call", "tui.curl",
    "tui.export", "tui.diff", "tui.ui.buddy_copy", "tui.ui.widgets.json_view",
    "tui.ui.widgets.timeline", "tui.ui.widgets.action_log", "tui.ui.widgets.buddy_summary",
    "textual.widgets._tabbed_content",
)  # fmt: skip
LOADED_LATER = (
    f"later = {LATER!r}\n"
    "print(sorted(m for m in sys.modules if m.split('.')[0] in later or m in later))\n"
)


def test_the_screen_imports_no_module_its_first_frame_does_not_need():
    code = "import sys\nimport tui.cli.main, tui.cli.screen_cmd, tui.ui.app\n" + LOADED_LATER
    assert run_python(code) == "[]"


def test_the_first_rows_of_a_file_import_none_of_them_either(demo_server, tmp_path):
    """Nor does showing a file's first rows (the pane and sidebar stay unbuilt), which
    draws the query into the pane and the sidebar that will show it."""
    path = tmp_path / "logs.jsonl"
    rows = [demo_server.add_log(status="failed") for _ in range(5)]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    code = (
        "import asyncio, sys\n"
        "from tui.cli.main import COMMANDS\n"
        "from tui.cli.parser import parse_args\n"
        "from tui.cli.settings import settings_from_flags\n"
        "from tui.sources.open import open_source\n"
        "from tui.ui.app import ToolwatchApp\n"
        "from tui.ui.screens.main import MainScreen\n"
        "MainScreen._build_hidden = lambda screen: None\n"
        f"args = parse_args(['--file', {str(path)!r}], COMMANDS)\n"
        "async def main():\n"
        "    with settings_from_flags(args, 2.0, 5.0, query_text='failed') as settings:\n"
        "        source = open_source(settings, for_screen=True)\n"
        "        app = ToolwatchApp(settings, source=source, poll_on_interval=False)\n"
        "        async with app.run_test(size=(120, 40)) as pilot:\n"
        "            for _ in range(500):\n"
        "                if app.session.store.oldest_ms is not None: break\n"
        "                await asyncio.sleep(0.01)\n"
        "            await pilot.pause()\n"
        "            assert len(app.session.store), 'no rows'\n"
        + "            "
        + LOADED_LATER.replace("\n", "\n            ").rstrip()
        + "\n"
        "asyncio.run(main())\n"
    )
    env = {
        **os.environ,
        "TOOLWATCH_STATE_DIR": str(tmp_path),
        "TOOLWATCH_CONFIG_DIR": str(tmp_path),
    }
    assert run_python(code, env=env) == "[]"
