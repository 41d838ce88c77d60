"""`toolwatch serve`: the screen in a browser, one session per tab, private by default.

It binds to loopback unless --host says otherwise, and prints the URL alone as its first
line, with a token new for each run; the page, its assets and its websocket answer only
that token or the cookie it sets (tui/serve/server.py). Each tab runs `python -m tui`
with the flags given here, its API key inherited through the environment only.
aiohttp and textual-serve (the `serve` extra) are imported inside `run`, once the flags
are read, so no other command loads them, nor Textual.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import os
import secrets
import shlex
import sys
from pathlib import Path

from tui.cli.command import EXIT_INTERRUPTED, EXIT_OK, warn
from tui.cli.query_flags import query_flag
from tui.config import parse_interval, parse_seconds, settings_from_env
from tui.errors import ConfigError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
NOTE = (
    "serving the screen at the URL above: each browser tab that opens it gets its own "
    "session; Ctrl+C stops them all"
)
NATIVE_DISPLAY_ENV = ("DISPLAY", "WAYLAND_DISPLAY")
INSTALL_HINT = "toolwatch serve needs the serve extra: pip install 'toolwatch[serve]'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Serve the screen to a browser. The first line printed is the URL, with a token "
        "new for this run; open it here, or from another machine through an SSH port "
        f"forward: ssh -L {DEFAULT_PORT}:127.0.0.1:{DEFAULT_PORT} thishost. Needs "
        "pip install 'toolwatch[serve]'."
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; reach it "
        "from elsewhere with an SSH port forward)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    # The screen's own flags, here too so they may follow `serve`; SUPPRESS keeps a
    # value given before it (`toolwatch --query x serve`).
    for flag, metavar, what in (
        ("--query", "QUERY", "start each tab with this query"),
        ("--interval", "SECONDS", "seconds between polls (default 2)"),
        ("--lag", "SECONDS", "how late a log may become visible and still be shown"),
    ):
        parser.add_argument(flag, metavar=metavar, default=argparse.SUPPRESS, help=what)


def screen_argv(args: argparse.Namespace) -> list[str]:
    """The flags each tab's screen runs with: those given to serve, checked here first
    so a mistake is said once, in this terminal, not in every tab."""
    parse_interval(args.interval)
    parse_seconds("--lag", args.lag)
    argv = ["--interval", args.interval, "--lag", args.lag]
    if args.query is not None:
        query_flag(args.query)
        argv += ["--query", args.query]
    if args.file is not None:
        if args.demo:
            raise ConfigError("--file and --demo are two sources of logs; give one of them")
        if args.file == "-":
            raise ConfigError(
                "serve runs a screen per browser tab; they cannot share a pipe, "
                "so give --file a file"
            )
        argv += ["--file", str(Path(args.file).resolve())]
    if args.demo:
        argv.append("--demo")
        if args.faults is not None:
            argv += ["--faults", args.faults]
    # Which source: the kind, a named source of config.toml, Buddy's workspace and project.
    for flag, value in (
        ("--source", args.source),
        ("-s", args.source_name),
        ("--workspace", args.workspace),
        ("--project", args.project),
    ):
        if value is not None:
            argv += [flag, value]
    for pipeline in args.pipeline or ():
        argv += ["--pipeline", pipeline]
    if args.file is None and not args.demo and args.source is None and args.source_name is None:
        settings_from_env()  # no key: say so now, not in a browser tab
    if args.log_level is not None:
        argv += ["--log-level", args.log_level]
    return argv


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything


def beyond_loopback_warning(host: str, port: int) -> str:
    return (
        f"--host {host} serves the screen beyond this machine: anyone who can reach port "
        f"{port} here and has the printed URL sees every log your key can read, and the "
        "connection is plain http, so anyone on the network between can read the screen and "
        "the token too. The default (127.0.0.1) with `ssh -L "
        f"{port}:127.0.0.1:{port} thishost` keeps it to those with SSH access."
    )


def url_for(host: str, port: int, token: str) -> str:
    shown = DEFAULT_HOST if host in ("0.0.0.0", "::", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/?token={token}"


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port {args.port}: give a port from 1 to 65535 (0 picks a free one)")
    command = shlex.join([sys.executable, "-m", "tui", *screen_argv(args)])
    try:
        from tui.serve.server import TokenServer
    except ImportError:
        raise ConfigError(INSTALL_HINT) from None
    if not is_loopback(args.host):
        warn(beyond_loopback_warning(args.host, args.port))
    # A tab's screen must not reach for this machine's desktop clipboard (tui/clipboard.py
    # copies natively where a display is set): the copy belongs in the browser's.
    for name in NATIVE_DISPLAY_ENV:
        os.environ.pop(name, None)
    token = secrets.token_urlsafe(24)
    server = TokenServer(command, host=args.host, port=args.port, token=token)
    try:
        asyncio.run(server.run(lambda port: url_for(args.host, port, token), NOTE))
    except OSError as error:
        raise ConfigError(
            f"cannot listen on {args.host}:{args.port} ({error.strerror or error}); "
            "is another serve running there? --port picks another (0: any free one)"
        ) from None
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return EXIT_OK
