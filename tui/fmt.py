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


def epoch_ms(moment: datetime) -> int:
    """An aware datetime as epoch milliseconds."""
    return (moment - EPOCH) // ONE_MS


def utc_datetime(ms: int) -> datetime:
    """Epoch milliseconds as an aware UTC datetime (any year datetime can hold)."""
    return EPOCH + timedelta(milliseconds=ms)


def clock_time(ms: int, tz: tzinfo | None) -> str:
    """``10:02:03``: the time of day, as the table, status line and gaps show it."""
    return datetime.fromtimestamp(ms / 1000, tz=tz).strftime("%H:%M:%S")


def full_time(ms: int | None, tz: tzinfo | None) -> str:
    """``2026-04-17 10:02:03.123``: a moment to the millisecond, as the detail pane shows it."""
    if ms is None:
        return NO_VALUE
    return datetime.fromtimestamp(ms / 1000, tz=tz).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


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
    """``1 log``, ``2 logs``, ``12,340 logs``."""
    word = noun if number == 1 else plural or f"{noun}s"
    return f"{number:,} {word}"


def size(byte_count: int) -> str:
    """``512 bytes``, ``70 KB``, ``1.5 MB``."""
    if byte_count < 1024:
        return f"{byte_count} bytes"
    if byte_count < 1024 * 1024:
        return f"{byte_count / 1024:.0f} KB"
    return f"{byte_count / 1024 / 1024:.1f} MB"
