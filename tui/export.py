"""Logs as JSON lines for files and pipes: the one format `e` writes, `list` and `tail`
print, and `--file` reads back.

Each line is one log as the Logs API lists it (api-contract A.2), with credentials
masked by ``tui.redact`` (credential-named keys, credential headers, URL tokens): an
export is handed to colleagues and attached to tickets, so nothing in it may work as
a key. Headless-safe: no Textual here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

from tui import debuglog, fmt, jsonout
from tui.files import create_unique
from tui.locations import export_dir
from tui.query import LogQuery
from tui.redact import redact_json


def export_line(raw: Mapping[str, Any]) -> str:
    """One log as one JSON line (with its newline), credentials masked, and toolwatch's
    own key masked should a server ever echo it into a log."""
    return debuglog.scrub(jsonout.dumps(redact_json(dict(raw)))) + "\n"


def create_export(folder: Path | None = None, *, now: float | None = None) -> tuple[Path, TextIO]:
    """A new private file whose name says what and when, ``toolwatch-20261126-113000.jsonl``
    (``-2``, ``-3``… when taken), opened for writing. The folder is the user's: it is
    neither created nor changed here. OSError when it cannot be written."""
    return create_unique(folder or export_dir(), f"toolwatch-{fmt.file_stamp(now)}", ".jsonl")


def write_matching(
    out: Any,
    rows: Iterable[tuple[str, str]],
    query: LogQuery,
    details: Mapping[str, Mapping[str, Any]] | None = None,
) -> int:
    """Write the ``(message, raw JSON)`` rows whose message holds the query's words;
    returns how many were written. A row whose id is in ``details`` is written as that
    object instead (a detail, with its per-step log under ``"trace"``). Runs in a
    thread: JSON work on many rows."""
    written = 0
    for message, raw in rows:
        if query.words and not query.matches_words(message):
            continue
        item = json.loads(raw)
        fuller = details.get(item.get("id")) if details else None
        out.write(export_line(fuller if fuller is not None else item))
        written += 1
    return written
