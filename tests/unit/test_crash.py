"""Issue 13 §9: a bug ends toolwatch non-zero with one line on the terminal and a private,
scrubbed crash report; no traceback with locals reaches the screen."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tui import crash, debuglog, locations
from tui.cli import list_cmd
from tui.cli.main import main

PLANTED_KEY = "ak_planted_key_1234567890"
PLANTED_TOKEN = "ghp_plantedtoken0987654321"


class PlantedBug(RuntimeError):
    pass


def planted_failure() -> None:
    body = f"Authorization: Bearer {PLANTED_TOKEN}"  # a local a Rich traceback would show
    raise PlantedBug(f"upstream answered {body} with key {PLANTED_KEY}")


@pytest.fixture
def registered_key():
    debuglog.register_secret(PLANTED_KEY)
    yield
    debuglog._secrets.discard(PLANTED_KEY)


def the_error() -> PlantedBug:
    try:
        planted_failure()
    except PlantedBug as error:
        return error
    raise AssertionError("planted_failure did not raise")


def reports() -> list[Path]:
    folder = locations.crash_dir()
    return sorted(folder.iterdir()) if folder.exists() else []


def test_the_report_has_the_traceback_without_secrets_or_locals(registered_key):
    text = crash.report_text(the_error(), argv=["toolwatch", "--demo"])
    assert "planted_failure" in text and "PlantedBug" in text
    assert "toolwatch --demo" in text
    assert PLANTED_KEY not in text and PLANTED_TOKEN not in text
    assert "raise PlantedBug" in text  # the source lines, as Python prints them,
    assert "body = 'Authorization" not in text  # never a local's value


def test_a_huge_message_is_cut_to_a_bounded_report():
    text = crash.report_text(PlantedBug("x" * (crash.MAX_REPORT_CHARS * 3)))
    assert len(text) < crash.MAX_REPORT_CHARS + 1_000
    assert "… cut …" in text


def test_reports_are_private_files_in_a_private_folder(registered_key):
    first = crash.write_report(the_error())
    second = crash.write_report(the_error())  # the same second: a new name, not an overwrite
    assert first is not None and second is not None and first != second
    assert stat.S_IMODE(os.stat(first).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(first.parent).st_mode) == 0o700
    assert PLANTED_KEY not in first.read_text(encoding="utf-8")


def test_a_report_that_cannot_be_written_still_gives_a_message(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(locations.ENV_STATE_DIR, str(blocker))
    error = the_error()
    assert crash.write_report(error) is None
    message = crash.crash_message(error, None)
    assert "no report could be written" in message and "PlantedBug" in message


def test_a_headless_command_that_hits_a_bug_exits_70_with_one_line(
    monkeypatch, capsys, registered_key
):
    def crashing_run(args):
        planted_failure()

    monkeypatch.setattr(list_cmd, "run", crashing_run)
    code = main(["--demo", "list"])
    out, err = capsys.readouterr()
    assert code == crash.EXIT_BUG == 70
    assert out == ""
    assert err.count("\n") == 1 and "PlantedBug" in err and "Traceback" not in err
    assert PLANTED_TOKEN not in err and PLANTED_KEY not in err
    (report,) = reports()
    assert str(report) in err
    assert "planted_failure" in report.read_text(encoding="utf-8")


async def test_the_screen_ends_non_zero_and_prints_no_locals(
    demo_server, monkeypatch, capsys, registered_key
):
    from tui.ui.app import ToolwatchApp

    def crashing_pause(self) -> None:
        planted_failure()

    monkeypatch.setattr(ToolwatchApp, "action_toggle_pause", crashing_pause)
    app = ToolwatchApp(settings_for(demo_server), clock=fixed_clock, poll_on_interval=False)

    async def press_pause(pilot) -> None:
        await pilot.pause()
        await pilot.press("p")

    await app.run_async(headless=True, size=(80, 24), auto_pilot=press_pause)
    _, err = capsys.readouterr()
    assert app.return_code == 1 and isinstance(app.crashed, PlantedBug)
    assert "PlantedBug" in err and "Traceback" not in err and "locals" not in err
    assert PLANTED_TOKEN not in err and PLANTED_KEY not in err
    assert "body" not in err  # no frame's variables
    (report,) = reports()
    assert str(report) in err.replace("\n", "")
    assert "crashing_pause" in report.read_text(encoding="utf-8")
