"""DiffScreen: what differs between two calls, one path a line."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from tui import fmt
from tui.diff import MAX_CHANGES, Change, diff_calls
from tui.models.call import CallDetail
from tui.sanitize import clean
from tui.ui.actions import bindings
from tui.ui.screens.modal import OnceModal


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return clean(text, max_len=300)


def diff_text(first: CallDetail, second: CallDetail, changes: list[Change]) -> Text:
    text = Text()
    if not changes:
        text.append("No difference in status, error, account, input, response or steps.", "dim")
        return text
    marks = {"changed": ("~", "yellow"), "removed": ("-", "red"), "added": ("+", "green")}
    for change in changes:
        mark, style = marks[change.kind]
        text.append(f"{mark} ", style)
        text.append(clean(change.path, max_len=200), "bold")
        text.append("  ")
        if change.kind == "changed":
            text.append(_show(change.before), "red")
            text.append("  →  ", "dim")
            text.append(_show(change.after), "green")
        elif change.kind == "removed":
            text.append(_show(change.before), "red")
        else:
            text.append(_show(change.after), "green")
        text.append("\n")
    if len(changes) >= MAX_CHANGES:
        text.append(f"(only the first {MAX_CHANGES} differences are listed)", "dim italic")
    text.rstrip()
    return text


class DiffScreen(OnceModal[None]):
    DEFAULT_CSS = """
    DiffScreen { align: center middle; }
    DiffScreen > Vertical {
        width: 90%; height: 85%; background: $panel; border: round $primary; padding: 0 1;
    }
    DiffScreen #diff-head { height: auto; margin-bottom: 1; }
    DiffScreen VerticalScroll { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("diff")

    def __init__(self, first: CallDetail, second: CallDetail, *, why: str = "") -> None:
        super().__init__()
        self.first, self.second = first, second
        self.changes = diff_calls(first, second)
        self.why = why

    def compose(self) -> ComposeResult:
        def who(call: CallDetail) -> Text:
            state = ("FAILED", "bold red") if call.failed else ("ok", "bold green")
            return Text.assemble(
                state, " ", (clean(call.tool, max_len=80), "bold"), " ", clean(call.log_id)
            )

        head = Text.assemble(
            ("from ", "dim"),
            who(self.first),
            ("\n  to ", "dim"),
            who(self.second),
            (f"\n{clean(self.why, max_len=200)}" if self.why else "", "italic dim"),
            (f"\n{fmt.count(len(self.changes), 'difference')} · Esc closes", "dim"),
        )
        with Vertical():
            yield Static(head, id="diff-head")
            with VerticalScroll():
                yield Static(diff_text(self.first, self.second, self.changes), id="diff-body")

    def action_close(self) -> None:
        self.close(None)
