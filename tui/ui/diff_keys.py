"""m, d and b: mark a call, and show what differs between two calls."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from textual.app import App

from tui.errors import ApiError
from tui.sanitize import clean
from tui.session import Session
from tui.ui.widgets.log_table import LogTable


class DiffKeys:
    """The app's m/d/b actions call these; the fetching runs in workers."""

    def __init__(
        self, app: App[Any], session: Session, *, current_log_id: Callable[[], str | None]
    ) -> None:
        self.app = app
        self.calls = session.calls
        self._current_log_id = current_log_id

    def mark(self) -> None:
        log_id = self._current_log_id()
        if log_id is not None:
            self.calls.marked = log_id
            for table in self.app.query(LogTable):  # the row shows the mark
                table.set_marked(log_id)
            self.app.notify(
                f"Marked {clean(log_id)}: d on another log shows what differs.", timeout=3
            )

    def diff_marked(self) -> None:
        current, marked = self._current_log_id(), self.calls.marked
        if marked is None:
            self.app.notify("Mark a log with m first, then press d on another.", timeout=3)
        elif current is not None and current != marked:
            self._run(self._show_diff(marked, current, ""))

    def diff_last_success(self) -> None:
        current = self._current_log_id()
        if current is not None:
            self._run(self._diff_with_last_success(current))

    def _run(self, work: Coroutine[Any, Any, None]) -> None:
        self.app.run_worker(work, group="diff", exclusive=True, exit_on_error=False)

    async def _show_diff(self, first_id: str, second_id: str, why: str) -> None:
        try:
            first, second = await self.calls.get(first_id), await self.calls.get(second_id)
        except ApiError as error:
            self.app.notify(f"Could not compare: {error}", severity="error")
            return
        from tui.ui.screens.diff import DiffScreen  # when first asked for (issue 15)

        self.app.push_screen(DiffScreen(first, second, why=why))

    async def _diff_with_last_success(self, log_id: str) -> None:
        """Against the newest success of the same tool before this call (else the newest)."""
        try:
            call = await self.calls.get(log_id)
            found = await self.calls.last_success(call)
        except ApiError as error:
            self.app.notify(f"Could not look for a success: {error}", severity="error")
            return
        if found is None:
            self.app.notify(f"No successful call of {call.tool} to compare with.", timeout=4)
            return
        why = f"the last successful {call.tool} call against this one"
        await self._show_diff(found.id, log_id, why)
