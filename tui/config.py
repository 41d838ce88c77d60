"""Settings: where to read logs from and how, gathered from flags and environment.

The API key only ever comes from the environment (``COMPOSIO_API_KEY``, the name
Composio's own SDKs use): a flag would leave it in ``ps`` and shell history.
``Secret`` keeps it out of every repr, traceback and log line.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from tui.constants import DEFAULT_BASE_URL, ENV_API_KEY, ENV_BASE_URL
from tui.errors import ConfigError

DEFAULT_POLL_INTERVAL = 2.0
DEFAULT_LAG_S = 30.0
MIN_POLL_INTERVAL = 0.2


class Secret:
    """A string that never shows itself: repr, str and format all print ``***``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


NO_KEY_MESSAGE = (
    "no Composio API key is set, and one is needed to watch your tool calls. Set it in "
    f"the environment (export {ENV_API_KEY}=... ; create a project key in the Composio "
    "dashboard under Settings > API keys) and, for a self-hosted or staging backend, "
    f"{ENV_BASE_URL}. Or try it without a key: toolwatch --demo runs a built-in "
    "Composio-compatible server with live sample traffic."
)

KEY_FLAG_MESSAGE = (
    "the API key is never taken as a command-line flag: it would be visible in "
    f"`ps` and saved in your shell history. Set {ENV_API_KEY} in the environment instead."
)


@dataclass(frozen=True)
class Settings:
    base_url: str
    api_key: Secret = field(repr=False)
    demo: bool = False
    poll_interval: float = DEFAULT_POLL_INTERVAL
    tz: tzinfo | None = None  # None: the machine's local time
    lag_s: float = DEFAULT_LAG_S  # how late a log may become visible and still be caught
    query_text: str | None = None  # --query; None: restore the last query applied
    source_file: str | None = None  # --file: a JSON-lines file ("-": stdin) instead of the API


def parse_interval(text: str) -> float:
    value = parse_seconds("--interval", text)
    if value < MIN_POLL_INTERVAL:
        raise ConfigError(f"--interval must be at least {MIN_POLL_INTERVAL} s, not {value:g}")
    return value


def parse_count(flag: str, text: str, *, least: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{flag} takes a number of logs, not {text!r}") from None
    if value < least:
        raise ConfigError(f"{flag} must be at least {least}, not {value}")
    return value


def parse_seconds(flag: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise ConfigError(f"{flag} takes seconds, 0 or more, such as 10 or 0.5, not {text!r}")
    return value


def normalize_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(
            f"{ENV_BASE_URL} must be an http(s) URL such as {DEFAULT_BASE_URL}, not {url!r}"
        )
    if "@" in parts.netloc:
        # httpx would turn user:password@ into an Authorization header: a second
        # credential beside x-api-key, which Composio rejects with a 401.
        raise ConfigError(
            f"{ENV_BASE_URL} must not contain a user name or password; "
            f"the API key goes in {ENV_API_KEY}"
        )
    return url


def settings_from_env(
    env: Mapping[str, str] | None = None,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    lag_s: float = DEFAULT_LAG_S,
    need_key: bool = True,
) -> Settings:
    """Settings for the real API; raises ConfigError with NO_KEY_MESSAGE when there is no key
    (and ``need_key``: a file read with --file needs none, but curls copied from it use
    the base URL)."""
    env = os.environ if env is None else env
    key = env.get(ENV_API_KEY, "").strip()
    if not key and need_key:
        raise ConfigError(NO_KEY_MESSAGE)
    base = normalize_base_url(env.get(ENV_BASE_URL) or DEFAULT_BASE_URL)
    return Settings(base_url=base, api_key=Secret(key), poll_interval=poll_interval, lag_s=lag_s)


# The log table's columns, by the names ``[table] columns`` in config.toml takes.
TABLE_COLUMNS = ("time", "status", "toolkit", "tool", "user", "duration", "message")
# The tool slug names its toolkit, so the toolkit column is there to be chosen.
DEFAULT_TABLE_COLUMNS = ("time", "status", "tool", "user", "duration", "message")


def table_columns(value: object, where: str) -> tuple[tuple[str, ...], str | None]:
    """``[table] columns`` as the columns to show, in order, and what is wrong with it
    (None: nothing). Anything wrong gives the default columns: a table to read beats a
    screen that refuses to start; the problem is said with the closest right name."""
    if value is None:
        return DEFAULT_TABLE_COLUMNS, None
    example = 'columns = ["time", "status", "tool", "user", "duration", "message"]'
    if not isinstance(value, list) or not value:
        return DEFAULT_TABLE_COLUMNS, f"{where}: [table] needs a list of columns: {example}"
    for name in value:
        if not isinstance(name, str) or name not in TABLE_COLUMNS:
            close = difflib.get_close_matches(str(name), TABLE_COLUMNS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            return DEFAULT_TABLE_COLUMNS, (
                f"{where}: [table] columns has no column {name!r}{hint}; the columns are "
                f"{', '.join(TABLE_COLUMNS)}. Showing the default columns"
            )
    return tuple(dict.fromkeys(value)), None  # a column named twice is shown once


def time_zone(value: object, where: str) -> tzinfo | None:
    """``timezone`` in config.toml: None for local time (the default, and ``"local"``),
    UTC for ``"UTC"``, else the IANA zone it names; ConfigError says what is wrong."""
    if value is None or value == "local":
        return None
    if value in ("UTC", "utc", "Z"):
        return UTC
    if isinstance(value, str) and value:
        try:
            return ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    close = difflib.get_close_matches(str(value), sorted(available_timezones()), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ConfigError(
        f'{where}: timezone {value!r} is not a time zone{hint}; write "local" (the '
        'default), "UTC" or a zone name such as "Europe/Berlin"'
    )
