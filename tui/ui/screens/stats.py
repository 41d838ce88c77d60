"""StatsScreen (`S`, and the palette): the loaded logs of the applied query as a histogram
over time stacked by status, and a table per toolkit, tool, user, auth config or
connected account, sortable by any column; Enter applies a row's filter to the log table.

It says what it counts (the loaded logs, between which times) and, where the source has
the Usage API, the API's own count for the same range (fetched in a worker by whoever
opens it: `show_usage`). It follows the engine while open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import tzinfo
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tui import fmt
from tui.errors import ApiError
from tui.query import LogQuery
from tui.query.model import Filter
from tui.query.printer import format_query
from tui.sanitize import clean
from tui.stats import GROUP_FIELDS, MINUTE_MS, GroupStats, StatsEngine
from tui.ui.actions import bindings
from tui.ui.widgets.histogram import Histogram

# Bucket sizes the zoom steps through, in minutes.
ZOOM_MINUTES = (1, 2, 5, 10, 15, 30, 60, 180, 360, 720, 1440)
BY_NAMES = {
    "toolkit": "toolkit",
    "tool": "tool",
    "user": "user",
    "auth": "auth config",
    "account": "account",
}
NAME_WIDTH = 28


def _pct(group: GroupStats) -> str:
    return f"{group.error_rate * 100:.1f}%"


# Each column: its title, its cell, and the value it sorts by (larger first).
Column = tuple[str, Callable[[GroupStats, tzinfo | None], str], Callable[[GroupStats], Any]]
COLUMNS: tuple[Column, ...] = (
    ("name", lambda g, _tz: clean(g.group or "(none)", max_len=NAME_WIDTH), lambda g: g.group),
    ("calls", lambda g, _tz: f"{g.count:,}", lambda g: g.count),
    ("failed", lambda g, _tz: f"{g.failed:,}", lambda g: g.failed),
    ("err", lambda g, _tz: _pct(g), lambda g: g.error_rate),
    *(
        (
            f"p{p}",
            (lambda g, _tz, p=p: fmt.duration(g.percentile(p))),
            (lambda g, p=p: g.percentile(p) or -1),
        )
        for p in (50, 95, 99)
    ),
    (
        "last failure",
        lambda g, tz: "" if g.last_failure_ms is None else fmt.clock_time(g.last_failure_ms, tz),
        lambda g: g.last_failure_ms or 0,
    ),
    ("top failure", lambda g, _tz: g.top_pattern or "", lambda g: g.top_pattern or ""),
)


def narrowed(query: LogQuery, by: str, group: str) -> LogQuery:
    """``query`` with ``by`` set to ``group`` (any other equality on that field goes)."""
    field = GROUP_FIELDS[by]
    kept = tuple(f for f in query.filters if not (f.field == field and f.operator == "=="))
    return replace(query, filters=(*kept, Filter(field, "==", group)))


def first_zoom(span_ms: int, columns: int) -> int:
    """The smallest bucket (minutes) that fits the loaded span in ``columns`` bars."""
    for minutes in ZOOM_MINUTES:
        if span_ms // (minutes * MINUTE_MS) + 1 <= columns:
            return minutes
    return ZOOM_MINUTES[-1]


class StatsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings("stats")
    DEFAULT_CSS = """
    StatsScreen #stats-header, StatsScreen #stats-usage, StatsScreen #stats-caption,
    StatsScreen #stats-by {
        height: auto;
        padding: 0 1;
    }
    StatsScreen #stats-header {
        background: $boost;
    }
    StatsScreen #stats-table {
        height: 2fr;
    }
    """

    def __init__(
        self,
        engine: StatsEngine,
        *,
        query: LogQuery,
        query_text: str,
        more_older: bool | None,
        tz: tzinfo | None,
        apply: Callable[[str, LogQuery], None],
        usage_count: Callable[[int, int], Awaitable[int | None]] | None = None,
        everything: str = "all tool executions",
    ) -> None:
        super().__init__()
        self.engine = engine
        self.applied = query
        self.query_text = query_text
        self.everything = everything  # what the rows are, said when there is no query
        self.more_older = more_older
        self._tz = tz
        self._apply = apply
        self._usage_count = usage_count
        self.by = "toolkit"
        self.sort_column = 1  # calls
        self.descending = True
        self.zoom: int | None = None  # minutes; None: fit the loaded span
        self.usage: str | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="stats-header")
        yield Static(id="stats-usage")
        yield Static(id="stats-caption")
        yield Histogram(tz=self._tz, id="stats-histogram")
        yield Static(id="stats-by")
        table: DataTable[Text | str] = DataTable(
            id="stats-table", cursor_type="row", zebra_stripes=True
        )
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self._unsubscribe = self.engine.subscribe(lambda _update: self.redraw())
        self.query_one(DataTable).focus()
        self.redraw()
        engine = self.engine
        if self._usage_count is not None and engine.first_ms is not None:
            self._count_usage(engine.first_ms, (engine.last_ms or engine.first_ms) + 1)

    class UsageCounted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    @work(group="usage", exclusive=True, exit_on_error=False)
    async def _count_usage(self, from_ms: int, to_ms: int) -> None:
        """The Usage API's count for the loaded range (network: a worker)."""
        assert self._usage_count is not None
        try:
            count = await self._usage_count(from_ms, to_ms)
        except ApiError as error:
            self.post_message(self.UsageCounted(f"The Usage API did not answer: {error}"))
            return
        if count is None:
            return
        first = fmt.clock_time(from_ms, self._tz)[:5]
        last = fmt.clock_time(to_ms - 1, self._tz)[:5]
        whole = " (the whole project's)" if self.applied.filters else ""
        counted = fmt.count(count, "tool call")
        text = f"The Usage API counts {counted}{whole} between {first} and {last}"
        self.post_message(self.UsageCounted(text))

    def on_stats_screen_usage_counted(self, message: UsageCounted) -> None:
        self.show_usage(message.text)

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def on_resize(self) -> None:
        self._draw_histogram()

    # -- drawing ---------------------------------------------------------------------

    def redraw(self) -> None:
        self._draw_header()
        self._draw_histogram()
        self._draw_table()

    def header_text(self) -> str:
        engine = self.engine
        what = self.query_text or self.everything
        if engine.first_ms is None or engine.last_ms is None:
            return f"Stats of {what}: no logs loaded yet"
        first = fmt.clock_time(engine.first_ms, self._tz)[:5]
        last = fmt.clock_time(engine.last_ms, self._tz)[:5]
        loaded = fmt.count(len(engine), "loaded log")
        older = " (older ones not loaded: End in the table loads them)" if self.more_older else ""
        return f"Stats of {what}: from {loaded} between {first} and {last}{older}"

    def _draw_header(self) -> None:
        self.query_one("#stats-header", Static).update(Text(self.header_text()))
        usage = self.query_one("#stats-usage", Static)
        usage.display = self.usage is not None
        usage.update(Text(self.usage or "", style="dim"))
        names = [
            Text(f"{n} {name}", style="reverse bold" if by == self.by else "")
            for n, (by, name) in enumerate(BY_NAMES.items(), 1)
        ]
        title = COLUMNS[self.sort_column][0]
        order = "↓" if self.descending else "↑"
        by_line = Text("by ").append_text(Text(" ").join(names))
        by_line.append(f" · sort {title} {order}", style="dim")
        self.query_one("#stats-by", Static).update(by_line)

    def bucket_minutes(self) -> int:
        if self.zoom is None:
            engine = self.engine
            span = 0 if engine.first_ms is None else (engine.last_ms or 0) - engine.first_ms
            self.zoom = first_zoom(span, max(self.size.width - 8, 10))
        return self.zoom

    def _draw_histogram(self) -> None:
        engine, histogram = self.engine, self.query_one(Histogram)
        minutes = self.bucket_minutes()
        caption = Text.assemble(
            (f"calls per {minutes}m " if minutes < 60 else f"calls per {minutes // 60}h ", "bold"),
            ("█ ok ", "green"),
            ("█ failed ", "red"),
            ("█ other", "yellow"),
            ("  + - zoom", "dim"),
        )
        self.query_one("#stats-caption", Static).update(caption)
        if engine.first_ms is None or engine.last_ms is None:
            histogram.show([])
            return
        histogram.show(engine.histogram(engine.first_ms, engine.last_ms, minutes * MINUTE_MS))

    def rows(self) -> list[GroupStats]:
        _title, _cell, key = COLUMNS[self.sort_column]
        return sorted(self.engine.groups(self.by), key=key, reverse=self.descending)

    def _draw_table(self) -> None:
        table: DataTable[Text | str] = self.query_one(DataTable)
        at = table.cursor_row
        table.clear(columns=True)
        groups = self.rows()
        rows = [[cell(group, self._tz) for _t, cell, _k in COLUMNS] for group in groups]
        for n, (title, _cell, _key) in enumerate(COLUMNS):
            mark = (" ↓" if self.descending else " ↑") if n == self.sort_column else ""
            # As wide as the widest value: DataTable sized some columns to their titles
            # on a narrow screen ("gmai", "13."); the table scrolls sideways instead.
            width = max([cell_len(title + mark), *(cell_len(row[n]) for row in rows)])
            table.add_column(title + mark, key=str(n), width=width)
        for group, values in zip(groups, rows, strict=True):
            cells: list[Text | str] = list(values)
            if group.failed:
                cells[2] = Text(values[2], style="red")
            table.add_row(*cells, key=group.group)
        if table.row_count:
            table.move_cursor(row=min(at, table.row_count - 1))

    def show_usage(self, text: str) -> None:
        """What the Usage API counts for the same range (from a worker's message)."""
        self.usage = text
        self._draw_header()

    # -- keys ------------------------------------------------------------------------

    def action_group_by(self, by: str) -> None:
        self.by = by
        self.redraw()

    def action_next_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.descending = self.sort_column != 0
        self.redraw()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.redraw()

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = event.column_index
        if column == self.sort_column:
            self.descending = not self.descending
        else:
            self.sort_column, self.descending = column, column != 0
        self.redraw()

    def action_zoom(self, steps: int) -> None:
        at = ZOOM_MINUTES.index(self.bucket_minutes())
        self.zoom = ZOOM_MINUTES[min(max(at + steps, 0), len(ZOOM_MINUTES) - 1)]
        self._draw_histogram()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        group = event.row_key.value
        if not group:
            self.notify("This group has no value to filter on.", timeout=4)
            return
        query = narrowed(self.applied, self.by, group)
        self.dismiss()
        self._apply(format_query(query), query)

    def action_close(self) -> None:
        self.dismiss()
