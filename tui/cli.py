"""Command line: the TUI (`toolwatch`) and its headless twin (`list`, `get`, `demo-server`).

Headless commands print JSON for scripts and must never import Textual (a test
checks): the TUI is imported lazily, only when it is what was asked for.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from tui import __version__, debuglog, jsonout
from tui.config import (
    KEY_FLAG_MESSAGE,
    ConfigError,
    Secret,
    Settings,
    parse_interval,
    settings_from_env,
)
from tui.constants import DEFAULT_LIMIT, ENV_API_KEY, ENV_BASE_URL, MAX_LIMIT
from tui.query import LogQuery
from tui.redact import redact_json
from tui.sources.composio import ComposioClient
from tui.sources.errors import ApiError

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2

_KEY_FLAGS = ("--api-key", "--key", "--apikey", "--token", "--composio-api-key")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--demo",
        action="store_true",
        help="use a built-in Composio-compatible server with live sample traffic (no key needed)",
    )
    common.add_argument(
        "--log-level",
        metavar="LEVEL",
        help="debug|info|warning|error|off: write a debug log (also TOOLWATCH_LOG_LEVEL)",
    )

    parser = argparse.ArgumentParser(
        prog="toolwatch",
        parents=[common],
        description=(
            "Watch and triage the tool calls AI agents make through Composio. "
            f"Reads {ENV_API_KEY} (and {ENV_BASE_URL}, default https://backend.composio.dev) "
            "from the environment; the key is never taken as a flag."
        ),
        epilog=f"Debug log file: {debuglog.log_path()}",
    )
    parser.add_argument("--version", action="version", version=f"toolwatch {__version__}")
    parser.add_argument(
        "--interval",
        metavar="SECONDS",
        default="2",
        help="seconds between polls (default 2)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p_list = sub.add_parser(
        "list", parents=[common], help="print the newest logs as JSON lines, newest first"
    )
    p_list.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"how many logs (default {DEFAULT_LIMIT}; more than {MAX_LIMIT} pages through)",
    )

    p_get = sub.add_parser("get", parents=[common], help="print one log's detail as JSON")
    p_get.add_argument("log_id", metavar="LOG_ID")
    p_get.add_argument(
        "--trace", action="store_true", help="print the per-step execution log instead"
    )
    p_get.add_argument(
        "--show-secrets",
        action="store_true",
        help="with --trace: show credential headers of network requests unredacted",
    )

    sub.add_parser(
        "demo-server",
        help="run the built-in Composio-compatible server standalone "
        "(demo-server [--port N] [--rate R] [--seed S])",
        add_help=False,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if any(a.split("=", 1)[0] in _KEY_FLAGS for a in args_list):
        print(f"toolwatch: {KEY_FLAG_MESSAGE}", file=sys.stderr)
        return EXIT_USAGE
    if args_list[:1] == ["demo-server"]:
        from tui.demo import main as demo_main

        return demo_main(args_list[1:])

    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        debuglog.configure(args.log_level)
        if args.command == "list":
            if args.limit < 1:
                raise ConfigError(f"--limit must be at least 1, not {args.limit}")
            return _run_headless(args, _ListCommand(args))
        if args.command == "get":
            return _run_headless(args, _GetCommand(args))
        return _run_tui(args)
    except ConfigError as error:
        print(f"toolwatch: {error}", file=sys.stderr)
        return EXIT_USAGE


@contextmanager
def _settings(args: argparse.Namespace, interval: float = 2.0) -> Iterator[Settings]:
    if args.demo:
        from tui.demo import DemoServer

        with DemoServer() as server:
            debuglog.register_secret(server.api_key)
            yield Settings(
                base_url=server.url,
                api_key=Secret(server.api_key),
                demo=True,
                poll_interval=interval,
            )
    else:
        settings = settings_from_env(poll_interval=interval)
        debuglog.register_secret(settings.api_key.reveal())
        yield settings


def _run_tui(args: argparse.Namespace) -> int:
    interval = parse_interval(args.interval)
    with _settings(args, interval) as settings:
        from tui.app import ToolwatchApp

        ToolwatchApp(settings).run()
    return EXIT_OK


def _run_headless(args: argparse.Namespace, job: _Job) -> int:
    with _settings(args) as settings:
        try:
            return asyncio.run(job.run(settings, sys.stdout))
        except ApiError as error:
            print(f"toolwatch: {_explain(error)}", file=sys.stderr)
            return EXIT_API_ERROR
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            # `toolwatch list | head` closed the pipe: not an error worth a traceback.
            sys.stderr.close()
            return EXIT_OK


def _explain(error: ApiError) -> str:
    return (
        f"{error} {error.hint}".strip()
        if error.hint and error.hint not in str(error)
        else str(error)
    )


class _Job:
    async def run(self, settings: Settings, out: TextIO) -> int:
        raise NotImplementedError


class _ListCommand(_Job):
    def __init__(self, args: argparse.Namespace) -> None:
        self.limit: int = args.limit

    async def run(self, settings: Settings, out: TextIO) -> int:
        async with _client(settings) as client:
            cursor: str | None = None
            remaining = self.limit
            # The cursor is page-numbered (it decodes to {"page": N}): every page
            # must be asked for with the same limit or pages overlap.
            page_size = min(self.limit, MAX_LIMIT)
            while remaining > 0:
                page = await client.list_logs(LogQuery(), limit=page_size, cursor=cursor)
                for entry in page.entries[:remaining]:
                    out.write(jsonout.dumps(entry.raw) + "\n")
                remaining -= len(page.entries)
                for problem in page.skipped:
                    print(f"toolwatch: skipped an unreadable log: {problem}", file=sys.stderr)
                if page.next_cursor is None or not page.entries:
                    break
                cursor = page.next_cursor
            out.flush()
        return EXIT_OK


class _GetCommand(_Job):
    def __init__(self, args: argparse.Namespace) -> None:
        self.log_id: str = args.log_id
        self.trace: bool = args.trace
        self.show_secrets: bool = args.show_secrets

    async def run(self, settings: Settings, out: TextIO) -> int:
        async with _client(settings) as client:
            if self.trace:
                trace = (await client.get_trace(self.log_id)).model_dump(mode="json", by_alias=True)
                data = trace if self.show_secrets else redact_json(trace)
            else:
                detail = await client.get_detail(self.log_id)
                data = redact_json(detail.model_dump(mode="json", by_alias=True))
            out.write(jsonout.dumps(data, indent=2) + "\n")
            out.flush()
        return EXIT_OK


def _client(settings: Settings) -> ComposioClient:
    return ComposioClient(api_key=settings.api_key.reveal(), base_url=settings.base_url)
