"""The logs a file source has read: kept per line, ordered, filtered and paged.

Per line only the id, timestamp and filter fields are kept, with the line's place in the
file (a stream's lines are kept as bytes); a ``LogEntry`` is built when a page shows it.
The order, and each recent filter set's matching list, are kept sorted and extended as
lines arrive, so a page of a large file is a slice (see ``bench/bench_file_source.py``).
Logs sharing a millisecond keep the file's order (newest-first files, like an export) or
its reverse (oldest-first files, like an appended log), whichever way the file mostly
runs. An id that appears again replaces the earlier line (the last one seen wins).
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Final

from tui import jsontree
from tui.errors import UnreadableBody
from tui.models.entry import LogEntry
from tui.models.loose import json_kind
from tui.models.normalize import entry_from_wire, parse_timestamp_ms, wire_text, wire_texts
from tui.query import Filter
from tui.sources.buddy.rows import SOURCE_NAME as BUDDY_SOURCE
from tui.sources.buddy.rows import is_buddy_row
from tui.sources.file.lines import LineSplitter, decode
from tui.sources.file.problems import Problems
from tui.sources.file.records import BY_KEY, UNIQUE_AT, Match, Record, accepter, remove_sorted

ENTRY_CACHE: Final = 4096  # LogEntry objects kept for the pages shown again and again
MATCH_CACHE: Final = 4  # filter sets whose matching lists are kept up to date
SMALL_UPDATE: Final = 64  # up to this many changes are inserted; more re-sort once

# Reads a record's line again from its source.
ReadLine = Callable[[Record], bytes]


def read_log(obj: Any) -> tuple[str, int, LogEntry | None] | str:
    """A parsed line as a log: its raw id, its time (epoch ms) and, when reading it took
    building it, its entry; or what is wrong with it (a line problem)."""
    if not isinstance(obj, dict):
        return f"not a log object ({json_kind(obj)})"
    for key in ("id", "timestamp"):
        if key not in obj or obj[key] is None:
            return f'no "{key}"'
    log_id, stamp = obj["id"], obj["timestamp"]
    if type(log_id) is str and type(stamp) is str:
        # The usual line: decided here as entry_from_wire decides (everything else in
        # a log is read leniently), without building the entry yet.
        if not log_id.strip():
            return 'empty "id"'
        try:
            return log_id, parse_timestamp_ms(stamp), None
        except (ValueError, OverflowError):
            return f"log {log_id}: unreadable timestamp {stamp[:40]!r}"
    try:
        entry = entry_from_wire(obj, source=source_of(obj))
    except UnreadableBody as error:
        return error.detail or str(error)
    except OverflowError:
        return f"log {log_id}: unreadable timestamp"
    return wire_text(obj, "log_id") or entry.id, entry.timestamp_ms, entry


def source_of(obj: dict[str, Any]) -> str:
    """Whose line it is: a Buddy row (an export of a Buddy source, ``list --source buddy``
    output; issue 17 §8) replays as one, with Buddy's fields and copy keys; else a
    Composio log."""
    return BUDDY_SOURCE if is_buddy_row(obj) else "composio"


def build_entry(obj: dict[str, Any]) -> LogEntry | str:
    """The entry of a line already read as a log, or why the client could not list it."""
    try:
        return entry_from_wire(obj, source=source_of(obj))
    except (UnreadableBody, OverflowError) as error:
        detail = error.detail if isinstance(error, UnreadableBody) else None
        return detail or str(error)


class Index:
    """The logs read so far, split into lines, ordered, filtered and paged."""

    def __init__(self, *, keep_lines: bool, lines_before: Callable[[], int] | None = None) -> None:
        self.keep_lines = keep_lines
        self.stale = False  # a line no longer reads as it did: read the file again
        self._problems = Problems(lines_before)
        self._seq = 0
        self._reset()

    def _reset(self) -> None:
        self.by_id: dict[str, Record] = {}
        self._order: list[Record] = []
        self._matches: OrderedDict[tuple[Filter, ...], Match] = OrderedDict()
        self._entries: OrderedDict[int, LogEntry] = OrderedDict()
        self._intern: dict[str, str] = {}
        self._added: list[Record] = []
        self._removed: list[Record] = []
        # Which way the file runs: lines newer or older than the line before them.
        self._up = self._down = 0
        self._last_ts: int | None = None
        self._desc = False
        self._lines = LineSplitter(self._add, self._problems.line)

    def close(self) -> None:
        """The source is closed: let go of the lines at once (this and its line splitter
        refer to each other, a cycle only a full collection frees)."""
        self._reset()

    def restart(self) -> None:
        """The source starts over: forget every line (problems included)."""
        self._reset()
        self._problems.restart()
        self.stale = False

    # -- bytes in ---------------------------------------------------------------------

    def feed(self, data: bytes, offset: int) -> None:
        """Take ``data``, which starts at byte ``offset`` of the source."""
        self._lines.feed(data, offset)

    def settle(self) -> None:
        """No more bytes for now: a last line that is already a whole object counts."""
        self._lines.settle()

    def finish(self) -> None:
        """The stream ended: its last line counts, newline or not."""
        self._lines.finish()

    # -- records ------------------------------------------------------------------------

    def _add(self, obj: Any, number: int, offset: int, line: bytes) -> None:
        read = read_log(obj)
        if isinstance(read, str):
            self._problems.line(number, read)
            return
        log_id, ts, entry = read
        texts = wire_texts(obj)
        intern = self._intern.setdefault
        values = tuple(
            [
                text if unique else intern(text, text)
                for text, unique in zip(texts, UNIQUE_AT, strict=True)
            ]
        )
        self._seq += 1
        rec = Record(
            log_id,
            ts,
            self._seq,
            number,
            offset,
            len(line),
            line if self.keep_lines else None,
            values,
        )
        old = self.by_id.get(log_id)
        if old is not None:
            old.alive = False
            self._removed.append(old)
        self.by_id[log_id] = rec
        if entry is not None:
            self._remember(rec, entry)
        self._added.append(rec)
        if self._last_ts is not None:
            self._up += ts > self._last_ts
            self._down += ts < self._last_ts
        self._last_ts = ts

    def commit(self) -> None:
        """Put the lines read since the last commit in order (and in the matching lists)."""
        new = [rec for rec in self._added if rec.alive]
        gone = [rec for rec in self._removed if rec.placed]
        self._added, self._removed = [], []
        desc = self._down > self._up
        if desc != self._desc:
            # Which way ties go follows the file; rare, so redo everything.
            self._desc = desc
            live = list(self.by_id.values())
            for rec in live:
                rec.key = (rec.ts, -rec.seq if desc else rec.seq)
                rec.placed = True
            live.sort(key=BY_KEY)
            self._order = live
            self._matches.clear()
            return
        if desc:
            for rec in new:
                rec.key = (rec.ts, -rec.seq)
        if not new and not gone:
            return
        lists = [(self._order, None)] + [(m.recs, m.accepts) for m in self._matches.values()]
        if len(new) + len(gone) <= SMALL_UPDATE:
            for recs, accepts in lists:
                for rec in gone:
                    remove_sorted(recs, rec)
                for rec in new:
                    if accepts is None or accepts(rec):
                        bisect.insort(recs, rec, key=BY_KEY)
        else:
            for recs, accepts in lists:
                kept = [rec for rec in recs if rec.alive]
                kept += new if accepts is None else [rec for rec in new if accepts(rec)]
                kept.sort(key=BY_KEY)  # two sorted runs: a merge
                recs[:] = kept
        for rec in gone:
            rec.placed = False
        for rec in new:
            rec.placed = True

    def drop(self, recs: list[Record]) -> None:
        for rec in recs:
            if self.by_id.get(rec.id) is rec:
                del self.by_id[rec.id]
            rec.alive = False
            self._removed.append(rec)
        self.commit()

    def find(self, log_id: str) -> Record | None:
        """The line of the log with this raw id (``LogEntry.id``, as the line holds it)."""
        return self.by_id.get(log_id)

    def __len__(self) -> int:
        return len(self.by_id)

    # -- answering --------------------------------------------------------------------

    def matching(self, filters: tuple[Filter, ...]) -> list[Record]:
        """The logs ``filters`` let through, oldest first (shared: never change it)."""
        if not filters:
            return self._order
        match = self._matches.get(filters)
        if match is None:
            accepts = accepter(filters)
            match = Match(accepts, [rec for rec in self._order if accepts(rec)])
            self._matches[filters] = match
            if len(self._matches) > MATCH_CACHE:
                self._matches.popitem(last=False)
        else:
            self._matches.move_to_end(filters)
        return match.recs

    def entry(self, rec: Record, read: ReadLine) -> LogEntry | None:
        """The LogEntry for ``rec``; None (and a problem) when its line no longer reads."""
        cached = self._entries.get(rec.seq)
        if cached is not None:
            self._entries.move_to_end(rec.seq)
            return cached
        obj = self.object(rec, read)
        if obj is None:
            return None
        entry = build_entry(obj)
        if isinstance(entry, str):
            self._problems.line(rec.line, entry)
            return None
        self._remember(rec, entry)
        return entry

    def object(self, rec: Record, read: ReadLine) -> dict[str, Any] | None:
        """The JSON object of ``rec``'s line, read again (None and a problem when the
        file changed under it: then it is read again from the start)."""
        line = rec.blob if rec.blob is not None else read(rec)
        try:
            obj = jsontree.loads(decode(line))
        except (ValueError, RecursionError):
            obj = None
        if not isinstance(obj, dict) or wire_text(obj, "log_id") != rec.id:
            self.stale = True
            self._problems.line(rec.line, "changed since it was read; reading the file again")
            return None
        return obj

    def _remember(self, rec: Record, entry: LogEntry) -> None:
        self._entries[rec.seq] = entry
        if len(self._entries) > ENTRY_CACHE:
            self._entries.popitem(last=False)

    # -- problems ---------------------------------------------------------------------

    @property
    def problems(self) -> list[str]:
        """The first problems since the source was last read from its start."""
        return self._problems.kept

    @property
    def problem_count(self) -> int:
        return self._problems.count

    def note(self, message: str) -> None:
        """A problem of the source rather than of one line."""
        self._problems.note(message)

    def line_problem(self, number: int, what: str) -> None:
        """A line (numbered as this index numbers them) that cannot be listed."""
        self._problems.line(number, what)

    def arrived(self) -> list[Record]:
        """The logs read since the last commit (before it puts them in order)."""
        return [rec for rec in self._added if rec.alive]

    def take_unreported(self) -> list[str]:
        return self._problems.take_unreported()
