"""Every path toolwatch reads or writes, in one place.

``TOOLWATCH_CONFIG_DIR``, ``TOOLWATCH_STATE_DIR`` and ``TOOLWATCH_EXPORT_DIR`` move
them (tests, or a portable setup); otherwise the platform's own directories are used.
Nothing here creates a directory: the code that writes a file does, when it writes.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "toolwatch"
ENV_CONFIG_DIR = "TOOLWATCH_CONFIG_DIR"
ENV_STATE_DIR = "TOOLWATCH_STATE_DIR"
ENV_EXPORT_DIR = "TOOLWATCH_EXPORT_DIR"


def config_path() -> Path:
    """``config.toml``: views, the keymap, named sources and rules."""
    base = os.environ.get(ENV_CONFIG_DIR) or platformdirs.user_config_dir(APP_NAME, appauthor=False)
    return Path(base) / "config.toml"


def state_dir() -> Path:
    """Where toolwatch keeps what it remembers between runs."""
    return Path(
        os.environ.get(ENV_STATE_DIR) or platformdirs.user_state_dir(APP_NAME, appauthor=False)
    )


def state_path() -> Path:
    """``state.json``: the last query applied."""
    return state_dir() / "state.json"


def copies_dir() -> Path:
    """Copies too large for the terminal's clipboard are saved here instead."""
    return state_dir() / "copies"


def crash_dir() -> Path:
    """Crash reports: one private file per crash, secrets scrubbed."""
    return state_dir() / "crashes"


def log_path() -> Path:
    """The debug log (shown in ``--help``)."""
    return platformdirs.user_log_path(APP_NAME, appauthor=False) / "toolwatch.log"


def export_dir() -> Path:
    """Where `e` writes: ``TOOLWATCH_EXPORT_DIR``, else the directory toolwatch started in."""
    return Path(os.environ.get(ENV_EXPORT_DIR) or os.getcwd())


def styles_dir() -> Path:
    """The stylesheets: inside the package when installed, top-level styles/ in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError(f"toolwatch's stylesheets are missing (looked beside {here})")
