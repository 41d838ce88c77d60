"""End to end in a real terminal: `toolwatch --demo` inside tmux with `set-clipboard on`;
`y` sends the log id by OSC 52 and tmux puts it in its paste buffer, as it would hand it
on to the laptop's terminal over SSH."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Callable[..., str]]:
    socket = f"toolwatch-test-{os.getpid()}"

    def run(*args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", socket, *args], capture_output=True, text=True, timeout=10
        )
        return done.stdout

    yield run
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, timeout=10)


def wait_for(tmux: Callable[..., str], pattern: str, timeout: float = 30.0) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p")
        found = re.search(pattern, screen)
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"{pattern!r} never appeared; the screen was:\n{screen}")


def test_y_reaches_the_tmux_paste_buffer_by_osc52(tmux, tmp_path):
    env = {
        "TOOLWATCH_STATE_DIR": str(tmp_path / "state"),
        "TOOLWATCH_CONFIG_DIR": str(tmp_path / "config"),
        "DISPLAY": "",  # OSC 52 only: no native clipboard tool may do the work instead
        "WAYLAND_DISPLAY": "",
        "TERM": "xterm-256color",
    }
    command = " ".join(
        [*(f"{k}={shlex.quote(v)}" for k, v in env.items()), "exec"]
        + [shlex.quote(part) for part in (sys.executable, "-m", "tui", "--demo")]
    )
    tmux("-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "30", command)
    tmux("set-option", "-g", "set-clipboard", "on")
    wait_for(tmux, r"● live · demo")
    tmux("send-keys", "y")
    shown = wait_for(tmux, r"Copied log id:\s*\n.*?(log_[A-Za-z0-9_-]+)")
    log_id = shown.group(1)
    deadline = time.monotonic() + 10
    while tmux("show-buffer") != log_id and time.monotonic() < deadline:
        time.sleep(0.2)
    assert tmux("show-buffer") == log_id
