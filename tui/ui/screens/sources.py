"""SourcesScreen: pick the source to watch, like k9s contexts (issue 17 §7).

The launch source and config.toml's ``[sources.NAME]`` tables, read when the screen
opens (an edit is picked up without a restart); the current one is marked. A table
config.toml cannot give is said under the list, and the sources that can be had stay.
Only names, kinds, hosts and projects are shown: never a key.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from tui.sanitize import clean
from tui.session import SourceChoice
from tui.ui.actions import bindings
from tui.ui.screens.modal import OnceModal, picker_css

CURRENT_MARK = "●"


class SourcesScreen(OnceModal[SourceChoice | None]):
    DEFAULT_CSS = (
        picker_css("SourcesScreen")
        + "SourcesScreen #sources-problem { color: $text-error; height: auto; }"
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings("sources")

    def __init__(self, choices: list[SourceChoice], problem: str | None = None) -> None:
        super().__init__()
        self.choices = choices
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Sources: Enter switches · Esc closes")
            yield OptionList(*(self._option(choice) for choice in self.choices), id="sources")
            problem = Label(
                clean(self.problem or "", max_len=400), id="sources-problem", markup=False
            )
            problem.display = bool(self.problem)
            yield problem

    @staticmethod
    def _option(choice: SourceChoice) -> Option:
        mark = f"{CURRENT_MARK} " if choice.current else "  "
        return Option(
            Text.assemble(
                (mark, "bold green"),
                (clean(choice.name, max_len=40), "bold"),
                "  ",
                (clean(f"{choice.kind} · {choice.where}", max_len=100), "italic"),
                ("  (current)" if choice.current else "", "dim"),
            )
        )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = next((n for n, choice in enumerate(self.choices) if choice.current), 0)
        if self.choices:
            options.highlighted = current
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.close(self.choices[event.option_index])

    def action_close(self) -> None:
        self.close(None)
