"""A line without end from a pipe or device is capped like one in a regular file: the
reader keeps at most the cap of it, and the line is reported with the cap it broke."""

from __future__ import annotations

import io
import os
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_file_source import NOW_MS, item, line
from tui.query import LogQuery
from tui.sources.file import FileSource, lines
from tui.sources.file.feed import StreamFeed

CAP = 1000


@pytest.fixture(autouse=True)
def small_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lines, "MAX_LINE_BYTES", CAP)


def test_a_stream_without_newlines_holds_at_most_the_cap() -> None:
    read_end, write_end = os.pipe()
    feed = StreamFeed(os.fdopen(read_end, "rb", buffering=0), "zero")

    def writer() -> None:
        chunk = b"\0" * (1 << 16)
        for _ in range(160):  # 10 MB, no newline: /dev/zero in small
            os.write(write_end, chunk)
        os.close(write_end)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    thread.join(timeout=20)
    feed.wait_end()
    try:
        assert len(feed._buffer) <= CAP + 1  # not the 10 MB written
    finally:
        feed.close()


async def test_an_overlong_piped_line_is_reported_with_the_cap_and_the_rest_read() -> None:
    read_end, write_end = os.pipe()
    source = FileSource.from_stream(os.fdopen(read_end, "rb", buffering=0), name="pipe")

    def writer() -> None:
        os.write(write_end, line(item(1, NOW_MS)).encode())
        for _ in range(50):
            os.write(write_end, b"x" * 40_000)  # one line of 2 MB
        os.write(write_end, b"\n" + b"y" * 3 * CAP + b"\n")  # and one more, in one read
        os.write(write_end, line(item(2, NOW_MS + 1)).encode())
        os.close(write_end)

    started = time.monotonic()
    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        await source.read_to_end()
        page = await source.list_logs(LogQuery())
        thread.join(timeout=5)
        assert [entry.id for entry in page.entries] == ["log_0002", "log_0001"]
        assert source.problems == [
            "line 2: longer than 1000 bytes, skipped",
            "line 3: longer than 1000 bytes, skipped",
        ]
        assert time.monotonic() - started < 10
    finally:
        await source.aclose()


class Splitting:
    """Stands in for the index: splits what it is fed and records what comes out."""

    def __init__(self) -> None:
        self.out: list[object] = []
        self.splitter = lines.LineSplitter(
            lambda obj, number, offset, raw: self.out.append((obj, number, offset, raw)),
            lambda number, problem: self.out.append((number, problem)),
        )

    def feed(self, data: bytes, offset: int) -> None:
        self.splitter.feed(data, offset)

    def settle(self) -> None:
        """Settling a last line early is not what is compared here."""

    def finish(self) -> None:
        self.splitter.finish()

    def note(self, text: str) -> None:
        self.out.append(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.just(b"\n"),
            st.sampled_from([b'{"id": "a"}', b'{"id": "b"}\n', b"[1]\n", b"nope\n"]),
            st.integers(1, 3 * CAP).map(lambda n: b"z" * n),
        ),
        max_size=12,
    ),
    st.lists(st.integers(1, 4 * CAP), max_size=30),
)
def test_capping_while_buffering_reads_the_same_as_reading_whole(
    parts: list[bytes], cuts: list[int]
) -> None:
    data = b"".join(parts)
    whole = Splitting()
    whole.feed(data, 0)
    whole.finish()
    feed = StreamFeed(io.BytesIO(b""), "test")
    feed.wait_end()
    feed._eof = False  # a stream still running: its end is told below
    chunked = Splitting()
    start = 0
    for size in [*cuts, len(data)]:
        piece, start = data[start : start + size], start + size
        with feed._guard:
            feed._keep(piece)
        feed.pull(chunked)  # type: ignore[arg-type]
    chunked.finish()
    assert chunked.out == whole.out  # the same lines, numbers, offsets and problems
