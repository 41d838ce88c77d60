"""The one home of the diagnosis rules: why a failed call failed, and what to do about it.

Seed 002 names five failure patterns; each rule here recognizes one from the
evidence a ``CallDetail`` holds, most direct first:

1. the steps: a failed ``fetch_connection_details`` step means the user has no
   connected account for the toolkit, and the tool never ran;
2. the status the upstream API answered: the ``tool_execution`` step's requests
   to hosts other than Composio's own (a 401 from Composio is our API key, not
   the user's token);
3. the error text (the tool's error, the log's message, failed steps'
   messages), matched on phrases, never on a bare number ("order 422" is not a
   validation error);
4. status and code fields in the response body (``"status": 401``,
   ``"error": "token_revoked"``, ``"category": "MISSING_SCOPES"``), near its
   top or inside an error object, so a product code deep in the data is not read
   as an HTTP status.

Every diagnosis carries the evidence that matched, as short sanitized quotes.
A failure no rule recognizes gets no diagnosis rather than a guess.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tui.sanitize import ELLIPSIS, clean

if TYPE_CHECKING:  # pydantic, which the headless stats have no use for
    from tui.models.call import CallDetail, NetworkCall, Step

EXPIRED_TOKEN = "expired-token"
MISSING_SCOPE = "missing-scope"
INVALID_INPUT = "invalid-input"
TOOL_NOT_FOUND = "tool-not-found"
NO_CONNECTED_ACCOUNT = "no-connected-account"

MAX_EVIDENCE = 3
EVIDENCE_LEN = 160

TITLES = {
    EXPIRED_TOKEN: "The user's connected account token has expired or was revoked",
    MISSING_SCOPE: "The granted OAuth scopes do not include the permission this tool needs",
    INVALID_INPUT: "The tool's input failed validation",
    TOOL_NOT_FOUND: "The tool slug is misspelled or not available in this session",
    NO_CONNECTED_ACCOUNT: "The user has no connected account for this toolkit",
}


@dataclass(frozen=True)
class Diagnosis:
    pattern: str
    title: str
    advice: str
    evidence: tuple[str, ...]


# -- what each pattern looks like --------------------------------------------------------------

_UPSTREAM_STATUS = {401: EXPIRED_TOKEN, 403: MISSING_SCOPE, 422: INVALID_INPUT}


def _status_phrase(code: int, reason: str) -> str:
    """``401 Unauthorized``, ``HTTP 401``, ``status code: 401``, ``Unauthorized (401)``."""
    return (
        rf"\b{code}\s+{reason}\b|\bhttp\s*{code}\b|\bstatus(?:\s+code)?\s*[:=]?\s*{code}\b"
        rf"|\b{reason}\s*\({code}\)"
    )


_TEXT: dict[str, re.Pattern[str]] = {
    NO_CONNECTED_ACCOUNT: re.compile(
        r"\bno\s+(?:active\s+|valid\s+)?connected\s+accounts?\b"
        r"|\bconnected[\s_]accounts?\b[^.;]{0,60}?\b(?:not\s+found|does\s+not\s+exist)\b"
        r"|\bconnected_?account_?not_?found\b|\bno_connected_account\b",
        re.IGNORECASE,
    ),
    # "Tool GMAIL_SEND_EMAILS not found", "tool 'x' was not found", "ToolNotFound";
    # not "Tool failed: file not found" nor "the tool result was not found".
    TOOL_NOT_FOUND: re.compile(
        r"(?i:\btool|\baction)\s+"
        r"(?:[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\s+|['\"`][^'\"`]{1,120}['\"`]\s+)?"
        r"(?i:(?:was\s+|is\s+)?not\s+found|does\s+not\s+exist)\b"
        r"|(?i:\b(?:tool|action)[_\s]?not[_\s]?found\b)"
    ),
    EXPIRED_TOKEN: re.compile(
        _status_phrase(401, "unauthori[sz]ed")
        + r"|\btoken\b[^.;:]{0,40}?\b(?:expired|revoked)\b|\btoken_(?:expired|revoked)\b"
        r"|\binvalid_grant\b|\binvalid[\s_]credentials\b",
        re.IGNORECASE,
    ),
    MISSING_SCOPE: re.compile(
        _status_phrase(403, "forbidden")
        + r"|\binsufficient\s+(?:\w+\s+)?(?:scopes?|permissions?)\b"
        r"|\bmissing\s+(?:\w+\s+)?scopes?\b|\bmissing_scopes?\b|\binsufficient_scope\b"
        r"|\bscopes?\b[^.;]{0,40}?\bdo(?:es)?\s+not\s+include\b",
        re.IGNORECASE,
    ),
    INVALID_INPUT: re.compile(
        _status_phrase(422, "unprocessable(?:\\s+entity)?") + r"|\bunprocessable\s+entity\b"
        r"|\b(?:input|request|argument|parameter|payload|schema)s?\s+validation\s+"
        r"(?:failed|errors?)\b"
        r"|\binvalid\s+(?:input|arguments?|parameters?|params|value\s+for|request\s+body)\b",
        re.IGNORECASE,
    ),
}

# Values of status/code fields in a response body, compared lower-cased.
_BODY_VALUES: dict[str, frozenset[str]] = {
    NO_CONNECTED_ACCOUNT: frozenset({"no_connected_account", "connected_account_not_found"}),
    TOOL_NOT_FOUND: frozenset({"tool_not_found", "action_not_found"}),
    EXPIRED_TOKEN: frozenset(
        {
            "401",
            "unauthenticated",  # Google
            "unauthorized",  # Notion
            "token_expired",  # Slack
            "token_revoked",
            "invalid_auth",
            "autherror",  # Google's errors[].reason
            "authentication_error",  # Linear
            "invalid_authentication",  # HubSpot
            "invalid_grant",  # OAuth
        }
    ),
    MISSING_SCOPE: frozenset(
        {
            "403",
            "permission_denied",
            "insufficientpermissions",
            "missing_scope",
            "missing_scopes",
            "insufficient_scope",
            "restricted_resource",
            "forbidden",
        }
    ),
    INVALID_INPUT: frozenset(
        {
            "422",
            "invalid_argument",
            "invalid_arguments",
            "invalid_input",
            "validation_error",
            "validation_failed",
            "unprocessable_entity",
        }
    ),
}
_BODY_KEYS = frozenset(
    {"status", "status_code", "statuscode", "code", "error_code", "error", "reason", "category"}
)
_BODY_DEPTH = 2  # fields this close to the top count anywhere; deeper only inside an error
_BODY_NODES = 2_000

# A 403 that is a rate limit (GitHub answers those with 403) is not about scopes.
_RATE_LIMIT = re.compile(
    r"\brate[\s_-]?limit|\btoo\s+many\s+requests\b|\bquota\b|\babuse\b", re.IGNORECASE
)
# A 401 said in words that blame an API key is Composio's (or ours), not the user's token.
_API_KEY = re.compile(r"\bx-(?:user-|org-)?api-key\b|\bapi[\s_-]?key\b", re.IGNORECASE)
_COMPOSIO_HOSTS = ("composio.dev", "composio.io")

_SCOPE = re.compile(
    r"(?:missing\s+(?:oauth\s+)?scopes?|insufficient\s+scopes?|scopes?\s+do(?:es)?\s+not\s+include)"
    r"\s*:?\s*([^\s,;'\"]+)",
    re.IGNORECASE,
)
# The slug a "not found" error names: "Tool GITHUB_CREATE_ISSUE not found".
_MISSING_SLUG = re.compile(
    r"(?i:\btool|\baction)\s+['\"`]?([A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+)"
)
# How alike a seen slug must be to be offered (difflib's ratio): GITHUB_CREATE_ISSUE and
# GITHUB_CREATE_AN_ISSUE are 0.93; GITHUB_CREATE_ISSUE and GMAIL_SEND_EMAIL 0.4.
CLOSE_SLUG_RATIO = 0.75
MAX_CLOSE_SLUGS = 3
_FIELD = re.compile(
    r"(?:invalid\s+(?:input|value)\s+for|field)\s+['\"`]([^'\"`]{1,60})['\"`]", re.IGNORECASE
)


# -- the facts a call offers ------------------------------------------------------------------


@dataclass(frozen=True)
class _Facts:
    texts: tuple[tuple[str, str], ...]  # (where it was said, what was said)
    fetch_failed: Step | None
    tool_step: Step | None
    upstream_error: NetworkCall | None  # the last upstream request answered >= 400
    composio_refused: bool  # a request to Composio's own API answered 401
    fields: tuple[tuple[str, Any], ...]  # (path, value) of status/code fields in the response
    body_strings: tuple[str, ...]


def _facts(call: CallDetail) -> _Facts:
    texts: list[tuple[str, str]] = []
    for where, text in [("error", call.error), ("message", call.message)] + [
        (f"step {step.kind}", step.message) for step in call.steps if step.failed
    ]:
        if text and all(text != seen for _, seen in texts):
            texts.append((where, text))
    tool_steps = [step for step in call.steps if step.kind == "tool_execution"]
    upstream = [r for step in tool_steps for r in step.requests if not _is_composio(r.url)]
    fields: list[tuple[str, Any]] = []
    strings: list[str] = []
    for path, keys, value in _walk(call.response):
        if isinstance(value, str):
            strings.append(value[:1_000])
        if keys and keys[-1].lower() in _BODY_KEYS and _near_top_or_in_error(keys):
            fields.append((path, value))
    return _Facts(
        texts=tuple(texts),
        fetch_failed=next(
            (s for s in call.steps if s.kind == "fetch_connection_details" and s.failed), None
        ),
        tool_step=tool_steps[-1] if tool_steps else None,
        upstream_error=next((r for r in reversed(upstream) if r.failed), None),
        composio_refused=any(
            r.status == 401 and _is_composio(r.url) for s in tool_steps for r in s.requests
        ),
        fields=tuple(fields),
        body_strings=tuple(strings),
    )


def _is_composio(url: str) -> bool:
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == domain or host.endswith("." + domain) for domain in _COMPOSIO_HOSTS)


def _walk(value: Any) -> Iterator[tuple[str, tuple[str, ...], Any]]:
    """(path, keys on the way, scalar) for the scalars of a response body, in document
    order, within a budget of nodes (a body may be megabytes)."""
    stack: list[tuple[str, tuple[str, ...], Any]] = [("response", (), value)]
    visited = 0
    while stack and visited < _BODY_NODES:
        path, keys, node = stack.pop()
        visited += 1
        if isinstance(node, dict):
            items = list(islice(node.items(), _BODY_NODES))
            stack += [(f"{path}.{k}", (*keys, str(k)), v) for k, v in reversed(items)]
        elif isinstance(node, list):
            items = list(enumerate(islice(node, _BODY_NODES)))
            stack += [(f"{path}[{i}]", keys, v) for i, v in reversed(items)]
        else:
            yield path, keys, node


def _near_top_or_in_error(keys: tuple[str, ...]) -> bool:
    return len(keys) <= _BODY_DEPTH or any(k.lower() in ("error", "errors") for k in keys[:-1])


# -- the rules ----------------------------------------------------------------------------------


def diagnose(call: CallDetail, seen_tools: Iterable[str] = ()) -> Diagnosis | None:
    """Which of seed 002's failure patterns this call shows, with the evidence; None for
    successes and for failures no rule recognizes. ``seen_tools``: the slugs seen in
    other logs, of which an unknown tool's advice names the close ones."""
    if not call.failed:
        return None
    facts = _facts(call)
    found = _match(facts)
    if found is None:
        return None
    pattern, evidence = found
    unique = list(dict.fromkeys(_cap(line) for line in evidence if line))
    return Diagnosis(
        pattern=pattern,
        title=TITLES[pattern],
        advice=_advice(pattern, call, facts, seen_tools),
        evidence=tuple(unique[:MAX_EVIDENCE]),
    )


