"""JsonView: JSON from an API, pretty-printed, highlighted and safe, instant at any size.

Like the log table it is a line-API widget: the JSON is laid out once into plain lines
(in a thread, so a multi-megabyte body never holds the screen) and only the lines on
screen are styled and drawn. Keys and values are untrusted: every line goes through
the sanitizer and is drawn as plain segments, so markup stays literal and terminal
escapes arrive as visible ``\\x1b``. Very long documents are cut at ``MAX_LINES`` and
very long strings at ``MAX_STRING`` characters, and the view says so.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.app import SuspendNotSupported
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui import fmt
from tui.jsontree import cap_depth, writable
from tui.sanitize import clean
from tui.ui.actions import bindings
from tui.ui.widgets.log_search import bring_into_view, holds_words, next_line_holding

MAX_LINES = 20_000
MAX_STRING = 2_000  # characters of one string value shown in the view
_TOKEN = re.compile(
    r'(?P<key>"(?:[^"\\]|\\.)*")(?=\s*:)'
    r'|(?P<string>"(?:[^"\\]|\\.)*")'
    r"|(?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
    r"|(?P<literal>\btrue\b|\bfalse\b|\bnull\b)"
)


def layout(value: Any, *, max_lines: int = MAX_LINES) -> tuple[list[str], int]:
    """``value`` as display-safe pretty JSON lines (at most ``max_lines``) and how many
    lines the whole document has."""
    text = _pretty(_shorten(cap_depth(value)))
    lines = text.split("\n")
    total = len(lines)
    # clean() keeps the JSON's own quoting and makes control characters visible.
    return [clean(line, max_len=None) for line in lines[:max_lines]], total


def blocks(lines: list[str]) -> tuple[dict[int, int], list[int]]:
    """For each line that opens an object or array, the line that closes it; and for
    each line, the line of the innermost block holding it (-1 at the top)."""
    closers: dict[int, int] = {}
    parents: list[int] = []
    stack: list[int] = []
    for n, line in enumerate(lines):
        stripped = line.strip()
        if stripped[:1] in ("}", "]") and stack:
            closers[stack.pop()] = n
        parents.append(stack[-1] if stack else -1)
        if stripped.endswith(("{", "[")):
            stack.append(n)
    return closers, parents


def _pretty(value: Any) -> str:
    """``value`` as indented JSON, as it is (``NaN``, ``Infinity`` shown bare), nesting
    past ``MAX_DEPTH`` as its marker."""
    shown = cap_depth(value)
    try:
        return json.dumps(shown, indent=2, ensure_ascii=False, default=str)
    except ValueError:  # an integer too long to write as digits
        return json.dumps(writable(shown), indent=2, ensure_ascii=False, default=str)


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_STRING:
        return f"{value[:MAX_STRING]}… ({len(value):,} characters; o opens all of it)"
    if isinstance(value, dict):
        return {_shorten(k) if isinstance(k, str) else k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v) for v in value]
    return value


class JsonView(ScrollView, can_focus=True):
    """Scrollable, highlighted JSON. ``show(value)`` lays it out in a thread."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "json-view--key",
        "json-view--string",
        "json-view--number",
        "json-view--literal",
        "json-view--note",
        "json-view--cursor",
        "json-view--match",
    }
    DEFAULT_CSS = """
    JsonView { background: $surface; overflow-x: auto; scrollbar-size: 1 1; }
    JsonView > .json-view--key { color: $accent; text-style: bold; }
    JsonView > .json-view--string { color: $text-success; }
    JsonView > .json-view--number { color: $text-warning; }
    JsonView > .json-view--literal { color: $text-primary; text-style: italic; }
    JsonView > .json-view--note { color: $text-muted; text-style: italic; }
    JsonView > .json-view--cursor { background: $primary 20%; }
    JsonView:focus > .json-view--cursor { background: $primary 45%; }
    JsonView > .json-view--match { background: $warning 40%; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("json")

    class Laid(Message):
        """The JSON is laid out and on screen (tests and the pane wait for this)."""

    def __init__(self, *, empty: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[str] = []
        self._empty = empty
        self._note = empty
        self._generation = 0
        self.value: Any = None
        self._closers: dict[int, int] = {}
        self._parents: list[int] = []
        self.folded: set[int] = set()  # lines whose block is folded
        self._visible: list[int] = []  # line numbers as shown, folds taken out
        self.cursor = 0  # index into the visible lines
        self.words: tuple[str, ...] = ()  # highlighted; n/N jump between lines holding them

    def show(self, value: Any, *, empty: str | None = None) -> None:
        """Lay ``value`` out off the event loop and show it; ``empty`` when it is None."""
        self._generation += 1
        self.value = value
        if value is None:
            self._set([], empty if empty is not None else self._empty)
            return
        self._set([], "laying out…")
        self._layout(value, self._generation)

    @work(thread=True, exclusive=True, group="json-layout", exit_on_error=False)
    def _layout(self, value: Any, generation: int) -> None:
        lines, total = layout(value)
        note = ""
        if total > len(lines):
            note = f"showing the first {len(lines):,} of {total:,} lines · o opens all of it"
        self.app.call_from_thread(self._laid, lines, note, generation)

    def _laid(self, lines: list[str], note: str, generation: int) -> None:
        if generation == self._generation:  # a newer value may have been asked for
            self._set(lines, note)
            self.post_message(self.Laid())

    def _set(self, lines: list[str], note: str) -> None:
        self._lines, self._note = lines, note
        self._closers, self._parents = blocks(lines)
        self.folded = set()
        self.cursor = 0
        self._relayout()
        self.scroll_to(0, 0, animate=False)

    def _relayout(self) -> None:
        visible: list[int] = []
        n = 0
        while n < len(self._lines):
            visible.append(n)
            n = self._closers[n] + 1 if n in self.folded else n + 1
        self._visible = visible
        self.cursor = max(0, min(self.cursor, len(visible) - 1))
        width = max((len(line) for line in self._lines[:2_000]), default=0) + 1
        self.virtual_size = Size(width, len(visible) + (1 if self._note else 0))
        self.refresh()

    # -- cursor, folding and search ---------------------------------------------------

    def _go(self, index: int) -> None:
        self.cursor = max(0, min(index, len(self._visible) - 1))
        bring_into_view(self, self.cursor)

    def action_move(self, delta: int) -> None:
        self._go(self.cursor + delta)

    def action_toggle_fold(self) -> None:
        if not self._visible:
            return
        line = self._visible[self.cursor]
        if line not in self._closers:
            return
        self.folded ^= {line}
        self._relayout()

    def action_fold_all(self) -> None:
        """Fold every block under the top level, so the document reads as its keys."""
        self.folded = {n for n in self._closers if self._parents[n] == 0}
        self.cursor = 0
        self._relayout()
        self.scroll_to(y=0, animate=False)

    def action_unfold_all(self) -> None:
        self.folded = set()
        self._relayout()

    def search(self, words: tuple[str, ...]) -> None:
        self.words = tuple(w.lower() for w in words if w)
        self.refresh()

    def _matches(self, line: str) -> bool:
        return holds_words(line, self.words)

    def action_next_match(self, step: int) -> None:
        """The next line (down, or up) holding every word, opening folds on the way."""
        if not self.words or not self._visible:
            return
        found = next_line_holding(self._lines, self.words, self._visible[self.cursor], step)
        if found is None:
            self.notify("No further line holds " + " ".join(self.words), timeout=2)
            return
        parent = self._parents[found]
        while parent >= 0:  # unfold the blocks that hide it
            self.folded.discard(parent)
            parent = self._parents[parent]
        self._relayout()
        self._go(self._visible.index(found))

    def action_open_pager(self) -> None:
        """The whole JSON, uncut, in ``$PAGER`` (``less`` by default), the TUI suspended."""
        if self.value is None:
            return
        text = "\n".join(
            clean(line, max_len=None)  # a pager passes escapes to the terminal: never raw
            for line in _pretty(self.value).split("\n")
        )
        pager = shlex.split(os.environ.get("PAGER") or "less") or ["less"]
        with tempfile.NamedTemporaryFile(
            "w", suffix=".json", prefix="toolwatch-", delete=False, encoding="utf-8"
        ) as handle:
            handle.write(text + "\n")
        try:
            with self.app.suspend():
                subprocess.run([*pager, handle.name], check=False)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand the screen to a pager.", severity="warning")
        except OSError as error:
            self.notify(f"Could not run {pager[0]}: {error.strerror or error}", severity="error")
        finally:
            Path(handle.name).unlink(missing_ok=True)

    @property
    def lines(self) -> list[str]:
        return self._lines

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index == self.cursor and self._visible:
            base = base + self.get_component_rich_style("json-view--cursor")
        if index < len(self._visible):
            number = self._visible[index]
            line = self._lines[number]
            segments = self._segments(line, base)
            if number in self.folded:
                hidden = self._closers[number] - number - 1
                closing = self._lines[self._closers[number]].strip()
                style = base + self.get_component_rich_style("json-view--note")
                segments.append(Segment(f" … {fmt.count(hidden, 'line')} … {closing}", style))
            if self._matches(line):
                match = base + self.get_component_rich_style("json-view--match")
                segments = [Segment(seg.text, match) for seg in segments]
            strip = Strip(segments)
        elif index == len(self._visible) and self._note:
            style = base + self.get_component_rich_style("json-view--note")
            strip = Strip([Segment(self._note, style)])
        else:
            return Strip.blank(width, base)
        return strip.crop(scroll_x, scroll_x + width).adjust_cell_length(width, base)

    def _segments(self, line: str, base: Style) -> list[Segment]:
        segments: list[Segment] = []
        at = 0
        for match in _TOKEN.finditer(line):
            if match.start() > at:
                segments.append(Segment(line[at : match.start()], base))
            kind = match.lastgroup or "string"
            style = base + self.get_component_rich_style(f"json-view--{kind}")
            segments.append(Segment(match.group(), style))
            at = match.end()
        if at < len(line):
            segments.append(Segment(line[at:], base))
        return segments
