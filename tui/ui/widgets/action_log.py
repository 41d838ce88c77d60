"""The detail pane's Log tab: a Buddy action's log, followed live while it runs.

buddy-contract.md A.5: the lines are read by offset (``…/logs?offset=&limit=``, or the
inline ``log[]`` of the details where that endpoint is missing) through
``tui.session.action_log``. A timer asks for the lines after the last one held every
poll interval; each read is a short worker that posts what it read, and the handler
adds it (``FollowedLog``: never a line twice, at most ``MAX_LOG_LINES`` held, the
dropped ones counted). Reading stops when the action has finished and its last line is
read, when the pane closes, or when another row opens; it waits while the tail is
paused (p). Between reads no worker runs.

The view keeps to the bottom while it is there, as ``tail -f`` does; scrolled up, it
stays where it is. n and N (the JSON tab's keys, from the same rows of
``tui.ui.actions``) jump between lines holding the query's words. Lines arrive masked
and sanitized (``shown_line``) and are drawn as plain segments, never markup.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Static

from tui import fmt
from tui.debuglog import internal_error
from tui.session.action_log import FollowedLog, LogChunk
from tui.ui.actions import bindings
from tui.ui.widgets.log_search import bring_into_view, holds_words, next_line_holding

ReadChunk = Callable[[str, int], Awaitable[LogChunk]]
# The JSON tab's moving and searching keys, the same rows (a [keymap] remaps both).
_KEYS = {"json." + name for name in ("cursor_up", "cursor_down", "page_up", "page_down")}
_KEYS |= {"json.top", "json.bottom", "json.next_match", "json.prev_match"}


def _log_bindings() -> list[BindingType]:
    return [b for b in bindings("json") if isinstance(b, Binding) and b.id in _KEYS]


class LogLines(ScrollView, can_focus=True):
    """The lines, drawn from the ``FollowedLog`` as they scroll into view."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"log-lines--cursor", "log-lines--match"}
    DEFAULT_CSS = """
    LogLines { background: $surface; height: 1fr; overflow-x: auto; scrollbar-size: 1 1; }
    LogLines > .log-lines--cursor { background: $primary 20%; }
    LogLines:focus > .log-lines--cursor { background: $primary 45%; }
    LogLines > .log-lines--match { background: $warning 40%; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = _log_bindings()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.followed: FollowedLog | None = None
        self.cursor = 0
        self.words: tuple[str, ...] = ()
        self._width = 0
        self._tail = True  # at the bottom: new lines scroll into view

    @property
    def lines(self) -> list[str]:
        return list(self.followed.lines) if self.followed is not None else []

    @property
    def at_bottom(self) -> bool:
        """Whether the view keeps to the last lines: until the reader moves up (a key, the
        wheel), and again once they come back down to the end."""
        return self._tail

    def _bottom_reached(self) -> None:
        self._tail = self.scroll_offset.y >= self.max_scroll_y

    def reset(self, log: FollowedLog | None) -> None:
        self.followed, self.cursor, self._width, self._tail = log, 0, 0, True
        self.virtual_size = Size(0, 0)
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def grew(self, added: int, dropped: int, *, tail: bool) -> None:
        """``added`` lines came and ``dropped`` earlier ones were let go: stay on the
        same lines, or on the last ones when ``tail`` (the view was at the bottom)."""
        lines = self.followed.lines if self.followed is not None else ()
        count = len(lines)
        fresh = [lines[n] for n in range(max(0, count - added), count)]
        self._width = max([self._width, *(len(line) + 1 for line in fresh)])
        self.virtual_size = Size(self._width, count)
        self._tail = tail
        if tail:
            self.cursor = max(0, count - 1)
            self._to_bottom()
        else:
            self.cursor = max(0, self.cursor - dropped)
            if dropped:
                self.scroll_to(y=max(0, self.scroll_offset.y - dropped), animate=False)
        self.refresh()

    def _to_bottom(self) -> None:
        """Now, and once the new size is laid out (its tab may be hidden yet)."""
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
        self.call_after_refresh(lambda: self.scroll_to(y=self.max_scroll_y, animate=False))

    def on_resize(self) -> None:
        if self._tail:  # shown again (its tab picked): at the bottom it was left at
            self._to_bottom()

    def on_mouse_scroll_up(self) -> None:
        self._tail = False

    def on_mouse_scroll_down(self) -> None:
        self.call_after_refresh(self._bottom_reached)

    def search(self, words: tuple[str, ...]) -> None:
        self.words = tuple(w.lower() for w in words if w)
        self.refresh()

    def _go(self, index: int) -> None:
        self.cursor = max(0, min(index, len(self.followed.lines) - 1 if self.followed else 0))
        bring_into_view(self, self.cursor)

    def action_move(self, delta: int) -> None:
        self._go(self.cursor + delta)
        self._tail = self.followed is not None and self.cursor >= len(self.followed.lines) - 1

    def action_next_match(self, step: int) -> None:
        if not self.words or self.followed is None or not self.followed.lines:
            return
        found = next_line_holding(self.lines, self.words, self.cursor, step)
        if found is None:
            self.notify("No further line holds " + " ".join(self.words), timeout=2)
            return
        self._tail = False  # a line found stays on screen as more arrive
        self._go(found)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        lines = self.followed.lines if self.followed is not None else ()
        if index >= len(lines):
            return Strip.blank(width, base)
        line = lines[index]
        style = base
        if holds_words(line, self.words):
            style = base + self.get_component_rich_style("log-lines--match")
        if index == self.cursor:
            style = style + self.get_component_rich_style("log-lines--cursor")
        strip = Strip([Segment(line, style)])
        return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, style)


class ActionLogView(Vertical):
    """A caption (what is being read, how far, what was dropped) over the lines."""

    DEFAULT_CSS = """
    ActionLogView { height: 1fr; }
    ActionLogView #log-caption { color: $text-muted; height: auto; }
    """

    class Read(Message):
        """A read of the log ended (in a worker): ``chunk`` says what it found."""

        def __init__(self, chunk: LogChunk) -> None:
            super().__init__()
            self.chunk = chunk

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._read: ReadChunk | None = None
        self._timer: Timer | None = None
        self._reading = False
        self._interval = 2.0

    def compose(self) -> ComposeResult:
        yield Static("", id="log-caption", markup=False)
        yield LogLines(id="log-lines")

    @property
    def lines_view(self) -> LogLines:
        return self.query_one(LogLines)

    @property
    def log_id(self) -> str | None:
        log = self.lines_view.followed
        return None if log is None else log.log_id

    @property
    def following(self) -> bool:
        return self._timer is not None

    def follow(self, log_id: str, read: ReadChunk, interval: float) -> None:
        """Read ``log_id``'s log from its start, then every ``interval`` seconds until
        the action has finished (another row's log stops being read)."""
        if log_id == self.log_id:
            return  # shown again (the same row): what was read stays
        self.stop()
        self._read, self._interval = read, interval
        self.lines_view.reset(FollowedLog(log_id))
        self._caption()
        self._timer = self.set_interval(interval, self._poll)
        self._poll()

    def stop(self) -> None:
        """No more reads: the pane closed, or another row opened."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.workers.cancel_group(self, "action-log")
        self._reading = False

    def search(self, words: tuple[str, ...]) -> None:
        self.lines_view.search(words)
        self._caption()

    def _poll(self) -> None:
        log = self.lines_view.followed
        if log is None or log.finished or self._reading or self._read is None:
            return
        self._reading = True
        self._read_once(self._read, log.log_id, log.offset)

    @work(group="action-log", exclusive=True, exit_on_error=False)
    async def _read_once(self, read: ReadChunk, log_id: str, offset: int) -> None:
        try:
            chunk = await read(log_id, offset)
        except Exception as bug:  # a bug is said in the caption; the reading goes on
            chunk = LogChunk(log_id, offset, (), offset, finished=False, error=internal_error(bug))
        self.post_message(self.Read(chunk))

    def on_action_log_view_read(self, message: Read) -> None:
        message.stop()
        view = self.lines_view
        log = view.followed
        if log is None or message.chunk.log_id != log.log_id:
            return  # read for a row no longer shown
        self._reading = False
        bottom, dropped_before = view.at_bottom, log.dropped
        added = log.add(message.chunk)
        if added:
            view.grew(added, log.dropped - dropped_before, tail=bottom)
        if log.finished:
            self.stop()
        self._caption()
        if message.chunk.more and not log.finished:
            self._poll()

    def _caption(self) -> None:
        log = self.lines_view.followed
        text = Text()
        if log is None:
            self.query_one("#log-caption", Static).update(text)
            return
        held = len(log.lines)
        text.append(fmt.count(log.read, "line"))
        if log.finished:
            text.append(" · finished", "bold")
        elif log.paused:
            text.append(" · paused (p resumes)", "bold")
        elif log.error is None:
            text.append(f" · following, read every {self._interval:g}s")
        if log.dropped:
            text.append(f" · the first {log.dropped:,} not kept (the last {held:,} are)")
        if log.error is not None:
            again = "" if log.finished else f"; trying again every {self._interval:g}s"
            text.append(f" · could not read it: {log.error.explain()}{again}", "red")
        words = self.lines_view.words
        text.append(" · Tab to the lines, n/N find " + " ".join(words) if words else "", "dim")
        self.query_one("#log-caption", Static).update(text)
