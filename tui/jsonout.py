"""JSON for stdout that is safe to land on a terminal.

``json.dumps`` escapes C0 controls but passes C1 controls (``\\x9b`` is CSI on
some terminals), bidi overrides, invisible characters and lone surrogates through
when ``ensure_ascii=False``. We keep non-ASCII readable and escape just those (the
sanitizer's set), which reads back as the same value. The one JSON encoder for
stdout, exports, the clipboard and curl bodies.

Every output is strict JSON: a non-finite number (``NaN``, ``1e400``) is written as the
string ``"NaN"``, ``"Infinity"`` or ``"-Infinity"``, and a value nested deeper than
``tui.jsontree.MAX_DEPTH`` as its marker (see ``tui.jsontree.writable``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from tui.jsontree import writable
from tui.sanitize import UNSAFE_CHARS

# Every character the sanitizer will not show (C0 ones are escaped by json.dumps
# already). Lone surrogates among them: writing one raised UnicodeEncodeError.
_UNSAFE_IN_JSON = re.compile(f"[{UNSAFE_CHARS}]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(value: Any, *, indent: int | None = None) -> str:
    separators = (",", ": ") if indent else (",", ":")
    try:
        text = json.dumps(
            value, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
        )
    except (ValueError, RecursionError):
        # A non-finite number, an integer too long for digits, or nesting too deep: the
        # rare value that needs the (slower) copy made writable, only then.
        text = json.dumps(writable(value), ensure_ascii=False, indent=indent, separators=separators)
    return _UNSAFE_IN_JSON.sub(_escape, text)
