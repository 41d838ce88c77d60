"""open_source and the one LogSource interface: every source declares every member.

open_source is what the screen and the headless commands both call, so --file PATH,
--file - (a pipe, and the terminal for the screen's keys) and the API are chosen once.
"""

from __future__ import annotations

import errno
import inspect
import io
import json
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.unit.fake_logs_api import FakeLogsApi
from tui.config import Secret, Settings
from tui.errors import ConfigError
from tui.query import LogQuery
from tui.sources.base import LogSource
from tui.sources.buddy.source import BuddySource
from tui.sources.composio import ComposioClient
from tui.sources.file import FileSource
from tui.sources.open import open_source

LOG = {"id": "log_1", "timestamp": "2026-04-17T10:25:00.000Z", "status": "success"}


def settings(source_file: str | None = None) -> Settings:
    return Settings(
        base_url="https://backend.example.com", api_key=Secret("k_1"), source_file=source_file
    )


@pytest.fixture
async def opened() -> AsyncIterator[Callable[[LogSource], LogSource]]:
    sources: list[LogSource] = []

    def keep(source: LogSource) -> LogSource:
        sources.append(source)
        return source

    yield keep
    for source in sources:
        await source.aclose()


class _Stdin(io.TextIOWrapper):
    """Standard input as a pipe (or a terminal) for open_source to read."""

    def __init__(self, fd: int, *, tty: bool = False) -> None:
        super().__init__(os.fdopen(fd, "rb"))
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def _pipe_with(*lines: object) -> int:
    """The read end of a pipe that holds ``lines`` (as JSON) and has ended."""
    read_end, write_end = os.pipe()
    os.write(write_end, b"".join(json.dumps(obj).encode() + b"\n" for obj in lines))
    os.close(write_end)
    return read_end


def test_every_member_of_the_interface_is_declared_by_every_source() -> None:
    members = {name for name in vars(LogSource) if not name.startswith("_")}
    assert members == {
        "aclose",
        "description",
        "ended",
        "filtered_note",
        "get_detail",
        "get_trace",
        "list_logs",
        "progress_text",
        "read_log",
        "read_to_end",
        "reads_logs",
        "restarts",
        "usage_tool_calls",
    }
    for source in (ComposioClient, BuddySource, FileSource, FakeLogsApi):
        missing = {name for name in members if not hasattr(source, name)}
        assert not missing, (source, missing)
        for name in (
            "list_logs",
            "get_detail",
            "get_trace",
            "read_log",
            "read_to_end",
            "aclose",
            "usage_tool_calls",
        ):
            assert inspect.iscoroutinefunction(getattr(source, name)), (source, name)


async def test_the_api_never_restarts_nor_ends(
    opened: Callable[[LogSource], LogSource],
) -> None:
    source = opened(open_source(settings()))
    assert isinstance(source, ComposioClient)
    assert source.description == "backend.example.com"
    assert source.restarts == 0 and source.ended is False
    await source.read_to_end()  # nothing to wait for
    assert FakeLogsApi(FakeClock()).ended is False


async def test_a_path_is_a_file_source(
    tmp_path: Path, opened: Callable[[LogSource], LogSource]
) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(LOG) + "\n")
    source = opened(open_source(settings(str(path))))
    assert isinstance(source, FileSource) and source.description == "file orders.jsonl"
    await source.read_to_end()  # a file has no end to wait for
    assert source.ended is False and source.restarts == 0
    assert [e.id for e in (await source.list_logs(LogQuery())).entries] == ["log_1"]


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        open_source(settings(str(tmp_path / "orders.jsonl")))
    assert str(caught.value).startswith(
        f"--file: Cannot read the log file: {tmp_path / 'orders.jsonl'}: No such file"
    )


@pytest.mark.parametrize("stdin", ["terminal", "none"])
def test_stdin_must_be_a_pipe(stdin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fd = os.open(os.devnull, os.O_RDONLY)
    terminal = _Stdin(fd, tty=True)
    monkeypatch.setattr("sys.stdin", terminal if stdin == "terminal" else None)
    try:
        with pytest.raises(ConfigError, match=r"--file - reads logs from a pipe, such as: "):
            open_source(settings("-"))
    finally:
        terminal.close()


@pytest.mark.parametrize("name", ["-", ""])
async def test_a_piped_stdin_is_read_to_its_end(
    name: str, monkeypatch: pytest.MonkeyPatch, opened: Callable[[LogSource], LogSource]
) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(_pipe_with(LOG)))
    source = opened(open_source(settings(name)))
    assert source.description == "stdin"
    await source.read_to_end()
    assert [e.id for e in (await source.list_logs(LogQuery())).entries] == ["log_1"]
    assert source.ended is True


async def test_for_the_screen_the_pipe_moves_aside_and_the_terminal_takes_stdin(
    monkeypatch: pytest.MonkeyPatch, opened: Callable[[LogSource], LogSource]
) -> None:
    # Descriptor 0 is the test runner's own: every call that would touch it is recorded
    # instead, on stand-ins (the pipe for 0, /dev/null for the terminal).
    pipe = _pipe_with(LOG)
    monkeypatch.setattr("sys.stdin", _Stdin(os.open(os.devnull, os.O_RDONLY)))
    terminal = os.open(os.devnull, os.O_RDWR)
    calls: list[tuple[str, Any]] = []
    real_close = os.close

    def fake_open(path: str, flags: int, *_: Any) -> int:
        calls.append(("open", path))
        return terminal

    def fake_dup(fd: int) -> int:
        calls.append(("dup", fd))
        return pipe

    def fake_dup2(fd: int, fd2: int) -> int:
        calls.append(("dup2", (fd, fd2)))
        return fd2

    def fake_close(fd: int) -> None:
        calls.append(("close", fd))
        real_close(fd)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "dup", fake_dup)
    monkeypatch.setattr(os, "dup2", fake_dup2)
    monkeypatch.setattr(os, "close", fake_close)
    source = opened(open_source(settings("-"), for_screen=True))
    monkeypatch.undo()
    assert calls == [
        ("open", "/dev/tty"),
        ("dup", 0),
        ("dup2", (terminal, 0)),
        ("close", terminal),
    ]
    await source.read_to_end()
    assert [e.id for e in (await source.list_logs(LogQuery())).entries] == ["log_1"]


def test_for_the_screen_without_a_terminal_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fd = os.open(os.devnull, os.O_RDONLY)
    monkeypatch.setattr("sys.stdin", _Stdin(fd))

    def no_terminal(path: str, flags: int, *_: Any) -> int:
        raise OSError(errno.ENXIO, "No such device or address", path)

    def untouched(*_: Any) -> int:
        raise AssertionError("descriptor 0 must stay as it is")

    monkeypatch.setattr(os, "open", no_terminal)
    monkeypatch.setattr(os, "dup", untouched)
    monkeypatch.setattr(os, "dup2", untouched)
    with pytest.raises(ConfigError) as caught:
        open_source(settings("-"), for_screen=True)
    monkeypatch.undo()
    assert str(caught.value) == (
        "--file - needs a terminal for the keys, and /dev/tty cannot be opened "
        "(No such device or address); save the logs to a file and give its path"
    )
