"""The app's state and decisions without Textual (see session.py)."""

from tui.session.calls import Calls
from tui.session.session import (
    WAITING,
    Failure,
    Fetched,
    Purpose,
    Session,
    Stored,
    Switched,
)
from tui.session.sources import LAUNCH, SourceBook, SourceChoice, configured_sources
from tui.session.state import DEFAULT_WHAT, State, StatusInfo, TitleInfo

__all__ = [
    "DEFAULT_WHAT",
    "LAUNCH",
    "WAITING",
    "Calls",
    "Failure",
    "Fetched",
    "Purpose",
    "Session",
    "SourceBook",
    "SourceChoice",
    "State",
    "StatusInfo",
    "Stored",
    "Switched",
    "TitleInfo",
    "configured_sources",
]
