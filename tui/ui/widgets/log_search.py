"""n and N: on the log table, the next row whose message holds every search word, found
in slices so that keys are answered between them; in the detail pane's JSON and Log
tabs, the next line holding them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

from textual.scroll_view import ScrollView

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


def holds_words(line: str, words: tuple[str, ...]) -> bool:
    """Whether ``line`` holds every one of ``words`` (already lower case), in any case."""
    lowered = line.lower()
    return bool(words) and all(word in lowered for word in words)


def next_line_holding(
    lines: Sequence[str], words: tuple[str, ...], here: int, step: int
) -> int | None:
    """n and N in a pane (the JSON tab, the Log tab): the next line after ``here`` (down
    when ``step`` is 1, up when -1) holding every word, else None."""
    stop = len(lines) if step > 0 else -1
    return next((n for n in range(here + step, stop, step) if holds_words(lines[n], words)), None)


def bring_into_view(view: ScrollView, line: int) -> None:
    """Scroll ``view`` (a line per row) just enough that ``line`` is on screen: where n,
    N or a cursor key in a pane's lines lands."""
    top, height = int(view.scroll_offset.y), max(1, view.size.height)
    if line < top:
        view.scroll_to(y=line, animate=False)
    elif line >= top + height:
        view.scroll_to(y=line - height + 1, animate=False)
    view.refresh()
