"""The settings the shared flags ask for: the API from the environment (Composio, or
Buddy.works with --source buddy), a named source of config.toml (-s NAME), a file, or a
built-in demo server (started here, and stopped when the command is done)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import tzinfo
from typing import TYPE_CHECKING

from tui import debuglog
from tui.config import (
    DEFAULT_LAG_S,
    NamedSource,
    Secret,
    Settings,
    buddy_settings_from_env,
    named_sources,
    parse_pipelines,
    read_config,
    settings_from_env,
    time_zone,
)
from tui.constants import BUDDY_ENV_TOKEN, ENV_API_KEY
from tui.errors import ConfigError
from tui.locations import config_path


def configured_zone() -> tzinfo | None:
    """The zone times are shown and read in: ``timezone`` in config.toml, else local
    time (None: the machine's, which TZ sets), for the screen and the headless commands
    alike; ConfigError when it names no zone."""
    path = config_path()
    return time_zone(read_config(path).get("timezone"), str(path))


if TYPE_CHECKING:
    from tui.demo import FaultPlan


@contextmanager
def settings_from_flags(
    args: argparse.Namespace,
    interval: float = 2.0,
    lag: float = DEFAULT_LAG_S,
    query_text: str | None = None,
) -> Iterator[Settings]:
    zone = configured_zone()
    named = _named(args.source_name)
    kind = args.source or (named.kind if named else "composio")
    pipelines = parse_pipelines(args.pipeline) if args.pipeline else ()
    if args.file is not None:
        if args.demo:
            raise ConfigError("--file and --demo are two sources of logs; give one of them")
        # No key needed to read a file; curls copied from it still point at the API.
        settings = settings_from_env(poll_interval=interval, lag_s=lag, need_key=False)
        debuglog.register_secret(settings.api_key.reveal())  # a no-op without a key
        yield replace(settings, query_text=query_text, source_file=args.file, tz=zone)
    elif args.demo:
        from tui.demo import DemoServer
        from tui.demo.buddy_server import BuddyDemoServer
        from tui.demo.buddy_world import PROJECT, WORKSPACE

        faults = _faults(args)
        server = BuddyDemoServer(faults=faults) if kind == "buddy" else DemoServer(faults=faults)
        with server:
            secret = server.token if isinstance(server, BuddyDemoServer) else server.api_key
            debuglog.register_secret(secret)
            settings = Settings(
                base_url=server.url,
                api_key=Secret(secret),
                demo=True,
                poll_interval=interval,
                lag_s=lag,
                query_text=query_text,
                tz=zone,
            )
            if kind == "buddy":
                settings = replace(
                    settings,
                    source_kind=kind,
                    key_env=BUDDY_ENV_TOKEN,
                    workspace=WORKSPACE,
                    project=PROJECT,
                    pipelines=pipelines,
                )
            yield settings
    elif kind == "buddy":
        settings = buddy_settings_from_env(
            workspace=args.workspace or (named.workspace if named else None),
            project=args.project or (named.project if named else None),
            pipelines=pipelines or (named.pipelines if named else ()),
            token_env=named.key_env if named and named.kind == "buddy" else BUDDY_ENV_TOKEN,
            base_url=named.base_url if named else None,
            poll_interval=interval,
            lag_s=lag,
        )
        debuglog.register_secret(settings.api_key.reveal())
        yield replace(settings, query_text=query_text, source_name=args.source_name, tz=zone)
    else:
        settings = settings_from_env(
            poll_interval=interval,
            lag_s=lag,
            key_env=named.key_env if named else ENV_API_KEY,
            base_url=named.base_url if named else None,
        )
        debuglog.register_secret(settings.api_key.reveal())
        yield replace(settings, query_text=query_text, source_name=args.source_name, tz=zone)


def _named(name: str | None) -> NamedSource | None:
    """The ``[sources.NAME]`` of config.toml; ConfigError lists the names there are."""
    if name is None:
        return None
    path = config_path()
    found = named_sources(read_config(path), str(path))
    if name not in found:
        known = ", ".join(sorted(found)) or "none yet"
        raise ConfigError(
            f"-s {name}: no [sources.{name}] in {path} (named sources there: {known}); "
            'add one, such as [sources.ci] kind = "buddy" token_env = "BUDDY_TOKEN" '
            'workspace = "acme" project = "agents"'
        )
    return found[name]


def _faults(args: argparse.Namespace) -> FaultPlan | None:
    from tui.demo import parse_fault_spec

    try:
        return None if args.faults is None else parse_fault_spec(args.faults)
    except ValueError as error:
        raise ConfigError(f"--faults: {error}") from None
