"""Command line: the TUI (`toolwatch`) and its headless twin (`list`, `get`, `tail`,
`demo-server`).

Headless commands print JSON for scripts and must never import Textual (a test
checks): the TUI is imported lazily, only when it is what was asked for. `tail`
follows the logs with `LiveTail` until a count, a time limit, Ctrl-C or a closed pipe.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import aclosing, contextmanager
from dataclasses import replace
from datetime import UTC
from typing import TYPE_CHECKING, TextIO

from tui import __version__, debuglog, fmt, jsonout
from tui.config import (
    DEFAULT_LAG_S,
    KEY_FLAG_MESSAGE,
    Secret,
    Settings,
    parse_count,
    parse_interval,
    parse_seconds,
    settings_from_env,
)
from tui.constants import DEFAULT_LIMIT, ENV_API_KEY, ENV_BASE_URL, MAX_LIMIT
from tui.errors import ApiError, ConfigError
from tui.export import export_line
from tui.models.entry import LogEntry
from tui.query import LogQuery, QuerySyntaxError, TimeRange, parse_query, parse_time
from tui.redact import redact_json
from tui.sources.composio import ComposioClient
from tui.tail import Gap, LiveTail, Retrying, Stopped, TailBatch

if TYPE_CHECKING:
    from tui.sources.file import FileSource

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2

_KEY_FLAGS = ("--api-key", "--key", "--apikey", "--token", "--composio-api-key")
_TIME_FORMS = (
    "15m, 2h, 7d, 30s, 1w (back from now), an ISO time such as 2026-04-17 or "
    "2026-04-17T10:00 (with seconds, Z or +02:00; no zone means UTC) or epoch milliseconds"
)


def _add_query_flags(parser: argparse.ArgumentParser, *, counted: str, until: bool) -> None:
    parser.add_argument(
        "--query",
        "-q",
        metavar="QUERY",
        default="",
        help="only logs matching QUERY, in the language of the TUI's query bar, sent as the "
        "same API filters: tool:X (is), -user:X (is not), toolkit~X (contains), "
        "-session~X (does not contain), failed, ok, since:15m, until:TIME; terms are "
        "AND-combined. Bare words keep only logs whose message contains every word "
        "(case-insensitive), checked here on the logs fetched; nothing else changes "
        f"(the request is the same, {counted})",
    )
    parser.add_argument(
        "--since",
        metavar="TIME",
        help=f"only logs from TIME on, as since: in --query: {_TIME_FORMS}",
    )
    if until:
        parser.add_argument(
            "--until", metavar="TIME", help="only logs up to TIME, as until: in --query"
        )


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # Shared options are given before or after the command (`toolwatch --demo list` and
    # `toolwatch list --demo`). A subcommand's own default would overwrite a value given
    # before it, so none has one here; _COMMON_DEFAULTS fills them in after parsing.
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
        "--log-level",
        metavar="LEVEL",
        default=argparse.SUPPRESS,
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

    p_list = sub.add_parser(
        "list", parents=[common], help="print the newest logs as JSON lines, newest first"
    )
    p_list.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"how many logs (default {DEFAULT_LIMIT}; more than {MAX_LIMIT} pages through)",
    )
    _add_query_flags(p_list, counted="--limit counts the logs fetched", until=True)

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

    p_tail = sub.add_parser(
        "tail",
        parents=[common],
        help="follow the logs as JSON lines, oldest first, each once, until stopped",
    )
    p_tail.add_argument(
        "--interval",
        metavar="SECONDS",
        default=argparse.SUPPRESS,  # keeps `toolwatch --interval S tail` working too
        help="seconds between polls (default 2)",
    )
    p_tail.add_argument("--count", metavar="N", help="stop after printing N logs")
    p_tail.add_argument("--for", dest="for_s", metavar="SECONDS", help="stop after SECONDS")
    p_tail.add_argument(
        "--last",
        metavar="N",
        help="of the logs already there when it starts, print only the newest N "
        "(default: the newest page, up to 100; 0: only logs that arrive later)",
    )
    p_tail.add_argument(
        "--lag",
        metavar="SECONDS",
        default=argparse.SUPPRESS,  # keeps `toolwatch --lag S tail` working too
        help="how late a log may become visible and still be printed "
        f"(default {DEFAULT_LAG_S:g}); older late logs are missed",
    )
    _add_query_flags(p_tail, counted="--count and --last count the logs printed", until=False)

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
    for name, default in _COMMON_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    try:
        debuglog.configure(args.log_level)
        if args.faults is not None and not args.demo:
            raise ConfigError(
                "--faults makes the built-in demo server misbehave; add --demo, or run "
                "`toolwatch demo-server --faults ...` and point toolwatch at it"
            )
        if args.command == "list":
            if args.limit < 1:
                raise ConfigError(f"--limit must be at least 1, not {args.limit}")
            return _run_headless(args, _ListCommand(args))
        if args.command == "get":
            return _run_headless(args, _GetCommand(args))
        if args.command == "tail":
            return _run_headless(args, _TailCommand(args))
        return _run_tui(args)
    except ConfigError as error:
        print(f"toolwatch: {error}", file=sys.stderr)
        return EXIT_USAGE


_COMMON_DEFAULTS: dict[str, object] = {
    "demo": False,
    "faults": None,
    "log_level": None,
    "file": None,
}


@contextmanager
def _settings(
    args: argparse.Namespace,
    interval: float = 2.0,
    lag: float = DEFAULT_LAG_S,
    query_text: str | None = None,
) -> Iterator[Settings]:
    if args.file is not None:
        if args.demo:
            raise ConfigError("--file and --demo are two sources of logs; give one of them")
        # No key needed to read a file; curls copied from it still point at the API.
        settings = settings_from_env(poll_interval=interval, lag_s=lag, need_key=False)
        debuglog.register_secret(settings.api_key.reveal())  # a no-op without a key
        yield replace(settings, query_text=query_text, source_file=args.file)
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
            )
    else:
        settings = replace(
            settings_from_env(poll_interval=interval, lag_s=lag), query_text=query_text
        )
        debuglog.register_secret(settings.api_key.reveal())
        yield settings


def _run_tui(args: argparse.Namespace) -> int:
    interval = parse_interval(args.interval)
    lag = parse_seconds("--lag", args.lag)
    if args.query is not None:
        try:
            parse_query(args.query, now_ms=int(time.time() * 1000))
        except QuerySyntaxError as error:
            raise ConfigError(_pointed("--query", args.query, error)) from None
    # A file is a recording: start with what is asked, not the last live query (a
    # since:1h from yesterday's session would hide all of it).
    query_text = args.query if args.query is not None or args.file is None else ""
    with _settings(args, interval, lag, query_text=query_text) as settings:
        source = None if settings.source_file is None else _file_source(settings, tui=True)
        from tui.ui.app import ToolwatchApp

        ToolwatchApp(settings, source=source).run()
    return EXIT_OK


def _file_source(settings: Settings, *, tui: bool = False) -> FileSource:
    """The --file source; ``-`` is standard input, which the screen then cannot read keys
    from: the pipe moves to another descriptor and the terminal takes its place."""
    from tui.sources.file import FileSource

    name = settings.source_file or "-"
    if name != "-":
        try:
            return FileSource(name)
        except ApiError as error:  # a missing or unreadable file: a usage error
            raise ConfigError(f"--file: {error.explain()}") from None
    if sys.stdin is None or sys.stdin.isatty():
        raise ConfigError(
            "--file - reads logs from a pipe, such as: toolwatch list --limit 500 | "
            "toolwatch --file -; to open a file, give its path"
        )
    if not tui:
        return FileSource.from_stream(sys.stdin.buffer, name="stdin")
    pipe = os.fdopen(os.dup(0), "rb", buffering=0)
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError as error:
        raise ConfigError(
            f"--file - needs a terminal for the keys, and /dev/tty cannot be opened "
            f"({error.strerror}); save the logs to a file and give its path"
        ) from None
    os.dup2(terminal, 0)
    os.close(terminal)
    return FileSource.from_stream(pipe, name="stdin")


def _run_headless(args: argparse.Namespace, job: _Job) -> int:
    with _settings(args) as settings:
        try:
            return asyncio.run(job.run(settings, sys.stdout))
        except ApiError as error:
            print(f"toolwatch: {error.explain()}", file=sys.stderr)
            return EXIT_API_ERROR
        except KeyboardInterrupt:
            return 130
        except BrokenPipeError:
            # `toolwatch list | head` closed the pipe: not an error worth a traceback.
            sys.stderr.close()
            return EXIT_OK


class _Job:
    async def run(self, settings: Settings, out: TextIO) -> int:
        raise NotImplementedError


def _query_from(args: argparse.Namespace) -> LogQuery:
    """--query with --since/--until laid over it: the query the screen would run."""
    now_ms = int(time.time() * 1000)
    text: str = args.query
    try:
        query = parse_query(text, now_ms=now_ms)
    except QuerySyntaxError as error:
        raise ConfigError(_pointed("--query", text, error)) from None
    since, until = args.since, getattr(args, "until", None)
    if since is None and until is None:
        return query
    if query.time_range is not None:
        raise ConfigError(
            "a time is given both in --query (since:/until:) and as --since/--until; "
            "give it in one place"
        )
    from_ms = 0 if since is None else _flag_time("--since", since, now_ms)
    to_ms = None if until is None else _flag_time("--until", until, now_ms)
    if to_ms is not None and to_ms < from_ms:
        raise ConfigError(f"--until {until} is before --since {since}; swap the two times")
    return replace(query, time_range=TimeRange(from_ms, to_ms))


def _flag_time(flag: str, text: str, now_ms: int) -> int:
    try:
        return parse_time(text, now_ms=now_ms)
    except QuerySyntaxError as error:
        raise ConfigError(_pointed(flag, text, error)) from None


def _pointed(flag: str, text: str, error: QuerySyntaxError) -> str:
    """The error, then the flag's text with a caret line under the bad term."""
    return f"{flag}: {error}\n{error.pointer(text, indent='  ')}"


