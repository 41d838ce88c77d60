"""Which lines a ``Scan`` has read that one filter set lets through (``Matches``), and
which lines cannot be among them, told from their bytes alone (``rejecter``).

A term ``field == text`` or ``field contains text`` can only hold for a line whose bytes
hold ``text`` as written, when the line writes no character with an escape (no
backslash) and ``text`` is not what a number reads as (``1e3`` is 1000.0). A line
without it is not parsed for that query; ``Scan`` keeps its id and time only.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable
from itertools import chain, compress
from typing import Any, Final, Protocol

from tui.models.normalize import wire_texts
from tui.query import Filter
from tui.sources.file.holding import lines_holding
from tui.sources.file.records import FIELD_AT, UNCHECKED

# What a number's text (str of an int or a float) can be made of.
_NUMBER_CHARS: Final = frozenset("0123456789.-+einfa")
# A listed line read whole (1) stays; one only glanced at (UNCHECKED) does not.
_READ_WHOLE: Final = bytes(1 if code == 1 else 0 for code in range(256))
# Lines only glanced at, at least this many, are turned down by their bytes in bulk.
BULK_FROM: Final = 64


class Scanned(Protocol):
    """What matching asks of a ``Scan``."""

    alive: bytearray
    ts: array[int]
    off: array[int]
    fd: int
    end: int
    glanced: tuple[Rejects | None, int]

    def __len__(self) -> int: ...

    def text(self, line: int, field: int) -> str | None: ...

    def code(self, line: int, field: int) -> int: ...

    def raw(self, line: int) -> bytes: ...

    def checked(self, line: int) -> dict[str, Any] | None: ...

    def codes_of(self, lines: list[int], field: int) -> list[int] | None: ...

    def coded_texts(self, field: int) -> list[str]: ...


class Rejects:
    """Whether a line's bytes show it cannot match: a needle (a term's text) is missing
    from it, and it spells no character with an escape."""

    __slots__ = ("needles",)

    def __init__(self, needles: tuple[bytes, ...]) -> None:
        self.needles = needles

    def __call__(self, line: bytes) -> bool:
        for needle in self.needles:
            if needle not in line:
                return b"\\" not in line
        return False


def rejecter(filters: tuple[Filter, ...]) -> Rejects | None:
    """What turns down lines that cannot match ``filters`` by their bytes; None when no
    term allows it."""
    # A value compared whole is in the line with its quotes: `"failed"` turns down a
    # line that only says "failed" in its message.
    needles = tuple(
        (f'"{f.value}"' if f.operator == "==" else f.value).encode()
        for f in filters
        if f.operator in ("==", "contains")
        and f.value  # an absent field's text is "": a line without it matches `== ""`
        and f.value.isascii()
        and json.dumps(f.value)[1:-1] == f.value
        and not set(f.value) <= _NUMBER_CHARS
    )
    return Rejects(needles) if needles else None


class Matches:
    """The lines read so far that one filter set lets through, newest first."""

    def __init__(self, scan: Scanned, filters: tuple[Filter, ...]) -> None:
        self._scan = scan
        self.found = array("q")
        self.rejects = rejecter(filters)
        self._upto = 0
        self.oldest: int | None = None  # the oldest time of a listed line gone through
        self._checks = [(FIELD_AT[f.field], f.accepts) for f in filters]
        # per coded field, the verdict for each code (None: not yet decided)
        self._verdicts: dict[int, list[bool | None]] = {}

    @property
    def upto(self) -> int:
        """The lines before this one (of those read) have been gone through."""
        return self._upto

    def extend(self, most: int) -> None:
        """Go through up to ``most`` more of the lines read (in C where it can: a first
        pass goes through every line)."""
        scan = self._scan
        start = self._upto
        stop = min(len(scan), start + most)
        self._upto = stop
        alive = scan.alive[start:stop]
        stamps = scan.ts[start:stop]
        listed = stamps if 0 not in alive else compress(stamps, alive)  # min of an array: fast
        low = min(listed, default=None)
        if low is None:
            return
        self.oldest = low if self.oldest is None else min(self.oldest, low)
        lines: Iterable[int] = compress(range(start, stop), alive)
        if not self._checks:
            self.found.extend(lines)
            return
        if self.rejects is not None:
            by, since = scan.glanced
            # From ``cut`` on, a line only glanced at was turned down by these bytes.
            cut = min(stop, max(start, since)) if by is self.rejects else stop
            head = alive[: cut - start]
            if head.count(UNCHECKED) >= BULK_FROM:
                head = self._by_bytes(start, head, self.rejects.needles)
            whole = alive[cut - start :].translate(_READ_WHOLE)
            lines = chain(compress(range(start, cut), head), compress(range(cut, stop), whole))
        lines = list(lines)
        kept = self._by_codes(lines)
        self.found.extend(filter(self._accepts, lines) if kept is None else kept)

    def _by_bytes(self, start: int, alive: bytearray, needles: tuple[bytes, ...]) -> bytearray:
        """``alive`` (of lines from ``start``) but for the lines only glanced at whose
        bytes turn them down (``Rejects``), found in bulk (``lines_holding``)."""
        scan = self._scan
        kept = alive.translate(_READ_WHOLE)
        for line in lines_holding(scan.fd, scan.off, scan.end, start, start + len(alive), needles):
            if alive[line - start] == UNCHECKED:
                kept[line - start] = 1
        return kept

    def _by_codes(self, lines: list[int]) -> list[int] | None:
        """``lines`` the filters let through, decided in C from their codes and each
        code's verdict; None unless every field has a code for each line."""
        scan = self._scan
        for field, check in self._checks:
            codes = scan.codes_of(lines, field)
            if codes is None:
                return None
            verdicts = self._verdicts.setdefault(field, [])
            texts = scan.coded_texts(field)
            if len(verdicts) < len(texts):
                verdicts.extend([None] * (len(texts) - len(verdicts)))
            if None in verdicts:
                verdicts[:] = [
                    check(t) if v is None else v for t, v in zip(texts, verdicts, strict=True)
                ]
            lines = list(compress(lines, map(verdicts.__getitem__, codes)))
        return lines

    def _accepts(self, line: int) -> bool:
        scan = self._scan
        obj: dict[str, Any] | None = None
        for field, check in self._checks:
            text = scan.text(line, field)
            if text is not None:
                verdicts = self._verdicts.setdefault(field, [])
                code = scan.code(line, field)
                if code >= len(verdicts):
                    verdicts.extend([None] * (code + 1 - len(verdicts)))
                verdict = verdicts[code]
                if verdict is None:
                    verdict = verdicts[code] = check(text)
            else:
                if obj is None:
                    if self.rejects is not None and scan.alive[line] == UNCHECKED:
                        by, since = scan.glanced
                        if (by is self.rejects and line >= since) or self.rejects(scan.raw(line)):
                            return False
                    obj = scan.checked(line)
                    if obj is None:
                        return False
                verdict = check(wire_texts(obj)[field])
            if not verdict:
                return False
        return True
