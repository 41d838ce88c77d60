"""Remapping keys: a ``[keymap]`` table in config.toml, binding id to keys.

    [keymap]
    "copy.log_id" = "Y"          # copy the log id with Y instead of y
    "app.pause" = "space,p"      # several keys, comma-separated

Every binding toolwatch defines has an id (``app.quit``, ``copy.detail_curl``,
``table.follow`` …; F1 shows the keys in use). Textual applies the map
(``App.set_keymap``); this module reads and checks it. Headless-safe.

One wrong entry costs only itself: a misspelt id (``app.pauze``) or keys that are not a
string are left out and said, with the closest id, and every other remap applies.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from tui.config import read_config
from tui.errors import ConfigError
from tui.locations import config_path


@dataclass(frozen=True)
class Keymap:
    bindings: dict[str, str]  # binding id -> keys, the entries that are right
    problems: tuple[str, ...] = ()  # one per entry left out: which, and what to write

    def explain(self) -> str:
        """The problems, for a toast: each entry left out, and that the rest applies."""
        return "\n".join((*self.problems, "The other remaps apply; F1 shows the keys in use."))


def load_keymap(path: Path | None = None, known: set[str] | None = None) -> Keymap:
    """The ``[keymap]`` table. ConfigError when it cannot be read at all; an entry that
    is wrong (an id not in ``known``, when given; keys that are not a string) is left
    out and named in ``problems``, with the closest id: a typo would otherwise do
    nothing, silently."""
    path = path or config_path()
    table = read_config(path).get("keymap", {})
    if not isinstance(table, dict):
        raise ConfigError(f'{path}: keymap must be a table: [keymap] then "app.quit" = "ctrl+q"')
    bindings: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in table.items():
        if known is not None and binding_id not in known:
            problems.append(f"{path}: keymap {unknown_id(binding_id, known)}")
        elif not isinstance(keys, str) or not keys.strip():
            problems.append(
                f'{path}: keymap "{binding_id}" needs keys as a string, such as "ctrl+y" or "y,Y"'
            )
        else:
            bindings[binding_id] = ",".join(part.strip() for part in keys.split(","))
    return Keymap(bindings, tuple(problems))


def unknown_id(binding_id: str, known: set[str]) -> str:
    """What to say of an id that is none: the closest one, else every one."""
    close = difflib.get_close_matches(binding_id, sorted(known), n=1, cutoff=0.6)
    if close:
        return f'has no binding "{binding_id}": did you mean "{close[0]}"?'
    return f'has no binding "{binding_id}"; the ids are: ' + ", ".join(sorted(known))
