"""The filter fields of the lines a scan read whole, as small codes (``Codes``): per line a
row number (0: none, a line only glanced at), per row one code per coded field, each
field's text kept once. Matching decides a code once, not each line's text.
"""

from __future__ import annotations

from array import array
from collections import deque
from itertools import repeat
from operator import itemgetter, sub
from typing import Final

from tui.sources.file.records import CODED, NO_CODE

_CODED_TEXTS: Final = itemgetter(*CODED)
_SLOT: Final = {field: slot for slot, field in enumerate(CODED)}


class Codes:
    """Rows of codes for the lines read whole; ``rows`` holds each line's row + 1."""

    def __init__(self) -> None:
        self.rows = array("i")
        self._codes = [array("H") for _ in CODED]
        self._texts: list[list[str]] = [[] for _ in CODED]
        self._code_of: list[dict[str, int]] = [{} for _ in CODED]

    def add(self, texts: tuple[str, ...] | None) -> None:
        """The next line's row: for ``texts`` (``wire_texts``), or none."""
        if texts is None:
            self.rows.append(0)
        else:
            self.rows.append(len(self._codes[0]) + 1)
            # One row: a lookup per field here costs a fifth of ``_append``'s lists.
            for slot, text in enumerate(_CODED_TEXTS(texts)):
                self._codes[slot].append(self._code_of_text(slot, text))

    def add_many(self, count: int, whole: dict[int, tuple[str, ...]]) -> None:
        """Rows for ``count`` more lines: for those read whole (``whole``: by their
        place among them), none for the rest."""
        rows = array("i", bytes(4 * count))
        if whole:
            first = len(self._codes[0]) + 1
            deque(map(rows.__setitem__, whole, range(first, first + len(whole))), 0)
            self._append(list(whole.values()))
        self.rows += rows

    def set(self, line: int, texts: tuple[str, ...]) -> None:
        """``line``, only glanced at so far, read whole."""
        if not self.rows[line]:
            self.rows[line] = len(self._codes[0]) + 1
            self._append([texts])
            return
        row = self.rows[line] - 1
        for slot, text in enumerate(_CODED_TEXTS(texts)):
            self._codes[slot][row] = self._code_of_text(slot, text)

    def _append(self, many: list[tuple[str, ...]]) -> None:
        """A row for each of ``many``: one lookup in C per field for them all."""
        columns = zip(*map(_CODED_TEXTS, many), strict=True)
        for slot, column in enumerate(columns):
            code_of = self._code_of[slot]
            got: list[int | None] = list(map(code_of.get, column))
            if None in got:  # new texts: each given a code once (or none: NO_CODE)
                for text in dict.fromkeys(column):
                    if text not in code_of:
                        self._code_of_text(slot, text)
                got = list(map(code_of.get, column, repeat(NO_CODE)))
            self._codes[slot].fromlist(got)  # type: ignore[arg-type]

    def _code_of_text(self, slot: int, text: str) -> int:
        code = self._code_of[slot].get(text)
        if code is None:
            known = self._texts[slot]
            code = len(known)
            if code >= NO_CODE:
                return NO_CODE  # too many texts: read from the line
            self._code_of[slot][text] = code
            known.append(text)
        return code

    def text(self, line: int, field: int) -> str | None:
        """The wire text of filter field ``field`` of ``line``, when kept here."""
        slot = _SLOT.get(field)
        if slot is None:
            return None
        row = self.rows[line]
        code = self._codes[slot][row - 1] if row else NO_CODE
        return None if code == NO_CODE else self._texts[slot][code]

    def code(self, line: int, field: int) -> int:
        """The code ``text`` found (only when it found one)."""
        return self._codes[_SLOT[field]][self.rows[line] - 1]

    def codes_of(self, lines: list[int], field: int) -> list[int] | None:
        """The code of filter field ``field`` of each of ``lines``; None unless each was
        read whole and has one (``texts`` holds their texts)."""
        slot = _SLOT.get(field)
        if slot is None:
            return None
        rows = list(map(self.rows.__getitem__, lines))
        if 0 in rows:
            return None
        codes = list(map(self._codes[slot].__getitem__, map(sub, rows, repeat(1))))
        return None if NO_CODE in codes else codes

    def texts(self, field: int) -> list[str]:
        """The texts of a coded field, by code."""
        return self._texts[_SLOT[field]]
