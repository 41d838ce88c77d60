"""The one place where untrusted text is made safe to display.

Everything an API returns (messages, user ids, JSON keys and values) may hold
terminal escapes: an OSC 52 sequence in a log message would overwrite the
engineer's clipboard, CSI sequences could clear or repaint the screen, and bidi
overrides can make text read differently from what it is. Rich keeps ESC and C1
bytes, so we replace every control character with a visible, inert escape such
as ``\\x1b`` before the text reaches any widget.

Markup is a separate concern: widgets render sanitized strings through
``rich.text.Text`` (never markup), so ``[/bold]`` stays literal. Raw values are
kept alongside for copy and export; only what is displayed goes through here.
"""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls, and the Unicode
# bidirectional formatting characters (LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI,
# LRM/RLM/ALM) plus the line/paragraph separators that some terminals honour;
# and the invisible ones (soft hyphen, zero-width space/joiners, word joiner and
# invisible operators, BOM), which make a user id look empty or like another; and lone
# surrogates (JSON can hold "\ud800"), which no terminal or UTF-8 stream can carry.
UNSAFE_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")

# Characters whose glyph is far wider than the one cell every width table (Rich's, the
# terminal's) gives them: a terminal that sizes by the font (Konsole, several GUI
# terminals) or with another table shifts the rest of the line, and at a pane's edge the
# overflow wraps and hides a line of the pane beside it. On screen they are written as
# escapes (``\U0001242b``), like controls; copies and exports keep them.
# The Arabic word ligatures (﷽ U+FDFD), the two- and three-em dashes, cuneiform
# (𒐫 U+1242B), Egyptian and Anatolian hieroglyphs, and Sutton SignWriting.
OVERWIDE_CHARS = (
    "\ufdf0-\ufdfd\u2e3a\u2e3b\U00012000-\U0001254f\U00013000-\U0001345f"
    "\U00014400-\U0001467f\U0001d800-\U0001daaf"
)
_UNDRAWABLE = re.compile(f"[{UNSAFE_CHARS}{OVERWIDE_CHARS}]")
# Combining marks stack above and below a letter ("Zalgo" text) and can paint over the
# lines around it: keep at most two on a letter.
_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
MAX_COMBINING = 2
_STACKED = re.compile(f"([{_COMBINING}]{{{MAX_COMBINING}}})[{_COMBINING}]+")

DEFAULT_MAX_LEN = 2_000
ELLIPSIS = "…"
NEWLINE_MARK = "⏎"


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def clean(value: object, *, max_len: int | None = DEFAULT_MAX_LEN, one_line: bool = True) -> str:
    """Return ``value`` as display-safe text.

    Control characters become visible escapes (``\\x1b``), so nothing reaches the
    terminal as a command; so do glyphs drawn wider than their cell (``OVERWIDE_CHARS``),
    and a pile of combining marks is cut to two, so a line stays one line. With
    ``one_line`` newlines become ``⏎`` and tabs a space, as a table cell needs;
    otherwise newlines and tabs are kept.
    ``max_len`` truncates with an ellipsis (``None`` keeps everything).
    """
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if max_len is not None and len(text) > max_len:
        text = text[:max_len] + ELLIPSIS
    if text.isascii() and text.isprintable():
        # Nothing to do: every character escaped or cut below is a control (newlines and
        # tabs among them) or not ASCII. Most ids, names and messages are such text, and
        # this answers them about twenty times faster than the expressions (issue 15).
        return text
    if one_line:
        text = text.replace("\r\n", "\n").replace("\n", NEWLINE_MARK).replace("\t", " ")
    return _STACKED.sub(r"\1", _UNDRAWABLE.sub(_visible, text))


def strip_controls(value: str) -> str:
    """Remove control characters outright: for text leaving toolwatch (clipboard, shell)."""
    return _UNSAFE.sub("", value)


def has_unsafe(value: str) -> bool:
    return _UNSAFE.search(value) is not None


_SHELL_UNSAFE = re.compile(f"[\n\t{UNSAFE_CHARS}]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPE = re.compile(r"\\(?:([nrt])|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))")


def escape_controls(value: str) -> str:
    """``value`` with every control character written as its escape (``\\n``,
    ``\\x1b``, ``\\u202e``): an id pasted into a shell must not run its tail as a
    command. ``unescape_controls`` reads it back."""

    def one(match: re.Match[str]) -> str:
        char = match.group()
        return _NAMED_ESCAPES.get(char) or _visible(match)

    return _SHELL_UNSAFE.sub(one, value)


def unescape_controls(value: str) -> str:
    """The reverse of ``escape_controls``: ``\\n`` -> newline, ``\\x1b`` -> ESC."""

    def one(match: re.Match[str]) -> str:
        named, byte, code, astral = match.groups()
        if named:
            return {"n": "\n", "r": "\r", "t": "\t"}[named]
        number = int(byte or code or astral, 16)
        return chr(number) if number <= 0x10FFFF else match.group()

    return _ESCAPE.sub(one, value)
