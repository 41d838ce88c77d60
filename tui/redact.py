"""The one place secrets inside API data are hidden.

Per-step execution logs carry the upstream requests a tool made, and those can hold
users' OAuth tokens and API keys in clear text: in credential headers, in a URL's query
string (``?access_token=…``), and in bodies and params under names like ``api_key``.
Every view and export goes through ``redact_json``; ``get --trace --show-secrets`` is
the only way around it. Ids people need to see (``session_id``, ``request_id``) are not
secrets and stay.
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
# A JSON key whose string value is a credential: it ends in one of these words.
_SECRET_KEY = re.compile(
    r"(?:^|[_\-.])(?:access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|token|"
    r"api[_-]?key|apikey|client[_-]?secret|secret|password|passwd|authorization)$",
    re.IGNORECASE,
)
# A query-string parameter whose name says it is a credential, and its value.
_QUERY_SECRET = re.compile(
    r"([?&;][^=&#\s]*?(?:token|key|secret|password|passwd|signature|sig|auth)[^=&#\s]*=)"
    r"([^&#\s]+)",
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


def redact_url(text: str) -> str:
    """Credential parameters of any URL in ``text`` masked:
    ``?token=abcdef123456xyz`` -> ``?token=••••••xyz``."""
    if "=" not in text:
        return text
    return _QUERY_SECRET.sub(lambda m: m.group(1) + redact_value(m.group(2)), text)


def redact_headers(headers: dict[str, Any]) -> dict[str, Any]:
    return {k: redact_value(v) if is_sensitive_header(str(k)) else v for k, v in headers.items()}


def redact_json(value: Any) -> Any:
    """A copy of ``value`` with credentials masked: every ``headers`` object's credential
    values, string values under credential keys, and credential URL parameters."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if str(key).lower() == "headers" and isinstance(item, dict):
                out[key] = redact_headers({k: redact_json(v) for k, v in item.items()})
            elif isinstance(item, str) and _SECRET_KEY.search(str(key)):
                out[key] = redact_value(item)
            else:
                out[key] = redact_json(item)
        return out
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    if isinstance(value, str):
        return redact_url(value)
    return value