def _matching(query: LogQuery, entries: list[LogEntry]) -> list[LogEntry]:
    """The entries whose message holds every word of the query (the words are not sent)."""
    return [entry for entry in entries if query.matches_words(entry.message)]


class _ListCommand(_Job):
    def __init__(self, args: argparse.Namespace) -> None:
        self.limit: int = args.limit
        self.query = _query_from(args)

    async def run(self, settings: Settings, out: TextIO) -> int:
        async with aclosing(_client(settings)) as client:
            await _whole_stream(client)
            cursor: str | None = None
            remaining = self.limit
            # The cursor is page-numbered (it decodes to {"page": N}): every page
            # must be asked for with the same limit or pages overlap.
            page_size = min(self.limit, MAX_LIMIT)
            while remaining > 0:
                page = await client.list_logs(
                    self.query.server_part, limit=page_size, cursor=cursor
                )
                for entry in _matching(self.query, page.entries[:remaining]):
                    out.write(export_line(entry.raw))
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
        async with aclosing(_client(settings)) as client:
            await _whole_stream(client)
            if self.trace:
                trace = (await client.get_trace(self.log_id)).model_dump(mode="json", by_alias=True)
                data = trace if self.show_secrets else redact_json(trace)
            else:
                detail = await client.get_detail(self.log_id)
                data = redact_json(detail.model_dump(mode="json", by_alias=True))
            out.write(jsonout.dumps(data, indent=2) + "\n")
            out.flush()
        return EXIT_OK


