"""LogQuery, its Logs API body, and the query language typed in the bar and in ``--query``.

One home for turning a query into the API's ``filters`` and ``time_range``
(api-contract.md A.2): the TUI and the headless commands both parse with
``parse_query`` and send exactly what ``to_api_body`` returns.

The language, a term at a time, separated by spaces (terms are AND-combined)::

    tool:GMAIL_SEND_EMAIL    tool_slug == GMAIL_SEND_EMAIL
    -user:u1                 user_id != u1
    toolkit~mail             toolkit_slug contains "mail"
    -session~test            session_id does not contain "test"
    failed, ok, -failed      status == failed, status == success, status != failed
    since:15m until:2h       time_range, epoch ms (also 30s, 7d, 1w, ISO times, epoch ms)
    user:"a b"               a quoted value (write \\" and \\\\ for a quote, a backslash)
    timeout "rate limit"     bare words: searched for in the loaded rows' messages
                             (never sent; the caller does the searching)

A field is a short name (``FIELD_NAMES``) or the API's own name (``tool_slug``).
Values are sent verbatim: the API decides case and substring semantics.
"""

from __future__ import annotations

import difflib
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from tui import fmt
from tui.constants import DEFAULT_LIMIT, FILTER_FIELDS, FILTER_OPERATORS, MAX_LIMIT
from tui.models.normalize import wire_text

if TYPE_CHECKING:
    from tui.models.entry import LogEntry

# A live window has no end; the API wants one, so it ends this far past our clock,
# which also absorbs any skew between our clock and the server's timestamps.
FUTURE_SLACK_MS: Final = 24 * 3600 * 1000

# Short name -> API field, in the order completion offers them.
_FIELDS: Final = {
    "tool": "tool_slug",
    "toolkit": "toolkit_slug",
    "status": "status",
    "user": "user_id",
    "session": "session_id",
    "account": "connected_account_id",
    "auth": "auth_config_id",
    "sandbox": "sandbox_id",
    "request": "request_id",
    "id": "log_id",
}
FIELD_NAMES: Final = tuple(_FIELDS)
_SHORT_NAME: Final = {api: short for short, api in _FIELDS.items()}
TIME_NAMES: Final = ("since", "until")
# The status values the API knows (A.2), and the bare words that stand for them.
STATUSES: Final = ("success", "failed")
STATUS_WORDS: Final = {"failed": "failed", "ok": "success"}
_STATUS_WORD: Final = {value: word for word, value in STATUS_WORDS.items()}

# (negated, operator character) <-> API operator.
_OPERATORS: Final = {
    (False, ":"): "==",
    (True, ":"): "!=",
    (False, "~"): "contains",
    (True, "~"): "not_contains",
}
_SYNTAX: Final = {operator: syntax for syntax, operator in _OPERATORS.items()}
_OPERATOR_HELP: Final = "{n}:x (is), -{n}:x (is not), {n}~x (contains), -{n}~x (does not contain)"

_RELATIVE_UNIT_MS: Final = {
    "s": 1000,
    "m": 60_000,
    "h": 3_600_000,
    "d": 86_400_000,
    "w": 604_800_000,
}
_RELATIVE: Final = re.compile(r"(\d+)([smhdw])", re.ASCII)
_ISO: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?",
    re.ASCII,
)
_MAX_MS: Final = fmt.epoch_ms(datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=UTC))
# Below this a bare number is more likely seconds or a forgotten unit than epoch ms.
_MIN_EPOCH_MS: Final = 100_000_000_000
_TIME_HELP: Final = (
    "write a duration back from now (30s, 15m, 2h, 7d, 1w), an ISO time "
    "(2026-04-17, 2026-04-17T10:00, with seconds, with Z or +02:00; no zone means UTC) "
    "or epoch milliseconds"
)
_FIELD_LIST: Final = ", ".join((*FIELD_NAMES, *TIME_NAMES))
# A known name followed by something that looks like an operator but is not one.
_BAD_OPERATOR: Final = re.compile(r"([A-Za-z_]+)(==|!=|!~|!:|<=|>=|=|<|>)")


