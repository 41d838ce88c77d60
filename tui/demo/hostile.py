"""Hostile text for logs: what a terminal UI must show as inert characters, never obey.

The strings are a fixed palette shared by every hostile log, so a hostile log costs no
memory beyond a flag bit: its fields are re-poisoned on demand from (seed, index).
"""

from __future__ import annotations

from random import Random
from typing import Any

# A long single line mixing everything below, for width, wrapping and truncation code.
LONG = ("[b]" + "\u202e" + "A" * 200 + "\x1b[31m" + "\U0001f600" * 20 + "[/b] ") * 40

HOSTILE_STRINGS: tuple[str, ...] = (
    "[/bold]",  # a closing tag with no opening one: Rich raises MarkupError
    "[@click=app.quit]x[/]",  # Textual action markup: clicking it would quit the app
    "[bold red]fake[/] [link=https://evil.example]link[/link]",
    "\x1b]52;c;aGk=\x07",  # OSC 52: writes "hi" to the terminal's clipboard
    "\x1b[2J\x1b[H",  # CSI: clear the screen, cursor home
    "\x9b31mred",  # the same CSI as one C1 control byte
    "\u202eexe.txt\u202c",  # bidi override: reads "txt.exe" backwards
    "ok\rFAILED",  # carriage return: overwrite what was printed
    "nul\x00byte\x7fdel",
    "z\u0351\u0352\u0353a\u0354\u0355l\u0356\u0357go",  # stacked combining marks
    "\u200b\u200d\ufeff",  # zero-width characters only
    "\U0001f469\u200d\U0001f469\u200d\U0001f467 wide \uff37\uff29\uff24\uff25",
    LONG,
)


def pick(rng: Random) -> str:
    return rng.choice(HOSTILE_STRINGS)


def poison(value: Any, rng: Random) -> Any:
    """A copy of a JSON value with hostile strings in its values and some of its keys."""
    if isinstance(value, str):
        # Half replace the value, half keep it readable with hostile text around it.
        return pick(rng) if rng.random() < 0.5 else f"{value} {pick(rng)}"
    if isinstance(value, list):
        return [poison(item, rng) for item in value]
    if isinstance(value, dict):
        poisoned: dict[str, Any] = {}
        for key, item in value.items():
            new_key = pick(rng) if rng.random() < 0.3 else key
            if new_key in value or new_key in poisoned:
                new_key = key  # never drop a field by colliding keys
            poisoned[new_key] = poison(item, rng)
        extra = pick(rng)
        if extra not in poisoned:
            poisoned[extra] = pick(rng)
        return poisoned
    return value
