"""LiveTail: every log of a query, each delivered once, for the TUI and headless `tail`.

The Logs API lists newest first with a page-numbered cursor (api-contract.md A.2), so
pages shift while logs arrive, and a store like Composio's makes logs visible late, at
their own timestamp, below logs already listed. ``head`` is the newest timestamp read so
far; one poll is a walk in two parts, each newest first:

* **Head.** Page 1 of ``[head - lag, ∞)``, then the rest pinned to the closed range
  ``[head - lag, lowest on page 1]``: logs arriving during a long walk cannot shift its
  pages, and late ones landing inside it only push rows down (read twice, dropped here
  by id), never past the walk. It reads every new log and then looks back below the old
  head for late arrivals: all the way down to ``head - lag`` when that takes at most
  ``RECHECK_PAGES`` pages (the usual case: a late log shows on the next poll), otherwise
  only that far.
* **Sweep.** Whatever the head walk did not look back over is read once more when it
  has settled, i.e. when the server's clock has moved ``lag`` past it (estimated from
  the head, or from our clock less ``lag`` when traffic is quiet), so any log visible at
  most ``lag`` late is caught whatever the traffic. Each stretch of time is so read about
  twice, not ``lag / interval`` times, which keeps busy projects inside rate limits.

Both parts are bounded (``max_pages``). A walk cut short reports the stretch it did not
read as a `Gap` instead of hiding it, and `fill_gap` loads it. A failed request leaves
the walk where it was: the next poll retries that page, and the logs read before the
failure are delivered with the poll that completes the walk.

Dedupe keeps ids only for the re-read window (older ids cannot come back from a poll),
so memory stays flat however long the tail runs. It is plain asyncio with an
injectable clock, sleep and random source, and never imports Textual.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from dataclasses import dataclass, field

from tui.config import DEFAULT_LAG_S
from tui.constants import MAX_LIMIT
from tui.errors import ApiError, RateLimitedError
from tui.models.entry import LogEntry
from tui.query import FUTURE_SLACK_MS, LogQuery, TimeRange
from tui.sources.base import LogPage, LogSource

DEFAULT_MAX_PAGES = 100  # one poll reads at most 10,000 logs before it reports a gap
# Filling a gap is asked for by a person and may read much more than a poll.
GAP_FILL_PAGES = 1_000
# How many pages below the old head a head walk reads looking for late arrivals before
# it leaves the rest of the look-back to the sweep.
RECHECK_PAGES = 3
# Gaps kept for filling; a headless tail never fills them, so the oldest are let go.
MAX_GAPS = 50

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Gap:
    """Logs with timestamps in ``[from_ms, to_ms]`` that a poll could not load in budget.

    From ``new_from_ms`` up, new logs are certainly missing; below it (or throughout,
    when it is None) only the re-check for late logs was skipped."""

    from_ms: int
    to_ms: int
    new_from_ms: int | None = None

    def describe(self, clock: Callable[[int], str]) -> str:
        """One line for a person, times written by ``clock``."""
        if self.new_from_ms is not None:
            return f"logs between {clock(self.new_from_ms)} and {clock(self.to_ms)} not loaded"
        return f"late logs between {clock(self.from_ms)} and {clock(self.to_ms)} may be missing"

    def without(self, from_ms: int, to_ms: int) -> list[Gap]:
        """What is left of this gap once ``[from_ms, to_ms]`` has been loaded."""
        if to_ms < self.from_ms or from_ms > self.to_ms:
            return [self]
        # The edges are kept inclusive: logs sharing the edge millisecond are read again.
        pieces = [(self.from_ms, from_ms)] if self.from_ms < from_ms else []
        pieces += [(to_ms, self.to_ms)] if to_ms < self.to_ms else []
        new = self.new_from_ms
        return [Gap(lo, hi, None if new is None or new > hi else max(new, lo)) for lo, hi in pieces]


@dataclass(frozen=True)
class TailBatch:
    entries: list[LogEntry]  # new to this tail, oldest first
    polled_at: float  # epoch seconds, from the tail's clock
    skipped: list[str] = field(default_factory=list)  # items the source could not read
    gap: Gap | None = None  # a new gap this poll left (also kept in LiveTail.gaps)
    late: int = 0  # how many entries are older than the newest one held before
    more_older: bool | None = None  # whether older logs exist below what was loaded


@dataclass(frozen=True)
class Retrying:
    """A poll failed and will be tried again after ``delay`` seconds."""

    error: ApiError
    delay: float
    at: float  # epoch seconds, when the wait began

    @property
    def resume_at(self) -> float:
        return self.at + self.delay


@dataclass(frozen=True)
class Stopped:
    """A poll failed in a way retrying cannot fix (401, 403, a rejected query)."""

    error: ApiError
    at: float


TailEvent = TailBatch | Retrying | Stopped


class Backoff:
    """Waits between failed polls: ``Retry-After`` as given, else capped exponential.

    The exponential delay doubles from ``base`` to ``cap`` and is jittered downwards by
    up to ``jitter`` of itself, so many clients that failed together do not return in step.
    """

    def __init__(
        self,
        *,
        # Composio's own generated clients start at 0.5 s (api-contract.md A.1).
        base: float = 0.5,
        cap: float = 30.0,
        jitter: float = 0.25,
        retry_after_cap: float = 600.0,
        rng: random.Random | None = None,
    ) -> None:
        self.base = base
        self.cap = cap
        self.jitter = jitter
        # Honour the server's Retry-After exactly, but a reply saying "a day" is not
        # a reason to look dead for a day.
        self.retry_after_cap = retry_after_cap
        self.rng = rng or random.Random()
        self.failures = 0

    def delay_for(self, error: ApiError) -> float:
        self.failures += 1
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(max(0.0, error.retry_after), self.retry_after_cap)
        raw: float = min(self.cap, self.base * 2.0 ** min(self.failures - 1, 30))
        return raw * (1 - self.jitter * self.rng.random())

    def reset(self) -> None:
        self.failures = 0


@dataclass
class _Walk:
    """One poll's pass down the pages; survives failures between polls."""

    query: LogQuery
    floor_ms: int | None  # the look-back's lower bound; None on the very first poll
    old_head_ms: int | None
    phase: str = "head"  # "head": page 1, open-ended; "pinned": the head's closed rest;
    # "sweep": re-reading what has settled since the last sweep
    cursor: str | None = None
    pages: int = 0
    recheck_pages: int = 0  # head pages that reached below the old head
    top_ms: int | None = None  # newest timestamp any page of this walk showed
    low_ms: int | None = None  # oldest timestamp read by the current phase
    sweep_from_ms: int = 0
    settles_to: int | None = None  # LiveTail.settled_ms once this walk completes
    skipped: list[str] = field(default_factory=list)

    def absorb_bounds(self, page: LogPage) -> None:
        stamps = [entry.timestamp_ms for entry in page.entries]
        if stamps:
            if self.top_ms is None or max(stamps) > self.top_ms:
                self.top_ms = max(stamps)
            if self.low_ms is None or min(stamps) < self.low_ms:
                self.low_ms = min(stamps)
        self.skipped += page.skipped