class QueryError(ValueError):
    """A query the Logs API cannot take; the message says what to change."""


class QuerySyntaxError(QueryError):
    """A term of the query text that cannot be sent, and where it is.

    ``position`` is the 0-based character offset of the bad term (of the quote, for an
    unclosed one) and ``length`` its length in characters; ``str(error)`` is one line
    naming the term and saying how to fix it."""

    def __init__(self, message: str, position: int, length: int) -> None:
        super().__init__(_one_line(message))
        self.position = position
        self.length = max(1, length)

    def pointer(self, text: str, indent: str = "") -> str:
        """``text`` and a caret line under the bad term, like a compiler's (two lines)."""
        return f"{indent}{_one_line(text)}\n{indent}{' ' * self.position}{'^' * self.length}"


def _one_line(text: str) -> str:
    """Every space-like character (tabs, newlines) as one space: columns stay put."""
    return "".join(" " if char.isspace() else char for char in text)


@dataclass(frozen=True)
class Filter:
    field: str
    operator: str
    value: str

    def __post_init__(self) -> None:
        if self.field not in FILTER_FIELDS:
            raise QueryError(
                f"unknown filter field {self.field!r}; use one of {', '.join(FILTER_FIELDS)}"
            )
        if self.operator not in FILTER_OPERATORS:
            raise QueryError(
                f"unknown operator {self.operator!r}; use one of {', '.join(FILTER_OPERATORS)}"
            )

    def to_api(self) -> dict[str, str]:
        return {"field": self.field, "operator": self.operator, "value": self.value}

    def accepts(self, text: str) -> bool:
        """Whether a log whose ``field`` reads ``text`` passes, as the server decides:
        exact or substring, case-sensitive; an absent value is ``""``."""
        if self.operator == "==":
            return text == self.value
        if self.operator == "!=":
            return text != self.value
        if self.operator == "contains":
            return self.value in text
        return self.value not in text

    def matches(self, entry: LogEntry) -> bool:
        return self.accepts(field_text(entry, self.field))


@dataclass(frozen=True)
class TimeRange:
    """Bounds in epoch milliseconds, as the API wants them; ``to_ms`` None is open-ended
    (``since:15m`` alone), sent as ``FUTURE_SLACK_MS`` past the clock because the API
    wants both bounds."""

    from_ms: int
    to_ms: int | None = None

    def __post_init__(self) -> None:
        if self.to_ms is not None and self.from_ms > self.to_ms:
            raise QueryError("the time range starts after it ends; swap since and until")

    def end_ms(self, now_ms: int) -> int:
        """The upper bound to send: ``to_ms``, or far enough past ``now_ms``."""
        if self.to_ms is not None:
            return self.to_ms
        return max(self.from_ms, now_ms + FUTURE_SLACK_MS)

    def to_api(self, *, now_ms: int | None = None) -> dict[str, int]:
        now = int(time.time() * 1000) if now_ms is None else now_ms
        return {"from": self.from_ms, "to": self.end_ms(now)}

    def contains(self, ms: int) -> bool:
        """Whether a log stamped ``ms`` is in range: both bounds inclusive, as the server
        takes ``from`` and ``to``. An open end has no bound here (what is sent closes it
        ``FUTURE_SLACK_MS`` past the clock)."""
        return self.from_ms <= ms and (self.to_ms is None or ms <= self.to_ms)


