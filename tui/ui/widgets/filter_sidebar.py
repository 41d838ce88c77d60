"""FilterSidebar: the common filters as controls, a second view of the applied query.

It owns the status, the ``==`` filters on toolkit, tool, user and session (on a Buddy
source: pipeline, action, branch and user, issue 17 §4), and the time preset. Changing
one posts ``Edited`` with the whole new query text: every other term
of the bar's query (``!=``, ``~``, other fields, words, a custom time) is kept as it was.
The applied query is the one source of truth: ``show`` draws every control from it
(after every apply, clear and view), and a control posts ``Edited`` only when what it
now says differs from it, so drawing never applies anything and the views cannot
ping-pong. The fields complete from the values seen, as the bar does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input, Label, RadioButton, RadioSet

from tui.query import Filter, Kind, LogQuery, complete_value, format_query
from tui.ui.actions import bindings
from tui.ui.widgets.built_later import BuiltLater

SeenValues = Callable[[], Mapping[str, Iterable[str]]]

STATUSES = (("any", None), ("failed", "failed"), ("ok", "success"))
FIELDS = (
    ("toolkit", "toolkit_slug"),
    ("tool", "tool_slug"),
    ("user", "user_id"),
    ("session", "session_id"),
)
BUDDY_FIELDS = (
    ("pipeline", "pipeline"),
    ("action", "action"),
    ("branch", "branch"),
    ("user", "user_id"),
)
# Both kinds' fields, each once, in an order that keeps each kind's own: the sidebar holds
# them all and shows those of the source's kind (a switch of source changes which).
ALL_FIELDS = (FIELDS[0], FIELDS[1], *BUDDY_FIELDS[:3], FIELDS[2], FIELDS[3])
PRESETS = ("all", "15m", "1h", "24h", "7d", "custom")
_OWNED = {"status", *(field for _, field in (*FIELDS, *BUDDY_FIELDS))}


def fields_for(kind: Kind) -> tuple[tuple[str, str], ...]:
    """The sidebar's fields (name, field) on a source of ``kind``."""
    return BUDDY_FIELDS if kind == "buddy" else FIELDS


_PRESET_TERM = re.compile(r"(?:^|\s)since:(15m|1h|24h|7d)(?=\s|$)")


def sidebar_text(
    current: LogQuery,
    *,
    status: str | None,
    fields: dict[str, str],
    preset: str,
) -> str:
    """The query text for the sidebar's settings, keeping every term it does not own."""
    kept = tuple(f for f in current.filters if not (f.field in _OWNED and f.operator == "=="))
    rest = LogQuery(
        filters=kept,
        time_range=current.time_range if preset == "custom" else None,
        words=current.words,
    )
    own: list[Filter] = []
    if status is not None:
        own.append(Filter("status", "==", status))
    own += [Filter(field, "==", value) for field, value in fields.items() if value]
    parts = [format_query(LogQuery(filters=tuple(own)))] if own else []
    if not rest.is_empty:
        parts.append(format_query(rest))
    if preset not in ("all", "custom"):
        parts.append(f"since:{preset}")
    return " ".join(parts)


def preset_of(query: LogQuery, text: str) -> str:
    if query.time_range is None:
        return "all"
    found = _PRESET_TERM.search(text)
    return found.group(1) if found and "until:" not in text else "custom"


@dataclass(frozen=True)
class Controls:
    """What the sidebar's controls say: a status, the field values, a time preset."""

    status: str | None
    fields: tuple[tuple[str, str], ...]  # (api field, value), in FIELDS order
    preset: str

    @classmethod
    def of(
        cls, query: LogQuery, text: str, fields: tuple[tuple[str, str], ...] = FIELDS
    ) -> Controls:
        """What the controls say for an applied query."""

        def equal_to(field: str) -> str | None:
            found = (f.value for f in query.filters if f.field == field and f.operator == "==")
            return next(found, None)

        return cls(
            status=equal_to("status"),
            fields=tuple((field, equal_to(field) or "") for _, field in fields),
            preset=preset_of(query, text),
        )


class FieldSuggester(Suggester):
    """Ghost text in a field: the values seen for it, as the bar completes them."""

    def __init__(self, field: str, values: SeenValues) -> None:
        super().__init__(use_cache=False, case_sensitive=True)  # seen values change
        self._field = field
        self._values = values

    def candidates(self, value: str) -> list[str]:
        if not value:
            return []
        return complete_value(value, self._values().get(self._field, ()))

    async def get_suggestion(self, value: str) -> str | None:
        candidates = self.candidates(value)
        return candidates[0] if candidates and candidates[0] != value else None


class FieldInput(Input):
    """A field of the sidebar, with the bar's keys: Tab or → takes the completion (Tab
    moves on when there is none), Enter takes it too (a field is matched exactly, so
    ``gm`` alone would match nothing) and applies, Esc cancels the edit."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("query")

    class Cancelled(Message):
        """Esc: the field shows the applied query's value again."""

    def _completion(self) -> str | None:
        if not isinstance(self.suggester, FieldSuggester):
            return None
        candidates = self.suggester.candidates(self.value.strip())
        return candidates[0] if candidates else None

    def _take(self, value: str) -> None:
        self.value = value
        self.cursor_position = len(value)

    def action_complete(self) -> None:
        completion = self._completion()
        if completion is not None and completion != self.value:
            self._take(completion)
        else:
            self.screen.focus_next()

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())

    async def action_submit(self) -> None:
        completion = self._completion()
        if completion is not None:
            self._take(completion)
        await super().action_submit()


