"""CopiedScreen: the last copied text, whole, as it was copied, to read and select.

A toast says only what was copied and how big: text wrapped to a toast's width and
selected by hand from there breaks where it wraps (a curl's JSON then does not run).
Here the text is in a read-only TextArea, not wrapped: each line is a line of what
was copied, ``shift``+arrows or the mouse select, ``ctrl+a`` selects all and
``ctrl+c`` copies the selection (OSC 52, as every copy).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from tui import fmt
from tui.sanitize import clean
from tui.ui.actions import bindings
from tui.ui.screens.modal import OnceModal

# Past this a TextArea grows slow to lay out; the copy was saved to a file anyway (the
# terminal clipboard takes about 55 KB).
MAX_SHOWN_CHARS = 2_000_000


class CopiedScreen(OnceModal[None]):
    DEFAULT_CSS = """
    CopiedScreen { align: center middle; }
    CopiedScreen > Vertical {
        width: 100%; height: 100%; background: $panel; padding: 0 1;
    }
    CopiedScreen #copied-head { height: auto; }
    CopiedScreen #copied-notes { height: auto; color: $text-warning; }
    CopiedScreen TextArea, CopiedScreen TextArea:focus { height: 1fr; border: none; padding: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings("copied")

    def __init__(self, text: str, what: str, notes: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.text = text
        self.what = what
        self.notes = notes  # what the toast said beside it (a warning, the demo key)

    def compose(self) -> ComposeResult:
        size = fmt.size(len(self.text.encode("utf-8")))
        lines = fmt.count(self.text.count("\n") + 1, "line")
        head = Text.assemble(
            ("Copied ", "dim"),
            (clean(self.what, max_len=120), "bold"),
            (f"  {size}, {lines}, as copied · ", "dim"),
            ("shift+arrows or the mouse select, ctrl+a all, ctrl+c copies · Esc closes", "dim"),
        )
        with Vertical():
            yield Static(head, id="copied-head")
            if self.notes:
                notes = "\n".join(clean(note, max_len=500, one_line=False) for note in self.notes)
                yield Static(Text(notes), id="copied-notes")
            if len(self.text) > MAX_SHOWN_CHARS:
                yield Static(
                    f"Too long to show here ({size}): the toast said the file it was saved to.",
                    id="copied-too-long",
                )
            else:
                yield TextArea(
                    self.text,
                    read_only=True,
                    soft_wrap=False,
                    show_line_numbers=False,
                    id="copied-text",
                )

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.focus()

    def action_close(self) -> None:
        self.close(None)
