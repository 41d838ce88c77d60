"""FileSource: Composio logs from a JSON-lines file or stream, answered as the Logs API would.

One Composio log object per line: an A.2 list item or an A.3 detail (what ``toolwatch
list`` prints). ``FileSource`` is a ``LogSource`` and a ``DetailSource``, so LiveTail, the
table and the detail pane work on a file unchanged.

How it answers, mirroring the Logs API as the embedded demo server implements it
(``tui/demo/query.py``, ``tui/demo/api.py``), without sharing its code:

* The request is what the client would send: ``LogQuery.to_api_body`` (so a limit
  outside 1..MAX_LIMIT is the same ``QueryError``, and an open-ended time range is closed
  ``FUTURE_SLACK_MS`` past the clock). Bare words are never sent, so never applied.
* Filters are AND-combined, each ``Filter.accepts`` on the wire's text for its field
  (``tui.models.normalize.wire_text``): exact or substring, case-sensitive, an absent value is "".
  A ``status`` ``==``/``!=`` other than success/failed is refused as the server refuses it.
* The time range is inclusive at both ends. Logs are listed newest first; logs sharing a
  millisecond keep the file's order (newest-first files, like an export) or its reverse
  (oldest-first files, like an appended log), whichever way the file mostly runs.
* The cursor is the server's: base64 of ``{"page": N}``, pages of ``limit``; one it
  cannot read is a ``BadRequestError``.
* An id that appears again replaces the earlier line (the last one seen wins).

Reading: a file is read incrementally, from where the last call stopped, on every call
(follow when it grows). A last line without its newline waits for the rest unless it is
already a whole JSON object. A file that shrank or was replaced (another inode at the
path) is read again from its start (``restarts`` counts these); a file deleted meanwhile
keeps being read through the handle already open. A stream (``from_stream``, ``-`` for
stdin) is drained by a daemon thread into a buffer, so nothing ever blocks the event
loop; its last line counts when the stream ends. All parsing and querying runs in a worker
thread (``asyncio.to_thread``), one call at a time.

Bad lines never stop the rest: a line that is not JSON, not an object, longer than
``MAX_LINE_BYTES`` or not a readable log is skipped and reported once with its line
number, in ``problems`` and in the next ``LogPage.skipped``. Blank lines are ignored.
Invalid UTF-8 is decoded with replacement characters and the line kept (logged at debug).

Scale: per line only the id, timestamp and filter fields are kept, with the line's place
in the file (a stream's lines are kept as bytes); a ``LogEntry`` is built when a page
shows it. The order, and each recent filter set's matching list, are kept sorted and
extended as lines arrive; a time range is a bisection, so a page of a large file is a
slice (see ``bench/bench_file_source.py``).

Errors: a path that cannot be opened raises ``FileReadError`` (a ``ConnectionFailed``, so
an ``ApiError`` whose ``str()`` is one line: "Cannot read the log file: cannot read
orders.jsonl: No such file or directory") from the constructor; the same error later
(e.g. the replaced file is unreadable) is retryable, as LiveTail expects. Unknown ids are
``NotFoundError``; a line whose detail or per-step log cannot be read, ``UnreadableBody``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import bisect
import contextlib
import json
import os
import select
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, Final, Protocol

from pydantic import ValidationError

from tui import debuglog
from tui.constants import DEFAULT_LIMIT, FILTER_FIELDS
from tui.errors import BadRequestError, ConnectionFailed, NotFoundError, UnreadableBody
from tui.models.entry import LogEntry
from tui.models.normalize import entry_from_wire, parse_timestamp_ms, wire_text, wire_texts
from tui.models.wire import WireLogDetail, WireTrace, json_kind, summarize_errors
from tui.query import STATUSES, Filter, LogQuery
from tui.sanitize import clean
from tui.sources.base import LogPage

log = debuglog.get_logger("file")

MAX_LINE_BYTES: Final = 16 * 1024 * 1024
READ_CHUNK: Final = 8 * 1024 * 1024  # bytes read from a file at a time
STREAM_READ: Final = 64 * 1024
STREAM_WAKE_S: Final = 0.25  # how often the reader thread looks for aclose
ENTRY_CACHE: Final = 4096  # LogEntry objects kept for the pages shown again and again
MATCH_CACHE: Final = 4  # filter sets whose matching lists are kept up to date
SMALL_UPDATE: Final = 64  # up to this many changes are inserted; more re-sort once
KEPT_PROBLEMS: Final = 1000
SKIPPED_PER_PAGE: Final = 100

_BOM: Final = b"\xef\xbb\xbf"
_CURSOR_FIX: Final = "Send back the next_cursor of the previous response unchanged, or null."
_INDEX: Final = {name: i for i, name in enumerate(FILTER_FIELDS)}
_ID: Final = _INDEX["log_id"]
# Unique per log: remembering each value's verdict (or interning it) would only cost.
_UNIQUE: Final = frozenset({_ID, _INDEX["request_id"]})
_UNIQUE_AT: Final = tuple(i in _UNIQUE for i in range(len(FILTER_FIELDS)))
_KEY: Final = attrgetter("key")
_TS: Final = attrgetter("ts")


class FileReadError(ConnectionFailed):
    """The file (or stream) cannot be read: missing, not readable, a directory."""

    title = "Cannot read the log file"
    default_hint = "Check the path and that the file is readable."


class _Rec:
    """One log line: enough to order, filter and find it; the rest is re-read on demand."""

    __slots__ = (
        "alive",
        "blob",
        "id",
        "key",
        "length",
        "line",
        "offset",
        "placed",
        "seq",
        "ts",
        "values",
    )

    def __init__(
        self,
        log_id: str,
        ts: int,
        seq: int,
        line: int,
        offset: int,
        length: int,
        blob: bytes | None,
        values: tuple[str, ...],
    ) -> None:
        self.id = log_id
        self.ts = ts
        self.seq = seq
        self.line = line
        self.offset = offset
        self.length = length
        self.blob = blob  # the line itself, for a stream (it cannot be read again)
        self.values = values  # the wire text of each filter field, FILTER_FIELDS order
        self.key = (ts, seq)
        self.alive = True  # not replaced by a later line with its id, nor dropped
        self.placed = False  # in the sorted order (and the matching lists)


class _Match:
    """The logs one filter set lets through, oldest first, kept up to date."""

    __slots__ = ("accepts", "recs")

    def __init__(self, accepts: Callable[[_Rec], bool], recs: list[_Rec]) -> None:
        self.accepts = accepts
        self.recs = recs


def _accepter(filters: tuple[Filter, ...]) -> Callable[[_Rec], bool]:
    """``Filter.accepts`` for every filter, each decided once per distinct value."""
    checks: list[tuple[int, Callable[[str], bool], dict[str, bool] | None]] = [
        (_INDEX[f.field], f.accepts, None if _INDEX[f.field] in _UNIQUE else {}) for f in filters
    ]

    def accepts(rec: _Rec) -> bool:
        values = rec.values
        for index, check, memo in checks:
            value = values[index]
            if memo is None:
                if not check(value):
                    return False
                continue
            verdict = memo.get(value)
            if verdict is None:
                verdict = memo[value] = check(value)
            if not verdict:
                return False
        return True

    return accepts


def _remove_sorted(recs: list[_Rec], rec: _Rec) -> None:
    at = bisect.bisect_left(recs, rec.key, key=_KEY)
    if at < len(recs) and recs[at] is rec:
        del recs[at]


def encode_cursor(page: int) -> str:
    """The server's cursor shape: base64 of ``{"page": N}``."""
    return base64.b64encode(json.dumps({"page": page}, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        decoded = json.loads(base64.b64decode(cursor.encode("ascii"), validate=True))
    except (UnicodeError, binascii.Error, ValueError):
        decoded = None
    page = decoded.get("page") if isinstance(decoded, dict) else None
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise BadRequestError(f"Invalid cursor {cursor!r}", hint=_CURSOR_FIX)
    return page


def _too_long() -> str:
    limit = MAX_LINE_BYTES
    size = f"{limit // 2**20} MB" if limit % 2**20 == 0 else f"{limit} bytes"
    return f"longer than {size}, skipped"


def _check_filters(filters: tuple[Filter, ...]) -> None:
    """What the server refuses of filters the query types allow."""
    for n, flt in enumerate(filters):
        if flt.field == "status" and flt.operator in ("==", "!=") and flt.value not in STATUSES:
            raise BadRequestError(
                f"filters[{n}].value: status must be 'success' or 'failed', "
                f"got {json.dumps(flt.value)}"
            )


class _Index:
    """The logs read so far, split into lines, ordered, filtered and paged."""

    def __init__(self, *, keep_lines: bool) -> None:
        self.keep_lines = keep_lines
        self.problems: list[str] = []
        self.problem_count = 0
        self.stale = False  # a line no longer reads as it did: read the file again
        self._unreported: list[str] = []
        self._unlisted = 0  # problems beyond SKIPPED_PER_PAGE since the last page
        self._seq = 0
        self._reset()

    def _reset(self) -> None:
        self.by_id: dict[str, _Rec] = {}
        self._shown: dict[str, str] = {}  # a sanitized id (LogEntry.id) -> the wire's
        self._order: list[_Rec] = []
        self._matches: OrderedDict[tuple[Filter, ...], _Match] = OrderedDict()
        self._entries: OrderedDict[int, LogEntry] = OrderedDict()
        self._intern: dict[str, str] = {}
        self._added: list[_Rec] = []
        self._removed: list[_Rec] = []
        # Which way the file runs: lines newer or older than the line before them.
        self._up = self._down = 0
        self._last_ts: int | None = None
        self._desc = False
        # The line being split: bytes so far, where it starts, its number.
        self._pending = bytearray()
        self._pending_offset = 0
        self._line_no = 1
        self._skipping = False  # the current line is too long: dropped up to its newline
        self._taken = 0  # bytes of the current line already read as a whole object

    def restart(self) -> None:
        """The source starts over: forget every line (problems included)."""
        self._reset()
        self.problems = []
        self.problem_count = 0
        self.stale = False

    # -- splitting ----------------------------------------------------------------------

    def feed(self, data: bytes, offset: int) -> None:
        """Take ``data``, which starts at byte ``offset`` of the source."""
        start, size = 0, len(data)
        while start < size:
            newline = data.find(b"\n", start)
            if newline < 0:
                self._hold(data[start:], offset + start)
                return
            if self._skipping:
                self._problem(self._line_no, _too_long())
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
            obj = json.loads(self._decode(text, count=False))
        except (ValueError, RecursionError):
            return
        if isinstance(obj, dict):
            self._complete(bytes(self._pending), self._pending_offset)
            self._taken = len(self._pending)

    def finish(self) -> None:
        """The stream ended: its last line counts, newline or not."""
        if self._skipping:
            self._problem(self._line_no, _too_long())
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
            self._problem(number, _too_long())
            return
        if not line.strip():
            return
        if number == 1 and line.startswith(_BOM):
            line, offset = line[len(_BOM) :], offset + len(_BOM)
        try:
            obj = json.loads(self._decode(line))
        except json.JSONDecodeError as error:
            self._problem(number, f"not JSON ({error.msg} at column {error.colno})")
            return
        except RecursionError:
            self._problem(number, "not JSON (nested too deeply)")
            return
        self._add(obj, number, offset, line)

    def _decode(self, line: bytes, *, count: bool = True) -> str:
        """Invalid UTF-8 is kept, with U+FFFD (said in the debug log when first read)."""
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            if count:
                log.debug("line %d: invalid UTF-8, replaced", self._line_no)
            return line.decode("utf-8", errors="replace")

    # -- records ------------------------------------------------------------------------

    def _add(self, obj: Any, number: int, offset: int, line: bytes) -> None:
        if not isinstance(obj, dict):
            self._problem(number, f"not a log object ({json_kind(obj)})")
            return
        for key in ("id", "timestamp"):
            if key not in obj or obj[key] is None:
                self._problem(number, f'no "{key}"')
                return
        log_id, stamp = obj["id"], obj["timestamp"]
        entry: LogEntry | None = None
        if type(log_id) is str and type(stamp) is str:
            # The usual line: decided here as entry_from_wire decides (everything else in
            # a log is read leniently), without building the entry yet.
            if not log_id.strip():
                self._problem(number, 'empty "id"')
                return
            try:
                ts = parse_timestamp_ms(stamp)
            except (ValueError, OverflowError):
                self._problem(number, f"log {log_id}: unreadable timestamp {stamp[:40]!r}")
                return
        else:
            try:
                entry = entry_from_wire(obj)
            except UnreadableBody as error:
                self._problem(number, error.detail or str(error))
                return
            except OverflowError:
                self._problem(number, f"log {log_id}: unreadable timestamp")
                return
            log_id, ts = wire_text(obj, "log_id") or entry.id, entry.timestamp_ms
        texts = wire_texts(obj)
        intern = self._intern.setdefault
        values = tuple(
            [
                text if unique else intern(text, text)
                for text, unique in zip(texts, _UNIQUE_AT, strict=True)
            ]
        )
        self._seq += 1
        rec = _Rec(
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
        if len(log_id) > 500 or not log_id.isprintable():
            self._shown[clean(log_id, max_len=500)] = log_id
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
            live.sort(key=_KEY)
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
                    _remove_sorted(recs, rec)
                for rec in new:
                    if accepts is None or accepts(rec):
                        bisect.insort(recs, rec, key=_KEY)
        else:
            for recs, accepts in lists:
                kept = [rec for rec in recs if rec.alive]
                kept += new if accepts is None else [rec for rec in new if accepts(rec)]
                kept.sort(key=_KEY)  # two sorted runs: a merge
                recs[:] = kept
        for rec in gone:
            rec.placed = False
        for rec in new:
            rec.placed = True

    def drop(self, recs: list[_Rec]) -> None:
        for rec in recs:
            if self.by_id.get(rec.id) is rec:
                del self.by_id[rec.id]
            rec.alive = False
            self._removed.append(rec)
        self.commit()

    def find(self, log_id: str) -> _Rec | None:
        rec = self.by_id.get(log_id)
        if rec is None and log_id in self._shown:
            rec = self.by_id.get(self._shown[log_id])
        return rec

    def __len__(self) -> int:
        return len(self.by_id)

    # -- answering --------------------------------------------------------------------

    def matching(self, filters: tuple[Filter, ...]) -> list[_Rec]:
        """The logs ``filters`` let through, oldest first (shared: never change it)."""
        if not filters:
            return self._order
        match = self._matches.get(filters)
        if match is None:
            accepts = _accepter(filters)
            match = _Match(accepts, [rec for rec in self._order if accepts(rec)])
            self._matches[filters] = match
            if len(self._matches) > MATCH_CACHE:
                self._matches.popitem(last=False)
        else:
            self._matches.move_to_end(filters)
        return match.recs

    def entry(self, rec: _Rec, read: Callable[[_Rec], bytes]) -> LogEntry | None:
        """The LogEntry for ``rec``; None (and a problem) when its line no longer reads."""
        cached = self._entries.get(rec.seq)
        if cached is not None:
            self._entries.move_to_end(rec.seq)
            return cached
        obj = self.object(rec, read)
        if obj is None:
            return None
        try:
            entry = entry_from_wire(obj)
        except (UnreadableBody, OverflowError) as error:
            detail = error.detail if isinstance(error, UnreadableBody) else None
            self._problem(rec.line, detail or str(error))
            return None
        self._remember(rec, entry)
        return entry

    def object(self, rec: _Rec, read: Callable[[_Rec], bytes]) -> dict[str, Any] | None:
        """The JSON object of ``rec``'s line, read again (None and a problem when the
        file changed under it: then it is read again from the start)."""
        line = rec.blob if rec.blob is not None else read(rec)
        try:
            obj = json.loads(self._decode(line, count=False))
        except (ValueError, RecursionError):
            obj = None
        if not isinstance(obj, dict) or wire_text(obj, "log_id") != rec.id:
            self.stale = True
            self._problem(rec.line, "changed since it was read; reading the file again")
            return None
        return obj

    def _remember(self, rec: _Rec, entry: LogEntry) -> None:
        self._entries[rec.seq] = entry
        if len(self._entries) > ENTRY_CACHE:
            self._entries.popitem(last=False)

    # -- problems ---------------------------------------------------------------------

    def _problem(self, number: int, what: str) -> None:
        message = clean(f"line {number}: {what}", max_len=300)
        log.warning("skipped %s", message)
        self.problem_count += 1
        if len(self.problems) < KEPT_PROBLEMS:
            self.problems.append(message)
        if len(self._unreported) < SKIPPED_PER_PAGE:
            self._unreported.append(message)
        else:
            self._unlisted += 1

    def note(self, message: str) -> None:
        """A problem of the source rather than of one line."""
        message = clean(message, max_len=300)
        log.warning("%s", message)
        self.problem_count += 1
        if len(self.problems) < KEPT_PROBLEMS:
            self.problems.append(message)
        self._unreported.append(message)

    def take_unreported(self) -> list[str]:
        skipped, self._unreported = self._unreported, []
        if self._unlisted:
            skipped.append(f"and {self._unlisted} more unreadable lines")
            self._unlisted = 0
        return skipped


# -- where the bytes come from ----------------------------------------------------------


class _Feed(Protocol):
    restarts: int

    def pull(self, index: _Index) -> None: ...

    def read(self, rec: _Rec) -> bytes: ...

    def close(self) -> None: ...

    def wait_end(self) -> None: ...

    @property
    def ended(self) -> bool: ...


def _cannot_read(shown: str, error: OSError) -> FileReadError:
    why = error.strerror or str(error)
    return FileReadError(detail=f"{shown}: {why}")


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


class _FileFeed:
    """A regular file, read from where the last pull stopped."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path, self.shown = path, shown
        self._file = self._open()
        self._identity = _identity(os.fstat(self._file.fileno()))
        self._offset = 0
        self.restarts = 0

    def _open(self) -> IO[bytes]:
        try:
            return open(self.path, "rb", buffering=0)  # kept open; close() closes it
        except OSError as error:
            raise _cannot_read(self.shown, error) from None

    def pull(self, index: _Index) -> None:
        if self._file.closed:
            return
        restart = index.stale
        try:
            current = os.stat(self.path)
        except FileNotFoundError:
            current = None  # deleted, or about to be replaced: read on what is open
        except OSError as error:
            raise _cannot_read(self.shown, error) from None
        if current is not None and _identity(current) != self._identity:
            replacement = self._open()
            self._file.close()
            self._file = replacement
            self._identity = _identity(os.fstat(replacement.fileno()))
            restart = True
        try:
            size = os.fstat(self._file.fileno()).st_size
            if size < self._offset:
                restart = True  # truncated (or rewritten shorter)
            if restart:
                log.info("%s shrank or was replaced: reading it from the start", self.shown)
                self.restarts += 1
                self._offset = 0
                index.restart()
            while self._offset < size:
                self._file.seek(self._offset)
                data = self._file.read(min(READ_CHUNK, size - self._offset))
                if not data:
                    break
                index.feed(data, self._offset)
                self._offset += len(data)
        except OSError as error:
            raise _cannot_read(self.shown, error) from None
        index.settle()

    def read(self, rec: _Rec) -> bytes:
        try:
            self._file.seek(rec.offset)
            return self._file.read(rec.length) or b""
        except OSError as error:
            raise _cannot_read(self.shown, error) from None

    def close(self) -> None:
        self._file.close()

    def wait_end(self) -> None:
        """A file has no end to wait for: what is in it now is read on the next pull."""

    ended = False  # a file may always grow


class _StreamFeed:
    """A pipe or terminal (stdin), drained by a daemon thread into a buffer."""

    restarts = 0

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self.name = name
        self._stream = stream
        try:
            self._fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self._fd = None
        self._buffer = bytearray()
        self._guard = threading.Lock()
        self._eof = False
        self._error: OSError | None = None
        self._ended = False  # the index has been told the stream ended
        self._offset = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drain, name=f"toolwatch-{name}", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        selecting = self._fd is not None
        try:
            while not self._stop.is_set():
                if selecting:
                    assert self._fd is not None
                    try:
                        ready, _, _ = select.select([self._fd], [], [], STREAM_WAKE_S)
                    except (OSError, ValueError):
                        selecting = False  # not selectable here (Windows): plain reads
                        continue
                    if not ready:
                        continue
                    data = os.read(self._fd, STREAM_READ)
                else:
                    read1 = getattr(self._stream, "read1", None)
                    data = (
                        read1(STREAM_READ) if read1 is not None else self._stream.read(STREAM_READ)
                    )
                if not data:
                    break
                with self._guard:
                    self._buffer += data
        except (OSError, ValueError) as error:
            with self._guard:
                self._error = error if isinstance(error, OSError) else OSError(str(error))
        finally:
            with self._guard:
                self._eof = True

    def pull(self, index: _Index) -> None:
        with self._guard:
            data, self._buffer = bytes(self._buffer), bytearray()
            eof, error, self._error = self._eof, self._error, None
        if data:
            index.feed(data, self._offset)
            self._offset += len(data)
        if error is not None and not self._stop.is_set():
            index.note(f"{self.name}: reading stopped: {error.strerror or error}")
        if eof and not self._ended:
            self._ended = True
            index.finish()
        elif not eof:
            index.settle()

    def read(self, rec: _Rec) -> bytes:
        return rec.blob or b""

    def wait_end(self) -> None:
        self._thread.join()

    @property
    def ended(self) -> bool:
        """The stream has ended and all of it has been read into the index."""
        return self._ended

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * STREAM_WAKE_S)
        with contextlib.suppress(OSError):
            self._stream.close()


# -- the source ---------------------------------------------------------------------------


class FileSource:
    """Composio logs from a JSON-lines file (``FileSource(path)``) or a stream
    (``FileSource.from_stream(fileobj)``), answered as the Logs API answers."""

    _feed: _Feed
    _index: _Index
    _description: str

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        shown = str(path)
        try:
            info = os.stat(path)
        except OSError as error:
            raise _cannot_read(shown, error) from None
        if stat.S_ISDIR(info.st_mode):
            raise FileReadError(detail=f"{shown} is a directory")
        if stat.S_ISREG(info.st_mode):
            self._setup(_FileFeed(path, shown), f"file {path.name}", keep_lines=False)
            return
        # A pipe or device by name (a FIFO, /dev/stdin, <(command)): read as a stream.
        try:
            stream = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by aclose()
        except OSError as error:
            raise _cannot_read(shown, error) from None
        self._setup(_StreamFeed(stream, path.name), f"file {path.name}", keep_lines=True)

    @classmethod
    def from_stream(cls, stream: IO[bytes], name: str = "stdin") -> FileSource:
        """Logs from a binary stream (``os.fdopen(os.dup(0), "rb")`` for stdin), read
        by a daemon thread from now on; ``aclose`` stops it and closes the stream."""
        self = cls.__new__(cls)
        self._setup(_StreamFeed(stream, name), name, keep_lines=True)
        return self

    def _setup(self, feed: _Feed, description: str, *, keep_lines: bool) -> None:
        self._feed = feed
        self._description = description
        self._index = _Index(keep_lines=keep_lines)
        self._lock = threading.Lock()
        self._closed = False

    def __repr__(self) -> str:
        return f"FileSource({self._description!r})"

    @property
    def description(self) -> str:
        return self._description

    @property
    def problems(self) -> list[str]:
        """What was skipped and why, one line each (the first ``KEPT_PROBLEMS``), since
        the source was last read from its start."""
        return list(self._index.problems)

    @property
    def problem_count(self) -> int:
        return self._index.problem_count

    @property
    def restarts(self) -> int:
        """How often the file shrank or was replaced and was read again from its start
        (the entries it showed before may be gone)."""
        return self._feed.restarts

    def __len__(self) -> int:
        """How many logs have been read (distinct ids)."""
        return len(self._index)

    # -- LogSource ----------------------------------------------------------------------

    async def list_logs(
        self, query: LogQuery, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
    ) -> LogPage:
        """One page, as the Logs API would list it for ``query`` (its words aside)."""
        # What the client would send: a bad limit is the client's QueryError, and an
        # open-ended range is closed with the clock now.
        body = query.to_api_body(limit=limit, cursor=cursor)
        page = 1 if cursor is None else decode_cursor(cursor)
        _check_filters(query.filters)
        time_range = body.get("time_range")
        bounds = None if time_range is None else (time_range["from"], time_range["to"])
        return await asyncio.to_thread(self._list, query.filters, bounds, limit, page)

    def _list(
        self, filters: tuple[Filter, ...], bounds: tuple[int, int] | None, limit: int, page: int
    ) -> LogPage:
        with self._lock:
            self._refresh()
            index = self._index
            recs = index.matching(filters)
            lo, hi = 0, len(recs)
            if bounds is not None:
                lo = bisect.bisect_left(recs, bounds[0], key=_TS)
                hi = bisect.bisect_right(recs, bounds[1], key=_TS)
            newer = hi - lo - (page - 1) * limit
            chosen: list[_Rec] = []
            next_cursor = None
            if newer > 0:
                older = max(0, newer - limit)
                chosen = recs[lo + older : lo + newer]
                chosen.reverse()
                if older > 0:
                    next_cursor = encode_cursor(page + 1)
            entries: list[LogEntry] = []
            unreadable: list[_Rec] = []
            for rec in chosen:
                entry = index.entry(rec, self._feed.read)
                if entry is None:
                    unreadable.append(rec)
                else:
                    entries.append(entry)
            if unreadable:
                index.drop(unreadable)  # reported now, never listed again
            return LogPage(entries, next_cursor, index.take_unreported())

    @property
    def ended(self) -> bool:
        """A stream (a pipe) has ended and every line of it has been read; a file never
        ends (it may grow)."""
        return self._feed.ended

    async def read_to_end(self) -> None:
        """Wait until a stream has ended (a file has no end to wait for): what `list`
        and `get` need from a pipe, where the screen and `tail` follow it instead."""
        await asyncio.to_thread(self._feed.wait_end)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        with self._lock:
            self._feed.close()

    # -- DetailSource -------------------------------------------------------------------

    async def get_detail(self, log_id: str) -> WireLogDetail:
        """The detail as the line holds it (a list item is a detail without its extras)."""
        obj = await asyncio.to_thread(self._object, log_id)
        try:
            return WireLogDetail.model_validate(obj)
        except ValidationError as error:
            raise UnreadableBody(
                detail=f"the log detail is not readable: {summarize_errors(error)}"
            ) from None

    async def get_trace(self, log_id: str) -> WireTrace:
        """The per-step log a line carries under ``"trace"`` (A.5); files rarely do."""
        obj = await asyncio.to_thread(self._object, log_id)
        trace = obj.get("trace")
        if trace is None:
            raise NotFoundError(
                detail=f"{self._description} holds no per-step log for this call",
                hint='A log line carries its per-step log only under a "trace" key.',
            )
        if not isinstance(trace, dict):
            raise UnreadableBody(
                detail=f'"trace" should be an object, not {json_kind(trace)}',
                hint="Fix that line of the file, or drop its trace.",
            )
        try:
            return WireTrace.model_validate(trace)
        except ValidationError as error:
            raise UnreadableBody(
                detail=f"the execution trace is not readable: {summarize_errors(error)}",
                hint="Fix that line of the file, or drop its trace.",
            ) from None

    def _object(self, log_id: str) -> dict[str, Any]:
        if not log_id:
            raise BadRequestError(
                detail="the log id is empty", hint="Pass the id of a log, such as log_-jRTWClpBoVo."
            )
        with self._lock:
            self._refresh()
            rec = self._index.find(log_id)
            obj = None if rec is None else self._index.object(rec, self._feed.read)
        if obj is None:
            raise NotFoundError(
                detail=f"{self._description} has no log with id {log_id!r}",
                hint="Use an id from the list; ids are case-sensitive.",
            )
        return obj

    # -- reading ------------------------------------------------------------------------

    def _refresh(self) -> None:
        """Take in whatever arrived since the last call (under the lock, in a thread)."""
        if self._closed:
            raise RuntimeError(f"{self!r} is closed")
        self._feed.pull(self._index)
        self._index.commit()
