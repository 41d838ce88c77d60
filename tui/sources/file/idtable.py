"""Which line read so far holds each log id, by the id's hash (``IdTable``): open
addressing over a compact array, so a million ids cost a few megabytes, not a dict's
hundred. Lines are claimed newest first; a line whose id a newer line has is a repeat.
"""

from __future__ import annotations

from array import array
from itertools import compress


class IdTable:
    """Each slot holds a line + 1 (0: empty); ``idh`` is every line's id hash (shared
    with the scan that appends to it)."""

    def __init__(self, idh: array[int]) -> None:
        self._idh = idh
        self._slots = array("i", bytes(4 * 1024))
        self._used = 0

    def claim(self, h: int, at: int) -> bool:
        """Remember line ``at`` for id hash ``h``, unless a newer line has that id."""
        return bool(self.claim_run([h], at)[0])

    def claim_run(self, hashes: list[int], at: int, expected: int = 0) -> bytearray:
        """``claim`` for lines ``at``, ``at + 1``, ...: 1 for each claimed, 0 for a
        repeat (their hashes already in ``idh``). One loop, no call per line: a first
        pass over a million lines goes through here. When the table must grow, it grows
        to hold the ``expected`` lines (each growth goes over every line so far), but at
        most eightfold while few lines are in: a source that reads only its last lines
        keeps a small table."""
        need = self._used + len(hashes) + 1
        if 2 * need > len(self._slots):
            self._grow(max(need, expected if need > 1 << 14 else min(expected, 8 * need)))
        slots, idh = self._slots, self._idh
        mask = len(slots) - 1
        # All claimed but the repeats, which are rare; the common case, an empty first
        # slot, is one test and one store (a fifth faster than counting each claim).
        claimed = bytearray(b"\x01") * len(hashes)
        line = at
        for h in hashes:
            line += 1  # the line + 1, as a slot holds it
            i = h & mask
            if slots[i]:
                seen = slots[i]
                while seen:
                    if idh[seen - 1] == h:
                        claimed[line - at - 1] = 0
                        break
                    i = (i + 1) & mask
                    seen = slots[i]
                else:
                    slots[i] = line
            else:
                slots[i] = line
        self._used += claimed.count(1)
        return claimed

    def _grow(self, lines: int) -> None:
        """At least twice as many slots as ``lines``."""
        size = len(self._slots)
        while size < 2 * lines:
            size *= 2
        old = array("i", compress(self._slots, self._slots))  # not a list of ints
        slots = self._slots = array("i", bytes(4 * size))
        mask, idh = len(slots) - 1, self._idh
        for seen in old:
            i = idh[seen - 1] & mask
            while slots[i]:
                i = (i + 1) & mask
            slots[i] = seen

    def line_of(self, h: int) -> int:
        """The newest line read so far with id hash ``h`` (listed or not), or -1."""
        slots, idh = self._slots, self._idh
        mask = len(slots) - 1
        i = h & mask
        while slots[i]:
            if idh[slots[i] - 1] == h:
                return slots[i] - 1
            i = (i + 1) & mask
        return -1
