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
from dataclasses import replace

from tui import debuglog
from tui.config import DEFAULT_LAG_S
from tui.constants import MAX_LIMIT
from tui.errors import RETRIED_REJECTION_HINT, ApiError
from tui.models.entry import LogEntry
from tui.query import LogQuery, TimeRange, open_end_ms
from tui.sources.base import LogSource
from tui.tail.backoff import Backoff
from tui.tail.delivered import Delivered
from tui.tail.events import Retrying, Stopped, TailBatch, TailEvent
from tui.tail.gaps import Gap, GapLedger
from tui.tail.walk import Walk

DEFAULT_MAX_PAGES = 100  # one poll reads at most 10,000 logs before it reports a gap
# Filling a gap is asked for by a person and may read much more than a poll.
GAP_FILL_PAGES = 1_000
# How many pages below the old head a head walk reads looking for late arrivals before
# it leaves the rest of the look-back to the sweep.
RECHECK_PAGES = 3

Sleep = Callable[[float], Awaitable[None]]

log = debuglog.get_logger("tail")


class LiveTail:
    """Every log of ``query`` from ``source``, each delivered once (see the module doc)."""

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
        rng: random.Random | None = None,
    ) -> None:
        """``rng`` is the jitter's random source for the `Backoff` built when none is
        given; seed it for waits that repeat run to run."""
        if not 1 <= page_size <= MAX_LIMIT:
            raise ValueError(f"page_size must be 1..{MAX_LIMIT}, not {page_size}")
        if max_pages < 1:
            raise ValueError(f"max_pages must be at least 1, not {max_pages}")
        if backoff is not None and rng is not None:
            raise ValueError("pass rng to the Backoff given, not to LiveTail")
        self.source = source
        self.query = query or LogQuery()
        # Every page of one walk must be asked for with the same limit: the cursor is
        # a page number, and pages of another size would overlap or skip.
        self.page_size = page_size
        self.lag_ms = max(0, round(lag_s * 1000))
        self.max_pages = max_pages
        self.clock = clock
        self.sleep = sleep
        self.backoff = backoff or Backoff(rng=rng)
        self.polls = 0
        self.head_ms: int | None = None  # newest timestamp a completed walk has read
        # The oldest log of the first page when more lay below it: polls never look back
        # past it (those logs are older than what the tail started from; backfill's job).
        self._start_ms: int | None = None
        # Everything stamped at or below this has been read after it settled.
        self.settled_ms: int | None = None
        self._delivered = Delivered()
        self.more_older: bool | None = None  # None: not known yet
        # Whether gaps are kept for fill_gap: a headless tail only reports them, and the
        # ids it would keep for each grow with it.
        self.keep_gaps = keep_gaps
        self._gaps = GapLedger()
        self._walk: Walk | None = None
        self._answered = False  # whether any list request of this tail was answered
        self._older_cursor: str | None = None
        self._older_to_ms: int | None = None
        # Rows the source says changed (LogPage.updated), for the next poll's batch.
        self._updated: dict[str, LogEntry] = {}

    # -- polling --------------------------------------------------------------------

    async def poll(self) -> TailBatch:
        """Walk once (see the module doc); raises the source's ApiError, keeping its place."""
        walk = self._walk or self._start_walk()
        self._walk = walk
        gap: Gap | None = None
        while True:
            try:
                page = await self.source.list_logs(
                    walk.query, limit=self.page_size, cursor=walk.cursor
                )
            except ApiError as error:
                if error.rejects_request and walk.cursor is not None:
                    # The server refused a cursor it handed out (it expired, or a deploy
                    # changed its form): the next poll walks again from the head. What
                    # this walk read stays pending and the window re-reads the rest, so
                    # nothing is lost, and held ids drop what is read twice.
                    self._walk = None
                raise
            self._answered = True
            # An answer is progress: the next failure starts the backoff from its base.
            self.backoff.reset()
            walk.pages += 1
            walk.absorb_bounds(page)
            self._delivered.hold(page.entries)
            self._absorb_updates(page.updated)
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
        entries = self._delivered.take_pending()
        batch = self._deliver(entries, walk.skipped, gap=gap, old_head=walk.old_head_ms)
        self._forget_below_window()
        if self._updated:
            new = {entry.id for entry in entries}
            updated = [e for key, e in self._updated.items() if key not in new]
            self._updated = {}
            updated.sort(key=lambda e: (e.timestamp_ms, e.id))
            batch = replace(batch, updated=updated)
        return batch

    def _absorb_updates(self, updated: list[LogEntry]) -> None:
        """Rows that changed since they were served: one read by this walk and not
        delivered yet takes the newer content; the others go out as updates (by id, in
        the store and in `tail`'s output), never as new rows."""
        pending = self._delivered.pending
        for entry in updated:
            if entry.id in pending:
                pending[entry.id] = entry
            else:
                self._updated[entry.id] = entry

    def _start_walk(self) -> Walk:
        if self.head_ms is None:
            own = self.query.time_range
            # Never the words (they are searched for locally); an open-ended range is
            # closed with this tail's clock, as every later walk's is.
            query = self.query.server_part if own is None else self._ranged(own.from_ms, None)
            return Walk(query=query, floor_ms=None, old_head_ms=None)
        floor = self.head_ms - self.lag_ms
        if self._start_ms is not None:
            floor = max(floor, self._start_ms)
        return Walk(query=self._ranged(floor, None), floor_ms=floor, old_head_ms=self.head_ms)

    def _settled(self, walk: Walk) -> int:
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

    def _start_sweep(self, walk: Walk, head_read_down_to: int) -> bool:
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
        gap = Gap.left_unread(from_ms, low_ms, new_from_ms)
        if not self.keep_gaps:
            return gap
        return self._gaps.add(gap, self._delivered.held())

    async def run(self, interval: float) -> AsyncGenerator[TailEvent, None]:
        """Poll every ``interval`` seconds, backing off after failures, until a fatal one.

        Yields each poll's batch, a `Retrying` before every wait after a failure, and a
        final `Stopped` when retrying cannot help (`after_failure` decides). The caller
        cancels it to stop.
        """
        while True:
            try:
                batch = await self.poll()
            except Exception as failure:
                # A reply that broke a reader (toolwatch's bug) is said and retried like
                # any odd answer: the headless tail must not die of one.
                error = (
                    failure if isinstance(failure, ApiError) else debuglog.internal_error(failure)
                )
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
        decides, for `run` here and for the TUI's timers).

        Only a refused key stops, and a refusal of the very first request of a query
        with terms: those are the user's to fix. Anything else (a 400 to a query without
        terms or to a later page, a gateway's 404, a 418, a redirect, an unreadable
        body) may be one odd answer, so it is retried with backoff."""
        now = self.clock()
        if not error.retryable or (error.rejects_request and self._first_request_refused):
            return Stopped(error, now)
        if error.rejects_request and error.hint == error.default_hint:
            # Retried, so not taken as the user's to fix: "change the filters" would mislead.
            error.hint = RETRIED_REJECTION_HINT
        return Retrying(error, self.backoff.delay_for(error), now)

    @property
    def _first_request_refused(self) -> bool:
        """Whether the failure was to the first request, asked with terms of the user's
        (the words are searched for locally and never sent)."""
        return not self._answered and not self.query.server_part.is_empty

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
        self._absorb_updates(page.updated)
        fresh: dict[str, LogEntry] = {}
        oldest_ids = self._delivered.oldest_ids
        self._delivered.hold([e for e in page.entries if e.id not in oldest_ids], fresh)
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
        already = self._gaps.delivered_in(gap)
        fresh: dict[str, LogEntry] = {}
        skipped: list[str] = []
        cursor: str | None = None
        loaded_from = gap.to_ms
        for _ in range(GAP_FILL_PAGES):
            page = await self.source.list_logs(query, limit=self.page_size, cursor=cursor)
            self._absorb_updates(page.updated)
            self._delivered.hold([e for e in page.entries if e.id not in already], fresh)
            skipped += page.skipped
            loaded_from = min((e.timestamp_ms for e in page.entries), default=loaded_from)
            if page.next_cursor is None or not page.entries:
                loaded_from = gap.from_ms
                break
            cursor = page.next_cursor
        self._gaps.mark_loaded(loaded_from, gap.to_ms)
        return self._deliver(list(fresh.values()), skipped)

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
            to_ms = open_end_ms(int(self.clock() * 1000))
        from_ms = min(from_ms, to_ms)
        return LogQuery(filters=self.query.filters, time_range=TimeRange(from_ms, to_ms))

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
        self._delivered.record(entries)
        self._gaps.note_delivered(entries)
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
        if self.head_ms is not None:
            self._delivered.forget_below(self.head_ms - self.lag_ms)

    @property
    def remembered(self) -> int:
        """How many ids are kept for dedupe (bounded by the re-read window)."""
        return len(self._delivered)

    @property
    def oldest_ms(self) -> int | None:
        """The oldest timestamp delivered."""
        return self._delivered.oldest_ms

    @property
    def gaps(self) -> list[Gap]:
        """The gaps kept for `fill_gap`, oldest first (none when ``keep_gaps`` is off)."""
        return self._gaps.gaps
