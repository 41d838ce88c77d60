"""Where the commands' logs come from, built from the settings: the API, or a file or
pipe given with --file. Kept together so one place decides how a source is opened."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from tui.config import Settings
from tui.errors import ApiError, ConfigError
from tui.sources.composio import ComposioClient

if TYPE_CHECKING:
    from tui.sources.file import FileSource


def file_source(settings: Settings, *, tui: bool = False) -> FileSource:
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


def open_client(settings: Settings) -> ComposioClient | FileSource:
    """The source a headless command reads: the --file one, or the API."""
    if settings.source_file is not None:
        return file_source(settings)
    return ComposioClient(api_key=settings.api_key.reveal(), base_url=settings.base_url)


async def read_whole_stream(client: ComposioClient | FileSource) -> None:
    """`list` and `get` answer from all of a piped file; the screen and `tail` follow it."""
    read_to_end = getattr(client, "read_to_end", None)
    if read_to_end is not None:
        await read_to_end()
