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
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.sanitize import clean

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
    text = json.dumps(_shorten(value), indent=2, ensure_ascii=False, default=str)
    lines = text.split("\n")
    total = len(lines)
    # clean() keeps the JSON's own quoting and makes control characters visible.
    return [clean(line, max_len=None) for line in lines[:max_lines]], total


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
    }
    DEFAULT_CSS = """
    JsonView { background: $surface; overflow-x: auto; scrollbar-size: 1 1; }
    JsonView > .json-view--key { color: $accent; text-style: bold; }
    JsonView > .json-view--string { color: $text-success; }
    JsonView > .json-view--number { color: $text-warning; }
    JsonView > .json-view--literal { color: $text-primary; text-style: italic; }
    JsonView > .json-view--note { color: $text-muted; text-style: italic; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Up", show=False),
        Binding("down,j", "scroll_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
        Binding("o", "open_pager", "Open in $PAGER", id="json.open_pager"),
    ]

    class Laid(Message):
        """The JSON is laid out and on screen (tests and the pane wait for this)."""

    def __init__(self, *, empty: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[str] = []
        self._total = 0
        self._empty = empty
        self._note = empty
        self._generation = 0
        self.value: Any = None

    def show(self, value: Any, *, empty: str | None = None) -> None:
        """Lay ``value`` out off the event loop and show it; ``empty`` when it is None."""
        self._generation += 1
        self.value = value
        if value is None:
            self._set([], 0, empty if empty is not None else self._empty)
            return
        self._set([], 0, "laying out…")
        self._layout(value, self._generation)

    @work(thread=True, exclusive=True, group="json-layout", exit_on_error=False)
    def _layout(self, value: Any, generation: int) -> None:
        lines, total = layout(value)
        note = ""
        if total > len(lines):
            note = f"showing the first {len(lines):,} of {total:,} lines · o opens all of it"
        self.app.call_from_thread(self._laid, lines, total, note, generation)

    def _laid(self, lines: list[str], total: int, note: str, generation: int) -> None:
        if generation == self._generation:  # a newer value may have been asked for
            self._set(lines, total, note)
            self.post_message(self.Laid())

    def _set(self, lines: list[str], total: int, note: str) -> None:
        self._lines, self._total, self._note = lines, total, note
        width = max((len(line) for line in lines[:2_000]), default=0) + 1
        self.virtual_size = Size(width, len(lines) + (1 if note else 0))
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def action_open_pager(self) -> None:
        """The whole JSON, uncut, in ``$PAGER`` (``less`` by default), the TUI suspended."""
        if self.value is None:
            return
        text = "\n".join(
            clean(line, max_len=None)  # a pager passes escapes to the terminal: never raw
            for line in json.dumps(self.value, indent=2, ensure_ascii=False, default=str).split(
                "\n"
            )
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

    @property
    def note(self) -> str:
        return self._note

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index < len(self._lines):
            strip = Strip(self._segments(self._lines[index], base))
        elif index == len(self._lines) and self._note:
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
