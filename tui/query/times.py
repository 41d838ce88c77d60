"""The times ``since:`` and ``until:`` take: a duration back from now, an ISO time, or
epoch milliseconds, read into epoch ms."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from typing import Final

from tui import fmt
from tui.errors import QuerySyntaxError

_RELATIVE_UNIT_MS: Final = {
    "s": 1000,
    "m": 60_000,
    "h": 3_600_000,
    "d": 86_400_000,
    "w": 604_800_000,
}
_RELATIVE: Final = re.compile(r"(\d+)([smhdw])", re.ASCII)
_ISO: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?",
    re.ASCII,
)
_MAX_MS: Final = fmt.epoch_ms(datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC))
# Below this a bare number is more likely seconds or a forgotten unit than epoch ms.
_MIN_EPOCH_MS: Final = 100_000_000_000
# One rule for times typed and shown, as `date` and `journalctl` read them: no zone means
# the zone the table shows (local time; `timezone` in config.toml or TZ=UTC for UTC).
ZONE_RULE: Final = "no zone means the zone times are shown in: local, or timezone in config.toml"
TIME_HELP: Final = (
    "write a duration back from now (30s, 15m, 2h, 7d, 1w), an ISO time "
    f"(2026-04-17, 2026-04-17T10:00, with seconds, with Z or +02:00; {ZONE_RULE}) "
    "or epoch milliseconds"
)


class BadTime(Exception):
    """A time that cannot be read: what is wrong with it and how to write it."""

    def __init__(self, what: str, fix: str = TIME_HELP) -> None:
        super().__init__(what)
        self.what, self.fix = what, fix


def time_ms(value: str, now_ms: int, tz: tzinfo | None = None) -> int:
    """``value`` in epoch ms, relative times back from ``now_ms``, a time without a zone
    in ``tz`` (local time when None); raises ``BadTime``."""
    relative = _RELATIVE.fullmatch(value)
    if relative:
        return max(0, now_ms - int(relative[1]) * _RELATIVE_UNIT_MS[relative[2]])
    if value.isascii() and value.isdigit():
        number = int(value)
        if number < _MIN_EPOCH_MS:
            raise BadTime(
                f"{value!r} has no unit",
                f"write {value}m, {value}h, {value}d (back from now) or epoch milliseconds "
                "(13 digits)",
            )
        if number > _MAX_MS:
            raise BadTime(f"{value!r} is past the year 9999", "write epoch milliseconds")
        return number
    if not _ISO.fullmatch(value):
        raise BadTime(f"can't read {value!r} as a time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise BadTime(f"{value!r} is not a real time ({error})") from None
    try:
        if moment.tzinfo is None:
            moment = fmt.in_zone(moment, tz)  # no zone: the zone times are shown in
        ms = fmt.epoch_ms(moment)
    except (OverflowError, OSError, ValueError):  # a zone's rules past what it knows
        ms = -1  # said below as out of range
    if not 0 <= ms <= _MAX_MS:
        raise BadTime(f"{value!r} is outside 1970 to 9999", "write a time from 1970 on")
    return ms


def parse_time(text: str, *, now_ms: int, tz: tzinfo | None = None) -> int:
    """One time as ``since:``/``until:`` take it (``15m``, an ISO time, epoch ms), in
    epoch ms; a ``QuerySyntaxError`` covering ``text`` when it cannot be read."""
    try:
        return time_ms(text, now_ms, tz)
    except BadTime as bad:
        raise QuerySyntaxError(f"{bad.what} — {bad.fix}", 0, len(text)) from None
