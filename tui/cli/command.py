"""What every command shares: the exit codes, the `Command` record a subcommand is
described by, and running a headless job with its JSON-lines output and warnings."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol, TextIO

from tui.cli.settings import settings_from_flags
from tui.config import Settings
from tui.errors import ApiError
from tui.export import export_line
from tui.models.entry import LogEntry

EXIT_OK = 0
EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # what a shell reports for a command ended by Ctrl-C


@dataclass(frozen=True)
class Command:
    """A subcommand: its name and line in `toolwatch --help`, its own flags (the shared
    ones are added for it), and what it does with the parsed arguments."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


class Job(Protocol):
    """A headless command's work, once its flags are read: print to ``out``, return the
    exit code."""

    async def run(self, settings: Settings, out: TextIO) -> int: ...


def run_headless(args: argparse.Namespace, job: Job) -> int:
    """Run ``job`` against the source the flags name; an API error is reported on stderr."""
    with settings_from_flags(args) as settings:
        try:
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


def write_logs(out: TextIO, entries: Iterable[LogEntry]) -> None:
    """Each log as the JSON line `e` exports (and `--file` reads back)."""
    for entry in entries:
        out.write(export_line(entry.raw))


def warn(message: str) -> None:
    print(f"toolwatch: {message}", file=sys.stderr, flush=True)
