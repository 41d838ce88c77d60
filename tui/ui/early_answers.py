"""What the first requests bring before the screen is ready (issue 15, first rows).

The app asks for the first page as it starts (``on_load``), while Textual builds the
screen, instead of once the screen is up. An answer that lands before the screen is
ready is held here by the worker that fetched it, and handled, in the order it came,
when the screen has mounted its widgets and before it paints them: a file's rows are
then in the first paint, where they came three paints later before.
"""

from __future__ import annotations

from collections.abc import Callable

from tui.ui.messages import LogsArrived, PollFailed

Answer = LogsArrived | PollFailed


class EarlyAnswers:
    def __init__(self) -> None:
        self._held: list[Answer] | None = []  # None once the screen is ready

    @property
    def ready(self) -> bool:
        """Whether the screen is ready (what was held is handled)."""
        return self._held is None

    def hold(self, answer: Answer) -> bool:
        """Keep ``answer`` for later, while the screen is not ready (then True)."""
        if self._held is None:
            return False
        self._held.append(answer)
        return True

    def release(
        self, rows: Callable[[LogsArrived], None], failure: Callable[[PollFailed], None]
    ) -> None:
        """The screen is ready: handle what was held, and nothing is held from now on."""
        held, self._held = self._held or [], None
        for answer in held:
            if isinstance(answer, LogsArrived):
                rows(answer)
            else:
                failure(answer)
