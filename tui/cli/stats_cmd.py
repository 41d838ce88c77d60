"""`toolwatch stats`: counts, failures, error rate and duration percentiles per group,
from every log in the range (walking the cursor to the end, not a sample), as JSON lines
or an aligned table. How many logs it read is said on stderr."""

from __future__ import annotations

import argparse
import asyncio
import time
from contextlib import aclosing
from dataclasses import replace
from datetime import UTC
from typing import Any, TextIO

from tui import fmt, jsonout
from tui.cli.command import EXIT_OK, run_headless, warn
from tui.cli.query_flags import add_query_flags, query_from_flags
from tui.config import Settings
from tui.constants import MAX_LIMIT
from tui.errors import ApiError
from tui.query import LogQuery, TimeRange
from tui.sanitize import clean
from tui.sources.base import LogSource
from tui.sources.open import open_source
from tui.stats import ALL, GROUP_FIELDS, PERCENTILES, GroupStats, StatsEngine
from tui.tail import Backoff, Sleep

FORMATS = ("json", "text")
PAGE_ATTEMPTS = 6


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by",
        choices=tuple(GROUP_FIELDS),
        default="toolkit",
        help="group by toolkit (default), tool, user, auth (auth config) or account "
        "(connected account)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="json",
        help='json: a JSON line per group, then the whole selection as group "*" '
        "(default); text: an aligned table",
    )
    add_query_flags(parser, counted="every log in the range is counted", until=True)


def run(args: argparse.Namespace) -> int:
    return run_headless(args, StatsJob(args))


class StatsJob:
    reads_to_end = False

    def __init__(self, args: argparse.Namespace, clock: Any = time.time) -> None:
        self.by: str = args.by
        self.format: str = args.format
        self.args = args
        self.query = query_from_flags(args)  # a bad query fails before connecting
        self.clock = clock

    async def run(self, settings: Settings, out: TextIO) -> int:
        # Read again for the source's kind: its fields only (issue 17 §4).
        self.query = query_from_flags(self.args, settings)
        async with aclosing(open_source(settings)) as client:
            await client.read_to_end()
            engine = StatsEngine(self.query)
            read = await walk_range(client, self.pinned(), engine)
        groups = engine.groups(self.by)
        total = replace(engine.total, by=self.by)
        if self.format == "json":
            for stats in [*groups, total]:
                out.write(jsonout.dumps(stats.summary()) + "\n")
        else:
            out.write(table([*groups, total]))
        out.flush()
        span = ""
        if engine.first_ms is not None and engine.last_ms is not None:
            span = f" between {_utc(engine.first_ms)} and {_utc(engine.last_ms)}"
        warn(f"read {fmt.count(read, 'log')}; {fmt.count(len(engine), 'log')} counted{span}")
        return EXIT_OK

    def pinned(self) -> LogQuery:
        """The query's server part, its range closed at now: logs arriving during the
        walk cannot shift its pages (they would land above it)."""
        own = self.query.time_range
        from_ms = 0 if own is None else own.from_ms
        to_ms = own.to_ms if own is not None and own.to_ms is not None else None
        if to_ms is None:
            to_ms = max(from_ms, int(self.clock() * 1000))
        return replace(self.query.server_part, time_range=TimeRange(from_ms, to_ms))


async def walk_range(
    source: LogSource, query: LogQuery, engine: StatsEngine, sleep: Sleep = asyncio.sleep
) -> int:
    """Feed ``engine`` every log of ``query``, page after page to the cursor's end;
    returns how many were read (a log read twice, pushed down a page by a late one, is
    counted once by the engine). A page that fails is asked for again after a backoff,
    up to PAGE_ATTEMPTS times: one 503 must not cost a walk of many pages."""
    cursor: str | None = None
    read = 0
    backoff = Backoff()
    while True:
        try:
            page = await source.list_logs(query, limit=MAX_LIMIT, cursor=cursor)
        except ApiError as error:
            if not error.retryable or backoff.failures + 1 >= PAGE_ATTEMPTS:
                raise
            delay = backoff.delay_for(error)
            warn(f"{error}; retrying in {round(delay, 1):g} s.")
            await sleep(delay)
            continue
        backoff.reset()
        read += len(page.entries)
        engine.add(page.entries)
        for problem in page.skipped:
            warn(f"skipped an unreadable log: {problem}")
        if page.next_cursor is None or not page.entries:
            return read
        cursor = page.next_cursor


def table(rows: list[GroupStats]) -> str:
    """An aligned table: a row per group, the whole selection last."""
    head = ["GROUP", "CALLS", "FAILED", "ERR%", *(f"P{p}" for p in PERCENTILES)]
    head += ["LAST FAILURE", "TOP FAILURE"]
    lines = [head]
    for stats in rows:
        group = "(all)" if stats.group == ALL else clean(stats.group, max_len=60) or "(none)"
        lines.append(
            [
                group,
                f"{stats.count:,}",
                f"{stats.failed:,}",
                f"{stats.error_rate * 100:.1f}",
                *(fmt.duration(stats.percentile(p)) for p in PERCENTILES),
                fmt.NO_VALUE if stats.last_failure_ms is None else _utc(stats.last_failure_ms),
                stats.top_pattern or fmt.NO_VALUE,
            ]
        )
    widths = [max(len(row[i]) for row in lines) for i in range(len(head))]
    right = {1, 2, 3, 4, 5, 6}
    return "".join(
        "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ).rstrip()
        + "\n"
        for row in lines
    )


def _utc(ms: int) -> str:
    return f"{fmt.full_time(ms, UTC)[:19]} UTC"
