"""Histogram: calls over time, one column per bucket, stacked by status (failures at the
bottom, where the eye finds them), with the largest count on the left and the first and
last bucket's time under it. Drawn as rich Text: nothing from outside reaches it but
numbers and times."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.widget import Widget

from tui import fmt
from tui.models.entry import STATUS_FAILED, STATUS_SUCCESS
from tui.stats import Bucket
from tui.stats.engine import STATUS_OTHER

# Bottom to top, with each part's style.
STACK = ((STATUS_FAILED, "red"), (STATUS_OTHER, "yellow"), (STATUS_SUCCESS, "green"))
BAR = "█"
MAX_BAR_WIDTH = 3


def bar_width(buckets: int, room: int) -> int:
    """Cells per bucket (a gap of one between bars that are wider than one)."""
    if buckets <= 0:
        return 1
    return max(1, min(MAX_BAR_WIDTH, room // buckets - 1 if room // buckets > 1 else 1))


def stack_heights(bucket: Bucket, top: int, rows: int) -> list[int]:
    """Where each part of the stack ends, in rows from the bottom (cumulative): a bucket
    with any call shows at least one row."""
    ends, total = [], 0
    for status, _style in STACK:
        total += bucket.counts[status]
        end = round(total / top * rows) if top else 0
        ends.append(max(end, 1) if total else 0)
    return ends


class Histogram(Widget):
    DEFAULT_CSS = """
    Histogram {
        height: 1fr;
        min-height: 4;
    }
    """

    def __init__(self, *, tz: tzinfo | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tz = tz
        self.buckets: list[Bucket] = []

    def show(self, buckets: list[Bucket]) -> None:
        self.buckets = buckets
        self.refresh()

    def render(self) -> Text:
        width, height = self.size.width, self.size.height
        buckets = self.buckets
        top = max((bucket.total for bucket in buckets), default=0)
        gutter = len(f"{top:,}") + 1
        rows = max(height - 1, 1)
        room = max(width - gutter, 1)
        cell = bar_width(len(buckets), room)
        step = cell + 1 if cell > 1 else 1
        shown = buckets[-max(room // step, 1) :]
        columns = [stack_heights(bucket, top, rows) for bucket in shown]
        text = Text(no_wrap=True, overflow="crop")
        for row in range(rows - 1, -1, -1):
            label = f"{top:,}" if row == rows - 1 else "0" if row == 0 else ""
            text.append(label.rjust(gutter - 1) + " ", style="dim")
            for ends in columns:
                style = next(
                    (s for (_, s), end in zip(STACK, ends, strict=True) if row < end), None
                )
                text.append(BAR * cell if style else " " * cell, style=style or "")
                if step > cell:
                    text.append(" ")
            text.append("\n")
        text.append(" " * gutter)
        if shown:
            first = fmt.clock_time(shown[0].start_ms, self._tz)[:5]
            last = fmt.clock_time(shown[-1].start_ms, self._tz)[:5]
            span = len(shown) * step
            text.append(first if span < 12 else first + last.rjust(span - len(first)), "dim")
        return text
