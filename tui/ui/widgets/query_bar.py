"""QueryBar: the query typed as text, checked as you type, applied with Enter.

``/`` or ``:`` focuses it (bindings on the screen). Completion shows field names and the
values seen so far as ghost text; Tab or → takes it. A term the API cannot take is
pointed at under the bar with what to do, and nothing is applied until the text parses.
Esc drops the query. The text is parsed by ``tui.query``, the one home of the language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from tui.query import LogQuery, QuerySyntaxError, complete, term_span
from tui.sanitize import clean
from tui.ui.actions import bindings

PLACEHOLDER = "filter: failed toolkit:gmail user:alice tool~SEARCH since:1h · words search messages"
PROMPT = "/ "


class QuerySuggester(Suggester):
    def __init__(self, values: Callable[[], Mapping[str, Iterable[str]]]) -> None:
        # Seen values change with every poll: no cache.
        super().__init__(use_cache=False, case_sensitive=True)
        self._values = values

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith(" "):
            return None
        candidates = complete(value, len(value), self._values())
        if not candidates:
            return None
        start, _ = term_span(value, len(value))
        suggestion = value[:start] + candidates[0]
        return suggestion if suggestion != value else None


class QueryInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = bindings("query")

    class Dropped(Message):
        """Esc: forget the query."""

    def action_complete(self) -> None:
        if self._suggestion:
            self.value = self._suggestion
            self.cursor_position = len(self.value)

    def action_drop(self) -> None:
        self.post_message(self.Dropped())


class QueryBar(Widget):
    DEFAULT_CSS = """
    QueryBar { height: auto; background: $surface; }
    QueryBar > Horizontal { height: 1; }
    QueryBar #query-prompt { width: 2; color: $accent; text-style: bold; }
    QueryBar QueryInput { width: 1fr; background: $surface; }
    QueryBar QueryInput:focus { background: $boost; }
    QueryBar #query-error { height: auto; color: $text-error; display: none; }
    QueryBar.-error #query-error { display: block; }
    """

    class Applied(Message):
        """Enter on a query that parses: the app applies it."""

        def __init__(self, text: str, query: LogQuery) -> None:
            super().__init__()
            self.text = text
            self.query = query

    def __init__(
        self,
        *,
        parse: Callable[[str], LogQuery],
        values: Callable[[], Mapping[str, Iterable[str]]],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._parse = parse  # the session's: text as a query at its now
        self._values = values

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(PROMPT, id="query-prompt")
            yield QueryInput(
                placeholder=PLACEHOLDER,
                suggester=QuerySuggester(self._values),
                select_on_focus=False,
                compact=True,  # one line, no border: the bar is a line of the screen
                id="query-input",
            )
        yield Static("", id="query-error", markup=False)

    @property
    def input(self) -> QueryInput:
        return self.query_one(QueryInput)

    @property
    def text(self) -> str:
        return self.input.value

    def show(self, text: str) -> None:
        """Put ``text`` in the bar (a query applied elsewhere) without applying it."""
        with self.input.prevent(Input.Changed):
            self.input.value = text
            self.input.cursor_position = len(text)
        self._check(text)

    def _check(self, text: str) -> LogQuery | None:
        try:
            query = self._parse(text)
        except QuerySyntaxError as error:
            self._show_error(error)
            return None
        self.remove_class("-error")
        return query

    def _show_error(self, error: QuerySyntaxError) -> None:
        # Under the term: as many carets as it is long, then what to do about it.
        scroll = int(self.input.scroll_offset.x)
        pad = " " * max(0, len(PROMPT) + error.position - scroll)
        carets = "^" * max(1, error.length)
        message = clean(str(error), max_len=300)
        self.query_one("#query-error", Static).update(
            Text.assemble(pad, (carets, "bold"), " ", message)
        )
        self.add_class("-error")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._check(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = self._check(event.value)
        if query is not None:
            self.post_message(self.Applied(event.value.strip(), query))
