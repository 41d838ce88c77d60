"""Pilot tests: switching named sources on screen (issue 17 §7), between a Composio demo
and a Buddy demo on real loopback sockets, with s and with the palette; a source whose
variable is unset is named and the screen keeps its rows; a late answer of the old source
changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from textual.widgets import Label, OptionList

from tests.clock import fixed_clock
from tests.tui.pilot import built, screen_showing, settle, toasts
from tui.demo.buddy_server import BuddyDemoServer
from tui.locations import config_path
from tui.models.entry import LogEntry
from tui.tail import TailBatch
from tui.ui.app import ToolwatchApp
from tui.ui.messages import LogsArrived
from tui.ui.screens.sources import SourcesScreen
from tui.ui.widgets.filter_sidebar import FilterSidebar
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar
from tui.ui.widgets.status_line import StatusLine
from tui.ui.widgets.title_bar import TitleBar

TOKEN_ENV = "TW_TEST_CI_TOKEN"
MISSING_ENV = "TW_TEST_STAGING_KEY"


@pytest.fixture
def buddy_server() -> Iterator[BuddyDemoServer]:
    with BuddyDemoServer(seed=5, rate=0, prefill=12, clock=fixed_clock) as server:
        yield server


@pytest.fixture
def configured(buddy_server: BuddyDemoServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """config.toml (the test's private one) with a Buddy source and one whose key is unset."""
    monkeypatch.setenv(TOKEN_ENV, buddy_server.token)
    monkeypatch.delenv(MISSING_ENV, raising=False)
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'[sources.ci]\nkind = "buddy"\ntoken_env = "{TOKEN_ENV}"\n'
        f'base_url = "{buddy_server.url}"\nworkspace = "acme"\nproject = "agents"\n\n'
        f'[sources.staging]\nkind = "composio"\nkey_env = "{MISSING_ENV}"\n'
        'base_url = "https://staging.example.test"\n'
    )


@pytest.fixture
async def started(app_factory: Any, configured: None) -> AsyncIterator[tuple[ToolwatchApp, Any]]:
    """The app on the Composio demo at 120x40, "failed" applied, its rows loaded and the
    sidebar built (``kind_words`` reads its fields)."""
    app = app_factory()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        assert app.apply_text("failed")
        await settle(app, pilot)
        assert len(app.session.store) > 0
        await built(app, pilot, app.query_one(FilterSidebar))
        yield app, pilot


def row_ids(app: ToolwatchApp) -> list[str]:
    store = app.session.store
    return [row.id for row in store.rows(0, len(store))]


def last_toast(app: ToolwatchApp) -> str:
    return [n.message for n in toasts(app)][-1]


def title(app: ToolwatchApp) -> str:
    return str(app.query_one(TitleBar).render())


def status(app: ToolwatchApp) -> str:
    return str(app.query_one(StatusLine).render())


async def pick(app: ToolwatchApp, pilot: Any, name: str) -> None:
    """s, then the arrow keys to ``name``'s row, then Enter."""
    await pilot.press("s")
    await screen_showing(app, pilot, "Sources: Enter switches")
    screen = app.screen
    assert isinstance(screen, SourcesScreen)
    names = [choice.name for choice in screen.choices]
    here = next(n for n, choice in enumerate(screen.choices) if choice.current)
    steps = names.index(name) - here
    for _ in range(abs(steps)):
        await pilot.press("down" if steps > 0 else "up")
    await pilot.press("enter")
    await settle(app, pilot)


async def test_switching_to_buddy_and_back_restores_the_first_query(started):
    app, pilot = started
    composio_ids = row_ids(app)
    await pick(app, pilot, "ci")
    assert not isinstance(app.screen, SourcesScreen)
    await screen_showing(app, pilot, "ci · buddy · acme/agents")
    ids = row_ids(app)
    # Buddy's rows (pipeline/run/action ids), none of the Composio demo's.
    assert ids and all(row_id.count("/") == 2 for row_id in ids)
    assert not set(ids) & set(composio_ids)
    assert "ci · buddy · acme/agents" in title(app) and "ci · buddy" in status(app)
    # Another kind of source: the Composio query is not carried over.
    assert app.session.query_text == "" and app.query_one(QueryBar).input.value == ""
    # and the screen speaks Buddy's words: the columns, the bar's example, the sidebar.
    assert kind_words(app) == (("PIPELINE", "ACTION", "BY"), "pipeline:", "Pipeline")

    await pick(app, pilot, "launch")
    await screen_showing(app, pilot, "launch · composio · 127.0.0.1")
    assert app.session.query_text == "failed"
    assert app.query_one(QueryBar).input.value == "failed"
    assert "failed" in title(app)
    back = row_ids(app)
    assert back and all("/" not in row_id for row_id in back)
    assert set(back) == set(composio_ids)
    assert kind_words(app) == (("TOOLKIT", "TOOL", "USER"), "toolkit:", "Toolkit")


