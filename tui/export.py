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
from typing import Any

from tui import debuglog, fmt, jsonout
from tui.locations import export_dir
from tui.query import LogQuery
from tui.redact import redact_json


def export_line(raw: Mapping[str, Any]) -> str:
    """One log as one JSON line (with its newline), credentials masked, and toolwatch's
    own key masked should a server ever echo it into a log."""
    return debuglog.scrub(jsonout.dumps(redact_json(dict(raw)))) + "\n"


def new_export_path(folder: Path | None = None, *, now: float | None = None) -> Path:
    """A fresh file name that says what and when: ``toolwatch-20261126-113000.jsonl``."""
    folder = folder or export_dir()
    stamp = fmt.file_stamp(now)
    path = folder / f"toolwatch-{stamp}.jsonl"
    counter = 1
    while path.exists():
        counter += 1
        path = folder / f"toolwatch-{stamp}-{counter}.jsonl"
    return path


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
