"""Saved views (named queries) in the config file, and the last query in the state file.

Views live in ``config.toml`` under the platform's config directory, as TOML a person can
edit (written back with tomlkit, so their comments, order and layout survive a save)::

    [[views]]
    name = "gmail failures"
    query = "toolkit:gmail failed"

The last query applied is state, not configuration: ``state.json`` under the platform's
state directory. ``TOOLWATCH_CONFIG_DIR`` and ``TOOLWATCH_STATE_DIR`` move them (tests,
or a portable setup). Headless-safe: no Textual here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.config import read_config
from tui.errors import ConfigError
from tui.files import private_dir, replace_private
from tui.locations import config_path, state_path

if TYPE_CHECKING:  # tomlkit itself is imported when a file is edited: not at start-up
    from tomlkit.items import AoT, Array
    from tomlkit.toml_document import TOMLDocument

MAX_NAME = 80
# What a config file toolwatch creates starts with: comments and order are kept on every
# save (tomlkit), so the file is the user's to edit.
NEW_CONFIG_HEADER = """\
# toolwatch settings: saved views, [keymap], theme. Edit freely: toolwatch keeps
# your comments, order and layout when it saves a view or the theme.

"""


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

    def add(document: TOMLDocument) -> None:
        import tomlkit
        from tomlkit.items import Array

        views = _views_of(document, path)
        _drop_named(views, name)
        if isinstance(views, Array):  # views = [{…}] as the user wrote it: kept inline
            views.append(tomlkit.inline_table().add("name", name).add("query", query))
        else:
            table = tomlkit.table().add("name", name).add("query", query)
            # A blank line before it, as between the tables a person writes.
            written = tomlkit.dumps(document)
            table.trivia.indent = "" if not written or written.endswith("\n\n") else "\n"
            views.append(table)

    edit_config(add, path)
    return View(name, query)


def save_rule(name: str, when: str, path: Path | None = None) -> None:
    """Add (or replace, by name) an alert rule's ``[[rules]]`` table, keeping everything
    else in the file. The caller has checked ``when`` with the rules parser."""

    def add(document: TOMLDocument) -> None:
        import tomlkit
        from tomlkit.items import AoT, Array

        rules = document.get("rules")
        if rules is None:
            rules = document["rules"] = tomlkit.aot()
        if not isinstance(rules, AoT | Array):
            raise ConfigError(
                f"{path or config_path()}: 'rules' must be a list of [[rules]] tables"
            )
        _drop_named(rules, name)
        if isinstance(rules, Array):  # rules = [{…}] as the user wrote it: kept inline
            rules.append(tomlkit.inline_table().add("name", name).add("when", when))
            return
        table = tomlkit.table().add("name", name).add("when", when)
        table.trivia.indent = "" if tomlkit.dumps(document).endswith("\n\n") else "\n"
        rules.append(table)

    edit_config(add, path)


def delete_view(name: str, path: Path | None = None) -> None:
    edit_config(lambda document: _drop_named(_views_of(document, path), name), path)


def save_setting(key: str, value: str, path: Path | None = None) -> None:
    """Set a top-level ``key = "value"`` (the theme), keeping everything else in the file."""

    def put(document: TOMLDocument) -> None:
        document[key] = value

    edit_config(put, path)


def edit_config(change: Callable[[TOMLDocument], None], path: Path | None = None) -> None:
    """Read the config file as a document that keeps its comments, order and layout,
    apply ``change`` and write it back whole (``tui.files``: private, renamed over)."""
    import tomlkit

    path = path or config_path()
    read_config(path)  # a file that is not TOML is said, and left alone
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = NEW_CONFIG_HEADER
    document = tomlkit.parse(text)
    change(document)
    written = tomlkit.dumps(document)
    if not text.endswith("\n\n"):
        # The blank line before a deleted table stays with the one above it: the file
        # ends as it did.
        written = written.rstrip("\n") + "\n"
    private_dir(path.parent)
    replace_private(path, written)


def _views_of(document: TOMLDocument, path: Path | None) -> AoT | Array:
    import tomlkit
    from tomlkit.items import AoT, Array

    views = document.get("views")
    if views is None:
        views = tomlkit.aot()
        document["views"] = views
    if not isinstance(views, AoT | Array):
        raise ConfigError(f"{path or config_path()}: 'views' must be a list of [[views]] tables")
    return views


def _drop_named(views: AoT | Array, name: str) -> None:
    for index in reversed(range(len(views))):
        item = views[index]
        if isinstance(item, dict) and item.get("name") == name:
            del views[index]


def last_query(kind: str | None = None) -> str | None:
    """The query applied last time on a source of ``kind`` (``query_kind``: a Buddy
    query means nothing to Composio), or None (also when the state file is unreadable)."""
    value = _state().get(_last_query_key(kind))
    return value if isinstance(value, str) else None


def remember_query(text: str, kind: str | None = None) -> None:
    """Keep ``text`` as the last query on a source of ``kind``; a state file that cannot
    be written is no error."""
    path = state_path()
    state = _state()
    state[_last_query_key(kind)] = text
    try:
        private_dir(path.parent)
        replace_private(path, json.dumps(state))
    except OSError:
        pass


def _last_query_key(kind: str | None) -> str:
    # Composio's keeps the name it always had; a file's query is never remembered.
    return "last_query" if kind in (None, "composio") else f"last_query_{kind}"


def _state() -> dict[str, Any]:
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
