"""--query, --since and --until: their flags, and the query they make together, read
as the query bar reads it. A syntax error is a usage error pointing at the bad term."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import tzinfo
from typing import TypeVar

from tui.cli.settings import configured_zone
from tui.config import Settings
from tui.errors import ConfigError
from tui.models.entry import LogEntry
from tui.query import Kind, LogQuery, QuerySyntaxError, TimeRange, parse_query, parse_time

_T = TypeVar("_T")

TIME_FORMS = (
    "15m, 2h, 7d, 30s, 1w (back from now), an ISO time such as 2026-04-17 or "
    "2026-04-17T10:00 (with seconds, Z or +02:00; no zone means local time, as `date` "
    'shows it: timezone = "UTC" in config.toml or TZ=UTC for UTC) or epoch milliseconds'
)


def add_query_flags(parser: argparse.ArgumentParser, *, counted: str, until: bool) -> None:
    parser.add_argument(
        "--query",
        "-q",
        metavar="QUERY",
        default="",
        help="only logs matching QUERY, in the language of the TUI's query bar, sent as the "
        "same API filters: tool:X (is), -user:X (is not), toolkit~X (contains), "
        "-session~X (does not contain), failed, ok, since:15m, until:TIME; terms are "
        "AND-combined. Bare words keep only logs whose message contains every word "
        "(case-insensitive), checked here on the logs fetched; nothing else changes "
        f"(the request is the same, {counted})",
    )
    parser.add_argument(
        "--since",
        metavar="TIME",
        help=f"only logs from TIME on, as since: in --query: {TIME_FORMS}",
    )
    if until:
        parser.add_argument(
            "--until", metavar="TIME", help="only logs up to TIME, as until: in --query"
        )


def query_flag(text: str, now_ms: int | None = None, kind: Kind = None) -> LogQuery:
    """The --query text as a query; relative times resolve against ``now_ms`` (now);
    ``kind``: whose fields it may name (``flags_kind``)."""
    now = _now_ms() if now_ms is None else now_ms
    return _read_flag("--query", text, parse_query, now, kind=kind)


def query_from_flags(args: argparse.Namespace, settings: Settings | None = None) -> LogQuery:
    """--query with --since/--until laid over it: the query the screen would run, times
    without a zone read in the zone the screen shows (configured_zone). Only the fields
    of the source's kind are taken (``Settings.query_kind``): before the settings are
    read (a bad query fails before anything is looked for), the kind the flags say."""
    kind = flags_kind(args) if settings is None else settings.query_kind
    now_ms, tz = _now_ms(), configured_zone()
    query = _read_flag("--query", args.query, parse_query, now_ms, tz, kind)
    since, until = args.since, getattr(args, "until", None)
    if since is None and until is None:
        return query
    if query.time_range is not None:
        raise ConfigError(
            "a time is given both in --query (since:/until:) and as --since/--until; "
            "give it in one place"
        )
    from_ms = 0 if since is None else _read_flag("--since", since, parse_time, now_ms, tz)
    to_ms = None if until is None else _read_flag("--until", until, parse_time, now_ms, tz)
    if to_ms is not None and to_ms < from_ms:
        raise ConfigError(f"--until {until} is before --since {since}; swap the two times")
    return replace(query, time_range=TimeRange(from_ms, to_ms))


def matching(query: LogQuery, entries: list[LogEntry]) -> list[LogEntry]:
    """The entries whose message holds every word of the query (the words are not sent)."""
    return [entry for entry in entries if query.matches_words(entry.message)]


def _read_flag(
    flag: str,
    text: str,
    parse: Callable[..., _T],
    now_ms: int,
    tz: tzinfo | None = None,
    kind: Kind = None,
) -> _T:
    """``parse(text)``; on a syntax error, the error, then the flag's text with a caret
    line under the bad term."""
    try:
        if kind is not None:
            return parse(text, now_ms=now_ms, tz=tz, kind=kind)
        return parse(text, now_ms=now_ms, tz=tz)
    except QuerySyntaxError as error:
        raise ConfigError(f"{flag}: {error}\n{error.pointer(text, indent='  ')}") from None


def flags_kind(args: argparse.Namespace) -> Kind:
    """The kind of source the flags name: None when a file or a named source (whose kind
    is in config.toml) decides."""
    if getattr(args, "file", None) is not None or getattr(args, "source_name", None):
        return None
    return "buddy" if getattr(args, "source", None) == "buddy" else "composio"


def _now_ms() -> int:
    return int(time.time() * 1000)
