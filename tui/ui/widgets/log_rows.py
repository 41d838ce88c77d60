"""What a LogTable row says and how it is laid out: columns for the width, each value
fitted to its column, search words highlighted. Rich segments only, no Textual: the
table adds its styles and turns the segments into strips."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from tui import fmt
from tui.store import RowView


@dataclass(frozen=True)
class Column:
    name: str  # as ``[table] columns`` names it
    title: str
    width: int  # 0: takes the remaining width
    right: bool = False


TITLES: Final = {
    "time": "TIME",
    "status": "STATUS",
    "toolkit": "TOOLKIT",
    "tool": "TOOL",
    "user": "USER",
    "duration": "DUR",
    "message": "MESSAGE",
}
# A Buddy row (tui.sources.buddy.rows) holds the pipeline as the toolkit, the action as the
# tool and who triggered the run as the user: the header says so, as the query does.
BUDDY_TITLES: Final = {**TITLES, "toolkit": "PIPELINE", "tool": "ACTION", "user": "BY"}


def titles_for(kind: str | None) -> Mapping[str, str]:
    """The column titles on a source of ``kind`` (``query_kind``: "buddy", else None)."""
    return BUDDY_TITLES if kind == "buddy" else TITLES


# What drops first when the columns do not fit: the reverse of time, status, the tool in
# full, user, duration (the message takes what is left). Time, status and tool are
# never dropped; the tool is cut only when nothing else is left to drop.
DROP_ORDER: Final = ("toolkit", "duration", "user")
# Widths that do not depend on the rows: today's time, FAILED, 2m05s.
FIXED_WIDTHS: Final = {"time": 8, "status": 6, "duration": 6}
# Columns are as wide as the longest value on screen, up to these (Composio's longest
# slugs are about 50).
MAX_WIDTHS: Final = {"toolkit": 16, "tool": 64, "user": 24}
# What the sidebar leaves room for: a long slug whole (most are under 35).
TYPICAL_WIDTHS: Final = {"toolkit": 12, "tool": 48, "user": 16}
MIN_MESSAGE = 10  # a message column narrower than this says nothing: left out
MAX_STATUS = 10  # a status word longer than this (from a source's odd answer) is cut
GUTTER = 1  # the mark (m) is drawn in a column of its own, left of the row
SCROLLBAR = 1


def fit(text: str, width: int, right: bool = False) -> str:
    """Pad or cut ``text`` to exactly ``width`` cells, marking a cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    if right:
        return " " * (width - cell_len(text)) + text
    return set_cell_size(text, width)


@lru_cache(maxsize=8)  # asked once for each line of an empty table as it is drawn
def wrapped(text: str, width: int) -> tuple[str, ...]:
    """``text`` in lines of ``width`` cells, as the empty table says it."""
    return tuple(fit(line, width) for line in textwrap.wrap(text, max(8, width)))


def comfortable_width(names: tuple[str, ...]) -> int:
    """The table width the columns ``names`` need with a long tool slug whole and 20 cells
    of message: below it the sidebar starts hidden (F2 still opens it). With the default
    columns 111, so the sidebar opens by default from 137 columns."""
    widths = {**FIXED_WIDTHS, **TYPICAL_WIDTHS, "message": 20}
    return GUTTER + sum(widths[n] for n in names) + len(names) - 1 + SCROLLBAR


def widths_of(rows: Iterable[RowView], *, dated: bool) -> dict[str, int]:
    """The longest tool, user and toolkit of ``rows`` (those on screen: the columns are as
    wide as what they show, as k9s lays them out, so one long slug does not keep the
    message narrow after it scrolled away), and the time's width (``dated``: some row is
    not from today, and shows its date)."""
    widths = {"time": fmt.TABLE_TIME_WIDTH if dated else FIXED_WIDTHS["time"]}
    for row in rows:
        for name, value in (("tool", row.tool), ("user", row.user_id), ("toolkit", row.toolkit)):
            widths[name] = max(widths.get(name, 0), cell_len(value))
        # FAILED and ok fit in 6; a Buddy action's running, waiting or skipped do not.
        widths["status"] = max(widths.get("status", 0), min(MAX_STATUS, len(status_label(row))))
    return widths


