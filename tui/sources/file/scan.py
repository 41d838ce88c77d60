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

from array import array
from collections import OrderedDict
from collections.abc import Callable, Container
from itertools import compress, repeat
from operator import add, sub
from typing import TYPE_CHECKING, Any, Final

from tui import jsontree
from tui.models.entry import LogEntry
from tui.models.normalize import wire_text, wire_texts
from tui.query import Filter
from tui.sources.file import backward, glance, heap, pages, whole_line
from tui.sources.file.codes import Codes
from tui.sources.file.idtable import IdTable
from tui.sources.file.index import build_entry
from tui.sources.file.lines import MAX_LINE_BYTES, decode, too_long
from tui.sources.file.records import UNCHECKED
from tui.sources.file.scanmatch import Matches, Rejects

if TYPE_CHECKING:
    from tui.sources.file.ahead import Ahead

SCAN_FROM_BYTES: Final = 32 * 2**20  # smaller files are read whole into an ``Index``
ENTRY_CACHE: Final = 4096
MATCH_CACHE: Final = 4
_BOM: Final = b"\xef\xbb\xbf"
_GLANCED: Final = bytes(UNCHECKED if code else 0 for code in range(256))  # claimed: listed

# (the line's number relative to the point the source was opened at, what is wrong)
OnProblem = Callable[[int, str], None]
# The ids of the logs read after the point the source was opened at.
Later = Callable[[], Container[str]]


