"""LogStore: every loaded log, compact, deduplicated by its raw id, ordered by time.

The table reads from here and only ever asks for the rows it can see, so a
million loaded logs cost what a screenful costs to draw. Row contents live in
SQLite (a temporary file by default: bounded RSS, and the same file can later
serve as a recording); the order lives in two parallel ``array('q')`` columns
(timestamp, rowid), 16 bytes a row, kept ascending so the usual arrival (newer
than anything held) is an O(1) append. View index 0 is the newest log.

Not thread-safe: the app uses it from the event loop only (workers post
messages; handlers add to the store).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui import jsonout, jsontree
from tui.models.entry import FIELDS as ENTRY_FIELDS
from tui.models.entry import LogEntry

# One column per LogEntry field, in the model's order, so a field added to
# LogEntry is stored and read back without touching this module.
_COLUMNS = ENTRY_FIELDS
_INTEGER_COLUMNS = ("timestamp_ms", "duration_ms")
# Ids are keys, kept as the source wrote them (see tui.models.entry), and stored as
# UTF-8 bytes with surrogatepass: a lone surrogate (JSON can hold "\ud800") has no
# UTF-8 text form, and escaping it would make two different ids one.
_ID_COLUMNS = ("id", "parent_log_id")


def _column_type(column: str) -> str:
    if column in _INTEGER_COLUMNS:
        return "INTEGER"
    return "BLOB" if column in _ID_COLUMNS else "TEXT"


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS logs (
    rowid INTEGER PRIMARY KEY,
    {", ".join(f"{c} {_column_type(c)}" for c in _COLUMNS)},
    UNIQUE (id)
)
"""

_INSERT = (
    f"INSERT OR IGNORE INTO logs ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
)

# What a table row needs; the message is cut here so a screenful of rows with
# multi-kilobyte messages stays cheap to fetch and render.
TABLE_MESSAGE_CHARS = 400


@dataclass(frozen=True, slots=True)
class RowView:
    """The few fields the log table draws for one row (already sanitized), and the row's
    raw id, the key to ask for its detail with (clean() it to draw it)."""

    rowid: int
    id: str
    timestamp_ms: int
    status: str
    toolkit: str
    tool: str
    user_id: str
    duration_ms: int | None
    message: str

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass(frozen=True, slots=True)
class AddResult:
    added: int
    duplicates: int
    failed: int  # how many of the added were failures