class _TailCommand(_Job):
    def __init__(self, args: argparse.Namespace) -> None:
        self.interval = parse_interval(args.interval)
        self.lag = parse_seconds("--lag", args.lag)
        self.for_s = None if args.for_s is None else parse_seconds("--for", args.for_s)
        if self.for_s == 0:
            raise ConfigError("--for must be more than 0 seconds")
        self.count = None if args.count is None else parse_count("--count", args.count, least=1)
        self.last = None if args.last is None else parse_count("--last", args.last, least=0)
        self.query = _query_from(args)
        self._first = True

    async def run(self, settings: Settings, out: TextIO) -> int:
        async with aclosing(_client(settings)) as client:
            # Gaps are reported on stderr; nothing here fills them, so none are kept.
            tail = LiveTail(client, self.query, lag_s=self.lag, keep_gaps=False)
            # --for also cuts short a poll or a backoff wait in progress.
            timer = asyncio.timeout(self.for_s)
            try:
                async with timer:
                    return await self._follow(tail, out, timer.when())
            except TimeoutError:
                if not timer.expired():
                    raise
                return EXIT_OK

    async def _follow(self, tail: LiveTail, out: TextIO, deadline: float | None) -> int:
        loop = asyncio.get_running_loop()
        printed = 0
        failing = False  # in a run of failed polls, whose first message gave the hint
        # Close the generator (and any request it has in flight) when we stop.
        async with aclosing(tail.run(self.interval)) as events:
            async for event in events:
                if isinstance(event, Stopped):
                    _warn(event.error.explain())
                    return EXIT_API_ERROR
                if isinstance(event, Retrying):
                    hint = "" if failing or not event.error.hint else f" {event.error.hint}"
                    _warn(f"{event.error}; retrying in {round(event.delay, 1):g} s.{hint}")
                    failing = True
                else:
                    failing = False
                    printed += self._print(event, out, printed)
                    if getattr(tail.source, "ended", False):
                        break  # a pipe that has ended and been printed: nothing more comes
                if printed == self.count or (deadline is not None and loop.time() >= deadline):
                    break
        return EXIT_OK

    def _print(self, batch: TailBatch, out: TextIO, printed: int) -> int:
        for problem in batch.skipped:
            _warn(f"skipped an unreadable log: {problem}")
        if batch.gap is not None:
            _warn(_gap_message(batch.gap))
        entries = _matching(self.query, batch.entries)
        if self.last is not None and self._first:
            # The logs already there: only the newest --last of them (oldest first).
            entries = entries[len(entries) - self.last :] if self.last else []
        self._first = False
        if self.count is not None:
            entries = entries[: self.count - printed]
        for entry in entries:
            out.write(export_line(entry.raw))
        out.flush()
        return len(entries)


def _gap_message(gap: Gap) -> str:
    def clock(ms: int) -> str:
        return f"{fmt.clock_time(ms, UTC)} UTC"

    return (
        f"gap: {gap.describe(clock)}: more arrived than one poll reads; narrow the query "
        "or poll more often (--interval)"
    )


def _warn(message: str) -> None:
    print(f"toolwatch: {message}", file=sys.stderr, flush=True)


async def _whole_stream(client: ComposioClient | FileSource) -> None:
    """`list` and `get` answer from all of a piped file; the screen and `tail` follow it."""
    read_to_end = getattr(client, "read_to_end", None)
    if read_to_end is not None:
        await read_to_end()


def _client(settings: Settings) -> ComposioClient | FileSource:
    if settings.source_file is not None:
        return _file_source(settings)
    return ComposioClient(api_key=settings.api_key.reveal(), base_url=settings.base_url)
