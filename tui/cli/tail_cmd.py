"""`toolwatch tail`: follow the logs as JSON lines, oldest first, each once, with
`LiveTail`, until a count, a time limit, Ctrl-C or a closed pipe. Retries, gaps and
unreadable logs are reported on stderr. A Buddy action (buddy-contract.md A.4, A.5) is
printed again when its status changes, so the last line for an id holds its latest
status; ``--final`` prints only finished actions, once."""

from __future__ import annotations

import argparse
import asyncio
from contextlib import aclosing
from datetime import UTC
from typing import TextIO

from tui import fmt
from tui.cli.command import EXIT_API_ERROR, EXIT_OK, run_headless, warn, write_logs
from tui.cli.query_flags import add_query_flags, matching, query_from_flags
from tui.config import DEFAULT_LAG_S, Settings, parse_count, parse_interval, parse_seconds
from tui.errors import ConfigError
from tui.models.entry import LogEntry
from tui.sources.buddy.rows import UNFINISHED
from tui.sources.open import open_source
from tui.tail import Gap, LiveTail, Retrying, Stopped, TailBatch


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--interval",
        metavar="SECONDS",
        default=argparse.SUPPRESS,  # keeps `toolwatch --interval S tail` working too
        help="seconds between polls (default 2)",
    )
    parser.add_argument(
        "--count",
        metavar="N",
        help="stop after printing N logs in all, counted from the first printed: the logs "
        "already there come first, oldest first, so --count 5 alone prints the oldest 5 of "
        "the newest page (for the newest 5, use -n 5)",
    )
    parser.add_argument("--for", dest="for_s", metavar="SECONDS", help="stop after SECONDS")
    parser.add_argument(
        "--last",
        "-n",
        metavar="N",
        help="of the logs already there when it starts, print only the newest N, as "
        "`tail -n` does (default: the newest page, up to 100; 0: only logs that arrive later)",
    )
    parser.add_argument(
        "--lag",
        metavar="SECONDS",
        default=argparse.SUPPRESS,  # keeps `toolwatch --lag S tail` working too
        help="how late a log may become visible and still be printed "
        f"(default {DEFAULT_LAG_S:g}); older late logs are missed",
    )
    parser.add_argument(
        "--final",
        action="store_true",
        help="print each log once, when it has finished (a Buddy action: not while it is "
        "queued, running or waiting); without it a changed one is printed again",
    )
    add_query_flags(parser, counted="--count and --last count the logs printed", until=False)


def run(args: argparse.Namespace) -> int:
    return run_headless(args, TailJob(args))


class TailJob:
    reads_to_end = False

    def __init__(self, args: argparse.Namespace) -> None:
        self.interval = parse_interval(args.interval)
        self.lag = parse_seconds("--lag", args.lag)
        self.for_s = None if args.for_s is None else parse_seconds("--for", args.for_s)
        if self.for_s == 0:
            raise ConfigError("--for must be more than 0 seconds")
        self.count = None if args.count is None else parse_count("--count", args.count, least=1)
        self.last = None if args.last is None else parse_count("--last", args.last, least=0)
        self.args = args
        self.query = query_from_flags(args)  # a bad query fails before connecting
        self.final: bool = args.final
        self._first = True
        self._printed_final: set[str] = set()  # with --final: ids printed (bounded by the run)
        self._unfinished: dict[str, str] = {}  # id -> status printed, while not finished

    async def run(self, settings: Settings, out: TextIO) -> int:
        # Read again for the source's kind: its fields only (issue 17 §4).
        self.query = query_from_flags(self.args, settings)
        async with aclosing(open_source(settings)) as client:
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
                    warn(event.error.explain())
                    return EXIT_API_ERROR
                if isinstance(event, Retrying):
                    hint = "" if failing or not event.error.hint else f" {event.error.hint}"
                    warn(f"{event.error}; retrying in {round(event.delay, 1):g} s.{hint}")
                    failing = True
                else:
                    failing = False
                    printed += self._print(event, out, printed)
                    if tail.source.ended:
                        break  # a pipe that has ended and been printed: nothing more comes
                if printed == self.count or (deadline is not None and loop.time() >= deadline):
                    break
        return EXIT_OK

    def _print(self, batch: TailBatch, out: TextIO, printed: int) -> int:
        for problem in batch.skipped:
            warn(f"skipped {problem}")
        if batch.gap is not None:
            warn(gap_message(batch.gap))
        entries = matching(self.query, batch.entries)
        self._unfinished.update((e.id, e.status) for e in entries if e.status in UNFINISHED)
        if self.last is not None and self._first:
            # The logs already there: only the newest --last of them (oldest first).
            entries = entries[len(entries) - self.last :] if self.last else []
        self._first = False
        # A log whose status changed (a Buddy action that ran, then finished) is printed
        # again, so the last line printed for an id holds its latest status.
        entries += [e for e in matching(self.query, batch.updated) if self._status_changed(e)]
        if self.final:
            entries = [e for e in entries if e.status not in UNFINISHED]
            entries = [e for e in entries if e.id not in self._printed_final]
            self._printed_final.update(e.id for e in entries)
        for entry in entries:
            if entry.status in UNFINISHED:
                self._unfinished[entry.id] = entry.status
            else:
                self._unfinished.pop(entry.id, None)
        if self.count is not None:
            entries = entries[: self.count - printed]
        write_logs(out, entries)
        out.flush()
        return len(entries)

    def _status_changed(self, entry: LogEntry) -> bool:
        """Whether an updated log is printed again: only when its status changed (a
        running action's growing log does not make a line each poll)."""
        return self._unfinished.get(entry.id) != entry.status


def gap_message(gap: Gap) -> str:
    def clock(ms: int) -> str:
        return f"{fmt.clock_time(ms, UTC)} UTC"

    return (
        f"gap: {gap.describe(clock)}: more arrived than one poll reads; narrow the query "
        "or poll more often (--interval)"
    )