class LogStore:
    def __init__(self, path: Path | str | None = None, *, row_cache: int = 4_096) -> None:
        if path is None:
            fd, tmp = tempfile.mkstemp(prefix="toolwatch-", suffix=".sqlite3")
            os.close(fd)
            self._path: Path | None = Path(tmp)
            self._owns_file = True
        elif str(path) == ":memory:":
            self._path = None
            self._owns_file = False
        else:
            self._path = Path(path)
            self._owns_file = False
        self._db = sqlite3.connect(":memory:" if self._path is None else str(self._path))
        # The file is a cache of what the API returned, rebuilt on every run:
        # durability buys nothing, write speed does.
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute(_SCHEMA)
        self._ts: array[int] = array("q")
        self._rowids: array[int] = array("q")
        self._cache: OrderedDict[int, RowView] = OrderedDict()
        self._cache_size = row_cache

    # -- size and order ------------------------------------------------------

    def __len__(self) -> int:
        return len(self._rowids)

    @property
    def newest_ms(self) -> int | None:
        return self._ts[-1] if self._ts else None

    @property
    def oldest_ms(self) -> int | None:
        return self._ts[0] if self._ts else None

    def rowid_at(self, index: int) -> int:
        """Rowid of the log at view ``index`` (0 = newest)."""
        return self._rowids[len(self._rowids) - 1 - index]

    def index_of(self, rowid: int, timestamp_ms: int) -> int | None:
        """View index of a row, or None. O(log n) plus the rows sharing its timestamp."""
        lo = bisect_left(self._ts, timestamp_ms)
        hi = bisect_right(self._ts, timestamp_ms)
        for pos in range(lo, hi):
            if self._rowids[pos] == rowid:
                return len(self._rowids) - 1 - pos
        return None

    # -- writing -------------------------------------------------------------

    def add(self, entries: Iterable[LogEntry]) -> AddResult:
        """Add entries not held yet (by id); returns how many were new."""
        fresh: list[tuple[int, int]] = []  # (ts, rowid)
        duplicates = failed = 0
        cur = self._db.cursor()
        for entry in entries:
            try:
                cur.execute(_INSERT, _row_values(entry))
            except UnicodeEncodeError:
                # A lone surrogate in the wire JSON ("\ud800" is valid JSON) cannot be
                # stored as UTF-8; written escaped, it reads back as the same value.
                cur.execute(_INSERT, _row_values(entry, escape=True))
            if cur.rowcount == 1 and cur.lastrowid is not None:
                fresh.append((entry.timestamp_ms, cur.lastrowid))
                failed += entry.failed
            else:
                duplicates += 1
        if fresh:
            self._insert_order(fresh)
        return AddResult(added=len(fresh), duplicates=duplicates, failed=failed)

    def replace(self, entries: Iterable[LogEntry]) -> AddResult:
        """Each entry in place of the held one with its id (same row, same place: its
        content changed, as a running Buddy action's does); one not held is added.
        ``duplicates`` counts the rows replaced."""
        columns = [c for c in _COLUMNS if c != "id"]
        update = f"UPDATE logs SET {', '.join(f'{c} = ?' for c in columns)} WHERE rowid = ?"
        fresh: list[LogEntry] = []
        replaced = 0
        for entry in entries:
            rec = self._db.execute(
                "SELECT rowid, timestamp_ms FROM logs WHERE id = ?", (_id_bytes(entry.id),)
            ).fetchone()
            if rec is None:
                fresh.append(entry)
                continue
            rowid, held_ms = int(rec[0]), int(rec[1])
            values = dict(zip(_COLUMNS, _row_values(entry, escape=True), strict=True))
            self._db.execute(update, (*(values[c] for c in columns), rowid))
            self._cache.pop(rowid, None)
            index = self.index_of(rowid, held_ms)
            if held_ms != entry.timestamp_ms and index is not None:
                pos = len(self._rowids) - 1 - index
                del self._ts[pos]
                del self._rowids[pos]
                self._insert_order([(entry.timestamp_ms, rowid)])
            replaced += 1
        added = self.add(fresh) if fresh else AddResult(0, 0, 0)
        return AddResult(added=added.added, duplicates=replaced, failed=added.failed)

    def _insert_order(self, fresh: list[tuple[int, int]]) -> None:
        fresh.sort()
        ts, rowids = self._ts, self._rowids
        if not ts or fresh[0][0] >= ts[-1]:
            # Newer than everything held: the live-tail case, an append.
            ts.extend(t for t, _ in fresh)
            rowids.extend(r for _, r in fresh)
        elif fresh[-1][0] < ts[0]:
            # Older than everything held: a backfill page, one copy.
            self._ts = array("q", (t for t, _ in fresh)) + ts
            self._rowids = array("q", (r for _, r in fresh)) + rowids
        else:
            # Late arrivals and filled gaps: merge them with the part of the order they
            # land in, once. They land near the newest end, so that part is short; one
            # insert per row would move it once per row (seconds for a large gap).
            start = bisect_right(ts, fresh[0][0])
            # Both runs are sorted by (ts, rowid): the order is, and within one
            # timestamp rowids only grow. sorted() merges two runs in linear time.
            merged = sorted([*zip(ts[start:], rowids[start:], strict=True), *fresh])
            del ts[start:]
            del rowids[start:]
            ts.extend(t for t, _ in merged)
            rowids.extend(r for _, r in merged)

    def clear(self) -> None:
        self._db.execute("DELETE FROM logs")
        self._ts = array("q")
        self._rowids = array("q")
        self._cache.clear()

    # -- reading -------------------------------------------------------------

    def rows(self, start: int, count: int) -> list[RowView]:
        """The rows at view indexes ``start`` … ``start + count - 1`` (clipped)."""
        n = len(self._rowids)
        stop = min(n, start + count)
        if start >= stop or start < 0:
            return []
        wanted = [self._rowids[n - 1 - i] for i in range(start, stop)]
        missing = [r for r in wanted if r not in self._cache]
        if missing:
            self._fetch(missing)
        cache = self._cache
        out = []
        for r in wanted:
            cache.move_to_end(r)
            out.append(cache[r])
        return out

    def row(self, index: int) -> RowView | None:
        found = self.rows(index, 1)
        return found[0] if found else None

    def _fetch(self, rowids: Sequence[int]) -> None:
        for chunk_start in range(0, len(rowids), 500):
            chunk = rowids[chunk_start : chunk_start + 500]
            query = (
                "SELECT rowid, id, timestamp_ms, status, toolkit, tool, user_id, duration_ms, "
                f"substr(message, 1, {TABLE_MESSAGE_CHARS}) FROM logs "
                f"WHERE rowid IN ({', '.join('?' * len(chunk))})"
            )
            for rec in self._db.execute(query, chunk):
                self._cache[rec[0]] = RowView(rec[0], _id_text(rec[1]), *rec[2:])
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def entry(self, rowid: int) -> LogEntry | None:
        """The full entry (with its raw wire object) for the detail pane, copy and export."""
        rec = self._db.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM logs WHERE rowid = ?", (rowid,)
        ).fetchone()
        if rec is None:
            return None
        values = dict(zip(_COLUMNS, rec, strict=True))
        values["raw"] = jsontree.loads(values["raw"])
        for column in _ID_COLUMNS:
            if values[column] is not None:
                values[column] = _id_text(values[column])
        # Stored values were sanitized when the entry was built; skip revalidation.
        return LogEntry.trusted(**values)

    def index_of_id(self, log_id: str) -> int | None:
        """View index of the log with this raw id, or None when it is not held."""
        rec = self._db.execute(
            "SELECT rowid, timestamp_ms FROM logs WHERE id = ?", (_id_bytes(log_id),)
        ).fetchone()
        return None if rec is None else self.index_of(int(rec[0]), int(rec[1]))

    def entry_by_id(self, log_id: str) -> LogEntry | None:
        """The log with this raw id, or None when it is not held."""
        rec = self._db.execute(
            "SELECT rowid FROM logs WHERE id = ?", (_id_bytes(log_id),)
        ).fetchone()
        return None if rec is None else self.entry(int(rec[0]))

    def find(
        self, words: Sequence[str], start: int, *, older: bool = True, limit: int | None = None
    ) -> tuple[int | None, int]:
        """The nearest row past ``start`` whose message holds every word (case-insensitive),
        towards older rows or newer ones, looking at no more than ``limit`` rows.

        Returns ``(view index or None, where the look stopped)``, so a caller can go on
        from there in slices and keep the screen answering keys on a million rows."""
        n = len(self)
        step = 1 if older else -1
        first = start + step
        last = n - 1 if older else 0
        if not words or not n or (first > last if older else first < last):
            return None, last
        if limit is not None:
            last = min(last, first + limit - 1) if older else max(last, first - limit + 1)
        likes = " AND ".join("message LIKE ? ESCAPE '\\'" for _ in words)
        params = [f"%{_escape_like(w)}%" for w in words]
        indexes = range(first, last + step, step)
        for chunk_start in range(0, len(indexes), 500):
            chunk = indexes[chunk_start : chunk_start + 500]
            by_rowid = {self.rowid_at(i): i for i in chunk}
            found = self._db.execute(
                f"SELECT rowid FROM logs WHERE rowid IN ({', '.join('?' * len(by_rowid))}) "
                f"AND {likes}",
                (*by_rowid, *params),
            ).fetchall()
            if found:
                hits = [by_rowid[int(r[0])] for r in found]
                return (min(hits) if older else max(hits)), last
        return None, last

    def raw_chunks(self, size: int = 2_000) -> Iterator[list[tuple[str, str]]]:
        """``(message, raw JSON)`` of every held log, oldest first, ``size`` at a time: for
        export. The order is taken when this starts; rows cleared meanwhile are skipped."""
        order = array("q", self._rowids)
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            found = {
                int(rec[0]): (str(rec[1]), str(rec[2]))
                for rec in self._db.execute(
                    f"SELECT rowid, message, raw FROM logs "
                    f"WHERE rowid IN ({', '.join('?' * len(chunk))})",
                    tuple(chunk),
                )
            }
            yield [found[r] for r in chunk if r in found]

    # -- lifetime ------------------------------------------------------------

    def close(self) -> None:
        self._db.close()
        if self._owns_file and self._path is not None:
            self._path.unlink(missing_ok=True)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _id_bytes(log_id: str) -> bytes:
    return log_id.encode("utf-8", "surrogatepass")


def _id_text(stored: bytes) -> str:
    return stored.decode("utf-8", "surrogatepass")


def _raw_text(raw: dict[str, object]) -> str:
    """``raw`` as the store keeps it: NaN and Infinity as Python writes them (read back
    as the same floats); an integer too long for digits, nesting too deep for the
    writer, made writable (``tui.jsontree.writable``) rather than refused."""
    try:
        return json.dumps(raw, separators=(",", ":"), ensure_ascii=False)
    except (ValueError, RecursionError):
        return json.dumps(jsontree.writable(raw), separators=(",", ":"), ensure_ascii=False)


def _row_values(entry: LogEntry, *, escape: bool = False) -> tuple[object, ...]:
    raw = jsonout.dumps(entry.raw) if escape else _raw_text(entry.raw)
    values: list[object] = []
    for column in _COLUMNS:
        value = getattr(entry, column)
        if column == "raw":
            value = raw
        elif column in _ID_COLUMNS and value is not None:
            value = _id_bytes(value)
        values.append(value)
    return tuple(values)
