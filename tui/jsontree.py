"""JSON from outside, made safe to hold, walk and write: the one depth cap, long integers
and non-finite numbers.

Python's JSON reader and writer, pydantic's serializer and any recursive walk (the
redactor) fail somewhere between 255 and 1,000 levels deep, and ``int`` refuses to turn
text of more than 4,300 digits into a number (or back). One hostile value must not
hide a log, so every reader decodes through ``loads`` and every holder caps with
``cap_depth``: nothing deeper than ``MAX_DEPTH`` reaches the rest of toolwatch, and
what was deeper is replaced by ``DEEPER_MARKER``, visible where it was. The walks here
are iterative, so they never hit the recursion limit themselves.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any, Final

# The one depth limit (the root object is level 1). Below pydantic's serialization
# limit (about 255) and far below the recursion limit, with room for a caller's frames.
MAX_DEPTH: Final = 200
DEEPER_MARKER: Final = f"… nested deeper than {MAX_DEPTH}"

# int <-> str refuses more digits than this (0: no limit); see sys.set_int_max_str_digits.
_INT_DIGITS: Final = sys.get_int_max_str_digits()

# How non-finite numbers are written, as strict JSON has no literal for them.
_NON_FINITE: Final = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}
# A JSON string (escapes and all) or a bracket: brackets inside strings are not nesting.
_BRACKET_OR_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _parse_int(text: str) -> int | str:
    """A JSON integer; one too long for ``int`` stays its text, digits and all: the value
    is kept exactly (an export writes it as a string), where a float would lose it."""
    if _INT_DIGITS and len(text.lstrip("-")) > _INT_DIGITS:
        return text
    return int(text)


def loads(data: str | bytes | bytearray) -> Any:
    """``json.loads`` for JSON from outside: over-long integers kept as their digits (see
    ``_parse_int``), and nothing deeper than ``MAX_DEPTH``. Raises ``ValueError``
    (``json.JSONDecodeError``, ``UnicodeDecodeError``) for what is not JSON."""
    if isinstance(data, bytes | bytearray):
        # As json.loads decodes bytes (UTF-8/16/32, lone surrogates kept).
        data = bytes(data).decode(json.detect_encoding(data), "surrogatepass")
    try:
        value = _decode(data)
    except RecursionError:
        value = json.loads(_trim_depth(data), parse_int=_parse_int)
    # A cheap bound first: a text with few brackets cannot nest deeply.
    if data.count("[") + data.count("{") <= MAX_DEPTH:
        return value
    return cap_depth(value)


# Decoders made once: json.loads with an argument makes one per call.
_PLAIN: Final = json.JSONDecoder()
_LONG_INTS: Final = json.JSONDecoder(parse_int=_parse_int)


def _decode(text: str) -> Any:
    """``json.loads(text, parse_int=_parse_int)``, calling ``_parse_int`` only for a text
    holding an integer too long for ``int`` (each call costs, and lines hold many)."""
    if text.startswith("\ufeff"):
        return json.loads(text)  # refused as json.loads refuses it
    try:
        return _PLAIN.decode(text)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer of more digits than int takes
        return _LONG_INTS.decode(text)


def _trim_depth(text: str) -> str:
    """``text`` with every value nested deeper than ``MAX_DEPTH`` replaced by the marker,
    found by scanning brackets outside strings (only for text too deep to decode)."""
    marker = json.dumps(DEEPER_MARKER)
    pieces: list[str] = []
    depth = 0
    cut_from: int | None = None  # where the value being dropped starts
    kept_to = 0
    for token in _BRACKET_OR_STRING.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth == MAX_DEPTH + 1:
                cut_from = token.start()
        elif char in "]}":
            if depth == MAX_DEPTH + 1 and cut_from is not None:
                pieces += (text[kept_to:cut_from], marker)
                kept_to, cut_from = token.end(), None
            depth -= 1
    pieces.append(text[kept_to:] if cut_from is None else text[kept_to:cut_from] + marker)
    return "".join(pieces)


def too_deep(value: object) -> bool:
    """Whether ``value`` holds a list or object deeper than ``MAX_DEPTH``."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[dict[Any, Any] | list[Any], int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def cap_depth(value: Any) -> Any:
    """``value`` itself when it is shallow enough, else a copy with each list or object
    deeper than ``MAX_DEPTH`` replaced by ``DEEPER_MARKER``."""
    return _copy(value, _same) if too_deep(value) else value


def writable(value: Any) -> Any:
    """A copy of ``value`` that strict JSON can write: depth capped, non-finite floats as
    the strings ``"NaN"``, ``"Infinity"``, ``"-Infinity"``, an integer too long to write
    as digits as a note of its size."""
    return _copy(value, _writable_leaf)


def _same(value: object) -> object:
    return value


def _writable_leaf(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return _NON_FINITE[repr(value)]
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            str(value)
        except ValueError:
            return f"<integer of {value.bit_length()} bits, too long to write>"
    return value


def _copy(value: Any, leaf: Any) -> Any:
    """An iterative copy of lists and dicts, ``leaf`` applied to everything else, and
    containers deeper than ``MAX_DEPTH`` replaced by the marker."""
    holder: list[Any] = [None]
    stack: list[tuple[Any, int, Any, Any]] = [(value, 1, holder, 0)]
    while stack:
        node, depth, parent, key = stack.pop()
        if not isinstance(node, dict | list):
            parent[key] = leaf(node)
            continue
        if depth > MAX_DEPTH:
            parent[key] = DEEPER_MARKER
            continue
        copy: Any = dict(node) if isinstance(node, dict) else list(node)
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend((child, depth + 1, copy, k) for k, child in items)
        parent[key] = copy
    return holder[0]
