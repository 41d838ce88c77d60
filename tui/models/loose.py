"""Lenient readings of JSON values, as the wire models read them (api-contract.md A.2–A.5).

Plain functions, no pydantic: ``tui.models.wire`` uses them as validators, and
``tui.models.normalize`` reads a log from a file with them without building a model
(``toolwatch list --file`` then never imports pydantic).
"""

from __future__ import annotations

import json
import math


def loose_text(value: object) -> object:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    except ValueError:
        return str(value)


def text_or_empty(value: object) -> object:
    return "" if value is None else loose_text(value)


def to_number(value: object) -> float | None:
    """``202``, ``202.5``, ``"202"``, ``" 202.5 "`` -> a finite float; anything else -> None."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            number = float(value.strip())
        else:
            return None
    except (ValueError, OverflowError):  # OverflowError: an int past float's range
        return None
    return number if math.isfinite(number) else None


def loose_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = to_number(value)
    return None if number is None else round(number)


def loose_number(value: object) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value if math.isfinite(value) else None
    number = to_number(value)
    if number is None:
        return None
    return int(number) if number.is_integer() else number


def json_kind(value: object) -> str:
    """How a JSON value reads in an error message: "a list", "null"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
