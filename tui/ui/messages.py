"""Messages workers post to the app; handlers on the app change the screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from tui.errors import ApiError
from tui.models.entry import LogEntry
from tui.session import Purpose
from tui.tail import TailBatch

if TYPE_CHECKING:  # the call model is loaded with the first detail (issue 15)
    from tui.models.call import CallDetail

# Every message carries the generation of the query it was fetched for: applying a new
# query starts a new generation, and what arrives for an old one is dropped.


class LogsArrived(Message):
    def __init__(
        self,
        batch: TailBatch,
        purpose: Purpose = "poll",
        generation: int = 0,
        *,
        final: bool = True,  # False: more of the same batch follows in another message
    ) -> None:
        super().__init__()
        self.batch = batch
        self.purpose = purpose
        self.generation = generation
        self.final = final


class PollFailed(Message):
    def __init__(
        self, error: ApiError, at: float, purpose: Purpose = "poll", generation: int = 0
    ) -> None:
        super().__init__()
        self.error = error
        self.at = at
        self.purpose = purpose
        self.generation = generation


class CallLoaded(Message):
    """A call's detail and per-step log, ready for the detail pane."""

    def __init__(self, call: CallDetail) -> None:
        super().__init__()
        self.call = call


class CallFailed(Message):
    def __init__(self, log_id: str, error: ApiError) -> None:
        super().__init__()
        self.log_id = log_id
        self.error = error


class CopyReady(Message):
    """A call fetched so that something about it can be copied (``kind``: rerun, json)."""

    def __init__(self, kind: str, call: CallDetail) -> None:
        super().__init__()
        self.kind = kind
        self.call = call


class ExportDone(Message):
    """An export finished (``error`` None) or stopped on a file error."""

    def __init__(self, path: str, written: int, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.written = written
        self.error = error


class ChildrenFound(Message):
    """The calls a meta-tool call made, or why they could not be listed."""

    def __init__(
        self, log_id: str, children: list[LogEntry] | None, error: ApiError | None = None
    ) -> None:
        super().__init__()
        self.log_id = log_id
        self.children = children
        self.error = error
