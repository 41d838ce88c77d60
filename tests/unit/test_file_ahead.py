"""Helper processes reading the older part of a large file (``ahead``): the scan keeps what
they read exactly as it would have read it itself, and reads on itself when one fails."""

from __future__ import annotations

import asyncio
import random
import sys
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_file_scan import START, agree, logs
from tests.unit.test_file_source import item, line, walk, write
from tui.query import parse_query
from tui.sources.file import FileSource, ahead, pages, scan

# A helper that hands over its first slice, then breaks off.
ONE_SLICE_THEN_GONE = (
    "import sys; from tui.sources.file import ahead_worker as w;"
    "fd, start, stop, hexed = sys.argv[1:];"
    "needles = None if hexed == '-' else tuple(bytes.fromhex(n) for n in hexed.split(','));"
    "sys.stdout.buffer.write(next(w.slices(int(fd), int(start), int(stop), needles)))"
)


@pytest.fixture
def helped(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Any file is answered from its end, and three helpers read ahead from a page's
    first read on; how many slices the scans took from them."""
    monkeypatch.setattr(scan, "SCAN_FROM_BYTES", 1)
    monkeypatch.setattr(ahead, "AHEAD_FROM_BYTES", 1)
    monkeypatch.setattr(pages, "AHEAD_AFTER", 1)
    monkeypatch.setattr(ahead, "helpers_to_start", lambda: 3)
    taken: list[int] = []
    take = ahead.Ahead.take

    def counted(self: ahead.Ahead) -> ahead.Slice | None:
        piece = take(self)
        if piece is not None:
            taken.append(piece.passed)
        return piece

    monkeypatch.setattr(ahead.Ahead, "take", counted)
    return taken


@pytest.fixture
async def opened() -> AsyncIterator[Callable[..., FileSource]]:
    sources: list[FileSource] = []

    def open_one(path: Path, *, whole: bool = False) -> FileSource:
        source = FileSource(path)
        if whole:
            source._feed.on_start = None  # type: ignore[attr-defined]  # read whole
        sources.append(source)
        return source

    yield open_one
    for source in sources:
        await source.aclose()


def _state(source: FileSource) -> tuple[Any, ...]:
    """What a scan keeps, in numbers that do not depend on the process (no id hashes)."""
    found = source._scan
    assert found is not None
    codes = found.codes
    return (
        bytes(found.alive),
        found.off.tobytes(),
        found.ts.tobytes(),
        codes.rows.tobytes(),
        [c.tobytes() for c in codes._codes],
        codes._texts,
        found.lateness,
        found.passed,
        source.problems,
    )


def _file(path: Path, seed: int, jumble: bool, count: int = 1500) -> None:
    rng = random.Random(seed)
    write(path, "\ufeff", *logs(rng, 0, count, START, jumble=jumble))


@pytest.mark.parametrize("jumble", [False, True], ids=["in order", "out of order"])
async def test_pages_read_with_helpers_are_those_of_the_whole_file(
    tmp_path: Path, helped: list[int], opened: Callable[..., FileSource], jumble: bool
) -> None:
    path = tmp_path / "app.jsonl"
    _file(path, 15, jumble)
    scanned, whole = opened(path), opened(path, whole=True)
    await agree(scanned, whole, random.Random(1))
    assert len(helped) >= 3 and sum(helped) > 1000  # most lines came from the helpers
    assert scanned.progress is None


@pytest.mark.parametrize(
    ("first", "then"),
    [("toolkit:alpha", "failed"), ("", "user:u1"), ("failed", "failed"), ("user:u2", "")],
    ids=["other needles", "none, then needles", "same needles", "needles, then none"],
)
async def test_a_scan_keeps_what_helpers_read_as_it_would_have_read_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helped: list[int],
    opened: Callable[..., FileSource],
    first: str,
    then: str,
) -> None:
    """The helpers read with the needles of the query that sent them; a later query with
    others that takes what they read gets the same rows, and the scan the same numbers,
    as one read alone."""
    path = tmp_path / "app.jsonl"
    _file(path, 7, True)
    states, rows = [], []
    for helpers in (3, 0):
        monkeypatch.setattr(ahead, "helpers_to_start", lambda n=helpers: n)
        source = opened(path)
        # The first query's page sends the helpers, and is found before the scan gets
        # to their parts; the second reads every line, the helpers' included.
        page = await source.list_logs(parse_query(first, now_ms=0), limit=3)
        entries, _, _ = await walk(source, parse_query(then, now_ms=0), limit=50)
        shown = [[e.id for e in page.entries], [e.id for e in entries]]
        states.append(_state(source))
        rows.append(shown)
    assert helped
    assert rows[0] == rows[1]
    if first == then:
        assert states[0] == states[1]
    else:  # a line glanced at here was read whole there, or the other way round
        assert [_listed(state) for state in states[0:2]] == [_listed(states[1])] * 2


def _listed(state: tuple[Any, ...]) -> tuple[Any, ...]:
    """A scan's numbers but how each line was read (glanced at, or whole)."""
    alive, offsets, stamps, _rows, _codes, _texts, *rest = state
    return (alive.translate(bytes([0] + [1] * 255)), offsets, stamps, *rest)


@pytest.mark.parametrize(
    "worker",
    [("-c", "pass"), ("-c", ONE_SLICE_THEN_GONE), ("-c", "import sys; sys.stdout.write('x' * 99)")],
    ids=["says nothing", "breaks off", "says nonsense"],
)
async def test_when_a_helper_fails_the_scan_reads_its_part_itself(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helped: list[int],
    opened: Callable[..., FileSource],
    worker: tuple[str, str],
) -> None:
    monkeypatch.setattr(ahead, "_WORKER", (sys.executable, *worker))
    path = tmp_path / "app.jsonl"
    _file(path, 3, True)
    scanned, whole = opened(path), opened(path, whole=True)
    await agree(scanned, whole, random.Random(2))
    assert bool(helped) == (worker[1] == ONE_SLICE_THEN_GONE)
    assert scanned.progress is None


async def test_helpers_run_this_tui_whatever_the_working_directory_holds(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helped: list[int],
    opened: Callable[..., FileSource],
) -> None:
    """``python -m`` looks in the working directory first: a ``tui`` package there would
    have run in each helper."""
    planted = tmp_path / "cwd" / "tui"
    planted.mkdir(parents=True)
    marker = tmp_path / "ran"
    (planted / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.chdir(planted.parent)
    path = tmp_path / "app.jsonl"
    _file(path, 5, False)
    await walk(opened(path), parse_query("user:nobody", now_ms=0))
    assert helped and not marker.exists()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The helper processes started, in order."""
    processes: list[Any] = []
    popen = ahead.subprocess.Popen

    def spied(*args: Any, **kwargs: Any) -> Any:
        processes.append(popen(*args, **kwargs))
        return processes[-1]

    monkeypatch.setattr(ahead.subprocess, "Popen", spied)
    return processes


async def test_a_helper_done_before_the_scan_gets_to_it_exits(
    tmp_path: Path,
    helped: list[int],
    started: list[Any],
    opened: Callable[..., FileSource],
) -> None:
    """Its slices wait in a file, not in the helper: nothing is left running (and holding
    memory) when a page fills up before the scan gets to the helpers' parts."""
    path = tmp_path / "app.jsonl"
    _file(path, 6, False, count=8000)  # more than a pipe holds, per helper
    source = opened(path)
    page = await source.list_logs(parse_query("failed", now_ms=0), limit=5)
    assert len(page.entries) == 5 and len(started) == 3 and not helped
    codes = await asyncio.to_thread(lambda: [p.wait(timeout=30) for p in started])
    assert codes == [0, 0, 0]
    entries, _, _ = await walk(source, parse_query("failed", now_ms=0), limit=100)
    assert helped and len(entries) > 100  # their slices, taken after they ended


async def test_closing_the_source_stops_its_helpers(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helped: list[int],
    started: list[Any],
    opened: Callable[..., FileSource],
) -> None:
    monkeypatch.setattr(ahead, "_WORKER", (sys.executable, "-c", "import time; time.sleep(60)"))
    path = tmp_path / "app.jsonl"
    _file(path, 4, False)
    source = opened(path)
    await source.list_logs(parse_query("failed", now_ms=0), limit=5)
    assert len(started) == 3 and all(p.poll() is None for p in started)
    await source.aclose()
    assert all(p.returncode is not None for p in started)


async def test_closing_the_source_mid_pass_ends_the_pass_at_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    helped: list[int],
    opened: Callable[..., FileSource],
) -> None:
    """Quitting during a first pass waited for the pass to end (5 s at a million lines):
    the read holds the source's lock. Here the pass waits on helpers that never answer."""
    monkeypatch.setattr(ahead, "_WORKER", (sys.executable, "-c", "import time; time.sleep(60)"))
    path = tmp_path / "app.jsonl"
    _file(path, 4, False)
    started = threading.Event()
    popen = ahead.subprocess.Popen

    def spied(*args: Any, **kwargs: Any) -> Any:
        started.set()
        return popen(*args, **kwargs)

    monkeypatch.setattr(ahead.subprocess, "Popen", spied)
    source = opened(path)
    pass_ = asyncio.create_task(source.list_logs(parse_query("user:nobody", now_ms=0)))
    assert await asyncio.to_thread(started.wait, 10)
    await asyncio.wait_for(source.aclose(), 10)
    await asyncio.wait_for(pass_, 10)
    assert source._scan.done


def test_parts_are_cut_at_line_starts_newest_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ahead, "AHEAD_FROM_BYTES", 1)
    path = tmp_path / "app.jsonl"
    write(path, *(line(item(n, START + n)) for n in range(3000)))
    data = path.read_bytes()
    with open(path, "rb") as f:
        floor, parts = ahead.plan(f.fileno(), len(data), 3)
        assert ahead.plan(f.fileno(), len(data), 0) == (0, [])
        monkeypatch.setattr(ahead, "AHEAD_FROM_BYTES", len(data) + 1)
        assert ahead.plan(f.fileno(), len(data), 3) == (0, [])  # too little to be worth it
    assert len(parts) == 3 and parts[0][1] == floor and parts[-1][0] == 0
    assert all(low < high for low, high in parts)
    assert [high for _, high in parts[1:]] == [low for low, _ in parts[:-1]]
    for cut in (floor, *(low for low, _ in parts[:-1])):
        assert data[cut - 1 : cut] == b"\n"
    # Four equal shares, the scan's the newest.
    assert abs(floor - 3 * len(data) / 4) < 300