@dataclass(frozen=True)
class LogQuery:
    """Filters (AND-combined by the API, repeated fields too: ``tool:a tool:b`` matches
    nothing; there is no OR), a time range, and bare words, which are searched for
    locally in messages and never sent."""

    filters: tuple[Filter, ...] = field(default=())
    time_range: TimeRange | None = None
    words: tuple[str, ...] = ()

    def to_api_body(
        self, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None, now_ms: int | None = None
    ) -> dict[str, Any]:
        """The list request body (A.2); ``now_ms`` closes an open-ended time range."""
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        body: dict[str, Any] = {"limit": limit, "filters": [f.to_api() for f in self.filters]}
        if cursor is not None:
            body["cursor"] = cursor
        if self.time_range is not None:
            body["time_range"] = self.time_range.to_api(now_ms=now_ms)
        return body

    @property
    def is_empty(self) -> bool:
        return not self.filters and self.time_range is None and not self.words

    @property
    def server_part(self) -> LogQuery:
        """The same query without its words: what requests are made with."""
        return replace(self, words=()) if self.words else self

    def matches_words(self, message: str) -> bool:
        """Whether ``message`` contains every word (case-insensitive)."""
        folded = message.casefold()
        return all(word.casefold() in folded for word in self.words)

    def matches(self, entry: LogEntry) -> bool:
        """Whether ``entry`` answers the whole query, evaluated here rather than by the
        server: the time range, every filter (``Filter.accepts``), and the words."""
        if self.time_range is not None and not self.time_range.contains(entry.timestamp_ms):
            return False
        return all(f.matches(entry) for f in self.filters) and self.matches_words(entry.message)


# -- evaluating filters locally ------------------------------------------------------------

# The LogEntry attribute for each field, for entries that carry no Composio wire object.
ENTRY_ATTRIBUTES: Final = {
    "tool_slug": "tool",
    "toolkit_slug": "toolkit",
    "connected_account_id": "connected_account_id",
    "auth_config_id": "auth_config_id",
    "status": "status",
    "user_id": "user_id",
    "session_id": "session_id",
    "log_id": "id",
}


def field_text(entry: LogEntry, api_field: str) -> str:
    """The text a filter on ``api_field`` compares for ``entry``.

    For a Composio log it is the wire's own text (``entry.raw``), as the server compares
    it, not the sanitized display attribute (which escapes control characters and cuts
    long values). An entry without a wire object falls back to its attribute."""
    if entry.raw and entry.source == "composio":
        return wire_text(entry.raw, api_field)
    attribute = ENTRY_ATTRIBUTES.get(api_field)
    value = getattr(entry, attribute) if attribute is not None else ""
    return value if isinstance(value, str) else ""


def field_for(name: str) -> str | None:
    """The API field a short or full field name stands for, else None."""
    if name in _FIELDS:
        return _FIELDS[name]
    return name if name in FILTER_FIELDS else None


# -- parsing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    start: int
    text: str

    def error(self, what: str, fix: str) -> QuerySyntaxError:
        return QuerySyntaxError(f"{what} in {self.text} — {fix}", self.start, len(self.text))


@dataclass(frozen=True)
class _Time:
    name: str  # since or until
    ms: int
    term: _Term


def _closing_quote(text: str, at: int) -> int | None:
    """Where the quote opened at ``at`` closes (a backslash escapes the next character)."""
    i = at + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i
        else:
            i += 1
    return None


def _scan(text: str) -> Iterator[tuple[int, int, int | None]]:
    """Each term's start and end, and where its unclosed quote is (it runs to the end)."""
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        start, unclosed = i, None
        while i < len(text) and not text[i].isspace():
            if text[i] == '"':
                close = _closing_quote(text, i)
                if close is None:
                    unclosed, i = i, len(text)
                    break
                i = close
            i += 1
        yield start, i, unclosed


def term_span(text: str, cursor: int) -> tuple[int, int]:
    """Start and end of the term the cursor is in or at the end of (an empty span at
    the cursor between terms): what a completion candidate replaces."""
    for start, end, _ in _scan(text):
        if start <= cursor <= end:
            return start, end
    return cursor, cursor


def _unescape(text: str) -> str:
    """What a quoted stretch holds: ``\\"`` is a quote, ``\\\\`` a backslash."""
    return re.sub(r'\\([\\"])', r"\1", text)


