"""The one redaction policy: every view and output hides credentials through here.

Per-step execution logs carry the upstream requests a tool made, and those hold users'
OAuth tokens and API keys in clear text, in every shape an upstream API invents:
credential headers (``X-Goog-Api-Key``, ``Private-Token``, ``Set-Cookie``), URL query
strings (``?access_token=…``, ``?key=…``), bodies under names in any case
(``api_key``, ``githubToken``, ``aws-secret-access-key``), values nested under such a
name (``password: {"value": …}``), ``{"name": "API_TOKEN", "value": …}`` variables,
and free text (``Authorization: Bearer …`` inside an error message). Buddy's pipeline
variables are such pairs, and one marked ``"encrypted": true`` is masked whatever its key.

So a name is judged once its case is undone (``normalize_name``), and the judgement is
the same for JSON keys, header names, query keys and ``key``/``value`` pairs. Whatever
sits under a secret name is masked whole, of any type. ``redact_json`` walks data;
``redact_text`` masks credentials inside one string (messages, URLs, error lines) and
is what the model layer applies to every display text. ``get --trace --show-secrets``
is the only way around it. Ids people need to see (``session_id``, ``request_id``,
``auth_config_id``) and counts (``max_tokens``, ``token_count``) are not secrets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Final

from tui.jsontree import DEEPER_MARKER, MAX_DEPTH

MASK = "••••••"
# The walk stops at the one depth cap and says so: hostile JSON can nest 10,000 deep.
DEPTH_MARKER = DEEPER_MARKER

# -- names ---------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^a-z0-9]+")
# A name is secret when its last word ends in one of these ("accesstoken", "githubToken").
_SECRET_ENDINGS = (
    "token",
    "secret",
    "password",
    "passwd",
    "passphrase",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "credential",
    "credentials",
    "cookie",
    "cookies",
    "authorization",
)
# ... or its last word is exactly one of these ("x-auth", "basic_auth", "db_pwd").
_SECRET_WORDS = frozenset({"auth", "pwd", "creds"})
# ... or it ends in "<one of these> key" ("api_key", "aws_secret_access_key").
_KEY_QUALIFIERS = frozenset(
    {"api", "private", "access", "secret", "signing", "encryption", "master", "client", "auth"}
)
# Query parameters say less: Google's ``?key=``, signed URLs' ``?sig=``.
_QUERY_WORDS = frozenset({"key", "sig", "signature"})
# Under one of these names the keys are header names or query parameters.
_HEADER_CONTAINERS = frozenset({"headers"})
_QUERY_CONTAINERS = frozenset({"params", "query", "querystring"})
_PAIR_NAMES = ("key", "name")


def normalize_name(name: object) -> str:
    """``githubToken``, ``GITHUB_TOKEN``, ``github-token`` -> ``github token``."""
    return _normalized(name if isinstance(name, str) else str(name))


# Logs repeat the same few hundred keys: remembering them halves what redacting a log costs.
@lru_cache(maxsize=4096)
def _normalized(name: str) -> str:
    text = _CAMEL.sub(" ", name).lower()
    return _SEPARATORS.sub(" ", text).strip()


def is_secret_name(name: object) -> bool:
    """Whether a JSON key, header name or variable name says its value is a credential."""
    words = normalize_name(name).split()
    if not words:
        return False
    last = words[-1]
    if last in _SECRET_WORDS or last.endswith(_SECRET_ENDINGS):
        return True
    return last == "key" and len(words) > 1 and words[-2] in _KEY_QUALIFIERS


def is_secret_query_key(name: object) -> bool:
    return is_secret_name(name) or normalize_name(name) in _QUERY_WORDS


def is_sensitive_header(name: str) -> bool:
    # Session cookies travel under vendor names (``X-Session``); a header is not data.
    return is_secret_name(name) or "session" in normalize_name(name).split()


# -- values --------------------------------------------------------------------------

# Authorization schemes: a value keeps its scheme, and free text takes the word after one
# along (so a cut in a long text never falls after one, ``_can_cut``).
_SCHEME_WORDS: Final = ("bearer", "basic", "token", "bot", "digest")
_SCHEMES_ALTERNATION: Final = "|".join(_SCHEME_WORDS)
_SCHEME = re.compile(rf"^({_SCHEMES_ALTERNATION})\s+", re.IGNORECASE)


def redact_value(value: object) -> str:
    """``Bearer abcdef123456`` -> ``Bearer ••••••456``: the scheme and last 3 characters
    stay, enough to tell two tokens apart, never enough to use one. A value already
    masked stays as it is; one that is not text (a number, a bool) is masked whole."""
    if not isinstance(value, str):
        return MASK
    text = value
    scheme = ""
    match = _SCHEME.match(text)
    if match:
        scheme, text = match.group(0), text[match.end() :]
    if text.startswith(MASK):
        return scheme + text
    tail = text[-3:] if len(text) >= 12 else ""
    return f"{scheme}{MASK}{tail}"


# -- free text -----------------------------------------------------------------------

# A query parameter anywhere in text: ``?token=…``, ``&key=…``.
_QUERY_PARAM = re.compile(r"([?&;])([^=&#\s?;]{1,100})=([^&#\s;\"'<>]+)")
# ``Bearer eyJ…`` wherever it stands.
_BEARER = re.compile(r"\b(Bearer\s+)([A-Za-z0-9._~+/=\-]{4,})", re.IGNORECASE)
# ``name: value``, ``name=value``, ``"name": "value"`` with a secret name. A value in
# quotes runs to its closing quote; one without runs to a space or delimiter, and a
# scheme (``Authorization: Basic abc``) takes the word after it along.
# The name starts where a word does: a long run of letters is tried once, not at each.
_NAMED = re.compile(
    r"(?<![A-Za-z0-9_.\-])(?P<name>[A-Za-z_][A-Za-z0-9_.\-]{0,100})"
    r"(?P<sep>\\?[\"']?\s{0,3}[:=]\s{0,3})"
    r"(?:(?P<q>\\?[\"'])(?P<quoted>[^\"'\n]{0,4096})(?P=q)"
    rf"|(?P<bare>(?:(?:{_SCHEMES_ALTERNATION})\s+)?[^\s\"',;&}}\]]{{1,4096}}))",
    re.IGNORECASE,
)


def _mask_query(match: re.Match[str]) -> str:
    lead, name, value = match.group(1), match.group(2), match.group(3)
    if not is_secret_query_key(name):
        return match.group(0)
    return f"{lead}{name}={redact_value(value)}"


def _mask_named(match: re.Match[str]) -> str:
    if not is_secret_name(match.group("name")):
        return match.group(0)
    head = match.group("name") + match.group("sep")
    if match.group("q") is not None:
        quote = match.group("q")
        return f"{head}{quote}{redact_value(match.group('quoted'))}{quote}"
    return head + redact_value(match.group("bare"))


def redact_url(text: str) -> str:
    """Credential parameters of any URL in ``text`` masked:
    ``?token=abcdef123456xyz`` -> ``?token=••••••xyz``."""
    if "=" not in text:
        return text
    return _QUERY_PARAM.sub(_mask_query, text)


def redact_text(value: object) -> str:
    """``value`` as text with every credential in it masked: URL parameters, bearer
    tokens, and ``name: value`` / ``name=value`` pairs with a secret name.

    A long text (a 5 MB file a tool downloaded) is masked a piece at a time, cut where
    no credential can span (``_pieces``): one regular expression over megabytes holds
    the interpreter lock for half a second, so the screen froze even with the work in a
    thread. Each piece is the same as the whole text would give, only shorter.
    """
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    if len(text) <= PIECE_CHARS:
        return _redact_piece(text)
    return "".join(_redact_piece(piece) for piece in _pieces(text))


# A text this long is masked in pieces, and each pattern runs on a piece only if the
# piece holds a word that pattern's matches need. The patterns take 0.1 µs a character.
PIECE_CHARS: Final = 1 << 16
# Every secret name, once lowered, holds one of these (a test checks each ending and
# word above): a piece without any of them has no name to mask after.
_NAME_WORDS: Final = ("token", "secret", "pass", "key", "cred", "cookie", "auth", "pwd", "sig")
# A shorter text is masked faster than its words are looked for.
GLANCE_FROM_CHARS: Final = 256
# A secret name's word is followed by its separator within this many characters.
_SEPARATOR_WITHIN: Final = 256


def _redact_piece(text: str) -> str:
    named = bearer = True
    if len(text) > GLANCE_FROM_CHARS:
        lowered = text.lower()
        named = _may_name_a_secret(lowered)
        bearer = "bearer" in lowered
    if named and "=" in text:
        text = _QUERY_PARAM.sub(_mask_query, text)
    if bearer:
        text = _BEARER.sub(lambda m: m.group(1) + redact_value(m.group(2)), text)
    if named and (":" in text or "=" in text):
        text = _NAMED.sub(_mask_named, text)
    return text


def _may_name_a_secret(lowered: str) -> bool:
    """Whether ``lowered`` may hold a secret name that ``_QUERY_PARAM`` or ``_NAMED`` would
    mask: one of the words every such name holds, with ``:`` or ``=`` soon after (a name
    is at most 101 characters, and lowering may double a character). Base64 of a
    download holds "key" a hundred times, but an ``=`` only at its end."""
    for word in _NAME_WORDS:
        at = lowered.find(word)
        while at != -1:
            ahead = lowered[at : at + _SEPARATOR_WITHIN]
            if ":" in ahead or "=" in ahead:
                return True
            at = lowered.find(word, at + 1)
    return False


def _pieces(text: str) -> Iterator[str]:
    """``text`` cut into pieces of about ``PIECE_CHARS``, each after a run of white space
    holding a line break that no pattern's match can span (``_can_cut``). A text with no
    such run (one long line) stays whole."""
    start, end = 0, len(text)
    while end - start > PIECE_CHARS:
        cut = _cut_after(text, start + PIECE_CHARS)
        if cut is None:
            break
        yield text[start:cut]
        start = cut
    yield text[start:]


def _cut_after(text: str, at: int) -> int | None:
    """The end of the first run of white space after ``at`` that holds a line break and
    may be cut after; None when there is none."""
    end = len(text)
    while (brk := text.find("\n", at)) != -1:
        first, last = brk, brk + 1
        while first > 0 and text[first - 1].isspace():
            first -= 1
        while last < end and text[last].isspace():
            last += 1
        if _can_cut(text, first, last):
            return last
        at = last  # the next run: a long run of white space is walked once
    return None


def _can_cut(text: str, first: int, last: int) -> bool:
    """Whether no match can hold the white space ``text[first:last]`` (which holds a line
    break, so no quoted value, query parameter or name does): it neither follows a
    separator (``name:`` then a space) or a scheme (``Bearer`` then a space), nor comes
    before a separator (``name`` then a space then ``=``).

    White space goes into a match only there; a piece's first character is then looked
    at as after white space, as the whole text would. Letters outside ASCII may match an
    ASCII one when case is ignored, so any of them before the run forbids the cut."""
    if last < len(text) and text[last] in ":=":
        return False
    before = text[max(0, first - 7) : first]
    if not before.isascii() or before[-1:] in (":", "="):
        return False
    return not before.lower().endswith(_SCHEME_WORDS)


# -- data ----------------------------------------------------------------------------


def _mask_all(value: Any, depth: int = 0) -> Any:
    """Everything under a secret name: the shape stays, every leaf is masked."""
    if depth > MAX_DEPTH:
        return DEPTH_MARKER
    if isinstance(value, dict):
        return {key: _mask_all(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_all(item, depth + 1) for item in value]
    if value is None:
        return None
    return redact_value(value)


def _pair_is_secret(value: dict[Any, Any]) -> bool:
    """``{"key": "API_TOKEN", "value": …}`` or ``{"name": …, "value": …}``, or a pair its
    owner marks secret whatever its name: Buddy's ``{"key": …, "value": …, "encrypted":
    true}`` variables (buddy-contract.md A.6)."""
    if "value" not in value:
        return False
    if value.get("encrypted") is True:
        return True
    return any(
        isinstance(value.get(name), str) and is_secret_name(value[name]) for name in _PAIR_NAMES
    )


def _walk(value: Any, depth: int, judge: Any = is_secret_name) -> Any:
    if depth > MAX_DEPTH:
        return DEPTH_MARKER
    if isinstance(value, dict):
        pair = _pair_is_secret(value)
        out: dict[Any, Any] = {}
        for key, item in value.items():
            if judge(key) or (pair and key == "value"):
                out[key] = _mask_all(item, depth + 1)
                continue
            last = (normalize_name(key).split() or [""])[-1]
            if last in _HEADER_CONTAINERS and isinstance(item, dict):
                out[key] = _walk(item, depth + 1, is_sensitive_header)
            elif last in _QUERY_CONTAINERS and isinstance(item, dict):
                out[key] = _walk(item, depth + 1, is_secret_query_key)
            else:
                out[key] = _walk(item, depth + 1)
        return out
    if isinstance(value, list):
        return [_walk(item, depth + 1) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def redact_headers(headers: dict[str, Any]) -> dict[str, Any]:
    """Headers with credential values masked (of any type), the others' text redacted."""
    result: dict[str, Any] = _walk(headers, 0, is_sensitive_header)
    return result


def redact_params(params: Any) -> Any:
    """A request's query parameters: named as in a URL, so Google's ``key`` is one."""
    if isinstance(params, dict):
        return _walk(params, 0, is_secret_query_key)
    return redact_json(params)


def redact_json(value: Any) -> Any:
    """A copy of ``value`` with every credential masked (the original is untouched);
    nesting deeper than ``MAX_DEPTH`` is replaced by ``DEPTH_MARKER``."""
    return _walk(value, 0)
