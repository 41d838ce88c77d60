"""Local search (n / N) over a million loaded logs: how long the event loop is held.

The table searches in slices of SEARCH_SLICE rows from the cursor and lets the event
loop run between them, so a key pressed during a long search is answered after at
most one slice. This prints the slice times and the whole walk for a word that no
loaded message holds (the worst case: every row is looked at).

Run: python bench/bench_search.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import time

from tui.models.entry import LogEntry
from tui.store import LogStore
from tui.ui.widgets.log_table import SEARCH_SLICE

BATCH = 50_000


def entry(n: int) -> LogEntry:
    return LogEntry.trusted(
        id=f"log_{n}",
        timestamp_ms=n * 10,
        status="success",
        level="info",
        type="tool.execution",
        toolkit="gmail",
        tool="GMAIL_FETCH_EMAILS",
        user_id="user_1",
        session_id="",
        connected_account_id="",
        auth_config_id="",
        duration_ms=120,
        message="GMAIL_FETCH_EMAILS executed successfully " + "x" * 60,
        parent_log_id=None,
        parent_tool=None,
        source="composio",
        raw={},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    store = LogStore()
    for start in range(0, rows, BATCH):
        store.add([entry(n) for n in range(start, min(rows, start + BATCH))])
    slices: list[float] = []
    position = 0
    began = time.perf_counter()
    while True:
        t = time.perf_counter()
        found, stopped = store.find(["timeout"], position, limit=SEARCH_SLICE)
        slices.append((time.perf_counter() - t) * 1000)
        if found is not None or stopped in (position, len(store) - 1):
            break
        position = stopped
    whole = time.perf_counter() - began
    print(
        f"{rows:,} rows, no match: {len(slices)} slices of {SEARCH_SLICE:,} rows, "
        f"each {statistics.median(slices):.1f} ms median / {max(slices):.1f} ms max; "
        f"{whole:.1f} s for the whole walk"
    )
    store.close()


if __name__ == "__main__":
    main()