def _unquote(quoted: str) -> str:
    return _unescape(quoted[1:-1])


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_query(text: str, *, now_ms: int) -> LogQuery:
    """The query ``text`` stands for; relative times resolve against ``now_ms``.

    Raises ``QuerySyntaxError`` at the first term the server cannot take. Empty text
    is the empty query."""
    filters: list[Filter] = []
    words: list[str] = []
    times: dict[str, _Time] = {}
    for start, end, unclosed in _scan(text):
        term = _Term(start, text[start:end])
        if unclosed is not None:
            raise QuerySyntaxError(
                f'unclosed quote in {term.text} — add the closing ", and write \\" for a '
                "quote inside a quoted value",
                unclosed,
                1,
            )
        parsed = _parse_term(term, now_ms)
        if isinstance(parsed, Filter):
            filters.append(parsed)
        elif isinstance(parsed, _Time):
            if parsed.name in times:
                raise term.error(
                    f"{parsed.name} given twice", f"keep one of {times[parsed.name].term.text}"
                )
            times[parsed.name] = parsed
        else:
            words.append(parsed)
    return LogQuery(tuple(filters), _time_range(times), tuple(words))


def _time_range(times: dict[str, _Time]) -> TimeRange | None:
    since, until = times.get("since"), times.get("until")
    if since is None and until is None:
        return None
    from_ms = since.ms if since is not None else 0
    if until is not None and since is not None and until.ms < from_ms:
        raise until.term.error(
            f"until is before {since.term.text}",
            "swap the two times, or make until later than since",
        )
    return TimeRange(from_ms, None if until is None else until.ms)


def _parse_term(term: _Term, now_ms: int) -> Filter | _Time | str:
    negated = term.text.startswith("-")
    body = term.text[1:] if negated else term.text
    if body.startswith('"'):
        word = _value(term, "", body)
        if negated:
            raise _negated_word(term, "-" + word)
        if not word:
            raise term.error('"" searches for nothing', "remove it, or put text between the quotes")
        return word
    bad = _BAD_OPERATOR.match(body)
    if bad and (field_for(bad[1]) or bad[1] in TIME_NAMES):
        raise _bad_operator(term, bad[1], bad[2])
    at = next((i for i, char in enumerate(body) if char in ':~"'), None)
    if at is None:
        if body in STATUS_WORDS:
            return Filter("status", "!=" if negated else "==", STATUS_WORDS[body])
        if negated:
            raise _negated_word(term, term.text)
        return body
    if body[at] == '"':
        raise term.error(
            "a quote inside a word", f"quote the whole word instead: {_quote(term.text)}"
        )
    name, operator, raw = body[:at], body[at], body[at + 1 :]
    head = term.text[: len(term.text) - len(raw)]  # up to and with the operator
    if not name:
        raise term.error(
            f"missing field name before '{operator}'",
            f"write FIELD{operator}VALUE (fields: {_FIELD_LIST}), or quote the text to "
            f"search messages for it: {_quote(term.text)}",
        )
    if name in TIME_NAMES:
        return _parse_time_term(term, name, operator, negated, raw, now_ms)
    api_field = field_for(name)
    if api_field is None:
        raise _unknown_field(term, name)
    if not raw:
        raise term.error("missing value", f'write {head}VALUE, or {head}"" for an empty value')
    value = _value(term, head, raw)
    if api_field == "status":
        value = _status_value(term, head, value)
    return Filter(api_field, _OPERATORS[negated, operator], value)


def _value(term: _Term, head: str, raw: str) -> str:
    """A term's value as typed after its operator: quoted, or up to the next space."""
    if raw.startswith('"'):
        close = _closing_quote(raw, 0)
        assert close is not None  # _scan found every unclosed quote
        rest = raw[close + 1 :]
        if rest:
            raise term.error(
                f"{rest!r} after the closing quote",
                "put a space before it, or move it inside the quotes",
            )
        return _unquote(raw)
    if '"' in raw:
        raise term.error(
            "a quote inside an unquoted value",
            f'quote the whole value and write \\" for the quote: {head}{_quote(raw)}',
        )
    return raw


