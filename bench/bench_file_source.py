"""FileSource over a large JSON-lines export: first read, pages after it, appends.

Writes ROWS list items (newest first, as ``toolwatch list`` prints them) to a temporary
file, then times what LiveTail and the table ask of the source: the first page (which
reads and indexes the whole file), the same page again, a new filter set, a page deep in
a pinned time range, and pages after small and large appends. A ticker task measures how
long the event loop is held meanwhile (parsing runs in a worker thread).

Run: python bench/bench_file_source.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

from tui.query import LogQuery, TimeRange, parse_query
from tui.sources.file import FileSource

START_MS = 1_776_000_000_000
TOOLS = [(f"TOOLKIT{t}_ACTION{a}", f"toolkit{t}") for t in range(10) for a in range(4)]


def item(n: int) -> dict[str, Any]:
    rng = random.Random(n)
    tool, toolkit = rng.choice(TOOLS)
    failed = rng.random() < 0.1
    return {
        "id": f"log_{n:010d}",
        "timestamp": _iso(START_MS + n * 250 + rng.randrange(250)),
        "type": "tool.execution",
        "status": "failed" if failed else "success",
        "level": "error" if failed else "info",
        "message": f"{tool} {'failed: upstream said no' if failed else 'executed successfully'}",
        "metadata": {
            "tool_slug": tool,
            "toolkit_slug": toolkit,
            "user_id": f"user_{rng.randrange(50)}",
            "connected_account_id": f"ca_{rng.randrange(200)}",
            "session_id": f"trs_{n // 20}",
        },
        "metrics": {"duration_ms": rng.randrange(50, 3000)},
        "parent": None,
    }


def write_export(path: str, rows: int) -> float:
    """ROWS items, newest first (as `toolwatch list` prints them); the size in MB."""
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(item(n)) + "\n" for n in range(rows - 1, -1, -1))
    return os.path.getsize(path) / 2**20


def append(path: str, first: int, count: int) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.writelines(json.dumps(item(n)) + "\n" for n in range(first, first + count))


def rss_mb() -> float:
    """The resident set now (Linux), else the peak so far."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _iso(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


async def timed(label: str, call: Callable[[], Awaitable[Any]], repeat: int = 1) -> Any:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = await call()
        times.append((time.perf_counter() - started) * 1000)
    shown = f"{statistics.median(times):9.2f} ms" + (f" (median of {repeat})" if repeat > 1 else "")
    print(f"{label:<52} {shown}")
    return result


async def run(rows: int) -> None:
    folder = tempfile.mkdtemp(prefix="toolwatch-bench-")
    path = os.path.join(folder, "export.jsonl")
    size_mb = write_export(path, rows)
    print(f"{rows} lines, {size_mb:.0f} MB, newest first\n")

    before = rss_mb()
    source = FileSource(path)
    held: list[float] = []

    async def ticker() -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.005)
            held.append((time.perf_counter() - started) * 1000 - 5)

    tick = asyncio.create_task(ticker())
    everything = LogQuery()
    await timed("first page (reads and indexes the file)", lambda: source.list_logs(everything))
    tick.cancel()
    print(f"{'  event loop held at most':<52} {max(held):9.2f} ms")
    print(f"{'  logs read':<52} {len(source):9d}")
    print(f"{'  memory held for them':<52} {rss_mb() - before:9.0f} MB")

    await timed("page 1 again", lambda: source.list_logs(everything, limit=100), repeat=20)
    failed_gmail = parse_query("failed toolkit~toolkit3", now_ms=0)
    await timed(
        "page 1 of a new filter set (filters every log)",
        lambda: source.list_logs(failed_gmail, limit=100),
    )
    await timed(
        "page 1 of that filter set again",
        lambda: source.list_logs(failed_gmail, limit=100),
        repeat=20,
    )
    user = parse_query("user:user_7 -tool:TOOLKIT1_ACTION1", now_ms=0)
    await timed("another new filter set", lambda: source.list_logs(user, limit=100))
    middle = START_MS + rows * 125
    pinned = LogQuery(failed_gmail.filters, TimeRange(middle - 3_600_000, middle))
    first = await source.list_logs(pinned, limit=20)
    await timed(
        "page 2 of a pinned time range",
        lambda: source.list_logs(pinned, limit=20, cursor=first.next_cursor),
        repeat=20,
    )

    next_n = rows
    for batch in (10, 5_000):
        append(path, next_n, batch)
        next_n += batch
        await timed(
            f"page 1 after {batch} lines appended",
            lambda: source.list_logs(failed_gmail, limit=100),
        )
    await timed(
        "page 1 (no filters) after the appends", lambda: source.list_logs(everything, limit=100)
    )
    await timed("detail of one log", lambda: source.get_detail(f"log_{rows // 2:010d}"), repeat=20)
    await source.aclose()
    os.remove(path)
    os.rmdir(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    asyncio.run(run(parser.parse_args().rows))


if __name__ == "__main__":
    main()
