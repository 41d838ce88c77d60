"""Saved views (named queries) in the config file, and the last query in the state file.

Views live in ``config.toml`` under the platform's config directory, as TOML a person can
edit::

    [[views]]
    name = "gmail failures"
    query = "toolkit:gmail failed"

The last query applied is state, not configuration: ``state.json`` under the platform's
state directory. ``TOOLWATCH_CONFIG_DIR`` and ``TOOLWATCH_STATE_DIR`` move them (tests,
or a portable setup). Headless-safe: no Textual here.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.errors import ConfigError
from tui.files import private_dir, replace_private
from tui.locations import config_path, state_path

MAX_NAME = 80


@dataclass(frozen=True)
class View:
    name: str
    query: str
    builtin: bool = False

    @property
    def needs_value(self) -> bool:
        """A recipe ending in an open ``field:`` waits for the value to be typed."""
        return self.query.endswith(":") or self.query.endswith("~")


# The recipes of Composio's Logs API guide (seed 001), as views.
BUILTIN_VIEWS = (
    View("failed in the last hour", "failed since:1h", builtin=True),
    View("failures for a user", "failed user:", builtin=True),
    View("one toolkit failing", "failed since:1h toolkit:", builtin=True),
)


def read_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path} is not UTF-8 text (byte {error.start}); save it as UTF-8 or remove it"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML ({error}); fix or remove it") from None


def user_views(path: Path | None = None) -> list[View]:
    """The views saved in the config file; ConfigError says what is wrong with it."""
    path = path or config_path()
    raw = read_config(path).get("views", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: 'views' must be a list of [[views]] tables")
    views = []
    for n, item in enumerate(raw, 1):
        name = item.get("name") if isinstance(item, dict) else None
        query = item.get("query") if isinstance(item, dict) else None
        if not isinstance(name, str) or not isinstance(query, str) or not name.strip():
            raise ConfigError(
                f'{path}: view {n} needs a name and a query, such as name = "gmail failures" '
                'and query = "toolkit:gmail failed"'
            )
        views.append(View(name.strip(), query))
    return views


def all_views(path: Path | None = None) -> list[View]:
    return [*BUILTIN_VIEWS, *user_views(path)]


def save_view(name: str, query: str, path: Path | None = None) -> View:
    """Add (or replace, by name) a view in the config file, keeping everything else in it."""
    name = " ".join(name.split())
    if not name:
        raise ConfigError("a view needs a name")
    if len(name) > MAX_NAME:
        raise ConfigError(f"a view's name may be at most {MAX_NAME} characters")
    if any(view.name == name for view in BUILTIN_VIEWS):
        raise ConfigError(f"{name!r} is a built-in view; choose another name")
    for text in (name, query):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # TOML (UTF-8) has no way to write them; writing one would break the file.
            raise ConfigError(
                "a view's name or query holds characters that cannot be saved"
            ) from None
    path = path or config_path()
    data = read_config(path)
    views = [v for v in data.get("views", []) if isinstance(v, dict) and v.get("name") != name]
    views.append({"name": name, "query": query})
    data["views"] = views
    _write_config(path, data)
    return View(name, query)


def delete_view(name: str, path: Path | None = None) -> None:
    path = path or config_path()
    data = read_config(path)
    data["views"] = [v for v in data.get("views", []) if v.get("name") != name]
    _write_config(path, data)


def _write_config(path: Path, data: dict[str, Any]) -> None:
    lines = [
        "# toolwatch settings. toolwatch rewrites this file when you save a view;",
        "# comments you add are not kept.",
        "",
    ]
    tables: list[str] = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for table in value:
                tables += ["", f"[[{_key(key)}]]"]
                tables += [f"{_key(k)} = {_value(v)}" for k, v in table.items()]
        elif isinstance(value, dict):
            tables += ["", f"[{_key(key)}]"]
            tables += [f"{_key(k)} = {_value(v)}" for k, v in value.items()]
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    text = "\n".join(lines + tables).strip() + "\n"
    private_dir(path.parent)
    replace_private(path, text)


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else _string(key)


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes for quotes, backslash and C0 controls are
    TOML's too; other characters stay as UTF-8 (JSON would write emoji as surrogate
    pairs, which TOML rejects), except DEL, which TOML wants escaped."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise ConfigError(f"cannot write {value!r} to the config file")


def last_query() -> str | None:
    """The query applied last time, or None (also when the state file is unreadable)."""
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("last_query") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def remember_query(text: str) -> None:
    """Keep ``text`` as the last query; a state file that cannot be written is no error."""
    path = state_path()
    try:
        private_dir(path.parent)
        replace_private(path, json.dumps({"last_query": text}))
    except OSError:
        pass
