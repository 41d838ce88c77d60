"""Pilot tests for issue 6: each copy key puts the right text on the clipboard and says so,
the size cap, export, no key anywhere in what leaves, toasts that are never markup, and
keys that can be remapped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import HelpPanel

from tests.clock import FIXED_NOW_MS
from tests.tui.pilot import settle
from tests.tui.pilot import toasts as shown_toasts
from tui import clipboard
from tui.locations import ENV_EXPORT_DIR
from tui.query import LogQuery, parse_query
from tui.ui.widgets.log_table import LogTable


@pytest.fixture(autouse=True)
def no_native_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests' machine may have a display; what matters here is the OSC 52 path."""
    monkeypatch.setattr(clipboard, "has_local_display", lambda: False)


@pytest.fixture
def export_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(ENV_EXPORT_DIR, str(tmp_path))
    return tmp_path


def read(path: str | Path) -> str:
    return Path(path).read_text(encoding="utf-8")


def write_config(text: str) -> None:
    from tui.locations import config_path

    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(text, encoding="utf-8")


def toasts(app) -> list[str]:
    return [n.message for n in shown_toasts(app)]


def last_toast(app) -> str:
    found = toasts(app)
    assert found, "no toast was shown"
    return found[-1]


async def select_newest(app, pilot) -> str:
    await settle(app, pilot)
    await pilot.press("home")
    row = app.query_one(LogTable).selected
    assert row is not None
    return row.id