class LiveTail:
    def __init__(
        self,
        source: LogSource,
        query: LogQuery | None = None,
        *,
        page_size: int = MAX_LIMIT,
        lag_s: float = DEFAULT_LAG_S,
        max_pages: int = DEFAULT_MAX_PAGES,
        clock: Callable[[], float] = time.time,
        sleep: Sleep = asyncio.sleep,
        backoff: Backoff | None = None,
        keep_gaps: bool = True,
    ) -> None:
        if not 1 <= page_size <= MAX_LIMIT:
            raise ValueError(f"page_size must be 1..{MAX_LIMIT}, not {page_size}")
        if max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, not {max_pages}")
        self.source = source
        self.query = query or LogQuery()
        # Every page of one walk must be asked for with the same limit: the cursor is
        # a page number, and pages of another size would overlap or skip.
        self.page_size = page_size
        self.lag_ms = max(0, round(lag_s * 1000))
        self.max_pages = max_pages
        self.clock = clock
        self.sleep = sleep
        self.backoff = backoff or Backoff()
        self.polls = 0
        self.head_ms: int | None = None  # newest timestamp a completed walk has read
        # The oldest log of the first page when more lay below it: polls never look back
        # past it (those logs are older than what the tail started from; backfill's job).
        self._start_ms: int | None = None
        # Everything stamped at or below this has been read after it settled.
        self.settled_ms: int | None = None
        self.oldest_ms: int | None = None  # oldest timestamp delivered
        # Ids delivered at exactly oldest_ms: backfill's range includes that millisecond
        # (neighbours may share it) and the dedupe window may have forgotten them.
        self._oldest_ids: set[str] = set()
        self.more_older: bool | None = None  # None: not known yet
        self.gaps: list[Gap] = []
        # Whether gaps are kept for fill_gap: a headless tail only reports them, and the
        # ids it would keep for each grow with it.
        self.keep_gaps = keep_gaps
        # Ids delivered inside each open gap's range: the dedupe window forgets them as
        # it moves on, and filling the gap reads them again.
        self._gap_ids: dict[Gap, set[str]] = {}
        self._seen: dict[str, int] = {}  # id -> timestamp, for the re-read window only
        self._pending: dict[str, LogEntry] = {}  # read by an unfinished walk, not delivered
        self._walk: _Walk | None = None
        self._older_cursor: str | None = None
        self._older_to_ms: int | None = None

    # -- polling --------------------------------------------------------------------

    async def poll(self) -> TailBatch:
        """Walk once (see the module doc); raises the source's ApiError, keeping its place."""
        walk = self._walk or self._start_walk()
        self._walk = walk
        gap: Gap | None = None
        while True:
            page = await self.source.list_logs(walk.query, limit=self.page_size, cursor=walk.cursor)
            # An answer is progress: the next failure starts the backoff from its base.
            self.backoff.reset()
            walk.pages += 1
            walk.absorb_bounds(page)
            self._hold(page.entries, self._pending)
            if walk.floor_ms is None:
                # The first poll shows the newest page; older pages are backfill's job.
                self.more_older = page.next_cursor is not None and bool(page.entries)
                if self.more_older:
                    self._start_ms = walk.low_ms
                break
            if walk.phase == "sweep":
                if page.next_cursor is None or not page.entries:
                    break
                if walk.pages >= self.max_pages:
                    gap = self._add_gap(walk.sweep_from_ms, walk.low_ms, None)
                    break
                walk.cursor = page.next_cursor
                continue
            done = page.next_cursor is None or not page.entries
            old_head = walk.old_head_ms or 0
            walk.recheck_pages += any(e.timestamp_ms < old_head for e in page.entries)
            if done:
                walk.settles_to = self._settled(walk)
            elif walk.recheck_pages >= RECHECK_PAGES:
                assert walk.low_ms is not None
                if self._start_sweep(walk, walk.low_ms):
                    continue
            elif walk.pages >= self.max_pages:
                assert walk.low_ms is not None
                gap = self._add_gap(walk.floor_ms, walk.low_ms, walk.old_head_ms)
                walk.settles_to = self._settled(walk)
            elif walk.phase == "head":
                # Pin the rest to what page 1 showed: arrivals cannot shift these pages.
                assert walk.low_ms is not None
                walk.query = self._ranged(walk.floor_ms, walk.low_ms)
                walk.phase, walk.cursor = "pinned", None
                continue
            else:
                walk.cursor = page.next_cursor
                continue
            break
        self._walk = None
        self.polls += 1
        if walk.top_ms is not None and (self.head_ms is None or walk.top_ms > self.head_ms):
            self.head_ms = walk.top_ms
        if walk.floor_ms is None and self.head_ms is not None:
            walk.settles_to = self._settled(walk)
        if walk.settles_to is not None:
            self.settled_ms = walk.settles_to
        entries = list(self._pending.values())
        self._pending = {}
        batch = self._deliver(entries, walk.skipped, gap=gap, old_head=walk.old_head_ms)
        self._forget_below_window()
        return batch

    def _start_walk(self) -> _Walk:
        if self.head_ms is None:
            own = self.query.time_range
            # Never the words (they are searched for locally); an open-ended range is
            # closed with this tail's clock, as every later walk's is.
            query = self.query.server_part if own is None else self._ranged(own.from_ms, None)
            return _Walk(query=query, floor_ms=None, old_head_ms=None)
        floor = self.head_ms - self.lag_ms
        if self._start_ms is not None:
            floor = max(floor, self._start_ms)
        return _Walk(query=self._ranged(floor, None), floor_ms=floor, old_head_ms=self.head_ms)

    def _settled(self, walk: _Walk) -> int:
        """Settled after this walk read down to the old settled mark: a log stamped at
        or below ``server_now - lag`` was visible by then if it was at most ``lag`` late.

        The server's clock is at least the newest timestamp it showed. When traffic is
        quiet that stands still, so our own clock, less ``lag`` for skew, stands in."""
        top = walk.top_ms if walk.top_ms is not None else self.head_ms
        assert top is not None
        server_now = max(top, int(self.clock() * 1000) - self.lag_ms)
        settled = server_now - self.lag_ms
        for mark in (self.settled_ms, self._start_ms):
            if mark is not None:
                settled = max(settled, mark)
        return settled

    def _start_sweep(self, walk: _Walk, head_read_down_to: int) -> bool:
        """Turn the walk into the sweep of what settled unread; False when nothing did."""
        start = self.settled_ms
        assert start is not None
        settled = self._settled(walk)
        if head_read_down_to <= start:
            walk.settles_to = settled  # the head walk read down past the mark: all counts
            return False
        end = min(head_read_down_to, settled)
        if end < start:
            return False  # nothing below what it read has settled yet
        walk.query = self._ranged(start, end)
        walk.phase, walk.cursor, walk.pages = "sweep", None, 0
        walk.sweep_from_ms, walk.low_ms = start, None
        walk.settles_to = settled
        return True

    def _add_gap(self, from_ms: int, low_ms: int | None, new_from_ms: int | None) -> Gap:
        """Report ``[from_ms, low_ms]`` as not read; overlapping gaps become one."""
        to_ms = max(from_ms, low_ms if low_ms is not None else from_ms)
        if new_from_ms is not None and new_from_ms >= to_ms:
            new_from_ms = None  # the cut came below the old head: only late logs missed
        gap = Gap(from_ms, to_ms, new_from_ms)
        if not self.keep_gaps:
            return gap
        held = {**self._seen, **{k: e.timestamp_ms for k, e in self._pending.items()}}
        ids = {key for key, ts in held.items() if gap.from_ms <= ts <= gap.to_ms}
        # Successive cut-short walks overlap: keep one gap for one stretch of time.
        for other in [g for g in self.gaps if g.from_ms <= gap.to_ms and gap.from_ms <= g.to_ms]:
            self.gaps.remove(other)
            ids |= self._gap_ids.pop(other, set())
            news = [n for n in (gap.new_from_ms, other.new_from_ms) if n is not None]
            gap = Gap(
                min(gap.from_ms, other.from_ms),
                max(gap.to_ms, other.to_ms),
                min(news) if news else None,
            )
        self._gap_ids[gap] = ids
        self.gaps.append(gap)
        if len(self.gaps) > MAX_GAPS:
            self._gap_ids.pop(self.gaps.pop(0), None)
        return gap

    async def run(self, interval: float) -> AsyncGenerator[TailEvent, None]:
        """Poll every ``interval`` seconds, backing off after failures, until a fatal one.

        Yields each poll's batch, a `Retrying` before every wait after a failure, and a
        final `Stopped` when retrying cannot help. The caller cancels it to stop.
        """
        while True:
            try:
                batch = await self.poll()
            except ApiError as error:
                outcome = self.after_failure(error)
                yield outcome
                if isinstance(outcome, Stopped):
                    return
                await self.sleep(outcome.delay)
                continue
            yield batch
            await self.sleep(interval)

    def after_failure(self, error: ApiError) -> Retrying | Stopped:
        """What to do after a failed poll: wait and retry, or stop (the one place that
        decides, for `run` here and for the TUI's timers)."""
        now = self.clock()
        if not error.retryable:
            return Stopped(error, now)
        return Retrying(error, self.backoff.delay_for(error), now)

    # -- older logs and gaps --------------------------------------------------------

    async def backfill(self) -> TailBatch:
        """The next older page below the oldest log delivered (empty when none is left)."""
        if self.more_older is False or self.oldest_ms is None:
            return TailBatch([], self.clock(), more_older=self.more_older)
        if self._older_to_ms is None:
            # A closed range: logs arriving meanwhile cannot shift these pages.
            self._older_to_ms = self.oldest_ms
            self._older_cursor = None
        floor = self.query.time_range.from_ms if self.query.time_range else 0
        query = self._ranged(floor, self._older_to_ms)
        page = await self.source.list_logs(query, limit=self.page_size, cursor=self._older_cursor)
        fresh: dict[str, LogEntry] = {}
        self._hold([e for e in page.entries if e.id not in self._oldest_ids], fresh)
        self._older_cursor = page.next_cursor
        self.more_older = page.next_cursor is not None and bool(page.entries)
        if not self.more_older:
            self._older_to_ms = None
        return self._deliver(list(fresh.values()), page.skipped, more_older=self.more_older)

    async def fill_gap(self) -> TailBatch:
        """Load the newest gap; what is left of it stays if even this is cut short.

        A poll may run meanwhile and merge new gaps with this one, so what was loaded is
        taken out of whatever gaps there are when it is done."""
        if not self.gaps:
            return TailBatch([], self.clock())
        gap = self.gaps[-1]
        query = self._ranged(gap.from_ms, gap.to_ms)
        already = set(self._gap_ids.get(gap, set()))
        fresh: dict[str, LogEntry] = {}
        skipped: list[str] = []
        cursor: str | None = None
        loaded_from = gap.to_ms
        for _ in range(GAP_FILL_PAGES):
            page = await self.source.list_logs(query, limit=self.page_size, cursor=cursor)
            self._hold([e for e in page.entries if e.id not in already], fresh)
            skipped += page.skipped
            loaded_from = min((e.timestamp_ms for e in page.entries), default=loaded_from)
            if page.next_cursor is None or not page.entries:
                loaded_from = gap.from_ms
                break
            cursor = page.next_cursor
        self._mark_loaded(loaded_from, gap.to_ms)
        return self._deliver(list(fresh.values()), skipped)

    def _mark_loaded(self, from_ms: int, to_ms: int) -> None:
        gaps: list[Gap] = []
        for gap in self.gaps:
            ids = self._gap_ids.pop(gap, set())
            for piece in gap.without(from_ms, to_ms):
                gaps.append(piece)
                self._gap_ids[piece] = self._gap_ids.get(piece, set()) | ids
        self.gaps = gaps

    # -- bookkeeping ----------------------------------------------------------------

    def _ranged(self, from_ms: int, to_ms: int | None) -> LogQuery:
        """The tail's query, without its words, narrowed to ``[from_ms, to_ms]`` (an
        open end, here or in the query's own range: far future)."""
        own = self.query.time_range
        if own is not None:
            from_ms = max(from_ms, own.from_ms)
            if own.to_ms is not None:
                to_ms = own.to_ms if to_ms is None else min(to_ms, own.to_ms)
        if to_ms is None:
            to_ms = int(self.clock() * 1000) + FUTURE_SLACK_MS
        from_ms = min(from_ms, to_ms)
        return LogQuery(filters=self.query.filters, time_range=TimeRange(from_ms, to_ms))

    def _hold(self, entries: list[LogEntry], into: dict[str, LogEntry]) -> None:
        seen, pending = self._seen, self._pending
        for entry in entries:
            key = entry.id
            if key not in seen and key not in into and key not in pending:
                into[key] = entry

    def _deliver(
        self,
        entries: list[LogEntry],
        skipped: list[str],
        *,
        gap: Gap | None = None,
        old_head: int | None = None,
        more_older: bool | None = None,
    ) -> TailBatch:
        entries.sort(key=lambda e: (e.timestamp_ms, e.id))
        seen = self._seen
        for entry in entries:
            seen[entry.id] = entry.timestamp_ms
        for gap, ids in self._gap_ids.items():
            ids.update(e.id for e in entries if gap.from_ms <= e.timestamp_ms <= gap.to_ms)
        if entries and (self.oldest_ms is None or entries[0].timestamp_ms <= self.oldest_ms):
            if entries[0].timestamp_ms != self.oldest_ms:
                self.oldest_ms = entries[0].timestamp_ms
                self._oldest_ids = set()
            self._oldest_ids.update(e.id for e in entries if e.timestamp_ms == self.oldest_ms)
        late = 0
        if old_head is not None:
            late = sum(1 for e in entries if e.timestamp_ms < old_head)
        return TailBatch(
            entries=entries,
            polled_at=self.clock(),
            skipped=skipped,
            gap=gap,
            late=late,
            more_older=self.more_older if more_older is None else more_older,
        )

    def _forget_below_window(self) -> None:
        """Drop ids no poll can return again: the window's floor only ever rises."""
        if self.head_ms is None:
            return
        floor = self.head_ms - self.lag_ms
        seen = self._seen
        if len(seen) and min(seen.values()) < floor:
            self._seen = {key: ts for key, ts in seen.items() if ts >= floor}

    @property
    def remembered(self) -> int:
        """How many ids are kept for dedupe (bounded by the re-read window)."""
        return len(self._seen)
