"""ViewsScreen: pick a saved view, save the current query as one, or delete one."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tui.errors import ConfigError
from tui.sanitize import clean
from tui.ui.actions import bindings
from tui.ui.screens.modal import OnceModal, picker_css
from tui.views import View, all_views, delete_view, save_view


class ViewsScreen(OnceModal[View | None]):
    DEFAULT_CSS = (
        picker_css("ViewsScreen")
        + """
    ViewsScreen #views-save { margin-top: 1; }
    ViewsScreen #views-problem { color: $text-error; height: auto; }
    ViewsScreen .hint { color: $text-muted; }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = bindings("views")

    def __init__(self, current_query: str) -> None:
        super().__init__()
        self.current_query = current_query
        self.views: list[View] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Views: Enter applies · s saves the query · d deletes · Esc closes")
            yield OptionList(id="views-list")
            yield Input(
                placeholder="name for the current query, then Enter",
                id="views-save",
                compact=True,
                disabled=not self.current_query,
            )
            yield Label("", id="views-problem", markup=False)

    def on_mount(self) -> None:
        self._load()
        self.query_one(OptionList).focus()

    def _load(self) -> None:
        problem = ""
        try:
            self.views = all_views()
        except ConfigError as error:
            from tui.views import BUILTIN_VIEWS

            self.views, problem = list(BUILTIN_VIEWS), str(error)
        options = self.query_one(OptionList)
        options.clear_options()
        for view in self.views:
            label = Text.assemble(
                (clean(view.name, max_len=80), "bold"),
                "  ",
                (clean(view.query, max_len=120), "italic"),
                ("  built-in" if view.builtin else "", "dim"),
            )
            options.add_option(Option(label))
        if self.views:
            options.highlighted = 0
        self._problem(problem)

    def _problem(self, text: str) -> None:
        self.query_one("#views-problem", Label).update(clean(text, max_len=300))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.close(self.views[event.option_index])

    def action_close(self) -> None:
        self.close(None)

    def action_focus_save(self) -> None:
        if not self.current_query:
            self._problem("There is no query to save: type one in the bar first.")
            return
        self.query_one("#views-save", Input).focus()

    def action_delete(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        view = self.views[index]
        if view.builtin:
            self._problem(f"{view.name!r} is built in and cannot be deleted.")
            return
        try:
            delete_view(view.name)
        except ConfigError as error:
            self._problem(str(error))
            return
        self._load()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            save_view(event.value, self.current_query)
        except ConfigError as error:
            self._problem(str(error))
            return
        event.input.value = ""
        self._load()
        self.query_one(OptionList).focus()
