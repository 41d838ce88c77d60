"""LogTable: a line-API table over LogStore that stays instant at a million rows.

Textual's DataTable keeps every row as Python objects and re-measures all of
them on change (34 s to first paint 100k rows here). Like toolong, this widget
renders only the lines on screen: ``render_line(y)`` maps a screen line to a
store index and draws that row, so appends cost only the new rows and a key
press costs one screenful.

Newest is on top. While following, the cursor sits on the newest row and new
arrivals stay in view; moving the cursor down or scrolling away stops following,
and from then on the cursor and the viewport stay on the same log while rows
arrive above it, counted in ``unseen`` ("+N new"). ``f`` or Home follows again.
Reaching the oldest row asks for older logs (``NeedOlder``). Cells are built
from sanitized strings as plain segments: nothing is parsed as markup.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import tzinfo
from functools import partial
from typing import ClassVar

from rich.segment import Segment
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui import fmt
from tui.config import DEFAULT_TABLE_COLUMNS
from tui.store import LogStore, RowView
from tui.ui.actions import bindings
from tui.ui.widgets.log_rows import (
    TITLES,
    Column,
    cells,
    header,
    layout,
    row_segments,
    row_values,
    scrolled,
    widths_of,
    wrapped,
)
from tui.ui.widgets.log_search import next_match

# What the CSS below styles (log-table--header, …).
_PARTS: tuple[str, ...] = ("header", "cursor", "failed", "status-ok", "status-failed", "time")
_PARTS += ("match", "problem", "mark")


class LogTable(ScrollView, can_focus=True):
    """Newest-first table of the logs in a LogStore."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"log-table--{part}" for part in _PARTS}

    DEFAULT_CSS = """
    LogTable {
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    LogTable > .log-table--header { text-style: bold; color: $text-muted; background: $panel; }
    LogTable > .log-table--cursor { background: $primary 30%; }
    LogTable:focus > .log-table--cursor { background: $primary 60%; text-style: bold; }
    LogTable > .log-table--failed { color: $text-error; }
    LogTable > .log-table--status-ok { color: $text-success; }
    LogTable > .log-table--status-failed { color: $text-error; text-style: bold; }
    LogTable > .log-table--time { color: $text-muted; }
    LogTable > .log-table--problem { color: $text-error; }
    LogTable > .log-table--mark { color: $warning; text-style: bold; }
    LogTable > .log-table--match { background: $warning 40%; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("table")

    cursor_row: reactive[int] = reactive(0, init=False)
    """View index of the cursor (0 = newest)."""

    class CursorMoved(Message):
        def __init__(self, table: LogTable, row: RowView | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class FollowChanged(Message):
        """Following started or stopped, or the count of unseen new rows changed."""

        def __init__(self, table: LogTable, following: bool, unseen: int) -> None:
            super().__init__()
            self.table = table
            self.following = following
            self.unseen = unseen

    class NeedOlder(Message):
        """The cursor reached the oldest loaded row: load the next older page."""

        def __init__(self, table: LogTable) -> None:
            super().__init__()
            self.table = table

    class Opened(Message):
        """Enter on a row: the screen opens its detail."""

        def __init__(self, table: LogTable, row: RowView) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(
        self,
        store: LogStore,
        *,
        tz: tzinfo | None = None,
        columns: tuple[str, ...] = DEFAULT_TABLE_COLUMNS,
        clock: Callable[[], float] = time.time,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store = store
        self._tz = tz
        self._clock = clock
        self.column_names = columns  # what [table] columns asks for, in its order
        self.titles: Mapping[str, str] = (
            TITLES  # the columns' titles, which name a Buddy row's parts its way
        )
        self.columns: tuple[Column, ...] = ()  # as laid out for the width and the rows
        self.message_offset = 0  # → and ← scroll the message column by this many cells
        self.marked_id: str | None = None  # the log m marked: a glyph in the gutter
        # Strips keyed by row and state; valid until the layout or the styles change, or
        # rows are replaced in place (``rows_changed``: a Buddy action that ran on).
        self._strip_cache: dict[tuple[object, ...], Strip] = {}
        self._cursor_anchor: tuple[int, int] | None = None  # (rowid, ts) under the cursor
        self._following = True
        self.unseen = 0  # rows that arrived while not following
        self.words: tuple[str, ...] = ()  # local search: highlighted, n/N jump between
        self.empty_text = "waiting for the first answer…"  # shown while there are no rows
        # Why no rows come (a refused key, a failing server): said instead of
        # ``empty_text`` while the table is empty, whole, so it and the status line agree.
        self.problem: str | None = None

    # -- public API ------------------------------------------------------------

    @property
    def following(self) -> bool:
        """True while new arrivals move the cursor to them and stay in view."""
        return self._following

    def _set_following(self, following: bool, unseen: int = 0) -> None:
        if (following, unseen) != (self._following, self.unseen):
            self._following, self.unseen = following, unseen
            self.post_message(self.FollowChanged(self, following, unseen))

    @property
    def selected(self) -> RowView | None:
        return self.store.row(self.cursor_row) if len(self.store) else None

    def rows_added(self, count: int = 0, *, older: bool = False) -> None:
        """Call after adding ``count`` rows to the store: keeps the user's place.

        ``older`` rows (backfill) land below everything and are never "new"."""
        following = self.following
        self._update_virtual_size()
        if following or self._cursor_anchor is None:
            before = self._cursor_anchor
            self._set_cursor(0, keep_anchor=False)
            self.scroll_to(y=0, animate=False)
            self._remember_anchor()
            if self._cursor_anchor != before:
                # The cursor stayed on index 0 but a newer log is under it now.
                self.post_message(self.CursorMoved(self, self.selected))
        else:
            if not older:
                self._set_following(False, self.unseen + count)
            rowid, ts = self._cursor_anchor
            index = self.store.index_of(rowid, ts)
            if index is not None and index != self.cursor_row:
                shift = index - self.cursor_row
                self.set_reactive(LogTable.cursor_row, index)
                # Move the viewport with the row so the screen does not jump.
                self.set_scroll(None, self.scroll_y + shift)
        self._remember_anchor()
        self.refresh()

    def rows_changed(self) -> None:
        """Call after rows held were replaced in place: redrawn where they are."""
        self._strip_cache.clear()
        self.refresh()

    def rows_reset(self) -> None:
        """Call after the store was cleared or replaced: follows the newest again."""
        self._set_following(True)
        self._strip_cache.clear()
        self.message_offset = 0
        self._update_virtual_size()
        self._set_cursor(0, keep_anchor=False)
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def show_empty(self, text: str) -> None:
        """What the table says while it has no rows."""
        if text != self.empty_text:
            self.empty_text = text
            self.refresh()

    def show_problem(self, text: str | None) -> None:
        """What stops rows from coming (None: nothing); shown, wrapped, while there are none."""
        if text != self.problem:
            self.problem = text
            self.refresh()

    @property
    def showing_problem(self) -> bool:  # the table is empty and says why, in full
        return self.problem is not None and not len(self.store)

    def empty_lines(self, width: int) -> tuple[str, ...]:
        """What the empty table says, wrapped to ``width`` cells."""
        return wrapped(self.empty_text if self.problem is None else self.problem, width)

    def search(self, words: tuple[str, ...]) -> None:
        """Highlight ``words`` in messages; n and N then jump between rows holding them."""
        if words != self.words:
            self.words = words
            self.rows_changed()  # every strip is drawn anew

    def next_match(self, *, older: bool = True) -> None:
        """Move to the next row (older, or newer) whose message holds every search word,
        searched in slices from the cursor (keys are answered between them)."""
        if self.words:
            say = partial(self.notify, timeout=3)
            find = next_match(
                self.store, self.words, self.cursor_row, older=older, move=self._set_cursor, say=say
            )
            self.run_worker(find, group="search", exclusive=True)

    # -- sizing ----------------------------------------------------------------

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.store) + 1)

    def on_resize(self) -> None:
        self._strip_cache.clear()
        self._update_virtual_size()
        # A pane opened under the table (Enter) takes its lower rows: the row being
        # read must stay on screen. After the refresh: the new scroll limits apply then.
        self.call_after_refresh(self._scroll_cursor_into_view)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip_cache.clear()

    # -- cursor ----------------------------------------------------------------

    def _set_cursor(self, index: int, *, keep_anchor: bool = True) -> None:
        n = len(self.store)
        index = max(0, min(index, n - 1)) if n else 0
        self.cursor_row = index
        if keep_anchor or n:
            self._remember_anchor()
        self._scroll_cursor_into_view()

    move_cursor = _set_cursor

    def _remember_anchor(self) -> None:
        row = self.selected
        self._cursor_anchor = None if row is None else (row.rowid, row.timestamp_ms)

    def _scroll_cursor_into_view(self) -> None:
        visible = max(1, self.size.height - 1)  # minus the header line
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False)

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_index(old)
        self._refresh_index(new)
        if new > 0 and self._following:
            self._set_following(False)
        elif new == 0 and not self._following and self.scroll_y == 0:
            self._set_following(True)  # back on the newest row, as in k9s or lnav
        if len(self.store) and new >= len(self.store) - 1:
            self.post_message(self.NeedOlder(self))
        self.post_message(self.CursorMoved(self, self.selected))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # Scrolling away from the newest rows (wheel, scrollbar) stops following too.
        if new > 0 and self._following:
            self._set_following(False)

    def _refresh_index(self, index: int) -> None:
        y = index - int(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _page(self) -> int:
        return max(1, self.size.height - 2)

    def action_cursor_up(self) -> None:
        self._set_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self._set_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self._set_cursor(self.cursor_row - self._page())

    def action_page_down(self) -> None:
        self._set_cursor(self.cursor_row + self._page())

    def hold(self) -> None:
        """Stop following: the cursor stays on its log while new ones arrive above."""
        self._set_following(False)

    def action_first(self) -> None:
        self.action_follow()

    def action_follow(self) -> None:
        """Jump to the newest row and keep new arrivals in view."""
        self._set_cursor(0)
        self.scroll_to(y=0, animate=False)
        self._set_following(True)

    def action_last(self) -> None:
        self._set_cursor(len(self.store) - 1)

    def action_select(self) -> None:
        row = self.selected
        if row is not None:
            self.post_message(self.Opened(self, row))

    def on_click(self, event: object) -> None:
        offset = getattr(event, "y", None)
        if isinstance(offset, int) and offset >= 1:
            self._set_cursor(int(self.scroll_y) + offset - 1)
            if getattr(event, "chain", 1) == 2:  # a double click opens the row
                self.action_select()

    def set_marked(self, log_id: str | None) -> None:
        """Show ``log_id`` as the marked log (m): a glyph in its row's gutter."""
        if log_id != self.marked_id:
            self.marked_id = log_id
            self.refresh()

    def action_message_right(self) -> None:
        """→: scroll every row's message left, to read what the column cut (as lnav's →
        scrolls the view; time, status and tool stay, so the row is still named)."""
        self._scroll_message(+1)

    def action_message_left(self) -> None:
        self._scroll_message(-1)

    def _scroll_message(self, direction: int) -> None:
        rows = self.store.rows(int(self.scroll_y), self.size.height)
        offset = scrolled(self.message_offset, direction, self.columns, self.size.width, rows)
        if offset != self.message_offset:
            self.message_offset = offset
            self.refresh()

    # -- rendering -------------------------------------------------------------

    def _format_time(self, ms: int) -> str:
        return fmt.table_time(ms, self._tz, round(self._clock() * 1000))

    def render_lines(self, crop: Region) -> list[Strip]:
        # One store query for the whole visible range instead of one per line.
        rows = self.store.rows(int(self.scroll_y), self.size.height)
        self._measure(rows)
        return super().render_lines(crop)

    def _measure(self, rows: list[RowView]) -> None:
        """Lay the columns out for the width and the rows on screen."""
        now_ms = round(self._clock() * 1000)
        oldest = self.store.oldest_ms
        dated = oldest is not None and not fmt.same_day(oldest, self._tz, now_ms)
        widths = widths_of(rows, dated=dated)
        columns = layout(self.size.width, self.column_names, widths, self.titles)
        if columns != self.columns:
            self.columns = columns
            self._strip_cache.clear()
            self.refresh()  # this pass may draw only some lines: the rest change too

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if not self.columns:
            self._measure([])
        columns = self.columns
        if y == 0:
            return self._header_strip(columns, width)
        index = int(self.scroll_y) + y - 1
        row = self.store.row(index) if index < len(self.store) else None
        if row is None:
            lines = () if len(self.store) else self.empty_lines(width - 4)
            if 0 <= y - 2 < len(lines):  # the empty table's words, from its second line
                look = "log-table--problem" if self.problem else "log-table--time"
                style = self.rich_style + self.get_component_rich_style(look)
                return Strip([Segment("  " + lines[y - 2], style)]).adjust_cell_length(width)
            return Strip.blank(width, self.rich_style)
        is_cursor = index == self.cursor_row
        marked = row.id == self.marked_id
        key = (row.rowid, is_cursor, self.has_focus, width, marked, self.message_offset)
        strip = self._strip_cache.get(key)
        if strip is None:
            if len(self._strip_cache) > 2_000:
                self._strip_cache.clear()
            strip = self._row_strip(row, columns, width, is_cursor, marked)
            self._strip_cache[key] = strip
        return strip

    def _header_strip(self, columns: tuple[Column, ...], width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("log-table--header")
        text = header(columns, width, self.message_offset)
        # Padded: with no message column the titles end early, and unwritten cells go stale.
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)

    def _row_strip(
        self, row: RowView, columns: tuple[Column, ...], width: int, cursor: bool, marked: bool
    ) -> Strip:
        base = self.rich_style
        if row.failed:
            base = base + self.get_component_rich_style("log-table--failed")
        status_style = self.get_component_rich_style(
            "log-table--status-failed" if row.failed else "log-table--status-ok"
        )
        time_style = self.get_component_rich_style("log-table--time")
        values = row_values(row, columns, self._format_time, self.message_offset)
        row_cells = cells(columns, width, values)
        by_name = {"time": base + time_style, "status": base + status_style}
        styles = [by_name.get(c.name, base) for c in columns]
        match_style = base + self.get_component_rich_style("log-table--match")
        mark_style = base + self.get_component_rich_style("log-table--mark")
        gutter = Segment("◆", mark_style) if marked else Segment(" ", base)
        segments = [
            gutter,
            *row_segments(columns, row_cells, styles, base, self.words, match_style),
        ]
        strip = Strip(segments).adjust_cell_length(width, base)
        if cursor:
            # post_style: the cursor's background must win over each cell's own.
            cursor_style = self.get_component_rich_style("log-table--cursor")
            strip = Strip(Segment.apply_style(iter(strip), post_style=cursor_style), width)
        return strip
