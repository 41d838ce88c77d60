"""Messages workers post to the app; handlers on the app change the screen."""

from __future__ import annotations

from textual.message import Message

from tui.sources.errors import ApiError
from tui.tail import TailBatch


class LogsArrived(Message):
    def __init__(self, batch: TailBatch) -> None:
        super().__init__()
        self.batch = batch


class PollFailed(Message):
    def __init__(self, error: ApiError, at: float) -> None:
        super().__init__()
        self.error = error
        self.at = at
