"""The one way toolwatch puts text on the clipboard, over SSH included.

OSC 52 first (Textual's ``App.copy_to_clipboard``): the terminal on the engineer's
laptop sets its clipboard, however many SSH hops and tmux sessions lie between, when
the terminal allows it (tmux needs ``set -g set-clipboard on``). Terminals and
multiplexers drop or truncate long OSC 52 sequences, so past ``OSC52_MAX`` the text
is saved to a file instead and the toast says where. pyperclip runs as well, only
when this machine has a display of its own: on a headless server it raises, and
inside containers it can pick the wrong tool (harlequin #649). Every copy ends in a
short toast: what was copied, how big, and where the whole text is (a key that shows
it, or the file it was saved to). Never the text itself wrapped to the toast's width:
selected by hand from there, a curl's JSON broke at the wrap and did not run.
"""

from __future__ import annotations

import base64
import os
import sys
from pathlib import Path
from typing import Literal, Protocol

from tui import debuglog, fmt
from tui.files import create_unique, private_dir
from tui.locations import copies_dir
from tui.sanitize import clean, strip_controls

# k9s's default cap on the base64 payload; tmux, screen and several terminals
# drop sequences much longer than this.
OSC52_MAX = 74_994
# A copy this short, on one line (an id), is shown in the toast as it is: it cannot wrap.
SHOWN_CHARS = 60

log = debuglog.get_logger("clipboard")


def has_local_display() -> bool:
    """Whether a native clipboard tool could reach a screen this person looks at."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def fits_osc52(text: str) -> bool:
    return len(base64.b64encode(text.encode("utf-8"))) <= OSC52_MAX


Severity = Literal["information", "warning", "error"]


class Terminal(Protocol):
    """Where a copy goes and is said: the app (OSC 52, its toasts, a worker thread)."""

    def copy_to_clipboard(self, text: str) -> None: ...

    def notify(
        self, message: str, *, severity: Severity = ..., timeout: float | None = ...
    ) -> None: ...

    def copy_natively(self, text: str) -> None:
        """Run ``native_copy(text)`` off the event loop (it may wait on a tool)."""
        ...


def copy_text(
    app: Terminal,
    text: str,
    what: str,
    *,
    notes: tuple[str, ...] = (),
    whole: str = "",
) -> str:
    """Copy ``text`` and say so in a short toast (with ``notes`` under it); ``whole``
    says where the whole text can be seen. Returns the text as copied.

    Control characters are removed first: a copied id or command must never carry a
    terminal escape onward to wherever it is pasted.
    """
    # Newlines and tabs stay; the key stays out even if a server echoed it into a log.
    text = debuglog.scrub(strip_controls(text))
    if not fits_osc52(text):
        saved = _save(text, what)
        size = fmt.size(len(text.encode("utf-8")))
        if saved is None:
            app.notify(
                f"{what} is {size}, too big for the terminal clipboard, and could not be "
                "saved to a file either (see the debug log).",
                severity="error",
                timeout=10,
            )
            return text
        app.notify(
            f"{what} is {size}, too big for the terminal clipboard (OSC 52 carries about "
            f"{fmt.size(OSC52_MAX * 3 // 4)}): saved to\n{saved}",
            severity="warning",
            timeout=15,
        )
        return text
    app.copy_to_clipboard(text)
    if has_local_display():
        app.copy_natively(text)
    body = "\n".join((summary(text, what, whole), *notes))
    app.notify(body, severity="warning" if notes else "information", timeout=8 + 2 * len(notes))
    return text


def summary(text: str, what: str, whole: str = "") -> str:
    """What was copied, in a toast: a short one-line text (an id) as it is; anything
    longer as its size and where to see it whole."""
    if len(text) <= SHOWN_CHARS and "\n" not in text and clean(text) == text:
        return f"Copied {what}:\n{text}"
    lines = text.count("\n") + 1
    size = fmt.size(len(text.encode("utf-8")))
    shape = f"{size}, {fmt.count(lines, 'line')}" if lines > 1 else size
    return f"Copied {what} ({shape})." + (f"\n{whole}" if whole else "")


def native_copy(text: str) -> None:
    try:
        import pyperclip  # type: ignore[import-untyped]  # no stubs; one call

        pyperclip.copy(text)
    except Exception as error:  # PyperclipException, FileNotFoundError, a broken tool…
        log.info("native clipboard unavailable (%s); OSC 52 only", type(error).__name__)


def _save(text: str, what: str) -> Path | None:
    folder = copies_dir()
    slug = "".join(ch if ch.isalnum() else "-" for ch in what.lower()).strip("-") or "copy"
    try:
        path, out = create_unique(private_dir(folder), f"{fmt.file_stamp()}-{slug}", ".txt")
        with out:
            out.write(text)
    except OSError as error:
        log.warning("could not save a large copy in %s: %s", folder, error)
        return None
    return path
