"""FileSource: Composio logs from a JSON-lines file or stream, answered as the Logs API would.

How it answers, mirroring the Logs API as the embedded demo server implements it
(``tui/demo/query.py``, ``tui/demo/api.py``), without sharing its code:

* The request is what the client would send: ``LogQuery.to_api_body`` (so a limit
  outside 1..MAX_LIMIT is the same ``QueryError``, and an open-ended time range is closed
  ``FUTURE_SLACK_MS`` past the clock). Bare words are never sent, so never applied.
* Filters are AND-combined, each ``Filter.accepts`` on the wire's text for its field
  (``tui.models.normalize.wire_text``): exact or substring, case-sensitive, an absent value is "".
  A ``status`` ``==``/``!=`` other than success/failed is refused as the server refuses it.
* The time range is inclusive at both ends; logs are listed newest first (``index``).
* The cursor is the server's (``cursor``); one it cannot read is a ``BadRequestError``.

A file is read incrementally, from where the last call stopped, on every call (follow
when it grows); a stream by a thread (``feed``). All parsing and querying runs in a
worker thread (``asyncio.to_thread``), one call at a time; or, for a command that has no
event loop to keep answering (``blocking=True``: ``list`` and ``get``), in the caller's
thread, so that its awaits never suspend and it runs without asyncio (``tui.cli.command``).

Errors: a path that cannot be opened raises ``FileReadError`` from the constructor ("Cannot
read the log file: cannot read orders.jsonl: No such file or directory"). Unknown ids are
``NotFoundError``; a line whose detail or per-step log cannot be read, ``UnreadableBody``.
"""

from __future__ import annotations

import bisect
import os
import stat
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from tui.constants import DEFAULT_LIMIT
from tui.errors import BadRequestError, NotFoundError, UnreadableBody
from tui.models.entry import LogEntry
from tui.models.loose import json_kind
from tui.query import Filter, LogQuery
from tui.sources.base import LogPage, no_row_logs
from tui.sources.file import backward, scan
from tui.sources.file.cursor import decode_cursor, encode_cursor
from tui.sources.file.feed import Feed, FileFeed, FileReadError, StreamFeed, cannot_read
from tui.sources.file.index import Index
from tui.sources.file.records import BY_TS, Record, check_filters

if TYPE_CHECKING:
    from tui.models.wire import WireLogDetail, WireTrace

T = TypeVar("T")


async def _in_a_thread(work: Callable[..., T], /, *args: Any) -> T:
    # Imported here: asyncio (with logging, ssl and sockets) is a third of the time of
    # `list --file`, which runs without it (``blocking``).
    import asyncio

    return await asyncio.to_thread(work, *args)


async def _here(work: Callable[..., T], /, *args: Any) -> T:
    return work(*args)


def _weakly(method: Callable[..., T]) -> Callable[..., T]:
    """A ``FileSource`` method for its parts to call back, holding the source weakly: a
    cycle through them kept a dropped source's megabytes until a full collection (a
    second 1M-line source peaked at 154 MB, not 110). They call back only from the
    source's own calls, so it is there."""
    held = weakref.WeakMethod(method)

    def call(*args: Any) -> T:
        bound = held()
        assert bound is not None, "a FileSource's part outlived it"
        return bound(*args)

    return call


