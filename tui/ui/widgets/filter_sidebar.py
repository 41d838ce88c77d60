"""FilterSidebar: the common filters as controls, a second view of the bar's query.

It owns the status, the ``==`` filters on toolkit, tool, user and session, and the time
preset. Changing one posts ``Edited`` with the whole new query text: every other term
of the bar's query (``!=``, ``~``, other fields, words, a custom time) is kept as it was.
``show`` sets the controls from an applied query without posting anything, so the two
views cannot ping-pong.
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, RadioButton, RadioSet

from tui.query import Filter, LogQuery, format_query

STATUSES = (("any", None), ("failed", "failed"), ("ok", "success"))
FIELDS = (
    ("toolkit", "toolkit_slug"),
    ("tool", "tool_slug"),
    ("user", "user_id"),
    ("session", "session_id"),
)
PRESETS = ("all", "15m", "1h", "24h", "7d", "custom")
_OWNED = {"status", *(field for _, field in FIELDS)}
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


class FilterSidebar(VerticalScroll):
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

    class Edited(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    FIELD_IDS: ClassVar[dict[str, str]] = {field: f"side-{name}" for name, field in FIELDS}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._query = LogQuery()

    def compose(self) -> ComposeResult:
        yield Label("Status")
        with RadioSet(id="side-status"):
            for n, (label, _) in enumerate(STATUSES):
                yield RadioButton(label, value=n == 0, id=f"side-status-{label}")
        for name, field in FIELDS:
            yield Label(name.capitalize())
            yield Input(
                placeholder=f"any {name}",
                id=self.FIELD_IDS[field],
                select_on_focus=False,
                compact=True,
            )
        yield Label("Time")
        with RadioSet(id="side-time"):
            for n, preset in enumerate(PRESETS):
                label = {"all": "all time", "custom": "custom (in the bar)"}.get(
                    preset, f"last {preset}"
                )
                yield RadioButton(
                    label, value=n == 0, disabled=preset == "custom", id=f"side-time-{preset}"
                )

    def show(self, query: LogQuery, text: str) -> None:
        """Set the controls from the applied query, quietly."""
        self._query = query
        status = next(
            (f.value for f in query.filters if f.field == "status" and f.operator == "=="), None
        )
        values = {
            field: next(
                (f.value for f in query.filters if f.field == field and f.operator == "=="), ""
            )
            for _, field in FIELDS
        }
        with self.prevent(RadioSet.Changed, RadioButton.Changed, Input.Changed):
            index = next((n for n, (_, s) in enumerate(STATUSES) if s == status), 0)
            self._press("#side-status", index)
            for field, value in values.items():
                self.query_one(f"#{self.FIELD_IDS[field]}", Input).value = value
            self._press("#side-time", PRESETS.index(preset_of(query, text)))

    def _press(self, selector: str, index: int) -> None:
        buttons = list(self.query_one(selector, RadioSet).query(RadioButton))
        if not buttons[index].value:
            buttons[index].value = True

    def _edited(self) -> None:
        status_index = self.query_one("#side-status", RadioSet).pressed_index
        time_index = self.query_one("#side-time", RadioSet).pressed_index
        text = sidebar_text(
            self._query,
            status=STATUSES[max(0, status_index)][1],
            fields={
                field: self.query_one(f"#{self.FIELD_IDS[field]}", Input).value.strip()
                for _, field in FIELDS
            },
            preset=PRESETS[max(0, time_index)],
        )
        self.post_message(self.Edited(text))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._edited()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._edited()
