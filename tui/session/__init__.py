"""The app's state and decisions without Textual (see session.py)."""

from tui.session.calls import Calls
from tui.session.session import (
    WAITING,
    Failure,
    Fetched,
    Purpose,
    Session,
    Stored,
)
from tui.session.state import DEFAULT_WHAT, State, StatusInfo, TitleInfo

__all__ = [
    "DEFAULT_WHAT",
    "WAITING",
    "Calls",
    "Failure",
    "Fetched",
    "Purpose",
    "Session",
    "State",
    "StatusInfo",
    "Stored",
    "TitleInfo",
]
