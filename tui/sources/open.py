"""open_source: the one place that decides where logs come from, for the screen and the CLI.

``--file PATH`` is a ``FileSource``, ``--file -`` standard input, ``--source buddy`` (or
a named source of that kind) Buddy.works' pipeline runs, anything else the Composio API.
A file or pipe that cannot be had is a usage error (``ConfigError``, said before anything
starts), not an ``ApiError`` to retry.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, BinaryIO

from tui.config import Settings
from tui.errors import ApiError, ConfigError
from tui.sources.file import FileSource

if TYPE_CHECKING:
    from tui.sources.base import LogSource

STDIN = "-"


def open_source(
    settings: Settings, *, for_screen: bool = False, blocking: bool = False
) -> LogSource:
    """The source ``settings`` name: the file of ``--file`` (``-``: standard input), else
    the Composio API at ``settings.base_url``.

    ``for_screen``: the screen reads its keys from standard input, so a piped one is moved
    to another descriptor and the terminal (``/dev/tty``) takes its place.

    ``blocking``: a file is read in the caller's thread, for a command that runs without
    an event loop (``FileSource``).
    """
    # The API clients are imported when asked for: httpx and pydantic cost a command
    # reading a file a third of a second.
    if settings.source_file is None and settings.source_kind == "buddy":
        from tui.sources.buddy import BuddyClient, BuddySource

        client = BuddyClient(token=settings.api_key.reveal(), base_url=settings.base_url)
        return BuddySource(
            client,
            workspace=settings.workspace or "",
            project=settings.project or "",
            pipelines=settings.pipelines,
        )
    if settings.source_file is None:
        from tui.sources.composio import ComposioClient

        return ComposioClient(api_key=settings.api_key.reveal(), base_url=settings.base_url)
    name = settings.source_file or STDIN
    if name != STDIN:
        try:
            return FileSource(name, blocking=blocking)
        except ApiError as error:  # a missing or unreadable file: a usage error
            raise ConfigError(f"--file: {error.explain()}") from None
    if sys.stdin is None or sys.stdin.isatty():
        raise ConfigError(
            "--file - reads logs from a pipe, such as: toolwatch list --limit 500 | "
            "toolwatch --file -; to open a file, give its path"
        )
    if not for_screen:
        return FileSource.from_stream(sys.stdin.buffer, name="stdin", blocking=blocking)
    return FileSource.from_stream(_pipe_moved_aside(), name="stdin")


def _pipe_moved_aside() -> BinaryIO:
    """The piped standard input on a descriptor of its own, the terminal on descriptor 0
    (where the screen reads keys)."""
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError as error:
        raise ConfigError(
            f"--file - needs a terminal for the keys, and /dev/tty cannot be opened "
            f"({error.strerror}); save the logs to a file and give its path"
        ) from None
    pipe = os.fdopen(os.dup(0), "rb", buffering=0)
    os.dup2(terminal, 0)
    os.close(terminal)
    return pipe
