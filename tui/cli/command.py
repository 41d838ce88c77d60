"""What every command shares: the exit codes, the `Command` record a subcommand is
described by, and running a headless job with its JSON-lines output and warnings."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Coroutine, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from tui.errors import ApiError

if TYPE_CHECKING:
    from tui.config import Settings
    from tui.models.entry import LogEntry

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # what a shell reports for a command ended by Ctrl-C


@dataclass(frozen=True)
class Command:
    """A subcommand: its name and line in `toolwatch --help`, and the module that adds
    its own flags (``add_arguments(parser)``; the shared ones are added for it) and does
    it (``run(args) -> int``). The module is imported only when its command is given, so
    `list --file` never pays for what `stats`, `watch` or `serve` import."""

    name: str
    help: str
    module: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        importlib.import_module(self.module).add_arguments(parser)

    def run(self, args: argparse.Namespace) -> int:
        code = importlib.import_module(self.module).run(args)
        assert isinstance(code, int)
        return code


class Job(Protocol):
    """A headless command's work, once its flags are read: print to ``out``, return the
    exit code."""

    # True for a job that reads a file to its end and stops: it opens the file with
    # ``blocking=reads_to_end``, and so runs without an event loop (``run_headless``).
    reads_to_end: bool

    async def run(self, settings: Settings, out: TextIO) -> int: ...


def run_headless(args: argparse.Namespace, job: Job) -> int:
    """Run ``job`` against the source the flags name; an API error is reported on stderr.

    A job reading a file to its end runs without asyncio: importing it (with logging, ssl
    and sockets) was a third of the time `list --file F --limit 100` took (issue 15)."""
    from tui.cli.settings import settings_from_flags

    with settings_from_flags(args) as settings:
        try:
            if job.reads_to_end and settings.source_file is not None:
                return run_without_loop(job.run(settings, sys.stdout))
            import asyncio

            return asyncio.run(job.run(settings, sys.stdout))
        except ApiError as error:
            print(f"toolwatch: {error.explain()}", file=sys.stderr)
            return EXIT_API_ERROR
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except BrokenPipeError:
            # `toolwatch list | head` closed the pipe: not an error worth a traceback.
            sys.stderr.close()
            return EXIT_OK


def run_without_loop(work: Coroutine[Any, Any, int]) -> int:
    """Run ``work``, whose awaits all finish at once (a file opened with
    ``blocking=True``), to its end in this thread."""
    try:
        work.send(None)
    except StopIteration as done:
        code: int = done.value
        return code
    work.close()
    raise RuntimeError("a job run without an event loop waited for something")


def write_logs(out: TextIO, entries: Iterable[LogEntry]) -> None:
    """Each log as the JSON line `e` exports (and `--file` reads back)."""
    from tui.export import export_line

    for entry in entries:
        out.write(export_line(entry.raw))


def warn(message: str) -> None:
    print(f"toolwatch: {message}", file=sys.stderr, flush=True)
