"""One way to write times, durations, counts and sizes, wherever they are shown.

Also the one epoch: every "epoch milliseconds <-> datetime" conversion goes through
here, in integer arithmetic (float seconds would lose the last millisecond).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final

EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MS: Final = timedelta(milliseconds=1)
NO_VALUE: Final = "—"

# The moments every conversion here can show in any time zone: datetime holds the years
# 1 to 9999, and a day's slack at each end keeps a zone's offset inside them. The
# normalizer puts a time outside this range just outside it (BAD_TIME_LOW/HIGH), where
# it still sorts at its end of the table and is shown as what it is.
MIN_TIME_MS: Final = -62_135_510_400_000  # 0001-01-02T00:00:00Z
MAX_TIME_MS: Final = 253_402_214_399_999  # 9999-12-30T23:59:59.999Z
BAD_TIME_LOW: Final = MIN_TIME_MS - 1
BAD_TIME_HIGH: Final = MAX_TIME_MS + 1
BAD_TIME: Final = "bad time"
# A duration the source wrote that is no duration (negative, huge, not finite): kept as
# this, which no real duration is, and shown as BAD_DURATION.
INVALID_DURATION_MS: Final = -1
# The longest duration believed: 2^53 ms (285,000 years), exact as a float, fits SQLite.
MAX_DURATION_MS: Final = 2**53
BAD_DURATION: Final = "bad"


def time_in_range(ms: int | float) -> int:
    """Epoch ms as toolwatch holds a time: itself when it can be shown, else BAD_TIME_LOW
    or BAD_TIME_HIGH (NaN is high), which every formatter here shows as ``bad time``."""
    if ms < MIN_TIME_MS:
        return BAD_TIME_LOW
    if MIN_TIME_MS <= ms <= MAX_TIME_MS:
        return round(ms)
    return BAD_TIME_HIGH


def duration_in_range(ms: int | float | None) -> int | None:
    """A duration as toolwatch holds one: whole ms, INVALID_DURATION_MS for one that is
    none (negative, over MAX_DURATION_MS, not finite); None stays None (unknown)."""
    if ms is None:
        return None
    if 0 <= ms <= MAX_DURATION_MS:  # NaN fails every comparison
        return round(ms)
    return INVALID_DURATION_MS


def epoch_ms(moment: datetime) -> int:
    """An aware datetime as epoch milliseconds."""
    return (moment - EPOCH) // ONE_MS


def utc_datetime(ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC datetime (any year datetime can hold)."""
    return EPOCH + timedelta(milliseconds=ms)


def _local(ms: int, tz: tzinfo | None) -> datetime | None:
    """``ms`` as a datetime in ``tz`` (local time when None), or None when out of range."""
    if not MIN_TIME_MS <= ms <= MAX_TIME_MS:
        return None
    try:
        moment = utc_datetime(ms)
        return moment.astimezone(tz) if tz is not None else moment.astimezone()
    except (OverflowError, ValueError, OSError):  # a zone's rules past what it knows
        return None


def in_zone(moment: datetime, tz: tzinfo | None) -> datetime:
    """A time written without a zone, read in ``tz`` (local time when None): the zone
    every time is shown in, so what is typed means what the screen shows."""
    if tz is not None:
        return moment.replace(tzinfo=tz)
    return moment.astimezone()  # a naive datetime is taken as local time here


def clock_time(ms: int, tz: tzinfo | None) -> str:
    """``10:02:03``: the time of day, as the table, status line and gaps show it;
    ``bad time`` for a moment out of range."""
    moment = _local(ms, tz)
    return BAD_TIME if moment is None else moment.strftime("%H:%M:%S")


# The widest table_time: a time of another year.
TABLE_TIME_WIDTH: Final = 16


def table_time(ms: int, tz: tzinfo | None, now_ms: int) -> str:
    """A row's time in the table: ``10:02:03`` today, ``Apr 17 10:02:03`` another day of
    this year, ``2025-04-17 10:02`` before; ``bad time`` for a moment out of range."""
    moment, now = _local(ms, tz), _local(now_ms, tz)
    if moment is None:
        return BAD_TIME
    if now is not None and moment.date() == now.date():
        return moment.strftime("%H:%M:%S")
    if now is not None and moment.year == now.year:
        return moment.strftime("%b %d %H:%M:%S")
    return moment.strftime("%Y-%m-%d %H:%M")


