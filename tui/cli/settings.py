"""The settings the shared flags ask for: the API from the environment, a file, or the
built-in demo server (started here, and stopped when the command is done)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import tzinfo

from tui import debuglog
from tui.config import DEFAULT_LAG_S, Secret, Settings, settings_from_env, time_zone
from tui.errors import ConfigError
from tui.locations import config_path
from tui.views import read_config


def configured_zone() -> tzinfo | None:
    """The zone times are shown and read in: ``timezone`` in config.toml, else local
    time (None: the machine's, which TZ sets), for the screen and the headless commands
    alike; ConfigError when it names no zone."""
    path = config_path()
    return time_zone(read_config(path).get("timezone"), str(path))


@contextmanager
def settings_from_flags(
    args: argparse.Namespace,
    interval: float = 2.0,
    lag: float = DEFAULT_LAG_S,
    query_text: str | None = None,
) -> Iterator[Settings]:
    zone = configured_zone()
    if args.file is not None:
        if args.demo:
            raise ConfigError("--file and --demo are two sources of logs; give one of them")
        # No key needed to read a file; curls copied from it still point at the API.
        settings = settings_from_env(poll_interval=interval, lag_s=lag, need_key=False)
        debuglog.register_secret(settings.api_key.reveal())  # a no-op without a key
        yield replace(settings, query_text=query_text, source_file=args.file, tz=zone)
    elif args.demo:
        from tui.demo import DemoServer, parse_fault_spec

        try:
            faults = None if args.faults is None else parse_fault_spec(args.faults)
        except ValueError as error:
            raise ConfigError(f"--faults: {error}") from None
        with DemoServer(faults=faults) as server:
            debuglog.register_secret(server.api_key)
            yield Settings(
                base_url=server.url,
                api_key=Secret(server.api_key),
                demo=True,
                poll_interval=interval,
                lag_s=lag,
                query_text=query_text,
                tz=zone,
            )
    else:
        settings = replace(
            settings_from_env(poll_interval=interval, lag_s=lag), query_text=query_text, tz=zone
        )
        debuglog.register_secret(settings.api_key.reveal())
        yield settings
