"""`toolwatch` with no command: the screen. Textual is imported here, inside `run`, and
only once the flags are read, so the headless commands never load it (a test checks)."""

from __future__ import annotations

import argparse

from tui.cli.command import EXIT_OK
from tui.cli.query_flags import flags_kind, query_flag
from tui.cli.settings import settings_from_flags
from tui.config import parse_interval, parse_seconds
from tui.crash import EXIT_BUG
from tui.sources.open import open_source


def run(args: argparse.Namespace) -> int:
    interval = parse_interval(args.interval)
    lag = parse_seconds("--lag", args.lag)
    if args.query is not None:
        # A bad query is a usage error here, not a screen's status.
        query_flag(args.query, kind=flags_kind(args))
    # A file is a recording: start with what is asked, not the last live query (a
    # since:1h from yesterday's session would hide all of it).
    query_text = args.query if args.query is not None or args.file is None else ""
    with settings_from_flags(args, interval, lag, query_text=query_text) as settings:
        source = open_source(settings, for_screen=True)
        from tui.ui.app import ToolwatchApp

        app = ToolwatchApp(settings, source=source)
        app.run()
    # Textual has restored the terminal and printed the crash's one line by now.
    return EXIT_BUG if app.crashed is not None else EXIT_OK