def _negated_word(term: _Term, word: str) -> QuerySyntaxError:
    return term.error(
        "'-' excludes a field's value, not a search word",
        f"write -FIELD:VALUE (fields: {_FIELD_LIST}), or quote the word to search messages "
        f"for it: {_quote(word)}",
    )


def _unknown_field(term: _Term, name: str) -> QuerySyntaxError:
    known = [*FIELD_NAMES, *TIME_NAMES, *FILTER_FIELDS]
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    guess = f"did you mean {close[0]}? " if close else ""
    return term.error(
        f"unknown field '{name}'",
        f"{guess}Fields: {_FIELD_LIST}; to search messages for the text, quote it: "
        f"{_quote(term.text)}",
    )


def _bad_operator(term: _Term, name: str, operator: str) -> QuerySyntaxError:
    if name in TIME_NAMES:
        return term.error(f"'{operator}' is not how {name} is written", f"write {name}:TIME")
    return term.error(f"'{operator}' is not an operator", "write " + _OPERATOR_HELP.format(n=name))


def _status_value(term: _Term, head: str, value: str) -> str:
    """success or failed, as the API takes them (A.2); ok stands for success."""
    if value in STATUSES:
        return value
    if value == "ok":
        return "success"
    close = difflib.get_close_matches(value.lower(), [*STATUSES, "ok"], n=1, cutoff=0.5)
    raise term.error(
        f"status is success or failed (ok for success), not {value!r}",
        f"write {head}{close[0]}" if close else f"write {head}failed or {head}success",
    )


def _parse_time_term(
    term: _Term, name: str, operator: str, negated: bool, raw: str, now_ms: int
) -> _Time:
    if negated:
        other = "until" if name == "since" else "since"
        raise term.error(f"{name} cannot be negated", f"write {other}:TIME for the other side")
    if operator != ":":
        raise _bad_operator(term, name, operator)
    if not raw:
        raise term.error("missing time", _TIME_HELP)
    value = _value(term, f"{name}:", raw)
    try:
        return _Time(name, _time_ms(value, now_ms), term)
    except _BadTime as bad:
        raise term.error(bad.what, bad.fix) from None


class _BadTime(Exception):
    def __init__(self, what: str, fix: str = _TIME_HELP) -> None:
        super().__init__(what)
        self.what, self.fix = what, fix


