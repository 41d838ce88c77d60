"""Settings: where to read logs from and how, gathered from flags and environment.

The API key only ever comes from the environment (``COMPOSIO_API_KEY``, the name
Composio's own SDKs use): a flag would leave it in ``ps`` and shell history.
``Secret`` keeps it out of every repr, traceback and log line.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from tui.constants import (
    BUDDY_DEFAULT_BASE_URL,
    BUDDY_ENV_BASE_URL,
    BUDDY_ENV_TOKEN,
    BUDDY_READ_SCOPES,
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    ENV_BASE_URL,
)
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
    # Which kind of API (--source; a named source's kind), and for Buddy where to look.
    source_kind: str = "composio"
    source_name: str | None = None  # -s NAME: the [sources.NAME] of config.toml
    key_env: str = ENV_API_KEY  # the variable the key (or token) was read from
    workspace: str | None = None
    project: str | None = None
    pipelines: tuple[int, ...] = ()  # none: every pipeline of the project

    @property
    def query_kind(self) -> Literal["composio", "buddy"] | None:
        """Whose fields a query names (tui.query's ``Kind``): the source's kind; None
        for a file, which may hold either kind of line."""
        if self.source_file is not None:
            return None
        return "buddy" if self.source_kind == "buddy" else "composio"


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


def normalize_base_url(url: str, *, env: str = ENV_BASE_URL) -> str:
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        example = BUDDY_DEFAULT_BASE_URL if env == BUDDY_ENV_BASE_URL else DEFAULT_BASE_URL
        raise ConfigError(f"{env} must be an http(s) URL such as {example}, not {url!r}")
    if "@" in parts.netloc:
        # httpx would turn user:password@ into an Authorization header: a second
        # credential beside x-api-key, which Composio rejects with a 401.
        raise ConfigError(
            f"{env} must not contain a user name or password; the key or token goes in "
            "the environment variable named for it"
        )
    return url


def settings_from_env(
    env: Mapping[str, str] | None = None,
    *,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    lag_s: float = DEFAULT_LAG_S,
    need_key: bool = True,
    key_env: str = ENV_API_KEY,
    base_url: str | None = None,
) -> Settings:
    """Settings for the real API; raises ConfigError with NO_KEY_MESSAGE when there is no key
    (and ``need_key``: a file read with --file needs none, but curls copied from it use
    the base URL). ``key_env``: the variable to read the key from (a named source's)."""
    env = os.environ if env is None else env
    key = env.get(key_env, "").strip()
    if not key and need_key:
        if key_env != ENV_API_KEY:
            raise ConfigError(
                f"the Composio API key is read from {key_env}, which is not set; "
                f"export {key_env}=... (a project API key from the Composio dashboard)"
            )
        raise ConfigError(NO_KEY_MESSAGE)
    base = normalize_base_url(base_url or env.get(ENV_BASE_URL) or DEFAULT_BASE_URL)
    return Settings(
        base_url=base,
        api_key=Secret(key),
        poll_interval=poll_interval,
        lag_s=lag_s,
        key_env=key_env,
    )


# The log table's columns, by the names ``[table] columns`` in config.toml takes.
TABLE_COLUMNS = ("time", "status", "toolkit", "tool", "user", "duration", "message")
# The tool slug names its toolkit, so the toolkit column is there to be chosen.
DEFAULT_TABLE_COLUMNS = ("time", "status", "tool", "user", "duration", "message")
# A Buddy project has several pipelines: which one ran an action is shown too (it gives
# way first when the screen is narrow).
BUDDY_TABLE_COLUMNS = ("time", "status", "toolkit", "tool", "user", "duration", "message")


def default_columns(kind: str | None) -> tuple[str, ...]:
    """The columns when ``[table] columns`` names none, on a source of ``kind``."""
    return BUDDY_TABLE_COLUMNS if kind == "buddy" else DEFAULT_TABLE_COLUMNS


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
            import difflib

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
    # zoneinfo, difflib and tomllib are imported when there is something for them to
    # read: most starts have no config.toml and no named zone (issue 15, first rows).
    import difflib
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

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


# -- Buddy.works and named sources ---------------------------------------------------------

SOURCE_KINDS = ("composio", "buddy")


def buddy_settings_from_env(
    env: Mapping[str, str] | None = None,
    *,
    workspace: str | None,
    project: str | None,
    pipelines: tuple[int, ...] = (),
    token_env: str = BUDDY_ENV_TOKEN,
    base_url: str | None = None,
    poll_interval: float = DEFAULT_POLL_INTERVAL,
    lag_s: float = DEFAULT_LAG_S,
) -> Settings:
    """Settings for Buddy's API (buddy-contract.md A.1): the token from ``token_env``
    only, the base URL from ``base_url`` (a named source's), ``BUDDY_BASE_URL`` or the US
    cloud's; a workspace and a project are needed."""
    env = os.environ if env is None else env
    if not workspace or not project:
        missing = " and ".join(
            flag
            for flag, value in (("--workspace", workspace), ("--project", project))
            if not value
        )
        raise ConfigError(
            f"--source buddy needs {missing}: the workspace's domain and the project's name "
            "as in app.buddy.works/WORKSPACE/PROJECT (or a named source: -s NAME)"
        )
    token = env.get(token_env, "").strip()
    if not token:
        raise ConfigError(
            f"toolwatch reads the Buddy token from {token_env}, which is not set. Create a "
            "personal access token (avatar → Security → Personal Access Tokens) with the "
            f"scopes {', '.join(BUDDY_READ_SCOPES)} and export {token_env}=... ; for the EU "
            f"cloud or a self-hosted Buddy also set {BUDDY_ENV_BASE_URL}. Or try it without "
            "one: toolwatch --demo --source buddy"
        )
    base = base_url or env.get(BUDDY_ENV_BASE_URL) or BUDDY_DEFAULT_BASE_URL
    return Settings(
        base_url=normalize_base_url(base, env=BUDDY_ENV_BASE_URL),
        api_key=Secret(token),
        poll_interval=poll_interval,
        lag_s=lag_s,
        source_kind="buddy",
        key_env=token_env,
        workspace=workspace,
        project=project,
        pipelines=pipelines,
    )


@dataclass(frozen=True)
class NamedSource:
    """A ``[sources.NAME]`` table of config.toml. ``key_env`` is the NAME of the variable
    that holds the key or token, never the key itself."""

    name: str
    kind: str
    key_env: str
    base_url: str | None = None
    workspace: str | None = None
    project: str | None = None
    pipelines: tuple[int, ...] = ()


def named_sources(config: Mapping[str, object], where: str) -> dict[str, NamedSource]:
    """The ``[sources.*]`` tables of a parsed config.toml; ConfigError names what is wrong."""
    tables = config.get("sources", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{where}: 'sources' must be tables such as [sources.prod]")
    found: dict[str, NamedSource] = {}
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [sources.{name}] must be a table")
        kind = table.get("kind", "composio")
        if kind not in SOURCE_KINDS:
            raise ConfigError(
                f"{where}: [sources.{name}] kind must be one of {', '.join(SOURCE_KINDS)}, "
                f"not {kind!r}"
            )
        default_env = BUDDY_ENV_TOKEN if kind == "buddy" else ENV_API_KEY
        key_env = table.get("token_env" if kind == "buddy" else "key_env", default_env)
        key_env = table.get("key_env", key_env) if kind == "buddy" else key_env
        texts = {k: table.get(k) for k in ("base_url", "workspace", "project")}
        if (
            not isinstance(key_env, str)
            or not key_env.strip()
            or any(v is not None and not isinstance(v, str) for v in texts.values())
        ):
            raise ConfigError(
                f"{where}: [sources.{name}] takes text for key_env/token_env (the NAME of "
                "the variable holding the key, never the key), base_url, workspace, project"
            )
        found[name] = NamedSource(
            name=name,
            kind=kind,
            key_env=key_env.strip(),
            base_url=texts["base_url"],
            workspace=texts["workspace"],
            project=texts["project"],
            pipelines=parse_pipelines(table.get("pipelines", []), f"{where}: [sources.{name}]"),
        )
    return found


def parse_pipelines(value: object, where: str = "--pipeline") -> tuple[int, ...]:
    """Pipeline ids: ``[12, 14]``, ``"12,14"``, or a list of such texts (repeated flags)."""
    items = value if isinstance(value, list) else [value]
    ids: list[int] = []
    for item in items:
        parts = item.split(",") if isinstance(item, str) else [item]
        for part in parts:
            text = str(part).strip()
            if isinstance(part, bool) or not text.isdigit():
                raise ConfigError(
                    f"{where} takes numeric pipeline ids, such as 12 or 12,14 (the number in "
                    f"the pipeline's address), not {text!r}"
                )
            if int(text) not in ids:
                ids.append(int(text))
    return tuple(ids)


def read_config(path: Path) -> dict[str, Any]:
    """config.toml parsed (empty when there is none); ConfigError says what is wrong."""
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
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML ({error}); fix or remove it") from None
