"""QueryBar: the query typed as text, checked as you type, applied with Enter.

``/`` or ``:`` focuses it (bindings on the screen). Completion shows field names and the
values seen so far as ghost text; Tab or → takes it. A term the API cannot take is
pointed at under the bar with what to do, and nothing is applied until the text parses.
Esc cancels the edit: the bar shows the applied query again (Esc on the table clears it).
The text is parsed by ``tui.query``, the one home of the language.
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

from tui.query import Kind, LogQuery, QuerySyntaxError, complete, term_span
from tui.sanitize import clean
from tui.ui.actions import bindings

# An example, never mistaken for an applied filter (the title says what is applied).
PLACEHOLDER = "type a query, e.g. failed toolkit:gmail since:1h — F1 for help"
BUDDY_PLACEHOLDER = (
    "type a query, e.g. failed pipeline:release branch:master since:1h — F1 for help"
)


def placeholder_for(kind: Kind) -> str:
    return BUDDY_PLACEHOLDER if kind == "buddy" else PLACEHOLDER


PROMPT = "/ "


class QuerySuggester(Suggester):
    def __init__(
        self, values: Callable[[], Mapping[str, Iterable[str]]], kind: Kind = None
    ) -> None:
        # Seen values change with every poll: no cache.
        super().__init__(use_cache=False, case_sensitive=True)
        self._values = values
        self._kind = kind  # the source's: only its fields are offered

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith(" "):
            return None
        candidates = complete(value, len(value), self._values(), self._kind)
        if not candidates:
            return None
        start, _ = term_span(value, len(value))
        suggestion = value[:start] + candidates[0]
        return suggestion if suggestion != value else None


class QueryInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = bindings("query")

    class Cancelled(Message):
        """Esc: forget the edit."""

    def action_complete(self) -> None:
        if self._suggestion:
            self.value = self._suggestion
            self.cursor_position = len(self.value)

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


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

    class Cancelled(Message):
        """Esc in the bar: the applied query is shown again, nothing is applied."""

    def __init__(
        self,
        *,
        parse: Callable[[str], LogQuery],
        values: Callable[[], Mapping[str, Iterable[str]]],
        kind: Kind = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._parse = parse  # the session's: text as a query at its now
        self._values = values
        self._kind = kind
        self._applied = ""  # the text of the applied query, which Esc shows again

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(PROMPT, id="query-prompt")
            yield QueryInput(
                placeholder=placeholder_for(self._kind),
                suggester=QuerySuggester(self._values, self._kind),
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

    def show_kind(self, kind: Kind) -> None:
        """Offer the fields of a source of ``kind`` (after a switch of source)."""
        self._kind = kind
        self.input.suggester = QuerySuggester(self._values, kind)
        self.input.placeholder = placeholder_for(kind)

    def show(self, text: str, *, applied: bool) -> None:
        """Put ``text`` in the bar without applying it: the applied query's text, or a
        draft to finish (a view that waits for a value, text that does not parse)."""
        if applied:
            self._applied = text
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

    def on_query_input_cancelled(self, event: QueryInput.Cancelled) -> None:
        event.stop()
        self.show(self._applied, applied=True)
        self.post_message(self.Cancelled())

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._check(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = self._check(event.value)
        if query is not None:
            self.post_message(self.Applied(event.value.strip(), query))
