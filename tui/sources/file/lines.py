"""Bytes to JSON lines: a source's bytes, as they arrive, split into numbered lines and parsed.

A last line without its newline waits for the rest unless it is already a whole JSON
object (``settle``), or the stream has ended (``finish``). Blank lines are ignored; a line
that is not JSON or longer than ``MAX_LINE_BYTES`` is a problem with its line number (the
long one is dropped as it arrives, never held). Invalid UTF-8 is decoded with replacement
characters and the line kept (logged at debug).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from tui import debuglog, jsontree

log = debuglog.get_logger("file")

MAX_LINE_BYTES: Final = 16 * 1024 * 1024

_BOM: Final = b"\xef\xbb\xbf"

# A parsed line: (the JSON value, its line number, where it starts, its bytes).
OnValue = Callable[[Any, int, int, bytes], None]
# A line that cannot be read: (its line number, what is wrong with it).
OnProblem = Callable[[int, str], None]


def decode(line: bytes) -> str:
    """Invalid UTF-8 is kept, with U+FFFD."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("utf-8", errors="replace")


def too_long() -> str:
    limit = MAX_LINE_BYTES
    size = f"{limit // 2**20} MB" if limit % 2**20 == 0 else f"{limit} bytes"
    return f"longer than {size}, skipped"


class LineSplitter:
    """Splits a source's bytes into lines and hands each parsed one on, in order."""

    def __init__(self, on_value: OnValue, on_problem: OnProblem) -> None:
        self._on_value = on_value
        self._on_problem = on_problem
        # The line being split: bytes so far, where it starts, its number.
        self._pending = bytearray()
        self._pending_offset = 0
        self._line_no = 1
        self._skipping = False  # the current line is too long: dropped up to its newline
        self._taken = 0  # bytes of the current line already read as a whole object

    def feed(self, data: bytes, offset: int) -> None:
        """Take ``data``, which starts at byte ``offset`` of the source."""
        start, size = 0, len(data)
        while start < size:
            newline = data.find(b"\n", start)
            if newline < 0:
                self._hold(data[start:], offset + start)
                return
            if self._skipping:
                self._on_problem(self._line_no, too_long())
                self._skipping = False
            elif self._pending:
                line = bytes(self._pending) + data[start:newline]
                self._pending.clear()
                self._complete(line, self._pending_offset)
            else:
                self._complete(data[start:newline], offset + start)
            self._line_no += 1
            self._taken = 0
            start = newline + 1

    def _hold(self, piece: bytes, offset: int) -> None:
        if self._skipping:
            return
        if len(self._pending) + len(piece) > MAX_LINE_BYTES:
            self._pending.clear()
            self._skipping = True
            return
        if not self._pending:
            self._pending_offset = offset
        self._pending += piece

    def settle(self) -> None:
        """No more bytes for now: a last line that is already a whole object counts."""
        if self._skipping or len(self._pending) <= self._taken:
            return
        text = bytes(self._pending).rstrip()
        if not text.endswith(b"}"):
            return  # an object can only be whole at its closing brace
        try:
            obj = jsontree.loads(decode(text))
        except (ValueError, RecursionError):
            return
        if isinstance(obj, dict):
            self._complete(bytes(self._pending), self._pending_offset)
            self._taken = len(self._pending)

    def finish(self) -> None:
        """The stream ended: its last line counts, newline or not."""
        if self._skipping:
            self._on_problem(self._line_no, too_long())
            self._skipping = False
        elif self._pending:
            self._complete(bytes(self._pending), self._pending_offset)
        self._pending.clear()
        self._taken = 0

    def _complete(self, line: bytes, offset: int) -> None:
        number = self._line_no
        if self._taken and not line[self._taken :].strip():
            return  # the rest of a line already read as a whole object: only its end came
        if len(line) > MAX_LINE_BYTES:
            self._on_problem(number, too_long())
            return
        if not line.strip():
            return
        if number == 1 and line.startswith(_BOM):
            line, offset = line[len(_BOM) :], offset + len(_BOM)
        try:
            obj = jsontree.loads(self._decode(line))
        except json.JSONDecodeError as error:
            self._on_problem(number, f"not JSON ({error.msg} at column {error.colno})")
            return
        except RecursionError:
            self._on_problem(number, "not JSON (nested too deeply)")
            return
        self._on_value(obj, number, offset, line)

    def _decode(self, line: bytes) -> str:
        """``decode``, said in the debug log when a line is first read."""
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            log.debug("line %d: invalid UTF-8, replaced", self._line_no)
            return line.decode("utf-8", errors="replace")