def failure_pattern(message: str) -> str | None:
    """The pattern a failed log's message alone shows (the list has no steps or
    response): the text rules of `diagnose`, for counting failures by kind."""
    if not message:
        return None
    facts = _Facts(
        texts=(("message", message),),
        fetch_failed=None,
        tool_step=None,
        upstream_error=None,
        composio_refused=False,
        fields=(),
        body_strings=(),
    )
    found = _match(facts)
    return None if found is None else found[0]


def _match(facts: _Facts) -> tuple[str, list[str]] | None:
    # 1. The connection could not be fetched: the tool never ran.
    said = _said(facts, NO_CONNECTED_ACCOUNT)
    if facts.fetch_failed is not None:
        return NO_CONNECTED_ACCOUNT, [_step_line(facts.fetch_failed, facts), *said]
    if said:
        return NO_CONNECTED_ACCOUNT, said
    # 2. The upstream API answered: its status is the most direct evidence.
    refused = facts.upstream_error
    if refused is not None and refused.status in _UPSTREAM_STATUS:
        pattern = _UPSTREAM_STATUS[refused.status]
        if pattern == MISSING_SCOPE and _rate_limited(facts):
            return None
        return pattern, [_network_line(refused), *_said(facts, pattern)]
    # 3. What the error says, then the response body.
    for pattern in (TOOL_NOT_FOUND, EXPIRED_TOKEN, MISSING_SCOPE, INVALID_INPUT):
        said = _said(facts, pattern)
        if not said:
            continue
        if pattern == EXPIRED_TOKEN and _blames_api_key(facts):
            continue
        if pattern == MISSING_SCOPE and _rate_limited(facts):
            return None
        step = facts.tool_step
        if pattern == TOOL_NOT_FOUND and step is not None and not step.requests:
            said.append(f"step {step.kind} made no upstream request")
        return pattern, said
    return None


