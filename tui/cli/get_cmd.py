"""`toolwatch get LOG_ID`: one log's detail, or its per-step trace, as indented JSON with
credentials redacted."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import Any, TextIO

from tui import jsonout
from tui.cli.command import EXIT_OK, run_headless
from tui.config import Settings
from tui.errors import NotFoundError
from tui.redact import redact_json
from tui.sanitize import unescape_controls
from tui.sources.open import open_source

DEMO_NOT_FOUND_HINT = (
    "The built-in demo server has no log with this id; `toolwatch list --demo` prints "
    "the ids it serves."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "log_id",
        metavar="LOG_ID",
        help="as `y` copies it: an id holding control characters is copied escaped "
        "(\\n, \\x1b), and that form is accepted",
    )
    parser.add_argument(
        "--trace", action="store_true", help="print the per-step execution log instead"
    )
    parser.add_argument(
        "--show-secrets",
        action="store_true",
        help="with --trace: show credential headers of network requests unredacted",
    )


def run(args: argparse.Namespace) -> int:
    return run_headless(args, GetJob(args))


class GetJob:
    reads_to_end = True

    def __init__(self, args: argparse.Namespace) -> None:
        self.log_id: str = args.log_id
        self.trace: bool = args.trace
        self.show_secrets: bool = args.show_secrets

    async def run(self, settings: Settings, out: TextIO) -> int:
        try:
            return await self._print(settings, out)
        except NotFoundError as error:
            if not settings.demo:
                raise
            # The demo server is toolwatch's own: the base URL is not the suspect here.
            raise NotFoundError(
                error.server_message,
                status=error.status,
                request_id=error.request_id,
                hint=DEMO_NOT_FOUND_HINT,
            ) from None

    async def _print(self, settings: Settings, out: TextIO) -> int:
        async with aclosing(open_source(settings, blocking=self.reads_to_end)) as client:
            await client.read_to_end()
            if self.trace:
                trace = (await self._fetch(client.get_trace)).model_dump(mode="json", by_alias=True)
                data = trace if self.show_secrets else redact_json(trace)
            else:
                detail = await self._fetch(client.get_detail)
                data = redact_json(detail.model_dump(mode="json", by_alias=True))
            out.write(jsonout.dumps(data, indent=2) + "\n")
            out.flush()
        return EXIT_OK

    async def _fetch(self, fetch: Callable[[str], Awaitable[Any]]) -> Any:
        """By the id as given; if no log has it and it holds escapes such as ``\\n``
        (how `y` copies an id with control characters), by the id they stand for."""
        try:
            return await fetch(self.log_id)
        except NotFoundError:
            unescaped = unescape_controls(self.log_id)
            if unescaped == self.log_id:
                raise
            return await fetch(unescaped)
