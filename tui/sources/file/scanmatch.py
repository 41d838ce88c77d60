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
from collections.abc import Callable
from typing import Any, Final, Protocol

from tui.models.normalize import wire_texts
from tui.query import Filter
from tui.sources.file.records import CODED, FIELD_AT, UNCHECKED

# Whether a line's bytes show it cannot match.
Rejects = Callable[[bytes], bool]

# What a number's text (str of an int or a float) can be made of.
_NUMBER_CHARS: Final = frozenset("0123456789.-+einfa")
_SLOT: Final = {field: slot for slot, field in enumerate(CODED)}


class Scanned(Protocol):
    """What matching asks of a ``Scan``."""

    alive: bytearray
    ts: array[int]
    codes: list[array[int]]
    glanced: tuple[Rejects | None, int]

    def __len__(self) -> int: ...

    def text(self, line: int, field: int) -> str | None: ...

    def raw(self, line: int) -> bytes: ...

    def checked(self, line: int) -> dict[str, Any] | None: ...


def rejecter(filters: tuple[Filter, ...]) -> Rejects | None:
    """What turns down lines that cannot match ``filters`` by their bytes; None when no
    term allows it."""
    needles = tuple(
        f.value.encode()
        for f in filters
        if f.operator in ("==", "contains")
        and f.value.isascii()
        and json.dumps(f.value)[1:-1] == f.value
        and not set(f.value) <= _NUMBER_CHARS
    )
    if not needles:
        return None

    def rejects(line: bytes) -> bool:
        for needle in needles:
            if needle not in line:
                return b"\\" not in line
        return False

    return rejects


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
        """Go through up to ``most`` more of the lines read."""
        scan = self._scan
        alive, ts = scan.alive, scan.ts
        stop = min(len(scan), self._upto + most)
        lines = [i for i in range(self._upto, stop) if alive[i]]
        self._upto = stop
        if not lines:
            return
        low = min(ts[i] for i in lines)
        self.oldest = low if self.oldest is None else min(self.oldest, low)
        if self._checks:
            accepts = self._accepts
            lines = [i for i in lines if accepts(i)]
        self.found.extend(lines)

    def _accepts(self, line: int) -> bool:
        scan = self._scan
        obj: dict[str, Any] | None = None
        for field, check in self._checks:
            text = scan.text(line, field)
            if text is not None:
                verdicts = self._verdicts.setdefault(field, [])
                code = scan.codes[_SLOT[field]][line]
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