def layout(
    width: int,
    names: tuple[str, ...],
    seen: Mapping[str, int],
    titles: Mapping[str, str] = TITLES,
) -> tuple[Column, ...]:
    """The columns ``names`` (in their order) for a table ``width`` cells wide.

    Time, status and tool in full come first, then user and duration; the message takes
    what is left. ``seen``: the longest value of a column seen so far (tool, user,
    toolkit) and the time's width (8, or more once a row is not from today)."""
    room = width - GUTTER - SCROLLBAR
    widths = {
        name: min(MAX_WIDTHS.get(name, 1_000), max(len(titles[name]), seen.get(name, 0)))
        for name in names
    }
    widths.update((n, max(w, seen.get(n, 0))) for n, w in FIXED_WIDTHS.items() if n in names)
    kept = [name for name in names if name != "message"]

    def used() -> int:
        return sum(widths[n] for n in kept) + len(kept) - 1

    for name in DROP_ORDER:
        if used() > room and name in kept:
            kept.remove(name)
    if "message" in names and "toolkit" in kept and room - used() - 1 < MIN_MESSAGE:
        kept.remove("toolkit")  # the message (a running action's last line) comes first
    if used() > room and "tool" in kept:  # the last resort: cut the tool
        widths["tool"] = max(4, widths["tool"] - (used() - room))
    if "message" in names and room - used() - 1 >= MIN_MESSAGE:
        kept.append("message")
    ordered = [name for name in names if name in kept]
    return tuple(
        Column(n, titles[n], 0 if n == "message" else widths[n], right=n == "duration")
        for n in ordered
    )


def cells(columns: tuple[Column, ...], width: int, values: list[str]) -> list[str]:
    """Each value fitted to its column; the zero-width column (message) takes what is left."""
    fixed = sum(c.width for c in columns if c.width) + len(columns) - 1
    rest = max(0, width - GUTTER - SCROLLBAR - fixed)
    return [
        fit(value, column.width or rest, column.right)
        for column, value in zip(columns, values, strict=True)
    ]


def status_label(row: RowView) -> str:
    """FAILED, ok, or the source's own word (a Buddy action's running, queued…)."""
    return "FAILED" if row.failed else ("ok" if row.status == "success" else row.status)


def row_values(
    row: RowView,
    columns: tuple[Column, ...],
    time_text: Callable[[int], str],
    message_offset: int = 0,
) -> list[str]:
    """What ``row`` shows in each of ``columns``, unfitted; the message from
    ``message_offset`` on (→ scrolled it), with an ellipsis for what is left of it."""
    status = status_label(row)
    message = message_without_tool(row.message, row.tool)
    if message_offset:
        message = "…" + message[message_offset + 1 :] if len(message) > message_offset else ""
    by_name = {
        "time": time_text(row.timestamp_ms),
        "status": status,
        "toolkit": row.toolkit,
        "tool": row.tool,
        "user": row.user_id,
        "duration": fmt.duration(row.duration_ms),
        "message": message,
    }
    return [by_name[c.name] for c in columns]


def header(columns: tuple[Column, ...], width: int, message_offset: int) -> str:
    """The header line: the gutter, then each column's title (the message's says how far
    → scrolled it)."""
    titles = [
        f"{c.title} ←{message_offset}" if c.name == "message" and message_offset else c.title
        for c in columns
    ]
    return " " * GUTTER + " ".join(cells(columns, width, titles))


def scrolled(
    offset: int, direction: int, columns: tuple[Column, ...], width: int, rows: list[RowView]
) -> int:
    """The message offset after one → (``direction`` 1) or ← (-1): half the message
    column a press, at least 10 cells, until the longest message on screen ends."""
    if not any(c.name == "message" for c in columns):
        return 0
    fixed = sum(c.width for c in columns if c.width) + len(columns) - 1
    step = max(10, (width - GUTTER - SCROLLBAR - fixed) // 2)
    longest = max((len(row.message) for row in rows), default=0)
    return max(0, min(offset + direction * step, longest - step))


def row_segments(
    columns: tuple[Column, ...],
    row_cells: list[str],
    styles: list[Style],
    base: Style,
    words: tuple[str, ...],
    match: Style,
) -> list[Segment]:
    """The cells in their styles, one ``base`` space apart; in the message the search
    ``words`` stand in ``match``."""
    segments: list[Segment] = []
    for i, (column, cell, style) in enumerate(zip(columns, row_cells, styles, strict=True)):
        if i:
            segments.append(Segment(" ", base))
        if column.name == "message" and words:
            segments += highlighted(cell, words, style, match)
        else:
            segments.append(Segment(cell, style))
    return segments


def highlighted(text: str, words: tuple[str, ...], style: Style, match: Style) -> list[Segment]:
    """``text`` as segments, each case-insensitive occurrence of a word in ``match``."""
    lowered = text.lower()
    marks = [False] * len(text)
    for word in words:
        needle = word.lower()
        if not needle or len(needle) != len(word):
            continue  # case folding that changes length cannot be mapped back
        at = lowered.find(needle)
        while at >= 0:
            marks[at : at + len(needle)] = [True] * len(needle)
            at = lowered.find(needle, at + len(needle))
    segments: list[Segment] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or marks[i] != marks[start]:
            segments.append(Segment(text[start:i], match if marks[start] else style))
            start = i
    return segments


def message_without_tool(message: str, tool: str) -> str:
    """Messages often start with the tool slug the row already shows; drop it there."""
    if tool and message.startswith(tool):
        rest = message[len(tool) :].lstrip(" :-")
        if rest:
            return rest
    return message
