"""`toolwatch demo-server`: run the demo server standalone until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from types import FrameType

from tui.constants import ENV_API_KEY, ENV_BASE_URL
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
    parser.add_argument("--rate", type=float, default=3.0, help="new logs per second (default 3)")
    parser.add_argument("--seed", type=int, default=7, help="traffic seed (default 7)")
    parser.add_argument("--prefill", type=int, default=300, help="logs already there (300)")
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
    if not 0 <= args.port <= 65535 or args.rate < 0 or args.prefill < 0:
        print(
            "toolwatch demo-server: --port, --rate and --prefill are out of range", file=sys.stderr
        )
        return 2
    server = DemoServer(
        seed=args.seed, rate=args.rate, prefill=args.prefill, port=args.port, faults=args.faults
    )
    try:
        server.start()
    except OSError as error:
        print(f"toolwatch demo-server: cannot listen on port {args.port}: {error}", file=sys.stderr)
        return 1
    # SIGTERM ends the server as cleanly as Ctrl-C does: no traceback, exit 0.
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop) if on_main_thread else None
    try:
        print(f"export {ENV_BASE_URL}={server.url}")
        print(f"export {ENV_API_KEY}={server.api_key}", flush=True)
        faults = "" if args.faults is None else ", with faults"
        print(
            f"toolwatch demo server on {server.url} (seed {args.seed}, {args.rate:g} logs/s"
            f"{faults}): run the two export lines above in another shell, then `toolwatch`. "
            "Ctrl-C stops.",
            file=sys.stderr,
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)
        server.stop()
    return 0
