"""Benchmark: `e` (export) over a large store, and how long it holds the event loop.

The export reads the store a chunk at a time on the loop (SQLite is used from one
thread) and does the JSON work and the writing in a thread. A ticker measures the
longest the loop went without running while the export worked.

Run: python bench/bench_export.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from tui.export import write_matching
from tui.models.entry import LogEntry
from tui.query import LogQuery
from tui.store import LogStore

T0 = 1_776_400_000_000


def make_entry(i: int) -> LogEntry:
    """A log as the list API gives it, with headers in its metadata to mask."""
    tool = ("GMAIL_SEND_EMAIL", "SLACK_SEND_MESSAGE", "GITHUB_CREATE_AN_ISSUE")[i % 3]
    raw = {
        "id": f"log_{i:012d}",
        "timestamp": f"{T0 + i * 10}",
        "status": "failed" if i % 10 == 0 else "success",
        "message": f"{tool} executed for request {i}",
        "metadata": {"tool_slug": tool, "user_id": f"user_{i % 40:03d}", "headers": {}},
        "metrics": {"duration_ms": 120 + i % 500},
    }
    return LogEntry.trusted(
        id=raw["id"], timestamp_ms=T0 + i * 10, status=raw["status"], tool=tool, raw=raw
    )


async def export(store: LogStore, path: Path) -> int:
    written = 0
    with path.open("x", encoding="utf-8") as out:
        for chunk in store.raw_chunks():
            written += await asyncio.to_thread(write_matching, out, chunk, LogQuery())
    return written


async def main(rows: int) -> None:
    store = LogStore()
    batch = 10_000
    for start in range(0, rows, batch):
        store.add(make_entry(i) for i in range(start, start + batch))
    worst = 0.0
    done = False

    async def ticker() -> None:
        nonlocal worst
        last = time.perf_counter()
        while not done:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            worst = max(worst, now - last - 0.005)
            last = now

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.jsonl"
        tick = asyncio.create_task(ticker())
        started = time.perf_counter()
        written = await export(store, path)
        took = time.perf_counter() - started
        done = True
        await tick
        size = path.stat().st_size
    store.close()
    print(f"{written:,} logs exported ({size / 2**20:.0f} MB) in {took:.2f} s")
    print(f"event loop held at most {worst * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    asyncio.run(main(parser.parse_args().rows))
