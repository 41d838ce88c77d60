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
from tui.cli import demo_server_cmd
from tui.cli.command import EXIT_USAGE, Command
from tui.cli.parser import KEY_FLAGS, parse_args
from tui.config import KEY_FLAG_MESSAGE
from tui.errors import ConfigError

__all__ = ["COMMANDS", "EXIT_USAGE", "main"]

# The subcommands, in the order `toolwatch --help` lists them; each module is imported
# only when its command is given.
COMMANDS: tuple[Command, ...] = (
    Command("list", "print the newest logs as JSON lines, newest first", "tui.cli.list_cmd"),
    Command("get", "print one log's detail as JSON", "tui.cli.get_cmd"),
    Command(
        "tail",
        "follow the logs as JSON lines, oldest first, each once, until stopped",
        "tui.cli.tail_cmd",
    ),
    Command(
        "stats",
        "count calls, failures, error rate and p50/p95/p99 per toolkit, tool, user, ...",
        "tui.cli.stats_cmd",
    ),
    Command(
        "watch",
        "follow the logs and print a JSON line when an alert rule fires or resolves",
        "tui.cli.watch_cmd",
    ),
    Command(
        "serve",
        "serve the screen to a browser (one session per tab; loopback and a token by default)",
        "tui.cli.serve_cmd",
    ),
)
# No command: the screen.
SCREEN = Command("", "", "tui.cli.screen_cmd")


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
    run = {command.name: command.run for command in COMMANDS}.get(args.command, SCREEN.run)
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
        from tui.crash import EXIT_BUG, crash_message, write_report  # only on a bug

        print(crash_message(error, write_report(error)), file=sys.stderr)
        return EXIT_BUG
