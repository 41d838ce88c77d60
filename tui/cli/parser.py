"""The command line's grammar: the flags every command shares, the screen's own, and a
subcommand per `Command` (each adds its own flags)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from tui import __version__, debuglog, locations
from tui.cli import demo_server_cmd
from tui.cli.command import Command
from tui.config import DEFAULT_LAG_S, SOURCE_KINDS
from tui.constants import BUDDY_ENV_TOKEN, ENV_API_KEY, ENV_BASE_URL
from tui.sources.limits import DEFAULT_MAX_RESPONSE_MB, ENV_MAX_RESPONSE_MB

# Refused before parsing: the key is read from the environment only, never from a flag.
KEY_FLAGS = ("--api-key", "--key", "--apikey", "--token", "--composio-api-key")

# The shared flags' defaults, filled in after parsing (see _common_flags for why).
COMMON_DEFAULTS: dict[str, object] = {
    "demo": False,
    "faults": None,
    "log_level": None,
    "file": None,
    "source": None,
    "source_name": None,
    "workspace": None,
    "project": None,
    "pipeline": None,
}


def parse_args(argv: Sequence[str], commands: Sequence[Command]) -> argparse.Namespace:
    """``argv`` read with ``commands`` as the subcommands; the shared flags always set.

    Only the command given adds its flags (and so is imported): a first pass without
    any command's own flags finds which one it is. The shared flags are the same in both
    passes, so it finds the one the full grammar would; when that pass cannot tell (an
    error, ``--help``), every command's flags are read, as the full grammar says them."""
    chosen = _command_given(argv, commands)
    args = build_parser(commands, only=chosen).parse_args(argv)
    for name, default in COMMON_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    return args


class _CannotTell(Exception):
    pass


class _FirstPass(argparse.ArgumentParser):
    """Says nothing and exits nothing: an error means "read it whole"."""

    def error(self, message: str) -> NoReturn:
        raise _CannotTell(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _CannotTell(message or "")


def _command_given(argv: Sequence[str], commands: Sequence[Command]) -> str | None:
    if any(arg in ("-h", "--help", "--version") for arg in argv):
        return None
    parser = build_parser(commands, only="", parser_class=_FirstPass)
    try:
        found, _ = parser.parse_known_args(argv)
    except _CannotTell:
        return None
    name = getattr(found, "command", None)
    return name if isinstance(name, str) else ""


def build_parser(
    commands: Sequence[Command],
    *,
    only: str | None = None,
    parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser,
) -> argparse.ArgumentParser:
    """The grammar; with ``only``, just that command's own flags are added (``""``: no
    command's), the rest are listed with their help line."""
    common = _common_flags()
    parser = parser_class(
        prog="toolwatch",
        parents=[common],
        description=(
            "Watch and triage the tool calls AI agents make through Composio. "
            f"Reads {ENV_API_KEY} (and {ENV_BASE_URL}, default https://backend.composio.dev) "
            "from the environment; the key is never taken as a flag."
        ),
        epilog=(
            f"Debug log file: {debuglog.log_path()}. Also read from the environment: "
            f"{ENV_MAX_RESPONSE_MB} (largest API answer read, in MB; default "
            f"{DEFAULT_MAX_RESPONSE_MB}), {locations.ENV_CONFIG_DIR}, {locations.ENV_STATE_DIR} "
            f"and {locations.ENV_EXPORT_DIR} (where files go), TOOLWATCH_LOG_LEVEL."
        ),
    )
    parser.add_argument("--version", action="version", version=f"toolwatch {__version__}")
    parser.add_argument(
        "--interval",
        metavar="SECONDS",
        default="2",
        help="seconds between polls (default 2)",
    )
    parser.add_argument(
        "--lag",
        metavar="SECONDS",
        default=f"{DEFAULT_LAG_S:g}",
        help=f"how late a log may become visible and still be shown (default {DEFAULT_LAG_S:g})",
    )
    parser.add_argument(
        "--query",
        "-q",
        metavar="QUERY",
        default=None,
        help="start with this query in the bar instead of the last one applied",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in commands:
        grammar = sub.add_parser(command.name, parents=[common], help=command.help)
        if only is None or only == command.name:
            command.add_arguments(grammar)
    sub.add_parser(demo_server_cmd.NAME, help=demo_server_cmd.HELP, add_help=False)
    return parser


def _common_flags() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # Shared options are given before or after the command (`toolwatch --demo list` and
    # `toolwatch list --demo`). A subcommand's own default would overwrite a value given
    # before it, so none has one here; COMMON_DEFAULTS fills them in after parsing.
    common.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use a built-in Composio-compatible server with live sample traffic (no key needed)",
    )
    common.add_argument(
        "--faults",
        metavar="SPEC",
        default=argparse.SUPPRESS,
        help="with --demo: make the built-in server misbehave, e.g. 5xx=0.2,429=0.05,late=0.1 "
        "(toolwatch demo-server --help lists every fault)",
    )
    common.add_argument(
        "--file",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="read logs from a JSON-lines file (what `e` exports and `list` prints; - reads "
        "a pipe) instead of the API: same table and query, followed as the file grows",
    )
    common.add_argument(
        "--source",
        choices=SOURCE_KINDS,
        default=argparse.SUPPRESS,
        help="which kind of API to watch: composio (the default) or buddy (Buddy.works "
        f"pipeline runs; the token is read from {BUDDY_ENV_TOKEN})",
    )
    common.add_argument(
        "-s",
        dest="source_name",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="use the source [sources.NAME] of config.toml (its kind, the variable its key "
        "is read from, base_url, and for Buddy workspace, project and pipelines)",
    )
    common.add_argument(
        "--workspace",
        metavar="DOMAIN",
        default=argparse.SUPPRESS,
        help="with --source buddy: the workspace (app.buddy.works/DOMAIN)",
    )
    common.add_argument(
        "--project",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="with --source buddy: the project's name",
    )
    common.add_argument(
        "--pipeline",
        metavar="ID",
        action="append",
        default=argparse.SUPPRESS,
        help="with --source buddy: watch only this pipeline (repeat it, or 12,14); "
        "default: every pipeline of the project",
    )
    common.add_argument(
        "--log-level",
        metavar="LEVEL",
        default=argparse.SUPPRESS,
        help="debug|info|warning|error|off: write a debug log (also TOOLWATCH_LOG_LEVEL)",
    )
    return common
