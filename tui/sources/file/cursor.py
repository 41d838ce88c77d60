"""The listing cursor, in the server's shape: base64 of ``{"page": N}``, pages of ``limit``."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Final

from tui.errors import BadRequestError

_CURSOR_FIX: Final = "Send back the next_cursor of the previous response unchanged, or null."


def encode_cursor(page: int) -> str:
    """The server's cursor shape: base64 of ``{"page": N}``."""
    return base64.b64encode(json.dumps({"page": page}, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The page a cursor names; one that cannot be read is the server's ``BadRequestError``."""
    try:
        decoded = json.loads(base64.b64decode(cursor.encode("ascii"), validate=True))
    except (UnicodeError, binascii.Error, ValueError):
        decoded = None
    page = decoded.get("page") if isinstance(decoded, dict) else None
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise BadRequestError(f"Invalid cursor {cursor!r}", hint=_CURSOR_FIX)
    return page