async def test_y_copies_the_selected_log_id_and_shows_it(app_factory, demo_server):
    item = demo_server.add_log(tool_slug="GMAIL_SEND_EMAIL", status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        assert await select_newest(app, pilot) == item["id"]
        await pilot.press("y")
        assert app.clipboard == item["id"]
        assert "Copied log id" in last_toast(app) and item["id"] in last_toast(app)


async def test_c_copies_a_detail_curl_with_the_key_as_a_variable(app_factory, demo_server):
    item = demo_server.add_log(status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        await pilot.press("c")
        copied = app.clipboard
        assert copied.startswith("curl") and f"{demo_server.url}/api/v3.1/logs/" in copied
        assert item["id"] in copied and "$COMPOSIO_API_KEY" in copied
        assert demo_server.api_key not in copied
        # In --demo the toast gives the demo key, so the command runs in another terminal.
        assert f"export COMPOSIO_API_KEY={demo_server.api_key}" in last_toast(app)


async def test_C_copies_the_list_request_exactly_as_the_tail_sends_it(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = "toolkit:gmail failed since:15m needle"
        app.apply_query(text, parse_query(text, now_ms=FIXED_NOW_MS))
        await settle(app, pilot)
        await pilot.press("C")
        copied = app.clipboard
        body = json.loads(copied.split("-d '", 1)[1].rsplit("'", 1)[0])
        sent = [r.body for r in demo_server.requests if r.path == "/api/v3.1/logs/tool_execution"]
        assert body == sent[-1]  # the tail's first page, to the millisecond
        assert {"field": "toolkit_slug", "operator": "==", "value": "gmail"} in body["filters"]
        assert body["time_range"]["from"] == FIXED_NOW_MS - 15 * 60_000
        assert "needle" not in copied and "needle" in last_toast(app)


async def test_r_copies_a_rerun_curl_with_the_version_pinned(app_factory, demo_server):
    demo_server.add_log(
        tool_slug="GMAIL_SEND_EMAIL", version="20250905_00", user_id="alice", status="success"
    )
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        copied = app.clipboard
        assert "/api/v3.1/tools/execute/GMAIL_SEND_EMAIL" in copied
        body = json.loads(copied.split("-d '", 1)[1].rsplit("'", 1)[0])
        assert body["version"] == "20250905_00" and body["user_id"] == "alice"
        assert isinstance(body["arguments"], dict) and body["arguments"]
        assert demo_server.api_key not in copied
        assert "00000000_00" not in last_toast(app)


async def test_r_warns_when_the_version_is_unknown(app_factory, demo_server):
    demo_server.add_log(tool_slug="GMAIL_SEND_EMAIL", version="", status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert '"version"' not in app.clipboard
        toast = last_toast(app)
        assert "00000000_00" in toast
        assert [n.severity for n in shown_toasts(app)][-1] == "warning"


async def test_J_copies_the_detail_json_and_reuses_the_open_call(app_factory, demo_server):
    item = demo_server.add_log(status="failed", tool_slug="GMAIL_SEND_EMAIL")
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await select_newest(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        details = sum(1 for r in demo_server.requests if r.path.endswith(item["id"]))
        await pilot.press("J")
        await settle(app, pilot)
        copied = json.loads(app.clipboard)
        assert (
            copied["id"] == item["id"]
            and copied == app.session.calls.cached(item["id"]).detail_json
        )
        # Copying the call on screen asks the server nothing more.
        assert sum(1 for r in demo_server.requests if r.path.endswith(item["id"])) == details


async def test_past_the_osc52_cap_the_text_is_saved_to_a_file(app_factory, demo_server):
    demo_server.add_log(status="success", response={"blob": "x" * 200_000})
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        await pilot.press("y")
        small = app.clipboard
        await pilot.press("J")
        await settle(app, pilot)
        assert app.clipboard == small  # nothing half-sent to the terminal
        toast = last_toast(app)
        assert "too big for the terminal clipboard" in toast
        assert "x" * 1000 in read(toast.rsplit("\n", 1)[1])


async def test_no_copy_ever_holds_the_key(app_factory, demo_server):
    demo_server.add_log(tool_slug="GMAIL_SEND_EMAIL", status="failed")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        for key in ("y", "c", "C", "r", "J"):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.clipboard and app.settings.api_key.reveal() not in app.clipboard, key


async def test_a_copy_never_carries_a_registered_secret(app_factory, monkeypatch):
    from tui import debuglog

    monkeypatch.setattr(debuglog, "_secrets", set())
    debuglog.register_secret("ak_the_real_key_123")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        clipboard.copy_text(app, "echoed: ak_the_real_key_123 \x1b]52;c;ZXZpbA==\x07", "text")
        await pilot.pause()
        assert app.clipboard == "echoed: *** ]52;c;ZXZpbA=="
        assert "\x1b" not in last_toast(app) and "\x07" not in last_toast(app)


async def test_pyperclip_runs_only_where_there_is_a_display(app_factory, monkeypatch):
    import pyperclip

    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        clipboard.copy_text(app, "over ssh", "text")
        await settle(app, pilot)
        assert copied == [] and app.clipboard == "over ssh"
        monkeypatch.setattr(clipboard, "has_local_display", lambda: True)
        clipboard.copy_text(app, "on a desktop", "text")
        await settle(app, pilot)
        assert copied == ["on a desktop"] and app.clipboard == "on a desktop"
        # A native tool that fails (no xclip, a headless box) leaves OSC 52 and the toast.
        monkeypatch.setattr(pyperclip, "copy", lambda text: 1 / 0)
        clipboard.copy_text(app, "still copied", "text")
        await settle(app, pilot)
        assert app.clipboard == "still copied" and "still copied" in last_toast(app)


async def test_copy_keys_without_a_selection_say_what_to_do(app_factory, demo_server):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.apply_query(
            "user:nobody-at-all", parse_query("user:nobody-at-all", now_ms=FIXED_NOW_MS)
        )
        await settle(app, pilot)
        for key in ("y", "c", "r", "J"):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.clipboard == "" and "Select a log first" in last_toast(app)
        await pilot.press("e")
        assert "Nothing to export" in last_toast(app)


async def test_toasts_are_never_markup(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.notify("[@click=app.quit]boom[/] [/bold]")
        app.query_one(LogTable).notify("[red]widget[/red]")
        await pilot.pause()
        assert all(not n.markup for n in shown_toasts(app))
        assert "[@click=app.quit]boom[/] [/bold]" in toasts(app)


async def test_e_exports_the_loaded_rows_matching_the_words(app_factory, demo_server, export_dir):
    demo_server.add_log(status="failed", message="needle in a haystack")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        loaded = len(app.session.store)
        await pilot.press("e")
        await settle(app, pilot)
        first = sorted(export_dir.glob("*.jsonl"))
        assert len(first) == 1
        lines = read(first[0]).splitlines()
        assert len(lines) == loaded
        stamps = [json.loads(line)["timestamp"] for line in lines]
        assert stamps == sorted(stamps)  # oldest first, as a file grows
        assert str(first[0]) in last_toast(app) and f"{loaded:,} logs" in last_toast(app)

        app.apply_query("needle", LogQuery(words=("needle",)))
        await pilot.press("e")
        await settle(app, pilot)
        second = sorted(set(export_dir.glob("*.jsonl")) - set(first))
        rows = [json.loads(line) for line in read(second[0]).splitlines()]
        assert rows and all("needle" in row["message"] for row in rows)


async def test_an_export_that_cannot_be_written_says_so(app_factory, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_EXPORT_DIR, str(tmp_path / "missing" / "dir"))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert "Could not export" in last_toast(app) and "TOOLWATCH_EXPORT_DIR" in last_toast(app)
        assert len(app.session.store) > 0  # the logs on screen stay


async def test_a_keymap_in_the_config_remaps_a_copy_key(app_factory, demo_server):
    write_config('[keymap]\n"copy.log_id" = "Y"\n')
    item = demo_server.add_log(status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        await pilot.press("y")
        assert app.clipboard == ""
        await pilot.press("Y")
        assert app.clipboard == item["id"]
        assert app.keys_for("copy.log_id") == "Y"  # what the palette shows


async def test_the_palette_copies_too(app_factory, demo_server):
    item = demo_server.add_log(status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        await pilot.press("ctrl+p", *"copy the log id")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.clipboard == item["id"]


async def test_a_bad_keymap_is_said_and_the_default_keys_stay(app_factory, demo_server):
    write_config('[keymap]\n"copy.lgo_id" = "Y"\n')
    item = demo_server.add_log(status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        assert any("copy.lgo_id" in t and "copy.log_id" in t for t in toasts(app))
        await pilot.press("y")
        assert app.clipboard == item["id"]


async def test_a_misspelt_id_keeps_the_valid_remaps_and_names_the_closest(app_factory, demo_server):
    """Issue 14 item 6: ``app.pauze`` beside ``copy.log_id = "Y"``: Y still copies."""
    write_config('[keymap]\n"app.pauze" = "space"\n"copy.log_id" = "Y"\n')
    item = demo_server.add_log(status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        said = [t for t in toasts(app) if "app.pauze" in t]
        assert said and 'did you mean "app.pause"' in said[0]
        await pilot.press("Y")
        assert app.clipboard == item["id"]
        assert app.keys_for("copy.log_id") == "Y"


async def test_a_config_that_is_not_utf8_is_said_and_the_defaults_stay(app_factory, demo_server):
    from tui.locations import config_path

    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_bytes(b'[keymap]\n"copy.log_id" = "\xff"\n')
    item = demo_server.add_log(status="success")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        assert any("not UTF-8" in t for t in toasts(app))
        await pilot.press("y")
        assert app.clipboard == item["id"]


async def test_f1_shows_the_keys_and_hides_them_again(app_factory):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen.query(HelpPanel)
        await pilot.press("f1")
        await pilot.pause()
        assert not app.screen.query(HelpPanel)


async def test_a_bug_in_an_export_is_said_not_lost(app_factory, export_dir, monkeypatch):
    import tui.export

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the export")

    # Where the export key finds it (imported when the key is pressed).
    monkeypatch.setattr(tui.export, "write_matching", broken)
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert "toolwatch hit a bug: RuntimeError: a bug in the export" in last_toast(app)
        assert len(app.session.store) > 0


async def test_a_log_id_holding_a_lone_surrogate_copies_without_a_crash(demo_server, tmp_path):
    from tests.clock import fixed_clock
    from tests.conftest import settings_for
    from tui.sources.file import FileSource
    from tui.ui.app import ToolwatchApp

    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"id":"log_\\ud800odd","timestamp":"2026-04-17T10:00:00Z","status":"success"}\n',
        encoding="utf-8",
    )
    settings = settings_for(demo_server, demo=False, source_file=str(path))
    app = ToolwatchApp(settings, source=FileSource(path), clock=fixed_clock, poll_on_interval=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await select_newest(app, pilot)
        for key in ("y", "c", "J"):
            await pilot.press(key)
            await settle(app, pilot)
            assert "odd" in app.clipboard and "\ud800" not in app.clipboard, key
        assert app.is_running
