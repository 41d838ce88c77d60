"""SourceBook: the sources a session may switch between, and what a switch decides.

The choices are the named sources of config.toml (``[sources.NAME]``, read again each
time the picker opens, so an edit is picked up without a restart) and the source
toolwatch was started with ("launch" when it had no name). Each source keeps the last
query applied to it: switching back restores that query. A source not visited yet
starts with the current query when it is of the same kind (prod and staging speak the
same query language, and the question is often the same) and with none otherwise (a
Composio query means nothing to Buddy).

A named source's settings are built here, from the variable it names: a missing one is
a ConfigError that says the variable's name, raised before anything is closed, so the
source on screen and its rows stay. Keys are never held in a choice, only the names
of the variables they are read from. No Textual.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from tui import debuglog
from tui.config import (
    NamedSource,
    Settings,
    buddy_settings_from_env,
    named_sources,
    read_config,
    settings_from_env,
)
from tui.constants import DEFAULT_BASE_URL, ENV_BASE_URL
from tui.errors import ConfigError
from tui.locations import config_path

LAUNCH = "launch"  # what the picker calls a source given by flags, without a name
STDIN = "-"


@dataclass(frozen=True)
class SourceChoice:
    """One row of the picker: a source to switch to, said without any secret."""

    key: str | None  # its name in config.toml; None: the launch source, unnamed
    kind: str  # "composio", "buddy", "file"
    where: str  # the API's host, Buddy's workspace/project, the file
    named: NamedSource | None = None  # None: the launch source (its own settings)
    current: bool = False

    @property
    def name(self) -> str:
        return self.key if self.key is not None else LAUNCH

    @property
    def label(self) -> str:
        """``prod · composio · backend.composio.dev``, ``ci · buddy · acme/agents``."""
        return f"{self.name} · {self.kind} · {self.where}"


def configured_sources(path: Path | None = None) -> dict[str, NamedSource]:
    """The ``[sources.*]`` of config.toml as it is now; ConfigError says what is wrong."""
    path = path or config_path()
    return named_sources(read_config(path), str(path))


def _host(url: str) -> str:
    """The host (and port) of ``url``, without any ``user:password@``."""
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        netloc = ""
    return netloc.rsplit("@", 1)[-1] or "?"


def launch_choice(settings: Settings) -> SourceChoice:
    """The source the flags (or ``-s NAME``) gave at start."""
    if settings.source_file is not None:
        where = "standard input" if settings.source_file == STDIN else settings.source_file
        return SourceChoice(settings.source_name, "file", where)
    if settings.source_kind == "buddy":
        where = f"{settings.workspace}/{settings.project}"
    else:
        where = _host(settings.base_url)
    if settings.demo:
        where += " (demo)"
    return SourceChoice(settings.source_name, settings.source_kind, where)


def named_choice(source: NamedSource, env: Mapping[str, str]) -> SourceChoice:
    if source.kind == "buddy":
        where = f"{source.workspace or '?'}/{source.project or '?'}"
    else:
        where = _host(source.base_url or env.get(ENV_BASE_URL) or DEFAULT_BASE_URL)
    return SourceChoice(source.name, source.kind, where, named=source)


class SourceBook:
    """Which source is current, the choices, and each source's last query."""

    def __init__(self, launch: Settings, *, env: Mapping[str, str] | None = None) -> None:
        self.launch = launch
        self._env = env
        self.current = launch_choice(launch)
        self._queries: dict[str | None, str] = {}

    @property
    def env(self) -> Mapping[str, str]:
        return os.environ if self._env is None else self._env

    # -- each source's query -------------------------------------------------------------

    def remember(self, text: str) -> None:
        """``text`` was applied to the current source."""
        self._queries[self.current.key] = text

    def query_for(self, choice: SourceChoice, current_text: str) -> str:
        """The query to show once ``choice`` is current: its own last one, else the
        current one for a source of the same kind, else none."""
        if choice.key in self._queries:
            return self._queries[choice.key]
        return current_text if choice.kind == self.current.kind else ""

    # -- the choices ---------------------------------------------------------------------

    def choices(self, named: Mapping[str, NamedSource]) -> list[SourceChoice]:
        """The launch source first (when it had no name), then config.toml's in its
        order; a source named at start is listed once, with the settings it began with."""
        launch = launch_choice(self.launch)
        rows = [] if launch.key in named else [launch]
        for name, source in named.items():
            rows.append(launch if name == launch.key else named_choice(source, self.env))
        return [replace(row, current=row.key == self.current.key) for row in rows]

    def settings_for(self, choice: SourceChoice) -> Settings:
        """The settings to open ``choice`` with; ConfigError, naming the variable or the
        table at fault, when it cannot be opened (nothing has changed then)."""
        named = choice.named
        if named is None or choice.key == self.launch.source_name:
            if self.launch.source_file == STDIN:
                raise ConfigError(
                    "standard input was read once and cannot be read again; save the logs "
                    "to a file and open it with --file PATH"
                )
            return self.launch
        variable = named.key_env
        if not self.env.get(variable, "").strip():
            raise ConfigError(f"{variable} is not set: export it, then switch again")
        launch = self.launch
        try:
            if named.kind == "buddy":
                if not named.workspace or not named.project:
                    raise ConfigError(
                        "a Buddy source needs workspace and project, as in "
                        'app.buddy.works/WORKSPACE/PROJECT: workspace = "acme" project = "agents"'
                    )
                settings = buddy_settings_from_env(
                    self.env,
                    workspace=named.workspace,
                    project=named.project,
                    pipelines=named.pipelines,
                    token_env=variable,
                    base_url=named.base_url,
                    poll_interval=launch.poll_interval,
                    lag_s=launch.lag_s,
                )
            else:
                settings = settings_from_env(
                    self.env,
                    poll_interval=launch.poll_interval,
                    lag_s=launch.lag_s,
                    key_env=variable,
                    base_url=named.base_url,
                )
        except ConfigError as error:
            raise ConfigError(f"[sources.{named.name}]: {error}") from None
        debuglog.register_secret(settings.api_key.reveal())
        return replace(settings, source_name=named.name, tz=launch.tz)

    def switched(self, choice: SourceChoice) -> None:
        """``choice`` is the current source from now on."""
        self.current = replace(choice, current=True)
