"""Issue 16, alerts on screen: a firing rule's banner stays until x acknowledges it, the
bell rings and a desktop notification (OSC 9 and 777, through tmux) is sent; `a` lists
the rules and when they fired and resolved, snoozes one, shows a rule's logs; the
palette's "Add an alert rule…" checks the rule and saves it to config.toml."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from tests.clock import FIXED_NOW_MS
from tests.tui.pilot import screen_showing, settle
from tui.locations import config_path
from tui.rules.config import rules_from_config
from tui.ui.screens.alerts import AddRuleScreen, AlertsScreen
from tui.ui.widgets.alert_banner import AlertBanner

ANY_FAILURE = '[[rules]]\nname = "any failure"\nwhen = "failed"\n'


def write_config(text: str) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(text, encoding="utf-8")


def watched(app, monkeypatch) -> tuple[list[str], list[str]]:
    """What the bell and the terminal were sent (a headless app writes neither)."""
    bells: list[str] = []
    written: list[str] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append("bell"))
    monkeypatch.setattr(app, "_write_to_terminal", written.append)
    return bells, written


async def test_a_firing_rule_rings_notifies_and_stays_until_acknowledged(app_factory, monkeypatch):
    write_config(ANY_FAILURE)
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1,0")
    app = app_factory()
    bells, written = watched(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        banner = app.query_one(AlertBanner)
        assert banner.display and [e.rule for e in banner.episodes] == ["any failure"]
        await screen_showing(app, pilot, "any failure", "since 10:25:00", "x acknowledges")
        assert bells == ["bell"] and len(written) == 1
        assert written[0].startswith("\x1bPtmux;\x1b\x1b]9;toolwatch: ▲ any failure")
        assert "\x1b\x1b]777;notify;toolwatch;▲ any failure" in written[0]
        await pilot.press("x")
        await pilot.pause()
        assert not banner.display


async def test_the_blind_source_is_an_alert_on_screen(app_factory, monkeypatch):
    app = app_factory()
    watched(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rules = app.session.watching.rules
        rules.source_failed(FIXED_NOW_MS, "the server answered 503")
        rules.source_failed(FIXED_NOW_MS + 61_000, "the server answered 503")
        await pilot.pause()
        await screen_showing(app, pilot, "source", "the source has been failing 61s")


async def test_the_alerts_panel_lists_snoozes_and_shows_a_rules_logs(app_factory, monkeypatch):
    write_config(ANY_FAILURE)
    app = app_factory()
    watched(app, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AlertsScreen)
        await screen_showing(app, pilot, "firing since 10:25:00")
        history = app.screen.query_one("#alerts-history", DataTable)
        assert history.row_count == 1
        await pilot.press("s")
        await screen_showing(app, pilot, "snoozed until 10:55:00")
        assert app.session.watching.rules.snoozed_until("any failure") == FIXED_NOW_MS + 30 * 60_000
        await pilot.press("s")
        await pilot.pause()
        assert app.session.watching.rules.snoozed_until("any failure") is None
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, AlertsScreen)
        assert app.session.query_text == "failed"
        assert all(row.failed for row in app.session.store.rows(0, len(app.session.store)))


async def test_add_rule_checks_the_text_and_saves_it(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"add an alert")
        await screen_showing(app, pilot, "saved to config.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AddRuleScreen)
        field = app.screen.query_one(Input)
        field.value = "slow: p95 > soon over 5m"
        await pilot.press("enter")
        await screen_showing(app, pilot, "compares a duration in soon", "^^^^")
        assert isinstance(app.screen, AddRuleScreen) and not config_path().exists()
        field.value = "gmail failing: toolkit:gmail failed >= 5 in 1m"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, AddRuleScreen)
        saved = rules_from_config()
        assert [(r.name, r.text) for r in saved] == [
            ("gmail failing", "toolkit:gmail failed >= 5 in 1m")
        ]
        assert [r.name for r in app.session.watching.rules.rules] == ["gmail failing"]
