"""Many lines glanced at in one go (``glance``): a block of whole lines turned down by a
query's bytes needs only each line's place, id and time, and when every line of the
block is written the usual way (as ``json.dumps`` writes a list item: its id, then its
time as ``2026-04-12T13:20:00.126Z``) those are found for the whole block by a few calls
that each go through all of it in C, not by a few dozen Python steps per line.

It answers exactly what glancing at each line alone (``Scan._glance``) answers, or
nothing (then each line is read alone): a line it cannot vouch for is taken whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, count, repeat
from operator import add, getitem
from typing import Any, Final

from tui.fmt import MAX_TIME_MS, MIN_TIME_MS
from tui.jsontree import MAX_DEPTH
from tui.models.normalize import parse_timestamp_ms
from tui.sources.file.holding import lines_with
from tui.sources.file.lines import decode

# A line as json.dumps writes a list item: its id and time first.
_HEAD: Final = re.compile(rb'\{\s*"id"\s*:\s*"([^"\\]*)"\s*,\s*"timestamp"\s*:\s*"([^"\\]*)"')
# Each line's start as json.dumps writes it: (id, time to the minute, seconds, ms).
# ``.`` and ``[^"]`` cost the least to match; what they let through (a backslash, a
# newline, a letter for a digit) is checked after, for the whole block at once.
_FAST: Final = re.compile(rb'\n\{"id": "([^"]*)", "timestamp": "(................):(..)\.(...)Z"')
_MINUTE: Final = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d")
_SECONDS: Final = {b"%02d" % s: 1000 * s for s in range(60)}
_MILLIS: Final = {b"%03d" % ms: ms for ms in range(1000)}
_DECODER: Final = json.JSONDecoder()
_UTF8: Final[Callable[[Any], bytes]] = str.encode  # TypeError for what is not a str
KNOWN_MINUTES: Final = 1 << 12
# What str.strip() strips of an ASCII text.
_ASCII_SPACE: Final = bytes(c for c in range(128) if chr(c).isspace())
# An ASCII id hashes as its bytes do (CPython hashes both from the same bytes): a block's
# ids need not be decoded to be told apart and found again by ``hash(log_id)``.
SAME_HASH: Final = hash(b"log_0") == hash("log_0") and hash(b"") == hash("")


def glance_line(line: bytes) -> tuple[str, int] | None:
    """A line's id and time read off its bytes, when that is exact: the usual line
    written as ``json.dumps`` writes it, no escapes, each key once (``glance`` does the
    same for many lines at a time)."""
    head = _HEAD.match(line)
    if (
        head is None
        or not line.rstrip().endswith(b"}")  # cut short (a write that never ended)
        or line.count(b'"id"') != 1
        or line.count(b'"timestamp"') != 1
    ):
        return None
    log_id = decode(head[1])
    if not log_id.strip():
        return None
    try:
        return log_id, parse_timestamp_ms(decode(head[2]))
    except (ValueError, OverflowError):
        return None


@dataclass(slots=True)
class Block:
    """A block's lines (file order), where each starts (relative to the first; one more
    at the end) and, for each, its id (the text, or its ASCII bytes: both hash alike)
    and time; ``taken``: lines to read whole, of which ``sure`` read as their id and
    time say (only a term's text makes them read whole)."""

    lines: list[bytes]
    starts: list[int]
    ids: list[str] | list[bytes]
    stamps: list[int]
    taken: list[int]
    sure: set[int]


def split(buf: bytes, first: int, stop: int) -> tuple[list[bytes], list[int]]:
    """The lines of ``buf`` after the newline at ``first`` up to ``stop``, and where each
    starts (from ``first + 1``; one more at the end). ``buf`` is split whole when that
    spares copying most of it, then the lines before and after are dropped."""
    if stop - first > len(buf) // 2:
        lines = buf.split(b"\n")
        lead = buf.count(b"\n", 0, first) + 1
        lines = lines[lead : len(lines) - buf.count(b"\n", stop)]
    else:
        lines = buf[first + 1 : stop].split(b"\n")
    starts = list(map(add, accumulate(map(len, lines), initial=0), count()))
    return lines, starts


def glance(
    buf: bytes, first: int, stop: int, needles: tuple[bytes, ...], known: dict[bytes, int | None]
) -> Block | None:
    """The lines of ``buf`` after the newline at ``first`` up to ``stop`` with their ids
    and times, and which of them to read whole: those ``needles`` do not turn down (each
    needle there, or a backslash) and those not written the usual way after all. None
    when the block is not all written the usual way. ``known`` remembers times of whole
    minutes."""
    heads = _FAST.findall(buf, first, stop)
    lines, starts = split(buf, first, stop)
    n = len(lines)
    if len(heads) != n:
        return None
    raw_ids, minutes, secs, millis = zip(*heads, strict=True)
    stamps = _stamps(minutes, secs, millis, known)
    ids = _ids(raw_ids)
    if stamps is None or ids is None:
        return None
    every = (0, n)
    doubtful = set(lines_with(buf, first + 1, starts, b"\\", every, stop))  # escaped keys
    if bytes(map(getitem, lines, repeat(-1))).strip(b"}"):
        doubtful.update(i for i, line in enumerate(lines) if not line.rstrip().endswith(b"}"))
    for key in (b'"id"', b'"timestamp"'):  # each line has one at least: its head
        if buf.count(key, first, stop) != n:
            doubtful.update(i for i, line in enumerate(lines) if line.count(key) != 1)
    held: set[int] = set()
    if needles:
        held.update(lines_with(buf, first + 1, starts, needles[0], every, stop))
        if len(needles) > 1:
            held.difference_update(
                [i for i in held if not all(needle in lines[i] for needle in needles[1:])]
            )
    return Block(lines, starts, ids, stamps, sorted(held | doubtful), held - doubtful)


def load_sure(block: Block) -> dict[int, dict[str, Any]] | None:
    """The objects of the block's ``sure`` lines decoded in one call (half the cost of one
    call each), by line; None when that could differ from decoding each alone: then each
    is. Each sure line holds ``"id"`` once, in its head, and no backslash, so when every
    value decoded is an object with its line's id at its top, each value is its line."""
    sure = sorted(block.sure)
    if not sure:
        return {}
    lines = list(map(block.lines.__getitem__, sure))
    brackets = map(
        add, map(bytes.count, lines, repeat(b"{")), map(bytes.count, lines, repeat(b"["))
    )
    if max(brackets) > MAX_DEPTH:  # jsontree.loads would cap what lies deeper
        return None
    try:
        values = _DECODER.decode("[" + decode(b",".join(lines)) + "]")
    except (ValueError, RecursionError):  # one is not JSON, or holds a long integer
        return None
    if len(values) != len(lines):
        return None
    try:  # each an object whose id is text (else TypeError) ...
        found = list(map(_UTF8, map(dict.get, values, repeat("id"))))
    except (TypeError, UnicodeEncodeError):
        return None
    ids = list(map(block.ids.__getitem__, sure))
    if found != (ids if isinstance(ids[0], bytes) else list(map(_UTF8, ids))):
        return None  # ... and its line's (ids are all bytes, or all text)
    return dict(zip(sure, values, strict=True))


def _ids(raw: tuple[bytes, ...]) -> list[str] | list[bytes] | None:
    """Each line's id as ``Scan._glance`` reads it (the bytes themselves when they are
    ASCII), or None when one is blank or spelled with an escape."""
    joined = b"".join(raw)
    if b"\\" in joined or b"\n" in joined or not all(raw):
        return None
    if SAME_HASH and joined.isascii():
        if len(joined.translate(None, _ASCII_SPACE)) == len(joined):
            return list(raw)  # no space at all: none is blank
        return list(raw) if all(map(bytes.strip, raw, repeat(_ASCII_SPACE))) else None
    try:
        ids = list(map(bytes.decode, raw))
    except UnicodeDecodeError:
        return None
    return ids if all(map(str.strip, ids)) else None


def _stamps(
    minutes: tuple[bytes, ...],
    secs: tuple[bytes, ...],
    millis: tuple[bytes, ...],
    known: dict[bytes, int | None],
) -> list[int] | None:
    """Each line's time (epoch ms) as parse_timestamp_ms reads it, or None when one is
    not ``YYYY-MM-DDTHH:MM:SS.mmmZ`` or not a time it reads so. ``known`` remembers the
    times of whole minutes; seconds and milliseconds are looked up (no int() per line)."""
    fresh = set(minutes).difference(known)
    if len(known) + len(fresh) > KNOWN_MINUTES:
        known.clear()
        fresh = set(minutes)
    for minute in fresh:
        known[minute] = _minute_ms(minute)
    at_minute = list(map(known.__getitem__, minutes))
    in_minute = list(map(_SECONDS.get, secs))
    in_second = list(map(_MILLIS.get, millis))
    if None in at_minute or None in in_minute or None in in_second:
        return None
    return list(map(add, map(add, at_minute, in_minute), in_second))


def _minute_ms(minute: bytes) -> int | None:
    """Epoch ms of ``YYYY-MM-DDTHH:MM`` (UTC) when every millisecond of that minute is a
    time parse_timestamp_ms reads as this plus its seconds and milliseconds; else None."""
    if not _MINUTE.fullmatch(minute):
        return None
    try:
        ms = parse_timestamp_ms(minute.decode() + ":00Z")
    except (ValueError, OverflowError):
        return None
    return ms if ms >= MIN_TIME_MS and ms + 59_999 <= MAX_TIME_MS else None