def _said(facts: _Facts, pattern: str) -> list[str]:
    """Evidence lines for `pattern` from the texts and the response body."""
    lines = []
    for where, text in facts.texts:
        match = _TEXT[pattern].search(text)
        if match:
            lines.append(_quote(where, text, match.start(), match.end()))
    values = _BODY_VALUES[pattern]
    quoted = {text for _, text in facts.texts}
    for path, value in facts.fields:
        if isinstance(value, bool) or value is None or value in quoted:
            continue  # (the tool's error string is quoted as the error already)
        if str(value).strip().lower() in values:
            lines.append(f"{path} = {json.dumps(value, ensure_ascii=False)}")
    return lines


def _rate_limited(facts: _Facts) -> bool:
    texts = [text for _, text in facts.texts] + list(facts.body_strings)
    return any(_RATE_LIMIT.search(text) for text in texts)


def _blames_api_key(facts: _Facts) -> bool:
    return facts.composio_refused or any(_API_KEY.search(text) for _, text in facts.texts)


# -- evidence and advice ----------------------------------------------------------------------


def _network_line(request: NetworkCall) -> str:
    tail = f" answered {request.status}"
    room = EVIDENCE_LEN - len(request.method) - 1 - len(tail)
    url = request.url if len(request.url) <= room else request.url[: room - 1] + ELLIPSIS
    return f"{request.method} {url}{tail}".strip()


