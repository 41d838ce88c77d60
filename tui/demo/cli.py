"""`toolwatch demo-server`: run the demo server (`--buddy`: the Buddy one) standalone until
Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

from tui.constants import BUDDY_ENV_BASE_URL, BUDDY_ENV_TOKEN, ENV_API_KEY, ENV_BASE_URL
from tui.demo.buddy_server import BuddyDemoServer
from tui.demo.buddy_world import PROJECT, WORKSPACE
from tui.demo.fault_spec import FAULT_SPEC_HELP, parse_fault_spec
from tui.demo.faults import FaultPlan
from tui.demo.server import DemoServer


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="toolwatch demo-server",
        description="Serve a Composio-compatible API with live sample tool-call traffic.",
        epilog=FAULT_SPEC_HELP,
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument(
        "--rate", type=float, help="new logs per second (default 3; --buddy: runs, 0.1)"
    )
    parser.add_argument("--seed", type=int, default=7, help="traffic seed (default 7)")
    parser.add_argument("--prefill", type=int, help="logs already there (300; --buddy: runs, 40)")
    parser.add_argument(
        "--buddy",
        action="store_true",
        help="serve Buddy.works' API instead: pipelines whose runs play out live",
    )
    parser.add_argument(
        "--faults",
        type=_fault_plan,
        metavar="SPEC",
        help="inject faults, e.g. 5xx=0.1,late=0.1:10s,burst=500/5s (see below)",
    )
    return parser


def _fault_plan(text: str) -> FaultPlan:
    try:
        return parse_fault_spec(text)
    except ValueError as error:
        # argparse prints this after "argument --faults:" and exits with status 2.
        raise argparse.ArgumentTypeError(str(error)) from None


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help or a usage error, already printed by argparse
        return done.code if isinstance(done.code, int) else 2
    if args.rate is None:
        args.rate = 0.1 if args.buddy else 3.0
    if args.prefill is None:
        args.prefill = 40 if args.buddy else 300
    if not 0 <= args.port <= 65535 or args.rate < 0 or args.prefill < 0:
        print(
            "toolwatch demo-server: --port, --rate and --prefill are out of range", file=sys.stderr
        )
        return 2
    kind = BuddyDemoServer if args.buddy else DemoServer
    server = kind(
        seed=args.seed, rate=args.rate, prefill=args.prefill, port=args.port, faults=args.faults
    )
    try:
        server.start()
    except OSError as error:
        print(f"toolwatch demo-server: cannot listen on port {args.port}: {error}", file=sys.stderr)
        return 1
    faults = "" if args.faults is None else ", with faults"
    if isinstance(server, BuddyDemoServer):
        exports = {BUDDY_ENV_BASE_URL: server.url, BUDDY_ENV_TOKEN: server.token}
        what = f"Buddy demo server on {server.url} (seed {args.seed}, a run every "
        what += f"{1 / args.rate if args.rate else 0:g} s{faults})"
        then = f"toolwatch --source buddy --workspace {WORKSPACE} --project {PROJECT}"
    else:
        exports = {ENV_BASE_URL: server.url, ENV_API_KEY: server.api_key}
        what = f"demo server on {server.url} (seed {args.seed}, {args.rate:g} logs/s{faults})"
        then = "toolwatch"
    for name, value in exports.items():
        print(f"export {name}={value}", flush=True)
    print(
        f"toolwatch {what}: run the two export lines above in another shell, then `{then}`. "
        "Ctrl-C stops.",
        file=sys.stderr,
        flush=True,
    )
    return _serve_until_stopped(server.stop)


def _serve_until_stopped(stop: Callable[[], None]) -> int:
    """Wait for Ctrl-C; SIGTERM ends the server as cleanly: no traceback, exit 0."""
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if on_main_thread else None
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)
        stop()
    return 0
