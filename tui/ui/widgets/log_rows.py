"""What a LogTable row says and how it is laid out: columns for the width, each value
fitted to its column, search words highlighted. Rich segments only, no Textual: the
table adds its styles and turns the segments into strips."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from tui import fmt
from tui.store import RowView


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # 0: takes the remaining width
    right: bool = False


def fit(text: str, width: int, right: bool = False) -> str:
    """Pad or cut ``text`` to exactly ``width`` cells, marking a cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    if right:
        return " " * (width - cell_len(text)) + text
    return set_cell_size(text, width)


def layout(width: int) -> tuple[Column, ...]:
    """Columns for the terminal width; the message column takes the rest.

    Below 100 columns the toolkit column goes (the tool slug names it anyway),
    so the message keeps room to say something at 80x24.
    """
    middle: tuple[Column, ...]
    if width >= 150:
        middle = (Column("TOOLKIT", 14), Column("TOOL", 32), Column("USER", 24))
    elif width >= 100:
        middle = (Column("TOOLKIT", 12), Column("TOOL", 26), Column("USER", 16))
    else:
        middle = (Column("TOOL", 20), Column("USER", 10))
    return (
        Column("TIME", 8),
        Column("STATUS", 6),
        *middle,
        Column("DUR", 6, right=True),
        Column("MESSAGE", 0),
    )


def cells(columns: tuple[Column, ...], width: int, values: list[str]) -> list[str]:
    """Each value fitted to its column; the last zero-width column takes what is left."""
    fixed = sum(c.width for c in columns if c.width) + len(columns) - 1
    rest = max(0, width - fixed - 1)  # keep one column free for the scrollbar
    return [
        fit(value, column.width or rest, column.right)
        for column, value in zip(columns, values, strict=True)
    ]


def row_values(
    row: RowView, columns: tuple[Column, ...], time_text: Callable[[int], str]
) -> list[str]:
    """What ``row`` shows in each of ``columns``, unfitted."""
    status = "FAILED" if row.failed else ("ok" if row.status == "success" else row.status)
    by_title = {
        "TIME": time_text(row.timestamp_ms),
        "STATUS": status,
        "TOOLKIT": row.toolkit,
        "TOOL": row.tool,
        "USER": row.user_id,
        "DUR": fmt.duration(row.duration_ms),
        "MESSAGE": message_without_tool(row.message, row.tool),
    }
    return [by_title[c.title] for c in columns]


def row_segments(
    row_cells: list[str],
    styles: list[Style],
    base: Style,
    words: tuple[str, ...],
    match: Style,
) -> list[Segment]:
    """The cells in their styles, one ``base`` space apart; in the last (the message)
    the search ``words`` stand in ``match``."""
    segments: list[Segment] = []
    last = len(row_cells) - 1
    for i, (cell, style) in enumerate(zip(row_cells, styles, strict=True)):
        if i:
            segments.append(Segment(" ", base))
        if i == last and words:
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
