"""The live tail: every log of a query, each delivered once (the walk: `tui.tail.live`)."""

from __future__ import annotations

from tui.tail.backoff import Backoff
from tui.tail.events import Retrying, Stopped, TailBatch, TailEvent
from tui.tail.gaps import MAX_GAPS, Gap
from tui.tail.live import DEFAULT_MAX_PAGES, GAP_FILL_PAGES, RECHECK_PAGES, LiveTail, Sleep

__all__ = [
    "DEFAULT_MAX_PAGES",
    "GAP_FILL_PAGES",
    "MAX_GAPS",
    "RECHECK_PAGES",
    "Backoff",
    "Gap",
    "LiveTail",
    "Retrying",
    "Sleep",
    "Stopped",
    "TailBatch",
    "TailEvent",
]
