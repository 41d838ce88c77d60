"""The one place secrets inside API data are hidden: credential headers in network logs.

Per-step execution logs carry the upstream requests a tool made, headers
included, and those headers can hold users' OAuth tokens and API keys in clear
text. Every view and export goes through ``redact_json``; ``get --trace
--show-secrets`` is the only way around it.
"""

from __future__ import annotations

import re
from typing import Any

_SENSITIVE_NAME = re.compile(
    r"^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|x-user-api-key|"
    r"x-org-api-key|api-key|apikey|x-auth-token|x-access-token|x-csrf-token)$"
    r"|token|secret|password|session",
    re.IGNORECASE,
)
MASK = "••••••"
_SCHEME = re.compile(r"^(Bearer|Basic|Token|Bot|Digest)\s+", re.IGNORECASE)


def is_sensitive_header(name: str) -> bool:
    return _SENSITIVE_NAME.search(name) is not None


def redact_value(value: object) -> str:
    """``Bearer abcdef123`` -> ``Bearer ••••••123``: the scheme and last 3 characters stay,
    enough to tell two tokens apart, never enough to use one."""
    text = value if isinstance(value, str) else str(value)
    scheme = ""
    match = _SCHEME.match(text)
    if match:
        scheme, text = match.group(0), text[match.end() :]
    tail = text[-3:] if len(text) >= 12 else ""
    return f"{scheme}{MASK}{tail}"


def redact_headers(headers: dict[str, Any]) -> dict[str, Any]:
    return {k: redact_value(v) if is_sensitive_header(str(k)) else v for k, v in headers.items()}


def redact_json(value: Any) -> Any:
    """A copy of ``value`` with every ``headers`` object's credential values masked."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if str(key).lower() == "headers" and isinstance(item, dict):
                out[key] = redact_headers({k: redact_json(v) for k, v in item.items()})
            else:
                out[key] = redact_json(item)
        return out
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    return value