def kind_words(app: ToolwatchApp) -> tuple[tuple[str, ...], str, str]:
    """The columns' names for toolkit, tool and user, the field the bar's example names
    first, and the sidebar's first field shown."""
    titles = app.query_one(LogTable).titles
    bar = app.query_one(QueryBar).input.placeholder
    example = next(word for word in bar.split() if ":" in word)
    sidebar = app.query_one(FilterSidebar)
    shown = [label for label in sidebar.query(Label) if label.display and label.has_class]
    fields = [
        str(label.render()) for label in shown if any(c.startswith("side-") for c in label.classes)
    ]
    return (
        (titles["toolkit"], titles["tool"], titles["user"]),
        example.split(":")[0] + ":",
        fields[0],
    )


async def test_the_picker_marks_the_current_source_and_esc_changes_nothing(started):
    app, pilot = started
    before = row_ids(app)
    await pilot.press("s")
    await screen_showing(app, pilot, "Sources: Enter switches", "staging.example.test")
    listed = app.screen.query_one(OptionList)
    rows = [str(listed.get_option_at_index(n).prompt) for n in range(listed.option_count)]
    assert rows[0].startswith("● launch  composio · 127.0.0.1:") and rows[0].endswith("(current)")
    assert rows[1:] == ["  ci  buddy · acme/agents", "  staging  composio · staging.example.test"]
    assert listed.highlighted == 0
    await pilot.press("escape")
    await settle(app, pilot)
    assert not isinstance(app.screen, SourcesScreen) and row_ids(app) == before


async def test_a_missing_variable_is_named_and_the_rows_stay(started):
    app, pilot = started
    before, source, generation = row_ids(app), app.session.source, app.session.generation
    await pick(app, pilot, "staging")
    await screen_showing(app, pilot, MISSING_ENV)
    assert last_toast(app) == (
        f"{MISSING_ENV} is not set: export it, then switch again. Still watching launch."
    )
    assert row_ids(app) == before and app.session.source is source
    assert app.session.generation == generation and app.session.query_text == "failed"
    assert "staging" not in title(app)
    assert buddy_token_never_shown(app)


def buddy_token_never_shown(app: ToolwatchApp) -> bool:
    import os

    return os.environ[TOKEN_ENV] not in app.export_screenshot()


async def test_a_bad_config_toml_is_said_when_the_picker_opens(started):
    app, pilot = started
    config_path().write_text('[sources.ci]\nkind = "gitlab"\n')
    await pilot.press("s")
    await screen_showing(app, pilot, "Sources: Enter switches")
    problem = str(app.screen.query_one("#sources-problem", Label).render())
    assert "[sources.ci] kind must be one of composio, buddy, not 'gitlab'" in problem
    assert problem.endswith("Only the launch source is listed.")
    assert [choice.name for choice in app.screen.choices] == ["launch"]  # type: ignore[attr-defined]


async def test_the_palette_switches_source(started):
    app, pilot = started
    await pilot.press("ctrl+p", *"switch source: ci")
    await screen_showing(app, pilot, "ci · buddy · acme/agents")
    await pilot.press("enter")
    await settle(app, pilot)
    assert last_toast(app) == "Watching ci · buddy · acme/agents."
    assert app.session.sources.current.name == "ci"
    assert buddy_token_never_shown(app)


async def test_a_late_answer_from_the_old_source_changes_nothing(started):
    app, pilot = started
    old_generation = app.session.generation
    await pick(app, pilot, "ci")
    ids = row_ids(app)
    late = LogEntry(id="log_late_from_composio", timestamp_ms=1, status="error")
    app.post_message(LogsArrived(TailBatch([late], polled_at=0.0), "poll", old_generation))
    await settle(app, pilot)
    assert row_ids(app) == ids and "log_late_from_composio" not in ids


async def test_the_title_stays_readable_at_80_columns(app_factory, configured):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pick(app, pilot, "ci")
        text = title(app)
        # The source by its name alone, so that the query keeps the room.
        assert text.startswith("toolwatch · ci · all action executions") and "buddy" not in text
        assert "loaded" in text and len(text) <= 80


async def test_a_switch_from_the_palette_over_the_stats_screen_closes_it(started):
    from tui.ui.screens.stats import StatsScreen

    app, pilot = started
    await pilot.press("S")
    await settle(app, pilot)
    assert isinstance(app.screen, StatsScreen)
    await pilot.press("ctrl+p", *"switch source: ci")
    await screen_showing(app, pilot, "ci · buddy · acme/agents")
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.screen is app.main_screen and app.session.sources.current.name == "ci"
