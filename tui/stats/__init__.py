"""Live statistics of tool calls, shared by the screen and `toolwatch stats` (no Textual).

``percentiles`` (exact, nearest rank), ``groups`` (one group's aggregate), ``engine``
(the incremental `StatsEngine`: minute buckets and groups).
"""

from __future__ import annotations

from tui.stats.engine import (
    MINUTE_MS,
    STATUS_KINDS,
    Bucket,
    StatsEngine,
    StatsUpdate,
    WindowStats,
    bucket_start,
    status_kind,
)
from tui.stats.groups import ALL, GROUP_FIELDS, GroupStats, group_key, iso, usable_duration
from tui.stats.percentiles import PERCENTILES, Durations, nearest_rank

__all__ = [
    "ALL",
    "GROUP_FIELDS",
    "MINUTE_MS",
    "PERCENTILES",
    "STATUS_KINDS",
    "Bucket",
    "Durations",
    "GroupStats",
    "StatsEngine",
    "StatsUpdate",
    "WindowStats",
    "bucket_start",
    "group_key",
    "iso",
    "nearest_rank",
    "status_kind",
    "usable_duration",
]
