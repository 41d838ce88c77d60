"""A Buddy action's log as the detail pane's Log tab follows it (buddy-contract.md A.5).

The Log tab reads the action's lines by offset (A.5 ``…/logs?offset=&limit=``, or the
inline ``log[]`` of the details where that endpoint is missing: ``BuddySource.read_log``)
every poll interval while the action runs (and the tail is not paused: nothing is read
then), from the offset after the last line it holds.
``read_chunk`` is one such read; ``FollowedLog`` holds what was read: it takes a chunk
only from where it stands (an answer that starts before it loses the lines it already
has, so no line is ever held twice), keeps at most ``max_lines`` (the earliest dropped
first, and counted), and knows when the action has finished and nothing more will come.

The tab's INFERRED tail algorithm is the contract's: keep ``next = offset +
element_count``; read again while the action's status is not final; stop once it is
final and everything up to ``total_element_count`` has been read.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Final

from tui.errors import ApiError, NotFoundError
from tui.redact import redact_text
from tui.sanitize import clean
from tui.session.calls import Calls
from tui.sources.buddy.rows import UNFINISHED
from tui.store import LogStore

MAX_LOG_LINES: Final = 5_000  # lines of one action's log held by the Log tab
MAX_LINE_CHARS: Final = 2_000  # of one line, on screen


@dataclass(frozen=True)
class LogChunk:
    """One read of an action's log: ``lines`` from ``start``; ``next_offset`` the line
    after them; ``finished`` when the action had ended before the read and every line
    said to exist was read (nothing more will come); ``error`` when the read failed."""

    log_id: str
    start: int
    lines: tuple[str, ...]
    next_offset: int
    finished: bool
    more: bool = False  # more lines are said to be there already: read again at once
    error: ApiError | None = None
    paused: bool = False  # not read: the tail is paused (p)

    @property
    def gone(self) -> bool:
        """The action (or its log) is not there: reading again will not help."""
        return isinstance(self.error, NotFoundError)


def shown_line(line: str) -> str:
    """A log line as the Log tab draws it: credentials masked by the one policy
    (``tui.redact``), control characters and escapes made inert (``tui.sanitize``)."""
    return clean(redact_text(line), max_len=MAX_LINE_CHARS)


async def read_chunk(calls: Calls, store: LogStore, log_id: str, offset: int) -> LogChunk:
    """The action's lines from ``offset``. Its status is read first (the row as the tail
    last stored it): a log read after the action ended holds all of its lines."""
    if calls.paused:
        return LogChunk(log_id, offset, (), offset, finished=False, paused=True)
    entry = store.entry_by_id(log_id)
    ended = entry is not None and entry.status not in UNFINISHED
    try:
        lines, next_offset, total = await calls.read_log(log_id, offset)
    except ApiError as error:
        return LogChunk(log_id, offset, (), offset, finished=False, error=error)
    start = next_offset - len(lines)
    complete = total is None or next_offset >= total
    return LogChunk(
        log_id,
        start,
        tuple(shown_line(line) for line in lines),
        next_offset,
        finished=ended and complete and not (total is None and lines),
        more=not complete and bool(lines),
    )


class FollowedLog:
    """The lines of one action's log held for the Log tab (see the module doc)."""

    def __init__(self, log_id: str, *, max_lines: int = MAX_LOG_LINES) -> None:
        self.log_id = log_id
        self.lines: deque[str] = deque(maxlen=max_lines)
        self.dropped = 0  # earlier lines no longer held
        self.offset = 0  # the offset of the next line to read
        self.finished = False
        self.error: ApiError | None = None
        self.paused = False

    @property
    def read(self) -> int:
        """Every line read so far, held or dropped."""
        return self.offset

    def add(self, chunk: LogChunk) -> int:
        """Take ``chunk``'s lines not held yet; how many were added."""
        if chunk.log_id != self.log_id or self.finished:
            return 0
        self.error, self.paused = chunk.error, chunk.paused
        if chunk.error is not None:
            self.finished = chunk.gone
            return 0
        skip = max(0, self.offset - chunk.start)
        fresh = chunk.lines[skip:]
        room = self.lines.maxlen or 0
        self.dropped += max(0, len(self.lines) + len(fresh) - room)
        self.lines.extend(fresh)
        self.offset = max(self.offset, chunk.next_offset)
        self.finished = chunk.finished
        return len(fresh)
