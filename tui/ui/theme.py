"""The theme: the one picked in the palette is kept in config.toml (``theme = "nord"``,
written with the rest of the file untouched) and applied when toolwatch starts."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

from tui.config import read_config
from tui.errors import ConfigError
from tui.locations import config_path
from tui.views import save_setting

SETTING = "theme"


class ThemeKeeper:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._saved: str | None = None

    def start(self) -> None:
        """Apply the saved theme, then save every theme chosen from now on."""
        app = self.app
        try:
            name = read_config(config_path()).get(SETTING)
        except ConfigError:
            name = None  # the keymap, read from the same file, says what is wrong with it
        if isinstance(name, str) and name in app.available_themes:
            app.theme = name
        elif name is not None:
            themes = ", ".join(sorted(app.available_themes))
            app.notify(
                f"{config_path()}: theme {name!r} is not one toolwatch has; the themes are: "
                f"{themes}. Pick one with Ctrl+P, then 'theme'.",
                severity="warning",
                timeout=12,
            )
        self._saved = app.theme
        app.theme_changed_signal.subscribe(app, self._changed)

    def _changed(self, theme: Theme) -> None:
        if theme.name == self._saved:
            return
        self._saved = theme.name
        # A file write: off the event loop.
        self.app.run_worker(
            lambda: self._save(theme.name), thread=True, group="config", exit_on_error=False
        )

    def _save(self, name: str) -> None:
        try:
            save_setting(SETTING, name)
        except (OSError, ConfigError) as error:
            why = error.strerror if isinstance(error, OSError) else str(error)
            self.app.call_from_thread(
                self.app.notify,
                f"Could not save the theme in {config_path()}: {why}",
                severity="error",
                timeout=10,
            )
