"""Query text as terms: where each term starts and ends, and how values are quoted.

A term runs to the next space outside quotes; in a quoted stretch ``\\"`` is a quote
and ``\\\\`` a backslash. The parser, the printer and completion all cut and quote
text this one way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tui.errors import QuerySyntaxError


@dataclass(frozen=True)
class Term:
    """One term of the query text and where it starts in it."""

    start: int
    text: str

    def error(self, what: str, fix: str) -> QuerySyntaxError:
        return QuerySyntaxError(f"{what} in {self.text} — {fix}", self.start, len(self.text))


def closing_quote(text: str, at: int) -> int | None:
    """Where the quote opened at ``at`` closes (a backslash escapes the next character)."""
    i = at + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i
        else:
            i += 1
    return None


def scan(text: str) -> Iterator[tuple[int, int, int | None]]:
    """Each term's start and end, and where its unclosed quote is (it runs to the end)."""
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        start, unclosed = i, None
        while i < len(text) and not text[i].isspace():
            if text[i] == '"':
                close = closing_quote(text, i)
                if close is None:
                    unclosed, i = i, len(text)
                    break
                i = close
            i += 1
        yield start, i, unclosed


def term_span(text: str, cursor: int) -> tuple[int, int]:
    """Start and end of the term the cursor is in or at the end of (an empty span at
    the cursor between terms): what a completion candidate replaces."""
    for start, end, _ in scan(text):
        if start <= cursor <= end:
            return start, end
    return cursor, cursor


def unescape(text: str) -> str:
    """What a quoted stretch holds: ``\\"`` is a quote, ``\\\\`` a backslash."""
    return re.sub(r'\\([\\"])', r"\1", text)


def unquote(quoted: str) -> str:
    return unescape(quoted[1:-1])


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def needs_quotes(text: str) -> bool:
    return not text or any(char.isspace() or char == '"' for char in text)


def format_value(value: str) -> str:
    """``value`` as it is written after an operator: quoted only where needed."""
    return quote(value) if needs_quotes(value) else value
