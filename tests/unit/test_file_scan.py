"""A large file written oldest first is answered from its end (``tui.sources.file.scan``):
every page, detail, count and problem is what reading the whole file says."""

from __future__ import annotations

import json
import random
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_file_source import _shown, item, line, walk, write
from tui.errors import NotFoundError
from tui.query import LogQuery, TimeRange, parse_query
from tui.sources.file import FileSource, backward, holding, pages, records, scan, scanmatch
from tui.sources.file import lines as file_lines

START = 1_776_000_000_000
QUERIES = [
    "",
    "failed",
    "user:u1",
    "-user:u1 toolkit~a",
    "tool:T3 failed",
    "session~s1",
    "request:r7",
    "id~_00",
    'sandbox:""',  # no line has one: its text is "", so every line matches
    "toolkit:alpha failed",  # needles with their quotes
]


@pytest.fixture(params=[97, 4096], ids=["line by line", "blocks"])
def small_scans(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Any file is answered from its end, read back a few bytes and lines at a time:
    chunks shorter than a line (each line read alone), or holding a dozen (blocks of
    lines a term turns down glanced at together, and looked at again by another
    query's terms in bulk)."""
    monkeypatch.setattr(scan, "SCAN_FROM_BYTES", 1)
    monkeypatch.setattr(backward, "CHUNK", request.param)
    if request.param > 97:  # lines glanced at are turned down in bulk, 300 bytes at a time
        monkeypatch.setattr(scanmatch, "BULK_FROM", 1)
        monkeypatch.setattr(holding, "CHUNK", 300)
    monkeypatch.setattr(pages, "BATCH", 5)
    monkeypatch.setattr(file_lines, "MAX_LINE_BYTES", 900)
    monkeypatch.setattr(backward, "MAX_LINE_BYTES", 900)
    monkeypatch.setattr(scan, "MAX_LINE_BYTES", 900)


@pytest.fixture
async def pair(tmp_path: Path, small_scans: None) -> AsyncIterator[Callable[[Path], Any]]:
    opened: list[FileSource] = []

    def both(path: Path) -> tuple[FileSource, FileSource]:
        scanned, whole = FileSource(path), FileSource(path)
        whole._feed.on_start = None  # type: ignore[attr-defined]  # read whole, as before
        opened.extend((scanned, whole))
        return scanned, whole

    yield both
    for source in opened:
        await source.aclose()


def logs(
    rng: random.Random, first: int, count: int, stamp: int, *, jumble: bool = False
) -> list[str]:
    out = []
    for n in range(first, first + count):
        stamp += rng.choice((0, 0, 1, 40))
        late = rng.choice((0, 0, 0, 3000)) if jumble else 0
        log_id = rng.randrange(first + count) if rng.random() < 0.05 else n  # ids repeat
        obj = item(
            log_id,
            stamp - late,
            status=rng.choice(("success", "failed")),
            user_id=f"u{rng.randrange(4)}",
            tool_slug=f"T{rng.randrange(5)}",
            toolkit_slug=rng.choice(("alpha", "beta", "kit")),
            session_id=f"s{rng.randrange(30)}",
            request_id=f"r{rng.randrange(60)}",
        )
        out.append(line(obj))
        roll = rng.random()
        if roll < 0.02:
            out.append(rng.choice(["not json\n", "[1, 2]\n", '{"id": "x"}\n', "\n", "   \n"]))
        elif roll < 0.025:
            out.append(json.dumps({"id": "long", "pad": "x" * 2000}) + "\n")
        elif roll < 0.03:
            out.append(line(item(f"bad\xff{n}", stamp)).replace("bad\\u00ff", "bad\xff"))
    return out


async def agree(scanned: FileSource, whole: FileSource, rng: random.Random) -> None:
    for text in QUERIES:
        query = parse_query(text, now_ms=0)
        limit = rng.choice((1, 3, 7, 100))
        got, got_skipped, _ = await walk(scanned, query, limit=limit)
        want, want_skipped, _ = await walk(whole, query, limit=limit)
        assert [_shown(e) for e in got] == [_shown(e) for e in want], text
        assert sorted(got_skipped) == sorted(want_skipped), text
    stamps = sorted(e.timestamp_ms for e in want)
    if stamps:
        lo, hi = stamps[len(stamps) // 3], stamps[2 * len(stamps) // 3]
        query = LogQuery(time_range=TimeRange(lo, hi))
        got, _, _ = await walk(scanned, query, limit=5)
        want, _, _ = await walk(whole, query, limit=5)
        assert [_shown(e) for e in got] == [_shown(e) for e in want]
    assert len(scanned) == len(whole)
    assert scanned.problems == whole.problems or sorted(scanned.problems) == sorted(whole.problems)


@pytest.mark.parametrize("jumble", [False, True], ids=["in order", "out of order"])
async def test_pages_from_the_end_are_those_of_the_whole_file(
    tmp_path: Path, pair: Any, jumble: bool
) -> None:
    rng = random.Random(15)
    path = tmp_path / "app.jsonl"
    write(path, *logs(rng, 0, 400, START, jumble=jumble))
    scanned, whole = pair(path)
    await agree(scanned, whole, rng)
    assert scanned._scan is not None and whole._scan is None
    assert scanned.progress is None  # everything was read by the walks
    # Growth: new lines, some with the ids of old ones (the later line wins), and a
    # last line still being written.
    tail = logs(rng, 380, 60, START + 400 * 41, jumble=jumble)
    write(path, *tail, '{"id": "half', mode="a")
    await agree(scanned, whole, rng)
    for n in range(0, 450, 7):
        for source in (scanned, whole):
            try:
                got = (await source.get_detail(f"log_{n:04d}")).model_dump()
            except NotFoundError:
                got = None
            if source is scanned:
                first = got
        assert first == got


@pytest.mark.parametrize("jumble", [False, True], ids=["in order", "out of order"])
async def test_the_first_page_reads_only_the_end(tmp_path: Path, pair: Any, jumble: bool) -> None:
    rng = random.Random(3)
    path = tmp_path / "app.jsonl"
    write(path, *logs(rng, 0, 4000, START, jumble=jumble))
    scanned, whole = pair(path)
    page = await scanned.list_logs(LogQuery(), limit=3)
    assert [_shown(e) for e in page.entries] == [
        _shown(e) for e in (await whole.list_logs(LogQuery(), limit=3)).entries
    ]
    assert page.next_cursor
    read, about = scanned.progress
    # Calls that end out of order (up to 3 s late here) cost a few hundred lines more.
    assert read < (1000 if jumble else 100) and 3000 < about < 5200
    assert scanned.progress_text == f"indexed {read:,} of ~{about:,} lines"
    await walk(scanned, parse_query("user:nobody", now_ms=0))  # a query only the start answers
    assert scanned.progress is None and scanned.progress_text is None


async def test_a_log_not_read_yet_is_found_by_its_id(tmp_path: Path, pair: Any) -> None:
    rng = random.Random(5)
    path = tmp_path / "app.jsonl"
    old = item("log_old", START - 10)
    spelled = json.dumps(item("log_esc", START - 5)).replace("log_esc", "log\\u005fesc")
    dup = item("log_dup", START - 4, user_id="first")
    write(
        path, line(old), line(dup), spelled + "\n", line(item("log_dup", START - 3, user_id="last"))
    )
    write(path, *logs(rng, 0, 300, START), mode="a")
    for check in range(2):
        scanned, whole = pair(path)
        for log_id in ("log_old", "log_dup", "log_esc", "log_none", "log_0007"):
            answers = []
            for source in (scanned, whole):
                try:
                    answers.append((await source.get_detail(log_id)).model_dump())
                except NotFoundError:
                    answers.append(None)
            assert answers[0] == answers[1], log_id
            assert (answers[0] is None) == (log_id == "log_none")
        # Escapes in the file: read back to the start; else found without reading back.
        assert (scanned.progress is None) == (check == 0)
        path.write_text(path.read_text().replace("log\\u005fesc", "log_esc"))


async def test_logs_of_one_millisecond_list_the_last_line_first(tmp_path: Path, pair: Any) -> None:
    path = tmp_path / "app.jsonl"
    write(path, *(line(item(n, START)) for n in range(500)))
    scanned, whole = pair(path)
    for limit in (1, 7):
        got, _, _ = await walk(scanned, limit=limit)
        want, _, _ = await walk(whole, limit=limit)
        assert (
            [e.id for e in got]
            == [e.id for e in want]
            == [f"log_{n:04d}" for n in range(499, -1, -1)]
        )
    fresh, _ = pair(path)
    await fresh.list_logs(LogQuery(), limit=5)
    assert fresh.progress[0] < 50


async def test_lines_a_term_turns_down_by_their_bytes_answer_later_queries_alike(
    tmp_path: Path, pair: Any
) -> None:
    rng = random.Random(21)
    path = tmp_path / "app.jsonl"
    write(path, *logs(rng, 0, 600, START))
    write(path, line(item(9000, START + 99_999))[:-20] + "\n", mode="a")  # a write cut short
    write(path, *logs(rng, 600, 30, START + 100_000), mode="a")
    scanned, whole = pair(path)
    said: list[list[str]] = [[], []]
    # Terms that rule lines out by their bytes first, then others over the same lines.
    for text in ["failed user:u1", "toolkit~kit", *QUERIES]:
        query = parse_query(text, now_ms=0)
        for n, source in enumerate((scanned, whole)):
            entries, skipped, _ = await walk(source, query, limit=9)
            said[n] += skipped
            if n == 0:
                got = entries
        assert [_shown(e) for e in got] == [_shown(e) for e in entries], text
        if text == "failed user:u1":
            assert scanned._scan.alive.count(records.UNCHECKED) > 300  # glanced at, not parsed
    assert sorted(said[0]) == sorted(said[1])
    assert len(scanned) == len(whole)


async def test_a_file_cut_short_or_replaced_is_read_again_from_its_end(
    tmp_path: Path, pair: Any
) -> None:
    rng = random.Random(8)
    path = tmp_path / "app.jsonl"
    write(path, *logs(rng, 0, 300, START))
    scanned, _ = pair(path)
    assert (await scanned.list_logs(LogQuery(), limit=5)).entries
    write(path, *(line(item(n, START + n)) for n in range(40)))  # rewritten, shorter
    page = await scanned.list_logs(LogQuery(), limit=5)
    assert [e.id for e in page.entries] == [f"log_{n:04d}" for n in range(39, 34, -1)]
    assert scanned.restarts == 1 and scanned._scan is not None
    replacement = tmp_path / "new.jsonl"
    write(replacement, *(line(item(f"new_{n}", START + n)) for n in range(30)))
    replacement.replace(path)
    page = await scanned.list_logs(LogQuery(), limit=2)
    assert [e.id for e in page.entries] == ["new_29", "new_28"]
    assert scanned.restarts == 2


@pytest.mark.parametrize("query", ["failed", "", "user:u1"])
async def test_a_closed_source_is_freed_at_once_not_at_a_full_collection(
    tmp_path: Path, small_scans: None, query: str
) -> None:
    """Its parts call it back through weak references, and its scan lets go of its
    matches: nothing of it is left in a cycle (a second 1M-line source peaked at 154 MB)."""
    import gc
    import weakref

    path = tmp_path / "app.jsonl"
    write(path, *logs(random.Random(3), 0, 60, START))
    gc.disable()
    try:
        # In this thread: a worker thread lets go of its call a moment after answering.
        source = FileSource(path, blocking=True)
        page = await source.list_logs(parse_query(query, now_ms=0), limit=7)
        assert page.entries and source._scan is not None
        gone = weakref.ref(source), weakref.ref(source._scan)
        index = source._index
        await source.aclose()
        del source, page
        assert [ref() for ref in gone] == [None, None]
        assert not index.by_id  # what it read (its own cycle with its splitter is empty)
    finally:
        gc.enable()
