"""Session: the app's state and decisions, without Textual.

The query applied and its generation, the live tail for it and when to start it again,
which requests are in flight, what a batch of logs or a failure means for the store,
the status line and the title, and the calls opened. The TUI's App owns the timers,
the workers and the screen: it asks the session what to do and draws what it says.
A headless command can drive the same session.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from tui import debuglog, fmt, views
from tui.config import Settings
from tui.errors import ApiError
from tui.models.entry import LogEntry
from tui.models.normalize import wire_text
from tui.query import ENTRY_ATTRIBUTES, LogQuery, QuerySyntaxError, parse_query
from tui.rules import Rule
from tui.session.calls import Calls
from tui.session.sources import SourceBook, SourceChoice
from tui.session.state import State, StatusInfo, TitleInfo, default_what
from tui.session.watching import Watching
from tui.sources.base import LogSource
from tui.store import LogStore
from tui.tail import LiveTail, Stopped, TailBatch

log = debuglog.get_logger("session")

# What a request is for: one in flight at a time for each.
Purpose = Literal["poll", "older", "gap"]

# The API fields the bar completes values for, and the LogEntry attribute holding each:
# every field with an attribute but status (two values) and the log id (unique).
COMPLETED_FIELDS = {
    field: attribute
    for field, attribute in ENTRY_ATTRIBUTES.items()
    if field not in ("status", "log_id")
}
# A Buddy row's own fields without a LogEntry attribute: read from its metadata.
RAW_COMPLETED_FIELDS = ("action_type", "branch", "trigger")
MAX_SEEN_VALUES = 500
# Logs stored per step: about 60 ms of the event loop (the store's JSON and SQLite).
ADD_SLICE = 2_000

EMPTY_FOR_QUERY = "No tool executions match this query · Esc clears it"
EMPTY_FOR_ALL = "No tool executions yet: new ones appear here as they happen"
WAITING = "waiting for the first answer…"
# Paused, a new query still shows something: its first page, and the status line says so.
LOADING_FIRST_PAGE = "loading the first page{of}"
SHOWING_FIRST_PAGE = "showing the first page{of}"


@dataclass(frozen=True)
class Fetched:
    """What one request of the tail brought: a batch, or the error it ended on."""

    purpose: Purpose
    generation: int
    batch: TailBatch | None = None
    error: ApiError | None = None
    at: float = 0.0


@dataclass(frozen=True)
class Stored:
    """What storing (a slice of) a batch changed, for the screen to follow."""

    added: int
    older: bool  # rows were added below the ones shown (backfill)
    empty_text: str | None = None  # what the table says when it has no rows (after a poll)
    rest: TailBatch | None = None  # more of the same batch, to store in a later step
    request_older: bool = False  # a page of rows held already: load the next one
    polled: bool = False  # a poll succeeded: any backoff ends
    changed: int = 0  # rows held that were replaced in place (their content changed)


@dataclass(frozen=True)
class Failure:
    """What a failed request means: stop for good, retry after ``delay``, or just say it."""

    stopped: bool = False
    delay: float | None = None


@dataclass(frozen=True)
class Switched:
    """What a switch of source left to the caller: the old source to close, and the
    restored query text when it no longer parses (to show in the bar, unapplied)."""

    old: LogSource
    draft: str | None = None


class Session:
    def __init__(
        self,
        settings: Settings,
        source: LogSource,
        store: LogStore,
        *,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        label: str | None = None,
        rules: Sequence[Rule] = (),
    ) -> None:
        self.settings = settings
        self.source = source
        self.store = store
        self.clock = clock
        self._rng = rng
        self.query = LogQuery()
        self.query_text = ""
        self.generation = 0  # bumped by every restart: older answers are dropped
        self.tail = self._new_tail()
        self.calls = Calls(source, log_poll_s=settings.poll_interval)
        # Live statistics and alert rules of what is stored (config.toml's rules too).
        self.watching = Watching(rules)
        self.seen_values: dict[str, set[str]] = {
            field: set() for field in (*COMPLETED_FIELDS, *RAW_COMPLETED_FIELDS)
        }
        self.paused = False
        self.stopped = False
        # Paused when a new query was applied: its first page is still loaded, once.
        self._first_page_due = False
        self._first_page_of = ""  # whose first page: " of the new query"
        self._busy: set[Purpose] = set()
        self._source_restarts = self.source.restarts
        # The named sources and each one's last query (tui.session.sources).
        self.sources = SourceBook(settings)
        self._launch_label = label or self._describe_source()
        named = self.sources.current if settings.source_name else None
        self.status = StatusInfo(source=named.label if named else self._launch_label)
        self.title = TitleInfo(source=named.label if named else None)

    def _describe_source(self) -> str:
        where = self.source.description
        return f"demo {where}" if self.settings.demo else where

    def _new_tail(self) -> LiveTail:
        return LiveTail(
            self.source,
            self.query.server_part,
            clock=self.clock,
            lag_s=self.settings.lag_s,
            rng=self._rng,
        )

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    # -- the query ---------------------------------------------------------------------

    def starting_text(self) -> str:
        """The --query given, else the last one applied."""
        text = self.settings.query_text
        return (views.last_query(self.settings.query_kind) or "") if text is None else text

    def parse(self, text: str) -> LogQuery:
        """``text`` as a query at the session's now; QuerySyntaxError says what is wrong."""
        return parse_query(
            text, now_ms=self.now_ms(), tz=self.settings.tz, kind=self.settings.query_kind
        )

    def try_parse(self, text: str) -> LogQuery | None:
        try:
            return self.parse(text)
        except QuerySyntaxError:
            return None

    def apply(self, text: str, query: LogQuery, *, restart: bool = True) -> bool:
        """Make ``query`` the applied one. True when what is asked of the server changed
        (bare words only change the highlight): the tail is then started again for it,
        from nothing (``restart``), or before its first poll (not ``restart``). While
        paused, it loads the new query's first page and stays paused."""
        changed = query.server_part != self.query.server_part
        self.query, self.query_text = query, text
        self.title = replace(
            self.title,
            what=text or default_what(self.settings.query_kind),
            filtered=self.source.filtered_note(query),
        )
        self.sources.remember(text)
        if self.settings.source_file is None:
            # A query for a recording is not the one to start the next live session with.
            views.remember_query(text, self.settings.query_kind)
        if changed and restart:
            self.restart(first_page_of=" of the new query")
        elif changed:
            self.tail = self._new_tail()
        return changed

    def restart(self, *, first_page_of: str = "") -> None:
        """Start the tail again from nothing (a new query, a file replaced): answers to
        requests already in flight are dropped by generation. ``first_page_of`` names
        what the first page loaded while paused is of."""
        self.generation += 1
        self._busy.clear()
        self.tail = self._new_tail()
        self.store.clear()
        self.watching.reset()
        # A stop was about the old query (or the key): a new one is tried again, else the
        # table would wait for an answer that no poll asks for under a bare "stopped".
        self.stopped = False
        state: State = "paused" if self.paused else "connecting"
        # Paused, the table would stay empty until resumed: one poll still brings the
        # new query's first page (the pause holds the live tail, not the query).
        self._first_page_due = self.paused
        self._first_page_of = first_page_of
        self.status = replace(
            self.status,
            state=state,
            loaded=0,
            failed=0,
            gap=None,
            error=None,
            retry_at=None,
            note=LOADING_FIRST_PAGE.format(of=first_page_of) if self.paused else None,
        )
        self.title = replace(self.title, loaded=0, more_older=None, loading_older=False, unseen=0)

    def switch_source(
        self, choice: SourceChoice, settings: Settings, source: LogSource
    ) -> Switched:
        """Watch ``source`` (opened with ``settings``) from now on, from nothing, with the
        query it had last (tui.session.sources). Answers to the old one's requests are
        dropped by generation; its rows, statistics, calls, mark and completions are
        forgotten. The alert rules go on, watching the new source from an empty window."""
        text = self.sources.query_for(choice, self.query_text)
        old, self.settings, self.source = self.source, settings, source
        self.calls.switch(source)
        self._source_restarts = source.restarts
        for seen in self.seen_values.values():
            seen.clear()
        self.watching.rules.watch_anew()
        self.sources.switched(choice)
        label = choice.label if choice.key is not None else self._launch_label
        self.status = StatusInfo(source=label)
        self.title = TitleInfo(source=choice.label)
        query = self.try_parse(text)
        self.apply(text if query else "", query or LogQuery(), restart=False)
        self.restart()
        return Switched(old, draft=None if query else text)

    # -- requests ----------------------------------------------------------------------

    def begin(self, purpose: Purpose) -> bool:
        """Whether a request for ``purpose`` may start now (then it counts as in flight):
        one at a time each, so a slow server does not pile up polls."""
        if purpose in self._busy:
            return False
        if purpose == "poll" and (self.stopped or (self.paused and not self._first_page_due)):
            return False
        if purpose == "older" and not self.tail.more_older:
            return False
        if purpose == "gap" and not self.tail.gaps:
            return False
        self._busy.add(purpose)
        if purpose == "older":
            self.title = replace(self.title, loading_older=True)
        elif purpose == "gap":
            self.status = replace(self.status, gap="loading the gap…")
        return True

    async def fetch(self, purpose: Purpose) -> Fetched:
        """Run one request of the tail; never raises (a bug is said, not lost)."""
        generation = self.generation
        run = {"poll": self.tail.poll, "older": self.tail.backfill, "gap": self.tail.fill_gap}
        try:
            batch = await run[purpose]()
        except ApiError as error:
            return Fetched(purpose, generation, error=error, at=self.clock())
        except Exception as bug:
            return Fetched(purpose, generation, error=debuglog.internal_error(bug), at=self.clock())
        else:
            return Fetched(purpose, generation, batch=batch)
        finally:
            if generation == self.generation:
                self._busy.discard(purpose)

    def is_current(self, generation: int) -> bool:
        return generation == self.generation

    @property
    def source_restarted(self) -> bool:
        """The file shrank or was replaced since the last look: start again."""
        restarts = self.source.restarts
        if restarts == self._source_restarts:
            return False
        self._source_restarts = restarts
        return True

    # -- what came back ----------------------------------------------------------------

    def store_batch(self, batch: TailBatch, purpose: Purpose, *, final: bool = True) -> Stored:
        """Store (a slice of) ``batch`` and say what changed. A big batch (a filled gap:
        up to 10,000 logs) is stored a slice at a time, so keys are answered in between:
        ``rest`` holds what is left for the next step."""
        rest = None
        if len(batch.entries) > ADD_SLICE:
            rest = replace(batch, entries=batch.entries[ADD_SLICE:], skipped=[])
            batch, final = replace(batch, entries=batch.entries[:ADD_SLICE]), False
        result = self.store.add(batch.entries)
        # Rows whose content changed (a Buddy action that ran, then finished): in place.
        changed = self.store.replace(batch.updated).duplicates if batch.updated else 0
        self.watching.stored(batch.entries, self.now_ms())
        self._note_values(batch.entries)
        status = replace(
            self.status,
            loaded=len(self.store),
            failed=self.status.failed + result.failed,
            gap=self.gap_text(),
        )
        if batch.skipped:
            # Kept on the status line for the session: a file's bad lines are reported
            # once (whatever the query), and must not vanish with the next poll.
            status = replace(
                status,
                skipped=status.skipped + len(batch.skipped),
                first_skipped=status.first_skipped or batch.skipped[0],
            )
        empty_text = None
        if purpose == "poll":
            empty_text = EMPTY_FOR_QUERY if self.query_text else EMPTY_FOR_ALL
            first_page = self.paused and self._first_page_due
            self._first_page_due = False
            status = replace(
                status,
                last_poll=batch.polled_at,
                error=None,
                retry_at=None,
                state="paused" if self.paused else "live",
                note=SHOWING_FIRST_PAGE.format(of=self._first_page_of)
                if first_page
                else status.note,
            )
        self.status = status
        self.title = replace(
            self.title,
            loaded=len(self.store),
            more_older=self.tail.more_older,
            loading_older=False if purpose == "older" else self.title.loading_older,
            progress=self.tail.source.progress_text,
            filtered=self.tail.source.filtered_note(self.query),
        )
        older = purpose == "older"
        # A page of rows held already (dropped by id): go on to the next one.
        again = final and older and result.added == 0 and bool(self.tail.more_older)
        return Stored(
            result.added,
            older,
            empty_text=empty_text,
            rest=rest,
            request_older=again,
            polled=purpose == "poll",
            changed=changed,
        )

    def failed(self, error: ApiError, purpose: Purpose) -> Failure:
        text = error.explain()
        if purpose != "poll":
            what = "older logs" if purpose == "older" else "the gap"
            self.title = replace(self.title, loading_older=False)
            self.status = replace(self.status, error=f"could not load {what}: {text}")
            return Failure()
        self.watching.source_failed(self.now_ms(), text)
        outcome = self.tail.after_failure(error)
        if isinstance(outcome, Stopped):
            # Retrying a rejected key only repeats the rejection: stop and say what to fix.
            self.stopped = True
            self.status = replace(
                self.status, state="stopped", error=text, retry_at=None, note=None
            )
            return Failure(stopped=True)
        if self.paused:
            # The first page of a query applied while paused: no retry until p resumes.
            self.status = replace(self.status, error=text, retry_at=None, note=None)
            return Failure()
        self.status = replace(
            self.status, state="retrying", error=text, retry_at=outcome.resume_at, now=self.clock()
        )
        return Failure(delay=outcome.delay)

    def tick(self) -> None:
        """A second passed while retrying: the countdown moves."""
        if self.status.state == "retrying":
            self.status = replace(self.status, now=self.clock())

    def note_progress(self) -> None:
        """How far a long first read of a file has come, while a request waits on it
        (the title's "indexed 420,000 of ~1,000,000 lines"; read from its counters)."""
        progress = self.tail.source.progress_text
        if progress != self.title.progress:
            self.title = replace(self.title, progress=progress)

    def toggle_pause(self) -> bool:
        """Pause or resume (not once stopped); True when something changed."""
        if self.stopped:
            return False
        self.paused = not self.paused
        self.calls.paused = self.paused  # the Log tab's reads pause too
        self._first_page_due = False
        self.status = replace(
            self.status, state="paused" if self.paused else "live", retry_at=None, note=None
        )
        return True

    def following(self, following: bool, unseen: int) -> None:
        self.title = replace(self.title, unseen=0 if following else unseen)

    def gap_text(self) -> str | None:
        gaps = self.tail.gaps
        if not gaps:
            return None
        # The newest gap is the one g loads first.
        text = f"gap: {gaps[-1].describe(lambda ms: fmt.clock_time(ms, self.settings.tz))}"
        more = f" (+{len(gaps) - 1} older)" if len(gaps) > 1 else ""
        return f"{text}{more} — press g to load"

    def _note_values(self, entries: Iterable[LogEntry]) -> None:
        """Values seen per API field, for completion in the bar (a few hundred each)."""
        for entry in entries:
            pairs = [(field, getattr(entry, name)) for field, name in COMPLETED_FIELDS.items()]
            if entry.source == "buddy" and entry.raw:
                pairs += [(field, wire_text(entry.raw, field)) for field in RAW_COMPLETED_FIELDS]
            for field, value in pairs:
                seen = self.seen_values[field]
                if value and len(seen) < MAX_SEEN_VALUES:
                    seen.add(value)

    async def usage_count(self, from_ms: int, to_ms: int) -> int | None:
        """Tool calls the Usage API counts in ``[from_ms, to_ms)`` for the whole project;
        None when the source has no Usage API (a file, Buddy). ApiError when it fails."""
        return await self.source.usage_tool_calls(from_ms, to_ms)

    async def aclose(self) -> None:
        await self.source.aclose()
        self.store.close()
