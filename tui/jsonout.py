"""JSON for stdout that is safe to land on a terminal.

``json.dumps`` escapes C0 controls but passes C1 controls (``\\x9b`` is CSI on
some terminals) and bidi overrides through when ``ensure_ascii=False``. We keep
non-ASCII readable and escape just those, which stays valid JSON.
"""

from __future__ import annotations

import json
import re
from typing import Any

_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(value: Any, *, indent: int | None = None) -> str:
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    return _UNSAFE_IN_JSON.sub(_escape, text)
