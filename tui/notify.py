"""Desktop notifications by escape sequence: OSC 9 (iTerm2, WezTerm, Windows Terminal,
kitty) and OSC 777 (rxvt-unicode, foot, Ghostty, VTE terminals), both sent, since a
terminal ignores the one it does not know. Inside tmux they are wrapped in tmux's DCS
passthrough (``ESC P tmux; … ESC \\``, every ESC inside doubled), which tmux forwards to
the outer terminal when ``allow-passthrough`` is on.

What reaches the terminal is built only here, from text with every control character
removed (a rule name or an error from the API must not become a command) and ``;``
replaced (OSC 777 separates its fields with it).
"""

from __future__ import annotations

import os

from tui.sanitize import strip_controls

ESC = "\x1b"
ST = ESC + "\\"  # the string terminator
MAX_TEXT = 200


def _field(text: str) -> str:
    text = " ".join(strip_controls(text).split()).replace(";", ",")
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def in_tmux(environ: dict[str, str] | None = None) -> bool:
    return bool((os.environ if environ is None else environ).get("TMUX"))


def tmux_passthrough(sequence: str) -> str:
    return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}"


def desktop_notification(title: str, body: str, *, tmux: bool) -> str:
    """The escape sequences that ask the terminal for a desktop notification."""
    title, body = _field(title), _field(body)
    sequences = [f"{ESC}]9;{title}: {body}{ST}", f"{ESC}]777;notify;{title};{body}{ST}"]
    if tmux:
        sequences = [tmux_passthrough(sequence) for sequence in sequences]
    return "".join(sequences)