class FileSource:
    """Composio logs from a JSON-lines file (``FileSource(path)``) or a stream
    (``FileSource.from_stream(fileobj)``), answered as the Logs API answers: a
    ``LogSource``, so LiveTail, the table and the detail pane work on a file unchanged."""

    _feed: Feed
    _index: Index
    _description: str

    def __init__(self, path: str | Path, *, blocking: bool = False) -> None:
        """``blocking``: do the reading in the caller's thread (see the module's doc)."""
        path = Path(path)
        shown = str(path)
        try:
            info = os.stat(path)
        except OSError as error:
            raise cannot_read(shown, error) from None
        if stat.S_ISDIR(info.st_mode):
            raise FileReadError(detail=f"{shown} is a directory")
        if stat.S_ISREG(info.st_mode):
            feed = FileFeed(path, shown)
            self._setup(feed, f"file {path.name}", keep_lines=False, blocking=blocking)
            feed.on_start = _weakly(self._start_scan)
            return
        # A pipe or device by name (a FIFO, /dev/stdin, <(command)): read as a stream.
        try:
            stream = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by aclose()
        except OSError as error:
            raise cannot_read(shown, error) from None
        stream_feed = StreamFeed(stream, path.name)
        self._setup(stream_feed, f"file {path.name}", keep_lines=True, blocking=blocking)

    @classmethod
    def from_stream(
        cls, stream: IO[bytes], name: str = "stdin", *, blocking: bool = False
    ) -> FileSource:
        """Logs from a binary stream (``os.fdopen(os.dup(0), "rb")`` for stdin), read
        by a daemon thread from now on; ``aclose`` stops it and closes the stream."""
        self = cls.__new__(cls)
        self._setup(StreamFeed(stream, name), name, keep_lines=True, blocking=blocking)
        return self

    def _setup(self, feed: Feed, description: str, *, keep_lines: bool, blocking: bool) -> None:
        self._off_loop = _here if blocking else _in_a_thread
        self._feed = feed
        self._description = description
        self._scan: scan.Scan | None = None
        self._lines_before: int | None = None
        self._index = Index(keep_lines=keep_lines, lines_before=_weakly(self._count_lines_before))
        self._lock = threading.Lock()
        self._closed = False

    def _start_scan(self, fd: int, size: int) -> int:
        """A large file written oldest first is answered from its end (``scan``): the
        index reads only what comes after the last whole line; where that starts."""
        if self._scan is not None:
            self._scan.close()
        self._scan, self._lines_before = None, None
        if size < scan.SCAN_FROM_BYTES or not backward.runs_oldest_first(fd, size):
            return 0
        end = backward.last_line_end(fd, size)
        index = self._index
        self._scan = scan.Scan(fd, end, index.line_problem, _weakly(self._read_later))
        return end

    def _read_later(self) -> dict[str, Record]:
        return self._index.by_id

    def _count_lines_before(self) -> int:
        """Lines before the point the index starts at (counted once, when a problem
        is first said: a file answered from its end numbers its lines from there)."""
        if self._scan is None:
            return 0
        if self._lines_before is None:
            self._lines_before = backward.count_newlines(self._feed_fd(), 0, self._scan.end)
        return self._lines_before

    def _feed_fd(self) -> int:
        assert isinstance(self._feed, FileFeed)
        return self._feed.fd

    @property
    def progress(self) -> tuple[int, int] | None:
        """While a large file is read from its end: (lines read, about how many lines
        it has); None once every line is read (or for a small file or a stream)."""
        found = self._scan
        if found is None or found.done:
            return None
        grown = len(self._index)
        return found.passed + grown, found.estimate() + grown

    @property
    def progress_text(self) -> str | None:
        """``progress`` as a title says it: "indexed 420,000 of ~1,000,000 lines"."""
        progress = self.progress
        if progress is None:
            return None
        read, about = progress
        return f"indexed {read:,} of ~{max(read, about):,} lines"

    @property
    def reads_logs(self) -> bool:
        return False  # a line is the whole of a log

    async def read_log(self, log_id: str, offset: int = 0) -> tuple[list[str], int, int | None]:
        raise no_row_logs(self._description)

    async def usage_tool_calls(self, from_ms: int, to_ms: int) -> int | None:
        return None  # a file has no count but its lines

    def filtered_note(self, query: LogQuery) -> str:
        return ""  # the query is applied to the whole file, as it is read

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
        found = self._scan
        return len(self._index) + (0 if found is None else found.listed())

    # -- LogSource: listing --------------------------------------------------------------

    async def list_logs(
        self, query: LogQuery, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
    ) -> LogPage:
        """One page, as the Logs API would list it for ``query`` (its words aside)."""
        # What the client would send: a bad limit is the client's QueryError, and an
        # open-ended range is closed with the clock now.
        body = query.to_api_body(limit=limit, cursor=cursor)
        page = 1 if cursor is None else decode_cursor(cursor)
        check_filters(query.filters)
        time_range = body.get("time_range")
        bounds = None if time_range is None else (time_range["from"], time_range["to"])
        return await self._off_loop(self._list, query.filters, bounds, limit, page)

    def _list(
        self, filters: tuple[Filter, ...], bounds: tuple[int, int] | None, limit: int, page: int
    ) -> LogPage:
        with self._lock:
            self._refresh()
            if self._scan is not None:
                return self._list_scan(self._scan, filters, bounds, limit, page)
            index = self._index
            recs = index.matching(filters)
            lo, hi = _within(recs, bounds)
            newer = hi - lo - (page - 1) * limit
            chosen: list[Record] = []
            next_cursor = None
            if newer > 0:
                older = max(0, newer - limit)
                chosen = recs[lo + older : lo + newer]
                chosen.reverse()
                if older > 0:
                    next_cursor = encode_cursor(page + 1)
            entries: list[LogEntry] = []
            unreadable: list[Record] = []
            for rec in chosen:
                entry = index.entry(rec, self._feed.read)
                if entry is None:
                    unreadable.append(rec)
                else:
                    entries.append(entry)
            if unreadable:
                index.drop(unreadable)  # reported now, never listed again
            return LogPage(entries, next_cursor, index.take_unreported())

    def _list_scan(
        self,
        found: scan.Scan,
        filters: tuple[Filter, ...],
        bounds: tuple[int, int] | None,
        limit: int,
        page: int,
    ) -> LogPage:
        """A page of a file answered from its end: the lines added since it was opened
        (the index's, newest), then the lines before, read back as far as needed."""
        index = self._index
        recs = index.matching(filters)
        lo, hi = _within(recs, bounds)
        grown: list[Record | int] = list(reversed(recs[lo:hi][-(page * limit + 1) :]))
        want = page * limit + 1 - len(grown)
        rows = grown + (found.matching(filters, bounds, want) if want > 0 else [])
        rows_shown = rows[(page - 1) * limit : page * limit]
        next_cursor = encode_cursor(page + 1) if len(rows) > page * limit else None
        entries: list[LogEntry] = []
        unreadable: list[Record] = []
        for row in rows_shown:
            entry = self._scan_entry(found, row) if isinstance(row, int) else None
            if isinstance(row, Record):
                entry = index.entry(row, self._feed.read)
                if entry is None:
                    unreadable.append(row)
            if entry is not None:
                entries.append(entry)
        if unreadable:
            index.drop(unreadable)
        if found.stale:
            index.stale = True
        return LogPage(entries, next_cursor, index.take_unreported())

    def _scan_entry(self, found: scan.Scan, line: int) -> LogEntry | None:
        entry = found.entry(line)
        if isinstance(entry, LogEntry):
            return entry
        if entry is not None:
            # Not a log the client could list, or changed since it was read: said with
            # its line number (counted from where the index starts), never listed again.
            found.kill(line)
            self._index.line_problem(found.number(line), entry)
        return None

    @property
    def ended(self) -> bool:
        """A stream (a pipe) has ended and every line of it has been read; a file never
        ends (it may grow)."""
        return self._feed.ended

    async def read_to_end(self) -> None:
        """Wait until a stream has ended (a file has no end to wait for): what `list`
        and `get` need from a pipe, where the screen and `tail` follow it instead."""
        await self._off_loop(self._feed.wait_end)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._scan is not None:
            self._scan.stop()  # a pass going on holds the lock till it ends
        await self._off_loop(self._close)

    def _close(self) -> None:
        with self._lock:
            self._feed.close()
            self._index.close()
            if self._scan is not None:
                self._scan.close()

    # -- LogSource: one log ------------------------------------------------------------

    async def get_detail(self, log_id: str) -> WireLogDetail:
        """The detail as the line holds it (a list item is a detail without its extras)."""
        return await self._off_loop(self._detail, log_id)

    async def get_trace(self, log_id: str) -> WireTrace:
        """The per-step log a line carries under ``"trace"`` (A.5); files rarely do."""
        return await self._off_loop(self._trace, log_id)

    # In the worker thread, with the import of the pydantic models: the screen has no use
    # for them until a detail opens, and importing them takes 0.3 s.

    def _detail(self, log_id: str) -> WireLogDetail:
        from pydantic import ValidationError

        from tui.models.wire import WireLogDetail, summarize_errors

        obj = self._object(log_id)
        try:
            return WireLogDetail.model_validate(obj)
        except ValidationError as error:
            raise UnreadableBody(
                detail=f"the log detail is not readable: {summarize_errors(error)}"
            ) from None

    def _trace(self, log_id: str) -> WireTrace:
        from pydantic import ValidationError

        from tui.models.wire import WireTrace, summarize_errors

        trace = self._object(log_id).get("trace")
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
            if rec is None and self._scan is not None:
                obj = self._scan.find(log_id)
                self._index.stale = self._index.stale or self._scan.stale
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
        found = self._scan
        if found is not None:
            for rec in self._index.arrived():  # a later line with the same id wins
                line = found.line_of(rec.id)
                if line >= 0:
                    found.kill(line)
        self._index.commit()


def _within(recs: list[Record], bounds: tuple[int, int] | None) -> tuple[int, int]:
    """The stretch of ``recs`` (oldest first) inside the time range ``bounds``."""
    if bounds is None:
        return 0, len(recs)
    return bisect.bisect_left(recs, bounds[0], key=BY_TS), bisect.bisect_right(
        recs, bounds[1], key=BY_TS
    )
