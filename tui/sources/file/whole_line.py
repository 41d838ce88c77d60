"""One line read whole: its JSON value (``load``), as a log (``parse``), with the texts
filters compare (``read_whole``); or what is wrong with it, said as the index says it.
"""

from __future__ import annotations

from typing import Any

from tui import jsontree
from tui.models.normalize import wire_texts
from tui.sources.file.index import read_log
from tui.sources.file.lines import decode


def load(line: bytes) -> Any:
    """A line's JSON value, or what is wrong with it (``Problem``)."""
    try:
        return jsontree.loads(decode(line))
    except ValueError as error:
        msg, col = getattr(error, "msg", str(error)), getattr(error, "colno", None)
        return Problem(f"not JSON ({msg} at column {col})")
    except RecursionError:
        return Problem("not JSON (nested too deeply)")


class Problem(str):
    """What is wrong with a line (a str of its own: a line may hold a JSON string)."""


def parse(line: bytes) -> tuple[dict[str, Any], tuple[str, int, Any]] | str:
    """A line read as a log (its object, and its id and time), or what is wrong with it
    (said as ``LineSplitter`` and ``Index`` say it)."""
    obj = load(line)
    if isinstance(obj, Problem):
        return str(obj)
    read = read_log(obj)
    if isinstance(read, str):
        return read
    return obj, read


def read_whole(line: bytes) -> tuple[str, int, tuple[str, ...]] | str | None:
    """A line read whole: its id, time and filter texts; what is wrong with it; or None
    (a blank line)."""
    if not line.strip():
        return None
    parsed = parse(line)
    if isinstance(parsed, str):
        return parsed
    obj, (log_id, ts, _) = parsed
    return log_id, ts, wire_texts(obj)
