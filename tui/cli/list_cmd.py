"""`toolwatch list`: the newest logs as JSON lines, newest first, paging past the API's
limit when asked for more."""

from __future__ import annotations

import argparse
from contextlib import aclosing
from typing import TextIO

from tui.cli.command import EXIT_OK, run_headless, warn, write_logs
from tui.cli.query_flags import add_query_flags, matching, query_from_flags
from tui.config import Settings
from tui.constants import DEFAULT_LIMIT, MAX_LIMIT
from tui.errors import ConfigError
from tui.sources.open import open_source


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit",
        type=int,
        default=DEFAULT_LIMIT,
        help=f"how many logs (default {DEFAULT_LIMIT}; more than {MAX_LIMIT} pages through)",
    )
    add_query_flags(parser, counted="--limit counts the logs fetched", until=True)


def run(args: argparse.Namespace) -> int:
    return run_headless(args, ListJob(args))


class ListJob:
    reads_to_end = True

    def __init__(self, args: argparse.Namespace) -> None:
        if args.limit < 1:
            raise ConfigError(f"--limit must be at least 1, not {args.limit}")
        self.limit: int = args.limit
        self.args = args
        self.query = query_from_flags(args)  # a bad query fails before connecting

    async def run(self, settings: Settings, out: TextIO) -> int:
        # Read again for the source's kind: its fields only (issue 17 §4).
        self.query = query_from_flags(self.args, settings)
        async with aclosing(open_source(settings, blocking=self.reads_to_end)) as client:
            await client.read_to_end()
            cursor: str | None = None
            remaining = self.limit
            # The cursor is page-numbered (it decodes to {"page": N}): every page
            # must be asked for with the same limit or pages overlap.
            page_size = min(self.limit, MAX_LIMIT)
            while remaining > 0:
                page = await client.list_logs(
                    self.query.server_part, limit=page_size, cursor=cursor
                )
                write_logs(out, matching(self.query, page.entries[:remaining]))
                remaining -= len(page.entries)
                for problem in page.skipped:
                    warn(f"skipped {problem}")
                if page.next_cursor is None or not page.entries:
                    break
                cursor = page.next_cursor
            out.flush()
            if note := client.filtered_note(self.query):
                warn(f"Buddy's list of runs takes no filters: {note}")
        return EXIT_OK
