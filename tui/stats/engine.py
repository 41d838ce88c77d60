"""`StatsEngine`: live statistics of the logs loaded, updated in O(new logs) per poll.

Fed each batch a tail delivers (late logs too: a log is counted in its own minute and
groups whenever it arrives), it keeps

* per-minute buckets by status (``success``, ``failed``, ``other``) with their
  durations, for histograms at any multiple of a minute and for trailing windows;
* per-group aggregates by toolkit, tool, user, auth config and connected account, and
  for the whole selection: count, failed, error rate, exact p50/p95/p99 duration, the
  last failure and the most frequent failure pattern (`tui.diagnose` categories, read
  from the message: the list has no response or steps).

A log is counted once, by id, however often it is fed. Nothing here draws: a screen or a
command `subscribe`s and is called after each batch with a `StatsUpdate`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from tui.diagnose import failure_pattern
from tui.models.entry import STATUS_FAILED, STATUS_SUCCESS, LogEntry
from tui.query import LogQuery
from tui.stats.groups import ALL, GROUP_FIELDS, GroupStats, group_key, usable_duration
from tui.stats.percentiles import Durations

MINUTE_MS = 60_000
STATUS_OTHER = "other"
STATUS_KINDS = (STATUS_SUCCESS, STATUS_FAILED, STATUS_OTHER)


def status_kind(entry: LogEntry) -> str:
    return entry.status if entry.status in (STATUS_SUCCESS, STATUS_FAILED) else STATUS_OTHER


def bucket_start(ms: int, bucket_ms: int = MINUTE_MS) -> int:
    return ms // bucket_ms * bucket_ms


@dataclass
class Bucket:
    """The logs stamped in ``[start_ms, start_ms + width)``: counts by status kind."""

    start_ms: int
    counts: Counter[str] = field(default_factory=Counter)
    durations: Durations = field(default_factory=Durations)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        return self.counts[STATUS_FAILED]


@dataclass(frozen=True)
class WindowStats:
    """What a stretch of whole minutes holds."""

    count: int
    failed: int
    durations: Durations

    @property
    def error_rate(self) -> float:
        return self.failed / self.count if self.count else 0.0

    def percentile(self, p: float) -> int | None:
        return self.durations.percentile(p)


@dataclass(frozen=True)
class StatsUpdate:
    """What one batch changed: how many logs were new, how many of them were older than
    the newest held before (late), and the minutes they fell in."""

    added: int
    late: int
    minutes: frozenset[int]


Subscriber = Callable[[StatsUpdate], None]


class StatsEngine:
    """Statistics of the logs fed to it that answer ``query`` (all of them without one)."""

    def __init__(self, query: LogQuery | None = None) -> None:
        self.query = query
        self.total = GroupStats(ALL, ALL)
        self._groups: dict[str, dict[str, GroupStats]] = {by: {} for by in GROUP_FIELDS}
        self._buckets: dict[int, Bucket] = {}
        self._seen: set[str] = set()
        self.first_ms: int | None = None
        self.last_ms: int | None = None
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` after every batch that added logs; returns the unsubscribe."""
        self._subscribers.append(subscriber)
        return lambda: self._subscribers.remove(subscriber)

    def add(self, entries: Iterable[LogEntry]) -> StatsUpdate:
        """Count the logs not counted before; O(len(entries))."""
        added = late = 0
        minutes: set[int] = set()
        newest_before = self.last_ms
        for entry in entries:
            if entry.id in self._seen or (self.query and not self.query.matches(entry)):
                continue
            self._seen.add(entry.id)
            added += 1
            ms = entry.timestamp_ms
            if newest_before is not None and ms < newest_before:
                late += 1
            self._count(entry)
            minutes.add(bucket_start(ms))
        update = StatsUpdate(added, late, frozenset(minutes))
        if added:
            for subscriber in list(self._subscribers):
                subscriber(update)
        return update

    def _count(self, entry: LogEntry) -> None:
        ms = entry.timestamp_ms
        pattern = failure_pattern(entry.message) if entry.failed else None
        self.total.add(entry, pattern)
        for by, groups in self._groups.items():
            key = group_key(entry, by)
            stats = groups.get(key)
            if stats is None:
                stats = groups[key] = GroupStats(by, key)
            stats.add(entry, pattern)
        start = bucket_start(ms)
        bucket = self._buckets.get(start)
        if bucket is None:
            bucket = self._buckets[start] = Bucket(start)
        bucket.counts[status_kind(entry)] += 1
        duration = usable_duration(entry)
        if duration is not None:
            bucket.durations.add(duration)
        self.first_ms = ms if self.first_ms is None else min(self.first_ms, ms)
        self.last_ms = ms if self.last_ms is None else max(self.last_ms, ms)

    # -- reading ---------------------------------------------------------------------

    def groups(self, by: str) -> list[GroupStats]:
        """The groups of ``by`` (a key of GROUP_FIELDS), most logs first, then by name."""
        return sorted(self._groups[by].values(), key=lambda g: (-g.count, g.group))

    def histogram(self, from_ms: int, to_ms: int, bucket_ms: int = MINUTE_MS) -> list[Bucket]:
        """Buckets ``bucket_ms`` wide (a multiple of a minute) from the one holding
        ``from_ms`` to the one holding ``to_ms``, empty ones included, oldest first."""
        if bucket_ms < MINUTE_MS or bucket_ms % MINUTE_MS:
            raise ValueError(f"a bucket is a whole number of minutes, not {bucket_ms} ms")
        first, last = bucket_start(from_ms, bucket_ms), bucket_start(to_ms, bucket_ms)
        wide = {start: Bucket(start) for start in range(first, last + 1, bucket_ms)}
        for minute in range(first, last + bucket_ms, MINUTE_MS):
            bucket = self._buckets.get(minute)
            if bucket is not None:
                into = wide[bucket_start(minute, bucket_ms)]
                into.counts.update(bucket.counts)
                into.durations.extend(bucket.durations)
        return list(wide.values())

    def window(self, from_ms: int, to_ms: int) -> WindowStats:
        """The whole minutes from the one holding ``from_ms`` to the one holding ``to_ms``."""
        count = failed = 0
        durations = Durations()
        for minute in range(bucket_start(from_ms), bucket_start(to_ms) + 1, MINUTE_MS):
            bucket = self._buckets.get(minute)
            if bucket is not None:
                count += bucket.total
                failed += bucket.failed
                durations.extend(bucket.durations)
        return WindowStats(count, failed, durations)

    def __len__(self) -> int:
        return self.total.count
