"""What the status line and the title say, as plain data the session decides.

Frozen dataclasses: a change is ``dataclasses.replace(info, field=value)``, which mypy
checks field by field, so a misspelt or mistyped change fails the type check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

State = Literal["connecting", "live", "paused", "retrying", "error", "stopped"]
DEFAULT_WHAT = "all tool executions, newest first"


def everything(kind: str | None) -> str:
    """What every row is, on a source of ``kind`` (``query_kind``): a Buddy row is an
    action execution."""
    return "all action executions" if kind == "buddy" else "all tool executions"


def default_what(kind: str | None) -> str:
    """What the title calls showing everything, on a source of ``kind``."""
    return f"{everything(kind)}, newest first"


@dataclass(frozen=True)
class StatusInfo:
    source: str
    state: State = "connecting"
    loaded: int = 0
    failed: int = 0
    last_poll: float | None = None  # epoch seconds
    error: str | None = None  # one line: what went wrong and what to do
    retry_at: float | None = None  # epoch seconds, while retrying
    now: float | None = None  # epoch seconds, for the countdown (the app's clock)
    gap: str | None = None  # logs a poll could not load, and how to load them
    skipped: int = 0  # unreadable logs (or file lines) left out this session
    first_skipped: str | None = None  # the first of them: which, and why
    note: str | None = None  # what the state means now (paused on a new query's first page)


@dataclass(frozen=True)
class TitleInfo:
    what: str = DEFAULT_WHAT  # the query applied, or what showing everything means
    loaded: int = 0
    more_older: bool | None = None  # None: not known yet
    loading_older: bool = False
    unseen: int = 0  # "+N new" while not following
    progress: str | None = None  # a long first read of a file: how far it has come
    # The source, once it has a name (-s NAME, or after a switch): "prod · composio · host".
    source: str | None = None
    filtered: str = ""  # where the query is applied, when not by the API (Buddy's runs)
