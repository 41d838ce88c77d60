"""A large file written oldest first, answered from its end: only the lines a page needs.

A log file is appended to, so its newest logs are its last lines. ``Scan`` reads the lines
before the point where the source was opened from there backward (``BackLines``: the line
starts found with ``bytes.rfind`` in chunks), as far as the pages asked for need, and keeps
per line only numbers in compact arrays: where it is, its time, a hash of its id, and a
small code per filter field (its text kept once per field). A ``LogEntry`` is built when
a page shows it. Lines added later are the ``Index``'s (``source`` merges the two).

What a page of the whole file would show is what the lines read so far show as long as
the lines not yet read are older: true of a file that runs oldest first, which is when a
source uses this (``runs_oldest_first``). Logs written as calls end come a little out of
order: the most a line read so far came late (``lateness``) is learned as lines are read,
a page reads on until no line before can be newer than its rows by twice that, and its
rows are sorted. An id that appears again keeps its last line (the first one read here).
Bad lines are reported as they are read. Lines after the point of opening (growth) are
taken to be newer than those before it.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import os
import re
from array import array
from collections import OrderedDict
from collections.abc import Callable
from operator import itemgetter
from typing import Any, Final

from tui import jsontree
from tui.models.entry import LogEntry
from tui.models.normalize import parse_timestamp_ms, wire_text, wire_texts
from tui.query import Filter
from tui.sources.file import backward
from tui.sources.file.index import build_entry, read_log
from tui.sources.file.lines import MAX_LINE_BYTES, decode, too_long
from tui.sources.file.records import CODED, NO_CODE, UNCHECKED
from tui.sources.file.scanmatch import Matches, Rejects

SCAN_FROM_BYTES: Final = 32 * 2**20  # smaller files are read whole into an ``Index``
BATCH: Final = 4096  # lines read between two looks at whether a page has enough
ENTRY_CACHE: Final = 4096
MATCH_CACHE: Final = 4
_CODED_TEXTS: Final = itemgetter(*CODED)
_SLOT: Final = {field: slot for slot, field in enumerate(CODED)}
# A line as json.dumps writes a list item: its id and time first.
_HEAD: Final = re.compile(rb'\{\s*"id"\s*:\s*"([^"\\]*)"\s*,\s*"timestamp"\s*:\s*"([^"\\]*)"')
_BOM: Final = b"\xef\xbb\xbf"

# (the line's number relative to the point the source was opened at, what is wrong)
OnProblem = Callable[[int, str], None]
# Whether a log with this id was read after the point the source was opened at.
Newer = Callable[[str], bool]


def _parse(line: bytes) -> tuple[dict[str, Any], tuple[str, int, Any]] | str:
    """A line read as a log (its object, and its id and time), or what is wrong with it
    (said as ``LineSplitter`` and ``Index`` say it)."""
    try:
        obj = jsontree.loads(decode(line))
    except ValueError as error:
        msg, col = getattr(error, "msg", str(error)), getattr(error, "colno", None)
        return f"not JSON ({msg} at column {col})"
    except RecursionError:
        return "not JSON (nested too deeply)"
    read = read_log(obj)
    if isinstance(read, str):
        return read
    return obj, read


class Scan:
    """The lines before ``end`` of a file, read backward as pages need them."""

    def __init__(self, fd: int, end: int, on_problem: OnProblem, newer: Newer) -> None:
        self._fd = fd
        self._lines = backward.BackLines(fd, end)
        self._on_problem = on_problem
        self._newer = newer
        self.end = end
        self.stale = False
        self.lateness = 0  # ms: the most a line was newer than one after it
        # The lines from this one on that are only glanced at were turned down by this.
        self.glanced: tuple[Rejects | None, int] = (None, 0)
        self.passed = 0  # lines read back so far, blank and bad ones included
        self._min_ts: int | None = None
        self.off = array("q")
        self.length = array("I")
        self.ts = array("q")
        self.idh = array("q")
        self.alive = bytearray()
        self.codes = [array("H") for _ in CODED]
        self._texts: list[list[str]] = [[] for _ in CODED]
        self._code_of: list[dict[str, int]] = [{} for _ in CODED]
        self._coders = list(zip(self.codes, self._code_of, self._texts, strict=True))
        # Open addressing on the id hash: each slot holds a line + 1 (0: empty).
        self._slots = array("i", bytes(4 * 1024))
        self._used = 0
        self._matches: OrderedDict[tuple[Filter, ...], Matches] = OrderedDict()
        self._entries: OrderedDict[int, LogEntry] = OrderedDict()

    def __len__(self) -> int:
        return len(self.off)

    @property
    def done(self) -> bool:
        return self._lines.done

    def estimate(self) -> int:
        """About how many lines there are before ``end``, judged by those read so far."""
        read = self.end - self._lines.unread
        if self.done or not read:
            return self.passed
        return round(self.passed * self.end / read)

    # -- reading ------------------------------------------------------------------------

    def read_more(self, lines: int | None = None, rejects: Rejects | None = None) -> None:
        """Read up to ``lines`` (``BATCH``) more lines back (fewer at the file's start);
        a line ``rejects`` turns down by its bytes is only glanced at (``_glance``)."""
        if lines is None:
            lines = BATCH
        self.glanced = (rejects, len(self.off))
        with backward.bulk():
            for _ in range(lines):
                if self._lines.done:
                    return
                offset, line = self._lines.next()
                number = -self.passed
                self.passed += 1
                if line is None:
                    self._on_problem(number, too_long())
                    continue
                if offset == 0 and line.startswith(_BOM):
                    line, offset = line[len(_BOM) :], offset + len(_BOM)
                if not (rejects is not None and rejects(line) and self._glance(line, offset)):
                    self._take(line, offset, number)

    def _take(self, line: bytes, offset: int, number: int) -> None:
        if not line.strip():
            return
        parsed = _parse(line)
        if isinstance(parsed, str):
            self._on_problem(number, parsed)
            return
        obj, (log_id, ts, _) = parsed
        self._keep(offset, len(line), log_id, ts, wire_texts(obj))

    def _glance(self, line: bytes, offset: int) -> bool:
        """Keep a line no query so far needs whole, from its id and time alone, when
        they can be read off its bytes exactly (the usual line written as ``json.dumps``
        writes it, no escapes, each key once); the rest of it is read when a query
        first needs it (``checked``)."""
        head = _HEAD.match(line)
        if (
            head is None
            or not line.rstrip().endswith(b"}")  # cut short (a write that never ended)
            or line.count(b'"id"') != 1
            or line.count(b'"timestamp"') != 1
        ):
            return False
        log_id = decode(head[1])
        if not log_id.strip():
            return False
        try:
            ts = parse_timestamp_ms(decode(head[2]))
        except (ValueError, OverflowError):
            return False
        self._keep(offset, len(line), log_id, ts, None)
        return True

    def _keep(
        self, offset: int, length: int, log_id: str, ts: int, texts: tuple[str, ...] | None
    ) -> None:
        at = len(self.off)
        h = hash(log_id) or 1
        alive = self._claim(h, at) and not self._newer(log_id)
        self.off.append(offset)
        self.length.append(length)
        self.ts.append(ts)
        self.idh.append(h)
        self.alive.append(alive if texts is not None or not alive else UNCHECKED)
        if texts is None:
            for codes in self.codes:
                codes.append(NO_CODE)
        else:
            self._code(texts, None)
        if alive:
            if self._min_ts is not None and ts - self._min_ts > self.lateness:
                self.lateness = ts - self._min_ts
            if self._min_ts is None or ts < self._min_ts:
                self._min_ts = ts

    def _code(self, texts: tuple[str, ...], line: int | None) -> None:
        """Each coded field's code for ``texts``: appended, or set for ``line``."""
        for (codes, code_of, known), text in zip(self._coders, _CODED_TEXTS(texts), strict=True):
            code = code_of.get(text)
            if code is None:
                code = len(known)
                if code < NO_CODE:
                    code_of[text] = code
                    known.append(text)
                else:
                    code = NO_CODE
            if line is None:
                codes.append(code)
            else:
                codes[line] = code

    def number(self, line: int) -> int:
        """``line``'s number, counted from where the index starts (for a problem)."""
        return 1 - backward.count_newlines(self._fd, self.off[line], self.end)

    def checked(self, line: int) -> dict[str, Any] | None:
        """``object``, and for a line only glanced at, read whole now: a line that is
        not a log after all is said (once) and listed no more."""
        if self.alive[line] != UNCHECKED:
            return self.object(line)
        parsed = _parse(self.raw(line))
        if isinstance(parsed, str):
            self._on_problem(self.number(line), parsed)
            self.kill(line)
            return None
        obj = parsed[0]
        self._code(wire_texts(obj), line)
        self.alive[line] = 1
        return obj

    def _claim(self, h: int, at: int) -> bool:
        """Remember line ``at`` for id hash ``h``, unless a later line has that id."""
        if 2 * (self._used + 1) > len(self._slots):
            self._grow()
        slots, idh = self._slots, self.idh
        mask = len(slots) - 1
        i = h & mask
        while True:
            seen = slots[i]
            if seen == 0:
                slots[i] = at + 1
                self._used += 1
                return True
            if idh[seen - 1] == h:
                return False
            i = (i + 1) & mask

    def _grow(self) -> None:
        old = array("i", (seen for seen in self._slots if seen))  # not a list of ints
        slots = self._slots = array("i", bytes(8 * len(self._slots)))
        mask, idh = len(slots) - 1, self.idh
        for seen in old:
            i = idh[seen - 1] & mask
            while slots[i]:
                i = (i + 1) & mask
            slots[i] = seen

    def _slot_of(self, log_id: str) -> int:
        """The last line read so far with ``log_id`` (listed or not), or -1."""
        h = hash(log_id) or 1
        slots, idh = self._slots, self.idh
        mask = len(slots) - 1
        i = h & mask
        while slots[i]:
            if idh[slots[i] - 1] == h:
                return slots[i] - 1
            i = (i + 1) & mask
        return -1

    def line_of(self, log_id: str) -> int:
        """The line read so far holding ``log_id``'s log, or -1."""
        at = self._slot_of(log_id)
        return at if at >= 0 and self.alive[at] else -1

    def find(self, log_id: str) -> dict[str, Any] | None:
        """The object of ``log_id``'s line: among the lines read, else searched for in
        the bytes not read yet (the last line there holding it), else read back to it."""
        if self._slot_of(log_id) < 0 and not self.done:
            searched, found = self._search(log_id)
            if searched:
                return found
        while True:
            at = self._slot_of(log_id)
            if at >= 0:
                return self.object(at) if self.alive[at] else None
            if self.done:
                return None
            self.read_more()

    def listed(self) -> int:
        """How many lines read so far are listed (those only glanced at included)."""
        return len(self.alive) - self.alive.count(0)

    def kill(self, at: int) -> None:
        """Line ``at`` is listed no more (a later line has its id, or it cannot be read)."""
        if self.alive[at]:
            self.alive[at] = 0
            self._matches.clear()

    def _search(self, log_id: str) -> tuple[bool, dict[str, Any] | None]:
        """Whether the bytes not read yet could be searched for ``log_id`` as written (at
        memory speed; not when they spell characters with escapes), and its object from
        the last line there holding it (None: no line has it)."""
        needle = json.dumps(log_id).encode()
        stop = self._lines.unread
        if needle[1:-1] != log_id.encode() or backward.spells_escapes(self._fd, stop):
            return False, None
        while stop > 0:
            hit = backward.rfind(self._fd, needle, stop)
            if hit < 0:
                break
            start = backward.rfind(self._fd, b"\n", hit) + 1
            end = backward.find(self._fd, b"\n", hit, self._lines.unread)
            data = os.pread(self._fd, end - start, start)
            if len(data) <= MAX_LINE_BYTES:
                with contextlib.suppress(ValueError, RecursionError):
                    obj = jsontree.loads(decode(data.removeprefix(_BOM) if not start else data))
                    read = read_log(obj)
                    if not isinstance(read, str) and read[0] == log_id:
                        return True, obj
            stop = start
        return True, None

    # -- answering ----------------------------------------------------------------------

    def matching(
        self, filters: tuple[Filter, ...], bounds: tuple[int, int] | None, want: int
    ) -> list[int]:
        """Up to ``want`` lines (newest first) that ``filters`` and ``bounds`` let
        through, reading back as far as it takes (everything when the file is out of
        order, or when fewer are there)."""
        match = self._matches.get(filters)
        if match is None:
            match = self._matches[filters] = Matches(self, filters)
            if len(self._matches) > MATCH_CACHE:
                self._matches.popitem(last=False)
        else:
            self._matches.move_to_end(filters)
        chosen: list[int] = []
        ts = self.ts
        at = 0
        least: int | None = None  # the oldest time among the matching lines gone through
        cut: int | None = None  # a line older than this cannot be among the rows
        step = want  # lines gone through next: what is missing, then twice as many
        while True:
            if match.upto == len(self) and not self.done:
                self.read_more(max(16, min(step, BATCH)), match.rejects)
            match.extend(min(step, 16 * BATCH))  # bounded: lists of ints are large
            step *= 2
            found = match.found
            slack = 2 * self.lateness
            while at < len(found) and not (
                cut is not None and least is not None and least + slack <= cut
            ):
                line = found[at]
                at += 1
                stamp = ts[line]
                least = stamp if least is None or stamp < least else least
                if bounds is not None and not bounds[0] <= stamp <= bounds[1]:
                    continue
                if cut is None or stamp >= cut:
                    chosen.append(line)
                    if cut is None and len(chosen) >= want:
                        cut = heapq.nlargest(want, (ts[line] for line in chosen))[-1]
            if at < len(found) or (self.done and match.upto == len(self)):
                break  # no line not gone through can be among the rows
            oldest = match.oldest  # of the lines gone through
            if oldest is not None and self._enough(cut, bounds, oldest):
                break
        chosen.sort(key=lambda line: (-ts[line], line))
        return chosen[:want]

    def _enough(self, cut: int | None, bounds: tuple[int, int] | None, oldest: int) -> bool:
        """Whether no line not gone through can be among the rows: none is newer than
        ``oldest`` (the oldest time gone through) by more than twice the most a line
        read so far came late, and the rows are older than ``cut`` or outside ``bounds``."""
        newest_unread = oldest + 2 * self.lateness
        if bounds is not None and newest_unread < bounds[0]:
            return True  # what is not read yet is older than the range
        return cut is not None and newest_unread <= cut  # an earlier line tied ranks after

    def text(self, line: int, field: int) -> str | None:
        """The wire text of filter field ``field`` of ``line``, when kept here."""
        slot = _SLOT.get(field)
        if slot is None:
            return None
        code = self.codes[slot][line]
        return None if code == NO_CODE else self._texts[slot][code]

    def raw(self, line: int) -> bytes:
        return os.pread(self._fd, self.length[line], self.off[line])

    def object(self, line: int) -> dict[str, Any] | None:
        """The line's JSON object read again; None when it no longer reads as it did."""
        data = self.raw(line)
        try:
            obj = jsontree.loads(decode(data))
        except (ValueError, RecursionError):
            obj = None
        if not isinstance(obj, dict) or (hash(wire_text(obj, "log_id")) or 1) != self.idh[line]:
            self.stale = True
            return None
        return obj

    def entry(self, line: int) -> LogEntry | str | None:
        """The entry of ``line``; what is wrong when it cannot be built (or when the
        file changed under it); None when it was not a log after all (said already)."""
        cached = self._entries.get(line)
        if cached is not None:
            self._entries.move_to_end(line)
            return cached
        obj = self.checked(line)
        if obj is None:
            return "changed since it was read; reading the file again" if self.stale else None
        entry = build_entry(obj)
        if isinstance(entry, str):
            return entry
        self._entries[line] = entry
        if len(self._entries) > ENTRY_CACHE:
            self._entries.popitem(last=False)
        return entry
