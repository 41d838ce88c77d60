"""Remapping keys: a ``[keymap]`` table in config.toml, binding id to keys.

    [keymap]
    "copy.log_id" = "Y"          # copy the log id with Y instead of y
    "app.pause" = "space,p"      # several keys, comma-separated

Every binding toolwatch defines has an id (``app.quit``, ``copy.detail_curl``,
``table.follow`` …; F1 shows the keys in use). Textual applies the map
(``App.set_keymap``); this module reads and checks it. Headless-safe.
"""

from __future__ import annotations

from pathlib import Path

from tui.errors import ConfigError
from tui.locations import config_path
from tui.views import read_config


def load_keymap(path: Path | None = None, known: set[str] | None = None) -> dict[str, str]:
    """The ``[keymap]`` table; ConfigError names what is wrong (an unknown id is an
    error when ``known`` is given: a typo would otherwise do nothing, silently)."""
    path = path or config_path()
    table = read_config(path).get("keymap", {})
    if not isinstance(table, dict):
        raise ConfigError(f'{path}: keymap must be a table: [keymap] then "app.quit" = "ctrl+q"')
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(
                f'{path}: keymap "{binding_id}" needs keys as a string, such as "ctrl+y" or "y,Y"'
            )
        if known is not None and binding_id not in known:
            raise ConfigError(
                f'{path}: keymap has no binding "{binding_id}"; the ids are: '
                + ", ".join(sorted(known))
            )
        keymap[binding_id] = ",".join(part.strip() for part in keys.split(","))
    return keymap
