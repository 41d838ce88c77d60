"""`y` on a log whose id holds a newline or an escape (issue 13 §6): what is copied holds
no control character, so pasted into a shell nothing after it runs; the toast says it is
escaped; and `toolwatch get` finds the log by that escaped form."""

from __future__ import annotations

import subprocess

import pytest

from tests.integration.test_cli import run
from tests.tui.test_copy_keys import last_toast, select_newest
from tui import clipboard

ODD_ID = "log_esc\nrm -rf ~ \x1b]52;c;eA==\x07"
ESCAPED = "log_esc\\nrm -rf ~ \\x1b]52;c;eA==\\x07"


@pytest.fixture(autouse=True)
def no_native_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clipboard, "has_local_display", lambda: False)


async def test_y_copies_an_id_with_control_characters_escaped(app_factory, demo_server):
    demo_server.add_log(id=ODD_ID, status="failed")
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        assert await select_newest(app, pilot) == ODD_ID
        await pilot.press("y")
        assert app.clipboard == ESCAPED
        assert "escaped" in last_toast(app) and "toolwatch get" in last_toast(app)


def _get(demo_server, log_id: str) -> subprocess.CompletedProcess[str]:
    env = {"COMPOSIO_API_KEY": demo_server.api_key, "COMPOSIO_BASE_URL": demo_server.url}
    return run("get", log_id, env=env)


def test_get_accepts_the_escaped_id_as_y_copies_it(demo_server):
    demo_server.add_log(id=ODD_ID, status="failed")
    found = _get(demo_server, ESCAPED)
    assert found.returncode == 0, found.stderr
    assert "log_esc" in found.stdout
    missing = _get(demo_server, "log_esc\\nnothing")
    assert missing.returncode != 0
