"""n and N on the log table: the next row whose message holds every search word, found
in slices so that keys are answered between them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tui.store import LogStore

# Rows a search looks at before it lets the event loop run again (a few ms of work).
SEARCH_SLICE = 5_000


async def next_match(
    store: LogStore,
    words: tuple[str, ...],
    position: int,
    *,
    older: bool,
    move: Callable[[int], None],
    say: Callable[[str], None],
) -> None:
    """``move`` to the next row from ``position`` (older, or newer) holding every word,
    else ``say`` that none does."""
    while True:
        found, stopped = store.find(words, position, older=older, limit=SEARCH_SLICE)
        if found is not None:
            move(found)
            return
        if stopped in (0, len(store) - 1) or stopped == position:
            which = "older" if older else "newer"
            say(f"No {which} loaded log holds {' '.join(words)!r}")
            return
        position = stopped
        await asyncio.sleep(0)  # let keys and repaints through between slices