def same_day(ms: int, tz: tzinfo | None, now_ms: int) -> bool:
    """Whether ``ms`` falls on the day of ``now_ms`` in ``tz`` (the table then shows only
    the time of day)."""
    moment, now = _local(ms, tz), _local(now_ms, tz)
    return moment is not None and now is not None and moment.date() == now.date()


def zone_name(tz: tzinfo | None, now_ms: int) -> str:
    """``UTC``, ``JST``, ``CEST``: the zone times are shown and read in (local time when
    ``tz`` is None), as the status line says it."""
    now = _local(now_ms, tz)
    return (now.tzname() if now is not None else None) or "local time"


def ago(ms: int, now_ms: int) -> str:
    """``just now``, ``42 s ago``, ``3 min ago``, ``2 h ago``, ``5 days ago``; ``in 3 min``
    for a moment after ``now_ms`` (a clock ahead of ours)."""
    seconds = (now_ms - ms) // 1000
    later, seconds = seconds < 0, abs(seconds)
    if seconds < 5:
        return "just now"
    if seconds < 60:
        amount = f"{seconds} s"
    elif seconds < 3600:
        amount = f"{seconds // 60} min"
    elif seconds < 86_400:
        amount = f"{seconds // 3600} h"
    else:
        amount = count(seconds // 86_400, "day")
    return f"in {amount}" if later else f"{amount} ago"


def full_time_ago(ms: int | None, tz: tzinfo | None, now_ms: int | None) -> str:
    """``2026-04-17 10:02:03.123 (3 min ago)``: a moment, and how long before ``now_ms``
    (left out without a now, or for a moment out of range)."""
    shown = full_time(ms, tz)
    if ms is None or now_ms is None or shown == BAD_TIME:
        return shown
    return f"{shown} ({ago(ms, now_ms)})"


def full_time(ms: int | None, tz: tzinfo | None) -> str:
    """``2026-04-17 10:02:03.123``: a moment to the millisecond, as the detail pane shows it;
    ``bad time`` for a moment out of range."""
    if ms is None:
        return NO_VALUE
    moment = _local(ms, tz)
    if moment is None:
        return BAD_TIME
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def iso_utc(ms: int) -> str:
    """``2026-04-17T10:00:00Z`` (with ``.123`` when it has ms): a time as queries write it."""
    moment = utc_datetime(ms).replace(tzinfo=None)
    return moment.isoformat(timespec="milliseconds" if ms % 1000 else "seconds") + "Z"


def file_stamp(seconds: float | None = None) -> str:
    """``20261126-113000``, local time: the stamp in the names of files toolwatch writes."""
    return time.strftime(
        "%Y%m%d-%H%M%S", time.localtime(time.time() if seconds is None else seconds)
    )


def duration(ms: float | None) -> str:
    """309ms, 1.11s, 39.7s, 2m05s."""
    if ms is None:
        return NO_VALUE
    if not 0 <= ms <= MAX_DURATION_MS:  # also NaN: every comparison with it is False
        return BAD_DURATION
    ms = round(ms)
    if ms < 1_000:
        return f"{ms}ms"
    if ms < 10_000:
        return f"{ms / 1000:.2f}s"
    if ms < 60_000:
        return f"{ms / 1000:.1f}s"
    minutes, seconds = divmod(ms // 1000, 60)
    return f"{minutes}m{seconds:02d}s"


def count(number: int, noun: str, plural: str | None = None) -> str:
    """``1 log``, ``2 logs``, ``12,340 logs``: every count written for a person (the
    screen, toasts and the headless commands alike) goes through here."""
    return f"{number:,} {noun_for(number, noun, plural)}"


def noun_for(number: int, noun: str, plural: str | None = None) -> str:
    """``log`` for 1, ``logs`` for any other number: the word alone, for a count whose
    number is drawn apart (in bold, say)."""
    return noun if number == 1 else plural or f"{noun}s"


def size(byte_count: int) -> str:
    """``512 bytes``, ``70 KB``, ``1.5 MB``."""
    if byte_count < 1024:
        return f"{byte_count} bytes"
    if byte_count < 1024 * 1024:
        return f"{byte_count / 1024:.0f} KB"
    return f"{byte_count / 1024 / 1024:.1f} MB"
