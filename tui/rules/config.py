"""The alert rules of ``config.toml``, read only (writing the file is `tui.views`'s)::

    [[rules]]
    name = "gmail failing"
    when = "toolkit:gmail failed >= 5 in 1m"
    cooldown = "5m"          # optional: quiet after a resolve (default 1m)

A bad rule is a ConfigError naming it, with a caret under the bad word.
"""

from __future__ import annotations

from pathlib import Path

from tui.config import read_config
from tui.errors import ConfigError, QuerySyntaxError
from tui.locations import config_path
from tui.rules.model import DEFAULT_COOLDOWN_MS, Rule
from tui.rules.parser import parse_rule, parse_window_ms


def rules_from_config(path: Path | None = None) -> list[Rule]:
    path = path or config_path()
    raw = read_config(path).get("rules", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: 'rules' must be a list of [[rules]] tables")
    rules: list[Rule] = []
    for n, item in enumerate(raw, 1):
        name, when, cooldown = _fields(item)
        if name is None or when is None:
            raise ConfigError(
                f'{path}: rule {n} needs a name and a when, such as name = "gmail failing" '
                'and when = "toolkit:gmail failed >= 5 in 1m"'
            )
        cooldown_ms = _cooldown(path, name, cooldown)
        try:
            rules.append(parse_rule(when, name, cooldown_ms))
        except QuerySyntaxError as error:
            raise ConfigError(
                f"{path}: rule {name!r}: {error}\n{error.pointer(when, indent='  ')}"
            ) from None
    return rules


def _fields(item: object) -> tuple[str | None, str | None, object]:
    """A [[rules]] table's name (stripped; None when missing or blank), when, cooldown."""
    if not isinstance(item, dict):
        return None, None, None
    name, when = item.get("name"), item.get("when")
    name = name.strip() if isinstance(name, str) and name.strip() else None
    return name, when if isinstance(when, str) else None, item.get("cooldown")


def _cooldown(path: Path, name: str, value: object) -> int:
    if value is None:
        return DEFAULT_COOLDOWN_MS
    ms = None
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        ms = round(value * 1000)
    elif isinstance(value, str):
        ms = parse_window_ms(value)
    if ms is None:
        raise ConfigError(
            f'{path}: rule {name!r}: cooldown is a duration such as "5m" or 30 (seconds)'
        )
    return ms
