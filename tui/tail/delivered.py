"""What a tail has delivered, so that each log is delivered once."""

from __future__ import annotations

from tui.models.entry import LogEntry


class Delivered:
    """The ids delivered and those read but not yet delivered, and the oldest delivered.

    Delivered ids are kept only for the re-read window (older ids cannot come back from a
    poll), so memory stays flat however long the tail runs."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}  # id -> timestamp, for the re-read window only
        self.pending: dict[str, LogEntry] = {}  # read by an unfinished walk, not delivered
        self.oldest_ms: int | None = None  # oldest timestamp delivered
        # Ids delivered at exactly oldest_ms: backfill's range includes that millisecond
        # (neighbours may share it) and the dedupe window may have forgotten them.
        self.oldest_ids: set[str] = set()

    def hold(self, entries: list[LogEntry], into: dict[str, LogEntry] | None = None) -> None:
        """Put into ``into`` (by default: pending) each entry not delivered, not pending
        and not in it yet."""
        seen, pending = self._seen, self.pending
        into = pending if into is None else into
        for entry in entries:
            key = entry.id
            if key not in seen and key not in into and key not in pending:
                into[key] = entry

    def held(self) -> dict[str, int]:
        """The timestamp of every id delivered within the window or pending."""
        return {**self._seen, **{k: e.timestamp_ms for k, e in self.pending.items()}}

    def take_pending(self) -> list[LogEntry]:
        entries = list(self.pending.values())
        self.pending = {}
        return entries

    def record(self, entries: list[LogEntry]) -> None:
        """Note ``entries``, sorted oldest first, as delivered."""
        seen = self._seen
        for entry in entries:
            seen[entry.id] = entry.timestamp_ms
        if entries and (self.oldest_ms is None or entries[0].timestamp_ms <= self.oldest_ms):
            if entries[0].timestamp_ms != self.oldest_ms:
                self.oldest_ms = entries[0].timestamp_ms
                self.oldest_ids = set()
            self.oldest_ids.update(e.id for e in entries if e.timestamp_ms == self.oldest_ms)

    def forget_below(self, floor_ms: int) -> None:
        """Drop ids stamped below ``floor_ms``: no poll can return them again."""
        seen = self._seen
        if len(seen) and min(seen.values()) < floor_ms:
            self._seen = {key: ts for key, ts in seen.items() if ts >= floor_ms}

    def __len__(self) -> int:
        """How many ids are kept for dedupe (bounded by the re-read window)."""
        return len(self._seen)