class FilterSidebar(BuiltLater, VerticalScroll):
    """Its controls are composed when it is first shown (``BuiltLater``): until then
    ``show_kind`` and ``show`` keep what they are asked to draw."""

    DEFAULT_CSS = """
    FilterSidebar {
        width: 26; dock: left; background: $panel; padding: 0 1;
        border-right: vkey $primary-background;
    }
    FilterSidebar > Label { margin-top: 1; color: $text-muted; text-style: bold; }
    /* Focus must not add a border: the buttons would move between mouse down and up,
       and the first click on them would be lost. */
    FilterSidebar RadioSet, FilterSidebar RadioSet:focus {
        width: 100%; border: none; background: $panel; padding: 0;
    }
    FilterSidebar RadioSet:focus { background: $boost; }
    FilterSidebar Input { margin-left: 1; }
    """

    class Cancelled(Message):
        """Esc in a field: every control shows the applied query again."""

    class Edited(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    FIELD_IDS: ClassVar[dict[str, str]] = {
        field: f"side-{name}" for name, field in (*FIELDS, *BUDDY_FIELDS)
    }

    def __init__(self, *, values: SeenValues, kind: Kind = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._values = values
        self.fields = fields_for(kind)
        self._query = LogQuery()
        self._text = ""
        self._applied = Controls.of(self._query, "", self.fields)

    def compose_children(self) -> ComposeResult:
        yield Label("Status")
        with RadioSet(id="side-status"):
            for n, (word, _) in enumerate(STATUSES):
                yield RadioButton(word, value=n == 0, id=f"side-status-{word}")
        for name, field in ALL_FIELDS:
            heading = Label(name.capitalize(), classes=f"side-{field}")
            entry = FieldInput(
                placeholder=f"any {name}",
                id=self.FIELD_IDS[field],
                classes=f"side-{field}",
                suggester=FieldSuggester(field, self._values),
                select_on_focus=False,
                compact=True,
            )
            heading.display = entry.display = (name, field) in self.fields
            yield heading
            yield entry
        yield Label("Time")
        with RadioSet(id="side-time"):
            for n, preset in enumerate(PRESETS):
                label = {"all": "all time", "custom": "custom (in the bar)"}.get(
                    preset, f"last {preset}"
                )
                yield RadioButton(
                    label, value=n == 0, disabled=preset == "custom", id=f"side-time-{preset}"
                )

    def show_kind(self, kind: Kind) -> None:
        """Offer the fields of a source of ``kind`` (after a switch of source); ``show``
        then draws them from the query applied there."""
        self.fields = fields = fields_for(kind)

        def draw() -> None:
            for name, field in ALL_FIELDS:
                for widget in self.query(f".side-{field}"):
                    widget.display = (name, field) in fields

        self.draw("kind", draw)

    def show(self, query: LogQuery, text: str) -> None:
        """Draw every control from the applied query (applying nothing)."""
        self._query, self._text = query, text
        self._applied = applied = Controls.of(query, text, self.fields)

        def draw() -> None:
            with self.prevent(Input.Changed):
                for field, value in applied.fields:
                    self.query_one(f"#{self.FIELD_IDS[field]}", Input).value = value
            status = next((n for n, (_, s) in enumerate(STATUSES) if s == applied.status), 0)
            self._light("#side-status", status)
            self._light("#side-time", PRESETS.index(applied.preset))

        self.draw("query", draw)

    def _light(self, selector: str, index: int) -> None:
        """Exactly one button on. The others go off quietly (the set would turn a button
        switched off back on); the one turned on is heard by the set, which must know
        which is pressed, and its Changed then matches the applied query: no Edited."""
        buttons = list(self.query_one(selector, RadioSet).query(RadioButton))
        with self.prevent(RadioButton.Changed):
            for n, button in enumerate(buttons):
                if n != index:
                    button.value = False
        buttons[index].value = True

    def _controls(self) -> Controls:
        status_index = self.query_one("#side-status", RadioSet).pressed_index
        time_index = self.query_one("#side-time", RadioSet).pressed_index
        return Controls(
            status=STATUSES[max(0, status_index)][1],
            fields=tuple(
                (field, self.query_one(f"#{self.FIELD_IDS[field]}", Input).value.strip())
                for _, field in self.fields
            ),
            preset=PRESETS[max(0, time_index)],
        )

    def _edited(self) -> None:
        controls = self._controls()
        if controls == self._applied:
            return  # drawn from the applied query, or set back to it: nothing to apply
        text = sidebar_text(
            self._query,
            status=controls.status,
            fields=dict(controls.fields),
            preset=controls.preset,
        )
        self.post_message(self.Edited(text))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._edited()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._edited()

    def on_field_input_cancelled(self, event: FieldInput.Cancelled) -> None:
        event.stop()
        self.show(self._query, self._text)
        self.post_message(self.Cancelled())
