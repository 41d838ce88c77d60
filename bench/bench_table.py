"""Benchmark: the log table and store at 0, 100k and 1M rows.

Prints, for a table already holding N rows:
  - event-loop time to append 100 rows (validate entries, store them, update
    the table, and repaint every visible line of the table);
  - key-press-to-repaint time at the largest size (cursor down, then repaint
    the visible lines), measured in-process and through Textual's pilot;
  - RSS growth per 100,000 rows held.

Run: python bench/bench_table.py [--sizes 0,100000,1000000] [--repeat 20]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time
from datetime import UTC
from pathlib import Path

from textual.app import App, ComposeResult
from textual.geometry import Region

from tui.models.entry import LogEntry
from tui.store import LogStore
from tui.ui.widgets.log_table import LogTable

TOOLS = ["GMAIL_SEND_EMAIL", "GITHUB_CREATE_AN_ISSUE", "SLACK_SEND_MESSAGE", "NOTION_CREATE_PAGE"]
T0 = 1_776_400_000_000


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_entry(i: int, ts: int, *, validate: bool) -> LogEntry:
    rnd = random.Random(i)
    tool = rnd.choice(TOOLS)
    values = dict(
        id=f"log_{i:012d}",
        timestamp_ms=ts,
        status="failed" if rnd.random() < 0.1 else "success",
        level="info",
        type="tool.execution",
        toolkit=tool.split("_")[0].lower(),
        tool=tool,
        user_id=f"user_{rnd.randrange(40):03d}",
        duration_ms=int(rnd.lognormvariate(5.5, 0.8)),
        message=f"{tool} executed for request {i}",
        raw={"id": f"log_{i:012d}", "metadata": {"tool_slug": tool}, "metrics": {}},
    )
    if validate:
        return LogEntry(**values)  # type: ignore[arg-type]
    # Bulk prefill only: skip validation so building a million rows takes
    # seconds, not minutes. The measured appends below validate as the app does.
    return LogEntry.trusted(**values)


class BenchApp(App[None]):
    def __init__(self, store: LogStore) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        yield LogTable(self.store, tz=UTC, id="log-table")


def repaint(table: LogTable) -> None:
    """Render every visible line of the table, as a screen refresh would."""
    table._strip_cache.clear()
    table.render_lines(Region(0, 0, table.size.width, table.size.height))


async def bench_size(n: int, repeat: int) -> dict[str, float]:
    gc.collect()
    base_rss = rss_mb()
    store = LogStore()
    chunk = 50_000
    for start in range(0, n, chunk):
        store.add(
            make_entry(i, T0 + i * 5, validate=False) for i in range(start, min(n, start + chunk))
        )
    gc.collect()
    held_rss = rss_mb() - base_rss
    app = BenchApp(store)
    next_id = n
    results: dict[str, float] = {"rows": n, "rss_mb": held_rss}
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(LogTable)
        table.rows_added()
        await pilot.pause()
        # Park the cursor mid-table so appends exercise "keep the user's place".
        table.move_cursor(min(len(store) - 1, 10)) if len(store) else None
        appends: list[float] = []
        for _ in range(repeat):
            batch_ts = (store.newest_ms or T0) + 5
            t = time.perf_counter()
            entries = [make_entry(next_id + k, batch_ts + k, validate=True) for k in range(100)]
            store.add(entries)
            table.rows_added()
            repaint(table)
            appends.append((time.perf_counter() - t) * 1000)
            next_id += 100
        results["append_100_ms_median"] = statistics.median(appends)
        results["append_100_ms_max"] = max(appends)

        keys: list[float] = []
        for _ in range(repeat):
            t = time.perf_counter()
            table.action_cursor_down()
            repaint(table)
            keys.append((time.perf_counter() - t) * 1000)
        results["key_ms_median"] = statistics.median(keys)
        results["key_ms_max"] = max(keys)

        t = time.perf_counter()
        table.action_last()
        repaint(table)
        results["jump_to_oldest_ms"] = (time.perf_counter() - t) * 1000

        pilot_keys: list[float] = []
        for _ in range(repeat):
            t = time.perf_counter()
            await pilot.press("up")
            pilot_keys.append((time.perf_counter() - t) * 1000)
        results["pilot_key_ms_median"] = statistics.median(pilot_keys)
    store.close()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="0,100000,1000000")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'rows held':>10} {'append 100 (median/max)':>24} {'key+repaint (median/max)':>25} "
        f"{'jump to oldest':>15} {'pilot key':>10} {'RSS held':>9}"
    )
    for n in sizes:
        r = await bench_size(n, args.repeat)
        per_100k = f"{r['rss_mb'] / (n / 100_000):.1f} MB/100k" if n else "-"
        print(
            f"{n:>10,} {r['append_100_ms_median']:>14.1f} / {r['append_100_ms_max']:>5.1f} ms"
            f" {r['key_ms_median']:>15.2f} / {r['key_ms_max']:>5.2f} ms"
            f" {r['jump_to_oldest_ms']:>12.2f} ms {r['pilot_key_ms_median']:>7.1f} ms"
            f" {per_100k:>14}"
        )


if __name__ == "__main__":
    asyncio.run(main())
