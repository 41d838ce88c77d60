"""What a tail hands its caller: a batch of logs, or what a failed poll leads to."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.errors import ApiError
from tui.models.entry import LogEntry
from tui.tail.gaps import Gap


@dataclass(frozen=True)
class TailBatch:
    entries: list[LogEntry]  # new to this tail, oldest first
    polled_at: float  # epoch seconds, from the tail's clock
    skipped: list[str] = field(default_factory=list)  # items the source could not read
    gap: Gap | None = None  # a new gap this poll left (also kept in LiveTail.gaps)
    late: int = 0  # how many entries are older than the newest one held before
    more_older: bool | None = None  # whether older logs exist below what was loaded
    # Rows delivered before whose content changed (LogPage.updated): replace them by id.
    updated: list[LogEntry] = field(default_factory=list)


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
