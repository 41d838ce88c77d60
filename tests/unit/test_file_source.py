"""FileSource (issue 6): a JSON-lines file or stream answered as the Logs API answers.

The strongest check is against the embedded demo server: its logs are dumped through the
real client into a file, and the file must then answer every query page for page exactly
as the server does (same entries, same cursors, same refusals). The rest covers what only
a file has: following it as it grows, partial and bad lines, truncation and replacement,
duplicate ids, pipes, and the detail pane's lookups.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clock import FIXED_NOW_MS, FakeClock, fixed_clock
from tui.constants import MAX_LIMIT
from tui.demo import DemoServer
from tui.errors import (
    ApiError,
    BadRequestError,
    ConnectionFailed,
    NotFoundError,
    UnreadableBody,
)
from tui.models.entry import FIELDS as ENTRY_FIELDS
from tui.models.entry import LogEntry
from tui.query import Filter, LogQuery, QueryError, TimeRange, parse_query
from tui.sources.base import fetch_call
from tui.sources.composio import ComposioClient
from tui.sources.file import FileReadError, FileSource, backward, encode_cursor, scan
from tui.sources.file import index as file_index
from tui.sources.file import lines as file_lines
from tui.tail import Backoff, LiveTail

NOW_MS = FIXED_NOW_MS  # the demo fixtures' frozen now
Log = dict[str, Any]


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def item(n: int | str, ts_ms: int, **metadata: Any) -> Log:
    """An A.2 list item."""
    return {
        "id": n if isinstance(n, str) else f"log_{n:04d}",
        "timestamp": iso(ts_ms),
        "type": "tool.execution",
        "status": metadata.pop("status", "success"),
        "level": "info",
        "message": metadata.pop("message", f"call {n}"),
        "metadata": {"tool_slug": "GMAIL_SEND_EMAIL", "toolkit_slug": "gmail", **metadata},
        "metrics": {"duration_ms": 10},
        "parent": None,
    }


def line(obj: Any) -> str:
    return json.dumps(obj) + "\n"


def write(path: Path, *parts: str | bytes, mode: str = "w") -> None:
    """Write (mode "a": append; "r+": overwrite in place) text or bytes to ``path``."""
    with open(path, mode + "b") as out:
        for part in parts:
            out.write(part.encode() if isinstance(part, str) else part)


async def walk(
    source: Any, query: LogQuery | None = None, limit: int = 7
) -> tuple[list[LogEntry], list[str], int]:
    """Every page of ``query``: the entries in order, what was skipped, how many pages."""
    query = query or LogQuery()
    entries: list[LogEntry] = []
    skipped: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = await source.list_logs(query, limit=limit, cursor=cursor)
        pages += 1
        entries += page.entries
        skipped += page.skipped
        if page.next_cursor is None:
            return entries, skipped, pages
        cursor = page.next_cursor


def ids(entries: list[LogEntry]) -> list[str]:
    return [entry.id for entry in entries]


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    return tmp_path / "orders.jsonl"


@pytest.fixture
async def opened() -> Any:
    """Sources opened by a test, closed after it."""
    sources: list[FileSource] = []
    yield sources.append
    for source in sources:
        await source.aclose()


def open_file(path: Path, opened: Callable[[FileSource], None]) -> FileSource:
    source = FileSource(path)
    opened(source)
    return source


# -- round trip and paging -------------------------------------------------------------------


async def test_pages_list_every_log_newest_first_once(log_file: Path, opened: Any) -> None:
    rng = random.Random(3)
    logs = [item(n, NOW_MS - rng.randrange(10**7)) for n in range(250)]
    write(log_file, *map(line, logs))
    source = open_file(log_file, opened)
    entries, skipped, pages = await walk(source, limit=7)
    assert skipped == []
    assert pages == 36  # ceil(250 / 7)
    assert sorted(ids(entries)) == sorted(log["id"] for log in logs)  # each once, none lost
    stamps = [entry.timestamp_ms for entry in entries]
    assert stamps == sorted(stamps, reverse=True)
    assert [entry.raw for entry in entries[:3]] == sorted(
        logs, key=lambda log: log["timestamp"], reverse=True
    )[:3]


async def test_an_export_reads_back_in_its_own_order_ties_included(
    log_file: Path, opened: Any
) -> None:
    # Newest first, as `toolwatch list` prints: logs sharing a millisecond keep the
    # file's order, so listing the file reproduces it.
    stamps = [NOW_MS, NOW_MS, NOW_MS - 5, NOW_MS - 5, NOW_MS - 5, NOW_MS - 9]
    logs = [item(n, ts) for n, ts in enumerate(stamps)]
    write(log_file, *map(line, logs))
    entries, _, _ = await walk(open_file(log_file, opened), limit=2)
    assert ids(entries) == [log["id"] for log in logs]


async def test_an_appended_log_lists_ties_newest_line_first(log_file: Path, opened: Any) -> None:
    # Oldest first, as a log that is appended to grows: a later line is the newer log.
    stamps = [NOW_MS - 9, NOW_MS - 5, NOW_MS - 5, NOW_MS, NOW_MS]
    logs = [item(n, ts) for n, ts in enumerate(stamps)]
    write(log_file, *map(line, logs))
    entries, _, _ = await walk(open_file(log_file, opened), limit=2)
    assert ids(entries) == [log["id"] for log in reversed(logs)]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=0, max_size=60),
    st.integers(1, 12),
    st.booleans(),
)
def test_paging_never_repeats_or_loses_a_log(offsets: list[int], limit: int, flip: bool) -> None:
    # Many ties, either direction: a page boundary never splits them wrongly.
    stamps = [NOW_MS + o for o in offsets]
    if flip:
        stamps.sort(reverse=True)
    text = "".join(line(item(n, ts)) for n, ts in enumerate(stamps)).encode()

    async def run() -> list[LogEntry]:
        source = FileSource.from_stream(io.BytesIO(text), name="test")
        try:
            for _ in range(1000):  # the thread may not have read it all yet
                entries, _, _ = await walk(source, limit=limit)
                if len(entries) == len(stamps):
                    return entries
                await asyncio.sleep(0.005)
            raise AssertionError("the stream was not read")
        finally:
            await source.aclose()

    entries = asyncio.run(run())
    assert sorted(ids(entries)) == sorted(f"log_{n:04d}" for n in range(len(stamps)))
    got = [entry.timestamp_ms for entry in entries]
    assert got == sorted(got, reverse=True)


async def test_cursors_are_the_servers_and_bad_ones_are_refused(
    log_file: Path, opened: Any
) -> None:
    write(log_file, *(line(item(n, NOW_MS + n)) for n in range(5)))
    source = open_file(log_file, opened)
    first = await source.list_logs(LogQuery(), limit=2)
    assert first.next_cursor == "eyJwYWdlIjoyfQ=="  # {"page":2}, the documented example
    third = await source.list_logs(LogQuery(), limit=2, cursor=encode_cursor(3))
    assert ids(third.entries) == ["log_0000"] and third.next_cursor is None
    beyond = await source.list_logs(LogQuery(), limit=2, cursor=encode_cursor(9))
    assert beyond.entries == [] and beyond.next_cursor is None
    for bad in ("", "nope", "e30=", encode_cursor(0)):
        with pytest.raises(BadRequestError, match="Invalid cursor") as caught:
            await source.list_logs(LogQuery(), limit=2, cursor=bad)
        assert caught.value.rejects_request  # a tail walks again from the head
        assert "next_cursor" in caught.value.explain()


async def test_limits_are_checked_like_the_client(log_file: Path, opened: Any) -> None:
    write(log_file, line(item(1, NOW_MS)))
    source = open_file(log_file, opened)
    for limit in (0, MAX_LIMIT + 1):
        with pytest.raises(QueryError):
            await source.list_logs(LogQuery(), limit=limit)
    assert len((await source.list_logs(LogQuery(), limit=MAX_LIMIT)).entries) == 1


# -- the same answers as the server ---------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[DemoServer, list[Log], list[Log]]]:
    """A frozen demo server with awkward logs added, and its logs as the client reads
    them: list items and details, newest first (as `toolwatch list` writes them)."""
    with DemoServer(seed=7, rate=0, prefill=300, clock=fixed_clock) as server:
        tie = NOW_MS - 60_000
        for n in range(4):  # several logs in one millisecond, across a page boundary
            server.add_log(timestamp_ms=tie, tool_slug="GITHUB_CREATE_ISSUE", id=f"log_tie{n}")
        server.add_log(user_id="Alice", timestamp_ms=NOW_MS - 1000)
        server.add_log(user_id="alice", timestamp_ms=NOW_MS - 2000)
        server.add_log(user_id="\x1b[31mred\tuser", timestamp_ms=NOW_MS - 3000)
        server.add_log(session_id="trs_file", sandbox_id="sbx_file", timestamp_ms=NOW_MS - 4000)
        server.add_log(nested=True, tool_slug="SLACK_SEND_MESSAGE", timestamp_ms=NOW_MS - 5000)
        server.add_log(connected_account_id="", timestamp_ms=NOW_MS - 6000)
        server.add_log(request_id="req_file_1", timestamp_ms=NOW_MS - 7000)
        items, details = asyncio.run(_dump(server))
        yield server, items, details


async def _dump(server: DemoServer) -> tuple[list[Log], list[Log]]:
    async with _client(server) as client:
        entries, skipped, _ = await walk(client, limit=100)
        assert not skipped
        details = []
        for entry in entries:
            detail = await client.get_detail(entry.id)
            details.append(detail.model_dump(mode="json", by_alias=True, exclude_unset=True))
        return [entry.raw for entry in entries], details


def _client(server: DemoServer) -> ComposioClient:
    return ComposioClient(api_key=server.api_key, base_url=server.url)


def _queries(items: list[Log]) -> list[tuple[str, LogQuery]]:
    """Queries over the demo's own values: each field, each operator, and time ranges
    whose bounds fall exactly on logs."""
    texts = [
        "",
        "failed",
        "-failed",
        "ok",
        "tool:GMAIL_SEND_EMAIL",
        "tool:gmail_send_email",  # case-sensitive: nothing
        "-tool:GMAIL_SEND_EMAIL",
        "toolkit~git",
        "-toolkit~mail",
        "tool:SLACK_SEND_MESSAGE",  # nested metadata
        "user:Alice",
        "user:alice",
        "user~lic",
        'user~"\\x1b"',  # the literal text \x1b, which is not in the raw value
        'account:""',
        '-account:""',
        "account~ca_",
        "auth~ac",
        "session:trs_file",
        "-session~trs",
        "sandbox:sbx_file",
        "sandbox~sbx",
        '-sandbox:""',
        "id:log_tie2",
        "-id:log_tie2",
        "id~tie",
        "tool:GITHUB_CREATE_ISSUE failed",
        "failed toolkit~mail -user:alice timeout",  # the word is not sent
    ]
    queries = [(text, parse_query(text, now_ms=NOW_MS)) for text in texts]
    # The raw value, control characters and all, as the server compares it.
    queries.append(("user:<hostile>", LogQuery((Filter("user_id", "==", "\x1b[31mred\tuser"),))))
    queries.append(("user~<escape>", LogQuery((Filter("user_id", "contains", "\x1b"),))))
    stamps = sorted({_ms(log) for log in items})
    low, high = stamps[len(stamps) // 4], stamps[3 * len(stamps) // 4]
    tie = NOW_MS - 60_000
    for name, time_range in [
        ("between two logs' stamps", TimeRange(low, high)),
        ("one millisecond", TimeRange(tie, tie)),
        ("open-ended", TimeRange(high)),
        ("nothing", TimeRange(0, 1000)),
        ("one past a stamp", TimeRange(low + 1, high - 1)),
    ]:
        queries.append((name, LogQuery(time_range=time_range)))
        queries.append(
            (name + " failed", LogQuery(parse_query("failed", now_ms=0).filters, time_range))
        )
    return queries


def _ms(log: Log) -> int:
    return round(datetime.fromisoformat(log["timestamp"].replace("Z", "+00:00")).timestamp() * 1000)


@pytest.mark.parametrize("kind", ["items", "details"])
@pytest.mark.parametrize("order", ["newest first", "oldest first, from its end"])
async def test_every_query_pages_exactly_as_the_server_does(
    demo: tuple[DemoServer, list[Log], list[Log]],
    kind: str,
    order: str,
    tmp_path: Path,
    opened: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, items, details = demo
    path = tmp_path / "dump.jsonl"
    logs = items if kind == "items" else details
    if order == "newest first":
        write(path, *map(line, logs))
    else:  # a log appended to, answered from its end a block of lines at a time
        write(path, *map(line, reversed(logs)))
        monkeypatch.setattr(scan, "SCAN_FROM_BYTES", 1)
        monkeypatch.setattr(backward, "CHUNK", 8192)
    source = open_file(path, opened)
    queries = _queries(items)
    if kind == "details":  # only a detail says which request a call came from
        request = details[10]["context"]["request_id"]
        queries += [
            (f"request:{request}", parse_query(f"request:{request}", now_ms=0)),
            ("request:req_file_1", parse_query("request:req_file_1", now_ms=0)),
            ("-request~req", parse_query("-request~req", now_ms=0)),
        ]
    async with _client(server) as client:
        for name, query in queries:
            if order != "newest first":  # each query reads the file back from its end
                source = open_file(path, opened)
            for limit in (7, 100):
                cursor: str | None = None
                while True:
                    want = await client.list_logs(query, limit=limit, cursor=cursor)
                    got = await source.list_logs(query, limit=limit, cursor=cursor)
                    assert [_shown(e) for e in got.entries] == [_shown(e) for e in want.entries], (
                        name,
                        limit,
                        cursor,
                    )
                    assert got.next_cursor == want.next_cursor, (name, limit, cursor)
                    assert got.skipped == []
                    if want.next_cursor is None:
                        break
                    cursor = want.next_cursor
    # The strange values really were exercised.
    assert len(await _all(source, "user:Alice")) == 1
    assert len(await _all(source, "id~tie")) == 4
    assert (source._scan is not None) == (order != "newest first")


def _shown(entry: LogEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in ENTRY_FIELDS if name != "raw"}


async def _all(source: FileSource, text: str) -> list[LogEntry]:
    entries, _, _ = await walk(source, parse_query(text, now_ms=0), limit=100)
    return entries


async def test_refusals_are_the_servers(
    demo: tuple[DemoServer, list[Log], list[Log]], tmp_path: Path, opened: Any
) -> None:
    server, items, _ = demo
    path = tmp_path / "dump.jsonl"
    write(path, *map(line, items))
    source = open_file(path, opened)
    bad_status = LogQuery((Filter("status", "==", "ok"),))
    async with _client(server) as client:
        for query, cursor in [(bad_status, None), (LogQuery(), "bm9wZQ==")]:
            with pytest.raises(BadRequestError) as want:
                await client.list_logs(query, cursor=cursor)
            with pytest.raises(BadRequestError) as got:
                await source.list_logs(query, cursor=cursor)
            assert got.value.server_message == want.value.server_message
        # A substring of a status is a question the server answers.
        contains = LogQuery((Filter("status", "contains", "fail"),))
        want_page = await client.list_logs(contains, limit=100)
        got_page = await source.list_logs(contains, limit=100)
        assert ids(got_page.entries) == ids(want_page.entries)


async def test_local_matching_agrees_with_the_file(
    demo: tuple[DemoServer, list[Log], list[Log]], tmp_path: Path, opened: Any
) -> None:
    # LogQuery.matches is the one local evaluator: whatever the file lists for a query is
    # exactly the entries it matches (the file's order aside).
    _, _, details = demo
    path = tmp_path / "dump.jsonl"
    write(path, *map(line, details))
    source = open_file(path, opened)
    everything, _, _ = await walk(source, limit=100)
    for name, query in _queries([d for d in details]):
        if query.time_range is not None and query.time_range.to_ms is None:
            continue  # the request closes an open end with the clock; matches() does not
        listed, _, _ = await walk(source, query, limit=100)
        expected = [e for e in everything if query.server_part.matches(e)]
        assert ids(listed) == ids(expected), name


# -- following a file --------------------------------------------------------------------


def make_tail(source: FileSource, clock: FakeClock) -> LiveTail:
    return LiveTail(
        source,
        page_size=5,
        lag_s=10,
        clock=clock,
        sleep=clock.sleep,
        backoff=Backoff(rng=random.Random(0)),
    )


async def test_live_tail_picks_up_appended_lines_exactly_once(log_file: Path, opened: Any) -> None:
    clock = FakeClock(NOW_MS / 1000)
    write(log_file, *(line(item(n, NOW_MS - 60_000 + n * 1000)) for n in range(12)))
    source = open_file(log_file, opened)
    tail = make_tail(source, clock)
    first = await tail.poll()
    assert ids(first.entries) == [f"log_{n:04d}" for n in range(7, 12)]  # the newest page
    delivered = set(ids(first.entries))
    for round_ in range(4):
        clock.now += 2
        start = 100 + 10 * round_
        new = [item(n, int(clock.now * 1000) - 500 + n % 10) for n in range(start, start + 8)]
        write(log_file, *map(line, new), mode="a")
        batch = await tail.poll()
        assert sorted(ids(batch.entries)) == sorted(log["id"] for log in new)
        assert delivered.isdisjoint(ids(batch.entries))
        delivered |= set(ids(batch.entries))
        clock.now += 2
        assert (await tail.poll()).entries == []  # nothing new: nothing again
    # A late line (stamped below the newest, inside the lag) is caught, once.
    late = item("log_late", int(clock.now * 1000) - 4000)
    write(log_file, line(late), mode="a")
    clock.now += 2
    assert ids((await tail.poll()).entries) == ["log_late"]
    clock.now += 2
    assert (await tail.poll()).entries == []
    # Backfill reads the older lines the first page left out, each once.
    older: list[str] = []
    while tail.more_older:
        older += ids((await tail.backfill()).entries)
    assert sorted(older) == [f"log_{n:04d}" for n in range(7)]


async def test_a_partial_last_line_waits_for_the_rest(log_file: Path, opened: Any) -> None:
    whole, partial = line(item(1, NOW_MS)), line(item(2, NOW_MS + 1))
    write(log_file, whole, partial[:40])
    source = open_file(log_file, opened)
    page = await source.list_logs(LogQuery())
    assert ids(page.entries) == ["log_0001"] and page.skipped == []
    write(log_file, partial[40:-1], mode="a")  # the object is whole, the newline is not
    assert ids((await source.list_logs(LogQuery())).entries) == ["log_0002", "log_0001"]
    write(log_file, "\n", line(item(3, NOW_MS + 2)), mode="a")
    page = await source.list_logs(LogQuery())
    assert ids(page.entries) == ["log_0003", "log_0002", "log_0001"]
    assert page.skipped == [] and source.problems == []


async def test_text_after_a_whole_object_on_its_line_is_reported(
    log_file: Path, opened: Any
) -> None:
    write(log_file, line(item(1, NOW_MS)).rstrip("\n"))
    source = open_file(log_file, opened)
    assert len((await source.list_logs(LogQuery())).entries) == 1
    write(log_file, ' {"more": 1}\n', line(item(2, NOW_MS + 1)), mode="a")
    page = await source.list_logs(LogQuery())
    assert ids(page.entries) == ["log_0002", "log_0001"]
    column = len(line(item(1, NOW_MS))) + 1  # where the extra text starts
    assert page.skipped == [f"line 1: not JSON (Extra data at column {column})"]


async def test_a_truncated_file_is_read_again_from_the_start(log_file: Path, opened: Any) -> None:
    write(log_file, *(line(item(n, NOW_MS + n)) for n in range(5)))
    source = open_file(log_file, opened)
    assert len((await source.list_logs(LogQuery())).entries) == 5
    write(log_file, line(item(9, NOW_MS + 9)))  # truncated, then one line
    page = await source.list_logs(LogQuery())
    assert ids(page.entries) == ["log_0009"]
    assert source.restarts == 1
    write(log_file, line(item(10, NOW_MS + 10)), mode="a")  # and followed from there
    assert ids((await source.list_logs(LogQuery())).entries) == ["log_0010", "log_0009"]


async def test_a_replaced_file_is_read_from_its_start(
    log_file: Path, tmp_path: Path, opened: Any
) -> None:
    write(log_file, *(line(item(n, NOW_MS + n)) for n in range(5)))
    source = open_file(log_file, opened)
    await source.list_logs(LogQuery())
    other = tmp_path / "new.jsonl"
    # Longer than the old one, so only the inode tells it apart.
    write(other, *(line(item(n, NOW_MS + n)) for n in range(100, 110)))
    os.replace(other, log_file)
    entries, _, _ = await walk(source, limit=100)
    assert ids(entries) == [f"log_{n:04d}" for n in range(109, 99, -1)]
    assert source.restarts == 1


async def test_a_deleted_file_keeps_being_read_through_the_open_handle(
    log_file: Path, opened: Any
) -> None:
    write(log_file, *(line(item(n, NOW_MS + n)) for n in range(3)))
    source = open_file(log_file, opened)
    await source.list_logs(LogQuery())
    os.remove(log_file)
    page = await source.list_logs(LogQuery())
    assert len(page.entries) == 3
    assert (await source.get_detail("log_0001")).id == "log_0001"


async def test_a_line_rewritten_in_place_is_noticed(log_file: Path, opened: Any) -> None:
    write(log_file, line(item(1, NOW_MS)), line(item(2, NOW_MS + 1)))
    source = open_file(log_file, opened)
    await source.list_logs(LogQuery())
    # The same size, other ids: neither the size nor the inode changes.
    write(log_file, line(item(7, NOW_MS)), line(item(8, NOW_MS + 1)), mode="r+")
    with pytest.raises(NotFoundError):
        await source.get_detail("log_0001")
    page = await source.list_logs(LogQuery())
    assert ids(page.entries) == ["log_0008", "log_0007"]
    assert page.skipped == ["line 1: changed since it was read; reading the file again"]


# -- bad lines -----------------------------------------------------------------------------


async def test_bad_lines_are_reported_once_with_their_numbers(log_file: Path, opened: Any) -> None:
    good = [item(n, NOW_MS + n) for n in range(4)]
    write(
        log_file,
        line(good[0]),
        '{"id": "x", "timestamp": \n',  # 2
        "\n",  # 3: blank, silent
        "   \r\n",  # 4: blank too
        line([1, 2]),  # 5
        line({"timestamp": iso(NOW_MS)}),  # 6
        line({"id": "", "timestamp": iso(NOW_MS)}),  # 7
        line({"id": "log_t", "timestamp": "yesterday"}),  # 8
        line({"id": ["no"], "timestamp": iso(NOW_MS)}),  # 9
        line(good[1]),
        line({"id": "log_big", "timestamp": "9" * 400}),  # 11: kept, a bad time (newest)
        line({"id": 42, "timestamp": NOW_MS + 42}),  # 12: numbers are read as the client does
        line(good[2]),
    )
    source = open_file(log_file, opened)
    page = await source.list_logs(LogQuery(), limit=100)
    expected = [
        "line 2: not JSON (Expecting value at column 26)",
        "line 5: not a log object (a list)",
        'line 6: no "id"',
        'line 7: empty "id"',
        "line 8: log log_t: unreadable timestamp 'yesterday'",
        "line 9: a log: id wrong type",
    ]
    assert page.skipped == expected
    assert ids(page.entries) == ["log_big", "42", "log_0002", "log_0001", "log_0000"]
    assert source.problems == expected and source.problem_count == 6
    write(log_file, "oops\n", line(good[3]), mode="a")  # 14, 15
    page = await source.list_logs(LogQuery(), limit=100)
    assert page.skipped == ["line 14: not JSON (Expecting value at column 1)"]
    assert len(page.entries) == 6
    assert (await source.list_logs(LogQuery())).skipped == []
    assert len(source.problems) == 7


async def test_overlong_lines_are_skipped_without_being_held(
    log_file: Path, opened: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(file_lines, "MAX_LINE_BYTES", 1000)
    long = item("log_long", NOW_MS, message="x" * 2000)
    write(log_file, line(item(1, NOW_MS)), line(long), line(item(3, NOW_MS + 3)), "y" * 1500)
    source = open_file(log_file, opened)
    page = await source.list_logs(LogQuery())
    assert ids(page.entries) == ["log_0003", "log_0001"]
    assert page.skipped == ["line 2: longer than 1000 bytes, skipped"]
    assert source.problems == page.skipped  # the unfinished long line is not held
    write(log_file, "\n", mode="a")  # the long last line ends
    page = await source.list_logs(LogQuery())
    assert page.skipped == ["line 4: longer than 1000 bytes, skipped"]


async def test_invalid_utf8_and_a_byte_order_mark_are_read(log_file: Path, opened: Any) -> None:
    text = json.dumps(item(2, NOW_MS, message="caf\u00e9"), ensure_ascii=False) + "\n"
    broken = text.encode().replace(b"\xc3\xa9", b"\xe9")  # Latin-1 in a UTF-8 file
    write(log_file, b"\xef\xbb\xbf" + line(item(1, NOW_MS)).encode(), broken)
    source = open_file(log_file, opened)
    page = await source.list_logs(LogQuery())
    assert ids(page.entries) == ["log_0002", "log_0001"]
    assert page.entries[0].message == "caf\ufffd"
    assert page.skipped == []
    assert (await source.get_detail("log_0001")).id == "log_0001"


async def test_a_later_line_with_the_same_id_replaces_the_earlier(
    log_file: Path, opened: Any
) -> None:
    write(
        log_file,
        line(item(1, NOW_MS, message="first")),
        line(item(2, NOW_MS + 1)),
        line(item(1, NOW_MS + 5, message="second")),
    )
    source = open_file(log_file, opened)
    entries, _, _ = await walk(source, limit=1)
    assert ids(entries) == ["log_0001", "log_0002"]
    assert entries[0].message == "second"
    write(log_file, line(item(2, NOW_MS - 5, message="moved")), mode="a")  # small update
    entries, _, _ = await walk(source, parse_query("tool:GMAIL_SEND_EMAIL", now_ms=0), limit=1)
    assert ids(entries) == ["log_0001", "log_0002"]
    assert (await source.get_detail("log_0002")).message == "moved"
    assert len(source) == 2


async def test_logs_that_cannot_be_read_later_are_skipped_like_the_clients(
    log_file: Path, opened: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The quick check at reading time agrees with entry_from_wire; were it ever to
    # disagree, the page reports the log as the client reports an unreadable item.
    write(log_file, line(item(1, NOW_MS)), line(item(2, NOW_MS + 1)))
    source = open_file(log_file, opened)

    def refuse(obj: Any, **_: Any) -> LogEntry:
        raise UnreadableBody(detail=f"log {obj['id']}: refused")

    monkeypatch.setattr(file_index, "entry_from_wire", refuse)
    page = await source.list_logs(LogQuery())
    assert page.entries == []
    assert page.skipped == ["line 2: log log_0002: refused", "line 1: log log_0001: refused"]
    assert (await source.list_logs(LogQuery())).entries == []  # reported once, gone


# -- streams ---------------------------------------------------------------------------------


async def until(condition: Callable[[], Any], source: FileSource) -> None:
    """List until ``condition`` holds: the reader thread runs on its own schedule."""
    for _ in range(500):
        await source.list_logs(LogQuery())
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the stream was not read")


async def test_a_pipe_is_read_by_a_thread_and_followed() -> None:
    read_end, write_end = os.pipe()
    source = FileSource.from_stream(os.fdopen(read_end, "rb", buffering=0))
    try:
        assert source.description == "stdin"
        os.write(write_end, line(item(1, NOW_MS)).encode() + b"not json\n")
        await until(lambda: len(source) == 1 and source.problem_count == 1, source)
        assert source.problems == ["line 2: not JSON (Expecting value at column 1)"]
        last = line(item(2, NOW_MS + 1)).rstrip("\n") + " "
        os.write(write_end, last.encode()[:30])
        await source.list_logs(LogQuery())
        os.write(write_end, last.encode()[30:])  # whole, but no newline: still counts
        await until(lambda: len(source) == 2, source)
        os.write(write_end, b'\n{"id": "log_end", "timestamp": "2026-04-17T10:25:01Z"}')
        os.close(write_end)  # the end of the stream ends its last line
        await until(lambda: len(source) == 3, source)
        page = await source.list_logs(LogQuery())
        assert ids(page.entries) == ["log_end", "log_0002", "log_0001"]
        assert (await source.get_detail("log_0001")).id == "log_0001"
    finally:
        await source.aclose()
    assert not source._feed._thread.is_alive()  # type: ignore[attr-defined]


async def test_closing_a_quiet_pipe_stops_its_reader() -> None:
    read_end, write_end = os.pipe()
    source = FileSource.from_stream(os.fdopen(read_end, "rb", buffering=0), name="feed")
    assert source.description == "feed"
    await source.aclose()
    await source.aclose()  # twice is fine
    os.close(write_end)
    assert not source._feed._thread.is_alive()  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match="closed"):
        await source.list_logs(LogQuery())


async def test_a_fifo_path_is_read_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "logs.fifo"
    os.mkfifo(fifo)

    def writer() -> None:  # opening a FIFO waits for the other end, so in a thread
        write(fifo, line(item(1, NOW_MS)))

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    source = FileSource(fifo)
    try:
        await until(lambda: len(source) == 1, source)
        assert source.description == "file logs.fifo"
    finally:
        await source.aclose()
        thread.join(timeout=10)


# -- detail and trace ------------------------------------------------------------------------


async def test_detail_and_trace_come_from_the_line(log_file: Path, opened: Any) -> None:
    detail = {
        **item("log_full", NOW_MS),
        "timings": {"start_time": NOW_MS - 200, "end_time": NOW_MS},
        "context": {"request_id": "req_1", "trace_id": "tr_1"},
        "source": {"host": "sdk"},
        "data": {"input": {"to": "a@b.c"}, "response": {"successful": True}},
        "trace": {
            "actionLogId": "log_full",
            "status": "success",
            "steps": [{"type": "request", "status": "success", "totalDuration": 12}],
        },
    }
    write(
        log_file,
        line(item(1, NOW_MS - 10)),
        line(detail),
        line(item(3, NOW_MS + 1) | {"trace": [1]}),
    )
    source = open_file(log_file, opened)
    got = await source.get_detail("log_full")
    assert got.context.request_id == "req_1" and got.data["input"] == {"to": "a@b.c"}
    trace = await source.get_trace("log_full")
    assert trace.action_log_id == "log_full" and trace.steps[0].total_duration == 12
    plain = await source.get_detail("log_0001")  # a list item is a detail without extras
    assert plain.timings is None and plain.context.request_id is None
    with pytest.raises(NotFoundError) as no_trace:
        await source.get_trace("log_0001")
    assert "file orders.jsonl holds no per-step log for this call" in str(no_trace.value)
    with pytest.raises(UnreadableBody, match="should be an object, not a list"):
        await source.get_trace("log_0003")
    with pytest.raises(NotFoundError) as unknown:
        await source.get_detail("log_nope")
    assert str(unknown.value) == "Not found: file orders.jsonl has no log with id 'log_nope'"
    assert "case-sensitive" in unknown.value.explain()
    with pytest.raises(BadRequestError):
        await source.get_detail("")
    # The detail pane's own fetch: without a trace it shows what the detail holds.
    call = await fetch_call(source, "log_0001")
    assert call.trace_note is not None and "showing what the detail holds" in call.trace_note
    full = await fetch_call(source, "log_full")
    assert full.trace_note is None and full.request_id == "req_1"


async def test_ids_are_found_by_the_raw_id_the_entry_holds(log_file: Path, opened: Any) -> None:
    # LogEntry.id is the id as the line holds it; the detail pane asks with that.
    odd = item("log_\x1b[2Jx", NOW_MS)
    write(log_file, line(odd))
    source = open_file(log_file, opened)
    (entry,) = (await source.list_logs(LogQuery())).entries
    assert entry.id == "log_\x1b[2Jx"
    assert (await source.get_detail(entry.id)).id == "log_\x1b[2Jx"
    with pytest.raises(NotFoundError):  # what a screen would show names no log
        await source.get_detail("log_\\x1b[2Jx")


# -- opening -------------------------------------------------------------------------------


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileReadError) as caught:
        FileSource(tmp_path / "orders.jsonl")
    error = caught.value
    assert isinstance(error, ConnectionFailed) and isinstance(error, ApiError)
    assert str(error) == (
        f"Cannot read the log file: {tmp_path / 'orders.jsonl'}: No such file or directory"
    )
    assert error.explain().endswith("Check the path and that the file is readable.")


def test_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileReadError, match="is a directory"):
        FileSource(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_is_a_clear_error(log_file: Path) -> None:
    write(log_file, "")
    log_file.chmod(0)
    with pytest.raises(FileReadError, match="Permission denied"):
        FileSource(log_file)


async def test_an_empty_file_lists_nothing(log_file: Path, opened: Any) -> None:
    write(log_file, "")
    source = open_file(log_file, opened)
    assert source.description == "file orders.jsonl"
    page = await source.list_logs(LogQuery(), limit=5)
    assert page.entries == [] and page.next_cursor is None and page.skipped == []


def test_the_module_never_imports_textual() -> None:
    code = "import sys, tui.sources.file; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


# -- keeping up with appends ------------------------------------------------------------------


async def test_incremental_updates_agree_with_reading_from_scratch(
    log_file: Path, opened: Any
) -> None:
    # Small and large appends, duplicate ids, and several filter sets kept at once: after
    # every append each list equals what a fresh source says about the whole file.
    rng = random.Random(11)
    queries = [
        LogQuery(),
        parse_query("failed", now_ms=0),
        parse_query("-user:u1 toolkit~a", now_ms=0),
        parse_query("user:u2", now_ms=0),
        parse_query("tool:T3", now_ms=0),
        parse_query("-failed user~u", now_ms=0),  # more filter sets than are kept
    ]
    write(log_file, "")
    source = open_file(log_file, opened)
    stamp = NOW_MS
    for size in (5, 300, 1, 64, 65, 2, 500, 3):
        lines = []
        for _ in range(size):
            stamp += rng.choice((0, 1, 7))  # mostly rising, with ties
            n = rng.randrange(900)  # ids repeat: later lines replace earlier ones
            lines.append(
                line(
                    item(
                        n,
                        stamp - rng.choice((0, 0, 0, 5000)),  # some late
                        status=rng.choice(("success", "failed")),
                        user_id=f"u{rng.randrange(4)}",
                        tool_slug=f"T{rng.randrange(5)}",
                        toolkit_slug=rng.choice(("alpha", "beta", "kit")),
                    )
                )
            )
        write(log_file, *lines, mode="a")
        fresh = FileSource(log_file)
        try:
            for query in rng.sample(queries, 4):
                got, _, _ = await walk(source, query, limit=100)
                want, _, _ = await walk(fresh, query, limit=100)
                assert [_shown(e) for e in got] == [_shown(e) for e in want]
        finally:
            await fresh.aclose()


async def test_a_file_that_changes_direction_keeps_its_ties_straight(
    log_file: Path, opened: Any
) -> None:
    # First read newest first (an export), then appended to oldest first until that is
    # most of it: the ties follow, and paging stays whole.
    write(log_file, *(line(item(n, NOW_MS - n // 2)) for n in range(6)))
    source = open_file(log_file, opened)
    before, _, _ = await walk(source, limit=4)
    assert ids(before) == [f"log_{n:04d}" for n in range(6)]
    write(log_file, *(line(item(n, NOW_MS + n // 2)) for n in range(100, 120)), mode="a")
    after, _, _ = await walk(source, limit=4)
    assert len(after) == 26 and len(set(ids(after))) == 26
    assert ids(after)[:2] == ["log_0119", "log_0118"]  # a later line is the newer log