class Scan:
    """The lines before ``end`` of a file, read backward as pages need them."""

    def __init__(
        self, fd: int, end: int, on_problem: OnProblem, later: Later, floor: int = 0
    ) -> None:
        heap.arrays_grow_in_place()
        self.fd = fd
        self._lines = backward.BackLines(fd, end, floor)
        self._ahead: Ahead | None = None  # helpers reading the bytes below _lines
        self._ahead_tried = False
        self._stopped = False  # the source is closing: read no more
        self._on_problem = on_problem
        self._later = later
        self.end = end
        self.stale = False
        self._times = pages.Lateness()
        # The lines from this one on that are only glanced at were turned down by this.
        self.glanced: tuple[Rejects | None, int] = (None, 0)
        self.passed = 0  # lines read back so far, blank and bad ones included
        self.off = array("q")
        self.ts = array("q")
        self.idh = array("q")
        self.alive = bytearray()
        self.codes = Codes()
        self._ids = IdTable(self.idh)
        self._seconds: dict[bytes, int | None] = {}  # glance's times of whole seconds
        self._matches: OrderedDict[tuple[Filter, ...], Matches] = OrderedDict()
        self._entries: OrderedDict[int, LogEntry] = OrderedDict()

    def __len__(self) -> int:
        return len(self.off)

    @property
    def lateness(self) -> int:
        return self._times.most

    @property
    def done(self) -> bool:
        """No more lines will be read: every one is, or the source is closing."""
        return self._stopped or (self._lines.done and self._ahead is None)

    def stop(self) -> None:
        """Read no more (from any thread): a read going on ends within a block of lines,
        so the source can close at once, not after the pass."""
        self._stopped = True
        if self._ahead is not None:
            self._ahead.stop()

    @property
    def unread(self) -> int:
        """The lines before this are not read yet (those after it all are)."""
        if self._ahead is not None and self._lines.done:
            return self._ahead.next_end
        return self._lines.unread

    def close(self) -> None:
        """Let go of the matches and entries kept (each match refers back to this: a
        cycle, freed only by a full collection, kept a closed source's arrays), and stop
        the helpers."""
        self._matches.clear()
        self._entries.clear()
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None

    def estimate(self) -> int:
        """About how many lines there are before ``end``, judged by those read so far."""
        read = self.end - self.unread
        if self.done or not read:
            return self.passed
        return round(self.passed * self.end / read)

    # -- reading ------------------------------------------------------------------------

    def read_more(self, lines: int | None = None, rejects: Rejects | None = None) -> None:
        """Read up to ``lines`` (``pages.BATCH``) more lines back (fewer at the file's start;
        a block of lines at a time may bring a few more); a line ``rejects`` turns down
        by its bytes is only glanced at (``_glance``)."""
        if lines is None:
            lines = pages.BATCH
        self.glanced = (rejects, len(self.off))
        with backward.bulk():
            while lines > 0 and not self.done:
                if self._lines.done:
                    lines -= self._take_ahead(rejects)
                    continue
                block = None if rejects is None else self._lines.block()
                if block is not None and rejects is not None:
                    lines -= self._read_block(*block, rejects)
                    continue
                lines -= 1
                offset, line = self._lines.next()
                number = -self.passed
                self.passed += 1
                if line is None:
                    self._on_problem(number, too_long())
                    continue
                if offset == 0 and line.startswith(_BOM):
                    line, offset = line[len(_BOM) :], offset + len(_BOM)
                self._read_line(line, offset, number, rejects)

    def read_ahead(self, rejects: Rejects | None) -> None:
        """Start helpers on the older part of what is not read yet (once: a pass that
        goes far back), reading as ``rejects`` glances; see ``ahead``."""
        if self._ahead_tried or self._lines.done:
            return
        self._ahead_tried = True
        from tui.sources.file import ahead  # subprocess and pickle: only for a long pass

        floor, parts = ahead.plan(self.fd, self._lines.reached, ahead.helpers_to_start())
        if parts:
            try:
                self._ahead = ahead.Ahead(self.fd, parts, _needles(rejects))
            except OSError:
                return
            self._lines.floor = floor

    def _take_ahead(self, rejects: Rejects | None) -> int:
        """Keep the next slice a helper read (how many lines it passed); when none is
        left, or a helper failed, read on here from where they stopped."""
        assert self._ahead is not None
        piece = self._ahead.take()
        if piece is None:
            self._lines = backward.BackLines(self.fd, self._ahead.next_end, 0)
            self._ahead.close()
            self._ahead = None
            return 0
        if piece.needles != _needles(rejects):
            self.glanced = (None, 0)  # glanced at for another query: matching checks each
        for number, problem in piece.problems:
            self._on_problem(number - self.passed, problem)
        self.passed += piece.passed
        if piece.ids:
            self._keep_many(piece.offsets, piece.ids, piece.stamps, piece.whole)
        return max(1, piece.passed)

    def _read_line(self, line: bytes, offset: int, number: int, rejects: Rejects | None) -> None:
        if not (rejects is not None and rejects(line) and self._glance(line, offset)):
            self._take(line, offset, number)

    def _read_block(self, offset: int, buf: bytes, start: int, stop: int, rejects: Rejects) -> int:
        """The whole lines in ``buf`` after the newline at ``start`` up to ``stop`` (the
        first at ``offset`` in the file), glanced at together where they allow it; how
        many there were."""
        # A block no longer than a line may be cannot hold a line too long (1 MB, 16 MB).
        fits = stop - start <= MAX_LINE_BYTES
        block = glance.glance(buf, start, stop, rejects.needles, self._seconds) if fits else None
        first = self.passed
        if block is None:
            lines, starts = glance.split(buf, start, stop)
            self.passed += len(lines)
            for k in range(len(lines) - 1, -1, -1):
                number = -(first + len(lines) - 1 - k)
                if len(lines[k]) > MAX_LINE_BYTES:
                    self._on_problem(number, too_long())
                else:
                    self._read_line(lines[k], offset + starts[k], number, rejects)
            return len(lines)
        lines, starts = block.lines, block.starts
        n = len(lines)
        self.passed += n
        # Newest first: the glanced lines between two read whole, and those read whole.
        places: list[int] = []
        ids: list[str | bytes] = []
        stamps: list[int] = []
        whole: dict[int, tuple[str, ...]] = {}
        loaded = glance.load_sure(block)
        if loaded is not None and len(loaded) == len(block.taken):
            # Every line kept (what the loop below does then), in C.
            at, taken = starts[n - 1 :: -1], block.taken[::-1]
            ids += block.ids[::-1]
            stamps = block.stamps[::-1]
            texts = map(wire_texts, map(loaded.__getitem__, taken))
            whole = dict(zip(map(sub, repeat(n - 1), taken), texts, strict=True))
        else:
            end = n
            for k in [*reversed(block.taken), -1]:
                if end - 1 > k:
                    run = slice(end - 1, k if k >= 0 else None, -1)
                    places += range(end - 1, k, -1)
                    ids += block.ids[run]
                    stamps += block.stamps[run]
                if k >= 0:
                    read = self._read_taken(block, k, loaded)
                    if isinstance(read, str):
                        self._on_problem(-(first + n - 1 - k), read)
                    elif read is not None:
                        whole[len(places)] = read[2]
                        places.append(k)
                        ids.append(read[0])
                        stamps.append(read[1])
                end = k
            at = list(map(starts.__getitem__, places))
        self._keep_many(list(map(add, at, repeat(offset))), ids, stamps, whole)
        return n

    @staticmethod
    def _read_taken(
        block: glance.Block, k: int, loaded: dict[int, dict[str, Any]] | None
    ) -> tuple[str | bytes, int, tuple[str, ...]] | str | None:
        """``read_whole`` for line ``k`` of a block (its id and time glanced, if sure)."""
        if k not in block.sure:
            return whole_line.read_whole(block.lines[k])
        # An object, {"id": ..., unless it is not JSON after all.
        obj = whole_line.load(block.lines[k]) if loaded is None else loaded[k]
        if isinstance(obj, whole_line.Problem):
            return str(obj)
        return block.ids[k], block.stamps[k], wire_texts(obj)

    def _take(self, line: bytes, offset: int, number: int) -> None:
        read = whole_line.read_whole(line)
        if isinstance(read, str):
            self._on_problem(number, read)
        elif read is not None:
            self._keep(offset, *read)

    def _glance(self, line: bytes, offset: int) -> bool:
        """Keep a line no query so far needs whole, from its id and time alone, when
        they can be read off its bytes exactly (``glance_line``); the rest of it is read
        when a query first needs it (``checked``)."""
        head = glance.glance_line(line)
        if head is None:
            return False
        self._keep(offset, head[0], head[1], None)
        return True

    def _keep(self, offset: int, log_id: str, ts: int, texts: tuple[str, ...] | None) -> None:
        at = len(self.off)
        h = hash(log_id) or 1
        self.idh.append(h)
        alive = self._ids.claim(h, at) and log_id not in self._later()
        self.off.append(offset)
        self.ts.append(ts)
        self.alive.append(alive if texts is not None or not alive else UNCHECKED)
        self.codes.add(texts)
        if alive:
            self._times.note([ts])

    def _keep_many(
        self,
        offsets: list[int],
        ids: list[str | bytes],
        stamps: list[int],
        whole: dict[int, tuple[str, ...]],
    ) -> None:
        """``_keep`` for many lines (newest first) in a few calls: those read whole have
        their texts in ``whole`` (by their place here), the rest were glanced at. An id
        may come as its ASCII bytes (``glance.SAME_HASH``)."""
        at = len(self.off)
        hashes = list(map(hash, ids))
        if 0 in hashes:
            hashes = [h or 1 for h in hashes]
        self.idh.fromlist(hashes)
        claimed = self._ids.claim_run(hashes, at, self.estimate())
        later = self._later()
        if later:
            for k in compress(range(len(ids)), claimed):
                log_id = ids[k]
                if (log_id if isinstance(log_id, str) else log_id.decode()) in later:
                    claimed[k] = 0
        self.off.fromlist(offsets)
        self.ts.fromlist(stamps)
        alive = claimed.translate(_GLANCED)
        for place in whole:
            alive[place] = claimed[place]
        self.alive += alive
        self.codes.add_many(len(ids), whole)
        self._times.note(list(compress(stamps, claimed)))

    def number(self, line: int) -> int:
        """``line``'s number, counted from where the index starts (for a problem)."""
        return 1 - backward.count_newlines(self.fd, self.off[line], self.end)

    def checked(self, line: int) -> dict[str, Any] | None:
        """``object``, and for a line only glanced at, read whole now: a line that is
        not a log after all is said (once) and listed no more."""
        if self.alive[line] != UNCHECKED:
            return self.object(line)
        parsed = whole_line.parse(self.raw(line))
        if isinstance(parsed, str):
            self._on_problem(self.number(line), parsed)
            self.kill(line)
            return None
        obj = parsed[0]
        self.codes.set(line, wire_texts(obj))
        self.alive[line] = 1
        return obj

    def _slot_of(self, log_id: str) -> int:
        """The last line read so far with ``log_id`` (listed or not), or -1."""
        return self._ids.line_of(hash(log_id) or 1)

    def line_of(self, log_id: str) -> int:
        """The line read so far holding ``log_id``'s log, or -1."""
        at = self._slot_of(log_id)
        return at if at >= 0 and self.alive[at] else -1

    def find(self, log_id: str) -> dict[str, Any] | None:
        """The object of ``log_id``'s line: among the lines read, else searched for in
        the bytes not read yet (the last line there holding it), else read back to it."""
        if self._slot_of(log_id) < 0 and not self.done:
            searched, found = backward.search(self.fd, log_id, self.unread)
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
        return pages.rows(self, match, bounds, want)

    def text(self, line: int, field: int) -> str | None:
        return self.codes.text(line, field)

    def code(self, line: int, field: int) -> int:
        return self.codes.code(line, field)

    def codes_of(self, lines: list[int], field: int) -> list[int] | None:
        return self.codes.codes_of(lines, field)

    def coded_texts(self, field: int) -> list[str]:
        return self.codes.texts(field)

    def raw(self, line: int) -> bytes:
        """The line's bytes: up to where the line read before it starts (the next line
        in the file, unless lines not kept lay between), cut at its newline."""
        start = self.off[line]
        return backward.line_at(self.fd, start, self.off[line - 1] if line else self.end)

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


def _needles(rejects: Rejects | None) -> tuple[bytes, ...] | None:
    return None if rejects is None else rejects.needles