def _time_ms(value: str, now_ms: int) -> int:
    relative = _RELATIVE.fullmatch(value)
    if relative:
        return max(0, now_ms - int(relative[1]) * _RELATIVE_UNIT_MS[relative[2]])
    if value.isascii() and value.isdigit():
        number = int(value)
        if number < _MIN_EPOCH_MS:
            raise _BadTime(
                f"{value!r} has no unit",
                f"write {value}m, {value}h, {value}d (back from now) or epoch milliseconds "
                "(13 digits)",
            )
        if number > _MAX_MS:
            raise _BadTime(f"{value!r} is past the year 9999", "write epoch milliseconds")
        return number
    if not _ISO.fullmatch(value):
        raise _BadTime(f"can't read {value!r} as a time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        raise _BadTime(f"{value!r} is not a real time ({error})") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # no zone: UTC
    ms = fmt.epoch_ms(moment)
    if not 0 <= ms <= _MAX_MS:
        raise _BadTime(f"{value!r} is outside 1970 to 9999", "write a time from 1970 on")
    return ms


def parse_time(text: str, *, now_ms: int) -> int:
    """One time as ``since:``/``until:`` take it (``15m``, an ISO time, epoch ms), in
    epoch ms; a ``QuerySyntaxError`` covering ``text`` when it cannot be read."""
    try:
        return _time_ms(text, now_ms)
    except _BadTime as bad:
        raise QuerySyntaxError(f"{bad.what} — {bad.fix}", 0, len(text)) from None


# -- printing -----------------------------------------------------------------------------


def format_query(query: LogQuery) -> str:
    """The canonical text of ``query``: short names, quotes only where needed, status as
    ``failed``/``ok``, times in ISO UTC, words last. ``parse_query`` of it gives the
    query back, whatever the clock, for every query ``parse_query`` can produce."""
    terms = [_format_filter(f) for f in query.filters]
    if query.time_range is not None:
        since, until = query.time_range.from_ms, query.time_range.to_ms
        if since or until is None:
            terms.append(f"since:{fmt.iso_utc(since)}")
        if until is not None:
            terms.append(f"until:{fmt.iso_utc(until)}")
    terms += [_format_word(word) for word in query.words]
    return " ".join(terms)


def _format_filter(flt: Filter) -> str:
    negated, operator = _SYNTAX[flt.operator]
    sign = "-" if negated else ""
    if flt.field == "status" and operator == ":" and flt.value in _STATUS_WORD:
        return sign + _STATUS_WORD[flt.value]
    return f"{sign}{_SHORT_NAME[flt.field]}{operator}{_format_value(flt.value)}"


def _needs_quotes(text: str) -> bool:
    return not text or any(char.isspace() or char == '"' for char in text)


def _format_value(value: str) -> str:
    return _quote(value) if _needs_quotes(value) else value


def _format_word(word: str) -> str:
    if _needs_quotes(word):
        return _quote(word)
    try:
        as_is = _parse_term(_Term(0, word), 0)
    except QuerySyntaxError:
        return _quote(word)
    return word if as_is == word else _quote(word)


# -- completion ---------------------------------------------------------------------------

_TIME_EXAMPLES: Final = ("15m", "1h", "24h", "7d")


def complete(text: str, cursor: int, values: Mapping[str, Iterable[str]]) -> list[str]:
    """Candidates for the term under the cursor, each the whole replacement term text
    (see ``term_span``): field names with the operator typed so far (``tool`` ->
    ``tool:``, ``toolkit:``), and after ``field:`` or ``field~`` the values seen so far,
    ``values[api_field]``, that start with what is typed (same case first, then any)."""
    start, _ = term_span(text, cursor)
    typed = text[start:cursor]
    sign = "-" if typed.startswith("-") else ""
    body = typed[len(sign) :]
    at = next((i for i, char in enumerate(body) if char in ":~"), None)
    if at is None:
        if '"' in body:
            return []
        names = [n for n in (*FIELD_NAMES, *TIME_NAMES) if n.startswith(body)]
        names = names or [n for n in FILTER_FIELDS if n.startswith(body)]
        if sign:
            names = [n for n in names if n not in TIME_NAMES]
        shorthands = [w for w in STATUS_WORDS if w.startswith(body)]
        return [f"{sign}{n}:" for n in names] + [sign + w for w in shorthands]
    name, operator, partial = body[:at], body[at], body[at + 1 :]
    if partial.startswith('"'):
        partial = partial[1:]
        if partial.endswith('"') and _closing_quote('"' + partial, 0) == len(partial):
            partial = partial[:-1]
        partial = _unescape(partial)
    api_field = field_for(name)
    pool: Iterable[str]
    if name in TIME_NAMES and operator == ":" and not sign:
        pool = _TIME_EXAMPLES
    elif api_field == "status":
        pool = STATUSES
    elif api_field is not None:
        pool = values.get(api_field, ())
    else:
        return []
    distinct = dict.fromkeys(pool)  # in the order given, once each
    folded = partial.casefold()
    same_case = [v for v in distinct if v.startswith(partial)]
    any_case = [
        v for v in distinct if v.casefold().startswith(folded) and not v.startswith(partial)
    ]
    head = f"{sign}{name}{operator}"
    return [head + _format_value(v) for v in same_case + any_case]
