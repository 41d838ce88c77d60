"""Command line: the TUI (`toolwatch`) and its headless twin (`list`, `get`, `tail`,
`demo-server`).

Headless commands print JSON for scripts and must never import Textual (a test
checks): the screen is imported lazily, by `screen_cmd.run`, only when it is what was
asked for. Each command is a module; adding one is that module and a line in COMMANDS.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from tui import debuglog
from tui.cli import (
    demo_server_cmd,
    get_cmd,
    list_cmd,
    screen_cmd,
    serve_cmd,
    stats_cmd,
    tail_cmd,
    watch_cmd,
)
from tui.cli.command import EXIT_USAGE, Command
from tui.cli.parser import KEY_FLAGS, parse_args
from tui.config import KEY_FLAG_MESSAGE
from tui.crash import EXIT_BUG, crash_message, write_report
from tui.errors import ConfigError

__all__ = ["COMMANDS", "EXIT_USAGE", "main"]

# The subcommands, in the order `toolwatch --help` lists them.
COMMANDS: tuple[Command, ...] = (
    list_cmd.COMMAND,
    get_cmd.COMMAND,
    tail_cmd.COMMAND,
    stats_cmd.COMMAND,
    watch_cmd.COMMAND,
    serve_cmd.COMMAND,
)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if any(a.split("=", 1)[0] in KEY_FLAGS for a in args_list):
        print(f"toolwatch: {KEY_FLAG_MESSAGE}", file=sys.stderr)
        return EXIT_USAGE
    if args_list[:1] == [demo_server_cmd.NAME]:
        return demo_server_cmd.run(args_list[1:])

    args = parse_args(args_list, COMMANDS)
    # No command opens the screen. So does `demo-server` after a flag, as it always has:
    # it runs only as the first word, since its flags are not toolwatch's.
    run = {command.name: command.run for command in COMMANDS}.get(args.command, screen_cmd.run)
    try:
        debuglog.configure(args.log_level)
        if args.faults is not None and not args.demo:
            raise ConfigError(
                "--faults makes the built-in demo server misbehave; add --demo, or run "
                "`toolwatch demo-server --faults ...` and point toolwatch at it"
            )
        return run(args)
    except ConfigError as error:
        print(f"toolwatch: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # a bug: Python's traceback could quote a log's contents
        print(crash_message(error, write_report(error)), file=sys.stderr)
        return EXIT_BUG