def _step_line(step: Step, facts: _Facts) -> str:
    head = f"step {step.kind}: {step.status}"
    quoted = {text for where, text in facts.texts if where in ("error", "message")}
    if not step.message or step.message in quoted:
        return head  # its message is quoted as the error or the message already
    return _quote(head, step.message, 0, 0)


def _quote(where: str, text: str, start: int, end: int) -> str:
    """``where: "…text around start:end…"``, within EVIDENCE_LEN."""
    room = EVIDENCE_LEN - len(where) - 4
    if len(text) > room:
        room -= 2  # the ellipses
        begin = max(0, min(start - max(0, room - (end - start)) // 3, len(text) - room))
        piece = text[begin : begin + room]
        text = (ELLIPSIS if begin else "") + piece + (ELLIPSIS if begin + room < len(text) else "")
    return f'{where}: "{text}"'


def _cap(line: str) -> str:
    text = clean(line, max_len=None)
    return text if len(text) <= EVIDENCE_LEN else text[: EVIDENCE_LEN - 1] + ELLIPSIS


def _found(pattern: re.Pattern[str], facts: _Facts) -> str:
    for _, text in facts.texts:
        match = pattern.search(text)
        if match:
            return clean(match.group(1).rstrip(".:"), max_len=120)
    return ""


def close_slugs(slug: str, seen: Iterable[str]) -> list[str]:
    """Slugs in ``seen`` close enough to ``slug`` to be what was meant, closest first."""
    others = {other for other in seen if other and other != slug}
    return difflib.get_close_matches(slug, others, n=MAX_CLOSE_SLUGS, cutoff=CLOSE_SLUG_RATIO)


def _advice(pattern: str, call: CallDetail, facts: _Facts, seen_tools: Iterable[str]) -> str:
    who = call.user_id or "the user"
    kit = call.toolkit or "the toolkit"
    tool = call.tool or "the tool"
    if pattern == EXPIRED_TOKEN:
        account = f", replacing {call.connected_account_id}" if call.connected_account_id else ""
        return (
            f"Ask {who} to re-authenticate {kit} (a new connected account{account}), "
            "then re-run the call."
        )
    if pattern == MISSING_SCOPE:
        scope = _found(_SCOPE, facts) or "the missing scope"
        config = f" ({call.auth_config_id})" if call.auth_config_id else ""
        return (
            f"Add {scope} to the {kit} auth config{config}, then ask {who} to re-authenticate "
            f"{kit} so the new scope is granted, and re-run the call."
        )
    if pattern == INVALID_INPUT:
        field = _found(_FIELD, facts)
        what = f"the value of '{field}'" if field else "the arguments"
        return (
            f"Look at the request: fix {what} sent to {tool} (Request/Response tab), "
            "then re-run the call."
        )
    if pattern == TOOL_NOT_FOUND:
        session = call.session_id or "the session"
        slug = call.tool or _found(_MISSING_SLUG, facts)
        close = close_slugs(slug, seen_tools) if slug else []
        meant = f" (seen in other logs: {', '.join(close)})" if close else ""
        return (
            f"Check the slug {slug or tool} for typos{meant} and that {kit} is enabled for "
            f"{session}, then re-run with the right slug."
        )
    return (
        f"Ask {who} to connect {kit} (authenticate it to create a connected account), "
        "then re-run the call."
    )
