"""A modal screen that closes once, however many keys arrive at once."""

from __future__ import annotations

from typing import TypeVar

from textual.binding import ActiveBinding
from textual.screen import ModalScreen

from tui.ui.working_keys import working

ResultType = TypeVar("ResultType")


class OnceModal(ModalScreen[ResultType]):
    """Over a laggy SSH link several keys arrive in one read: ``v Enter Enter`` would
    pick a view and then dismiss the screen again, popping the main screen from under
    the app (``ScreenStackError``). ``close`` dismisses once; later calls do nothing."""

    _dismissing = False

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What F1 lists: only keys that do something here (tui.ui.working_keys)."""
        return working(super().active_bindings)

    def close(self, result: ResultType) -> None:
        if not self._dismissing:
            self._dismissing = True
            self.dismiss(result)


def picker_css(screen: str) -> str:
    """A picking screen's box (views, sources): centred, a list and a line or two."""
    return f"""
    {screen} {{ align: center middle; }}
    {screen} > Vertical {{
        width: 80%; max-width: 90; height: auto; max-height: 80%;
        background: $panel; border: round $primary; padding: 0 1;
    }}
    {screen} OptionList, {screen} OptionList:focus {{
        height: auto; max-height: 20; border: none; padding: 0;
    }}
    """
