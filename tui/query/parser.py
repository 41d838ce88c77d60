"""``parse_query``: query text into a LogQuery, or a ``QuerySyntaxError`` at the first
term the server cannot take, saying how to fix it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import tzinfo
from typing import Final

from tui.constants import FILTER_FIELDS
from tui.errors import QuerySyntaxError
from tui.query.model import Filter, LogQuery, TimeRange
from tui.query.terms import Term, closing_quote, quote, scan, unquote
from tui.query.times import TIME_HELP, BadTime, time_ms
from tui.query.vocabulary import (
    FIELD_NAMES,
    OPERATORS,
    STATUS_WORDS,
    STATUSES,
    TIME_NAMES,
    field_for,
)

_OPERATOR_HELP: Final = "{n}:x (is), -{n}:x (is not), {n}~x (contains), -{n}~x (does not contain)"
_FIELD_LIST: Final = ", ".join((*FIELD_NAMES, *TIME_NAMES))
# A known name followed by something that looks like an operator but is not one.
_BAD_OPERATOR: Final = re.compile(r"([A-Za-z_]+)(==|!=|!~|!:|<=|>=|=|<|>)")


@dataclass(frozen=True)
class _Time:
    name: str  # since or until
    ms: int
    term: Term


def parse_query(text: str, *, now_ms: int, tz: tzinfo | None = None) -> LogQuery:
    """The query ``text`` stands for; relative times resolve against ``now_ms``, times
    without a zone are read in ``tz`` (local time when None), as times are shown.

    Raises ``QuerySyntaxError`` at the first term the server cannot take. Empty text
    is the empty query."""
    filters: list[Filter] = []
    words: list[str] = []
    times: dict[str, _Time] = {}
    for start, end, unclosed in scan(text):
        term = Term(start, text[start:end])
        if unclosed is not None:
            raise QuerySyntaxError(
                f'unclosed quote in {term.text} — add the closing ", and write \\" for a '
                "quote inside a quoted value",
                unclosed,
                1,
            )
        parsed = parse_term(term, now_ms, tz)
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


def parse_term(term: Term, now_ms: int, tz: tzinfo | None = None) -> Filter | _Time | str:
    """One term: a filter, a time bound, or a search word."""
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
            "a quote inside a word", f"quote the whole word instead: {quote(term.text)}"
        )
    name, operator, raw = body[:at], body[at], body[at + 1 :]
    head = term.text[: len(term.text) - len(raw)]  # up to and with the operator
    if not name:
        raise term.error(
            f"missing field name before '{operator}'",
            f"write FIELD{operator}VALUE (fields: {_FIELD_LIST}), or quote the text to "
            f"search messages for it: {quote(term.text)}",
        )
    if name in TIME_NAMES:
        return _parse_time_term(term, name, operator, negated, raw, now_ms, tz)
    api_field = field_for(name)
    if api_field is None:
        raise _unknown_field(term, name)
    if not raw:
        raise term.error("missing value", f'write {head}VALUE, or {head}"" for an empty value')
    value = _value(term, head, raw)
    if api_field == "status":
        value = _status_value(term, head, value)
    return Filter(api_field, OPERATORS[negated, operator], value)


def _value(term: Term, head: str, raw: str) -> str:
    """A term's value as typed after its operator: quoted, or up to the next space."""
    if raw.startswith('"'):
        close = closing_quote(raw, 0)
        assert close is not None  # scan found every unclosed quote
        rest = raw[close + 1 :]
        if rest:
            raise term.error(
                f"{rest!r} after the closing quote",
                "put a space before it, or move it inside the quotes",
            )
        return unquote(raw)
    if '"' in raw:
        raise term.error(
            "a quote inside an unquoted value",
            f'quote the whole value and write \\" for the quote: {head}{quote(raw)}',
        )
    return raw


def _negated_word(term: Term, word: str) -> QuerySyntaxError:
    return term.error(
        "'-' excludes a field's value, not a search word",
        f"write -FIELD:VALUE (fields: {_FIELD_LIST}), or quote the word to search messages "
        f"for it: {quote(word)}",
    )


def _unknown_field(term: Term, name: str) -> QuerySyntaxError:
    known = [*FIELD_NAMES, *TIME_NAMES, *FILTER_FIELDS]
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    guess = f"did you mean {close[0]}? " if close else ""
    return term.error(
        f"unknown field '{name}'",
        f"{guess}Fields: {_FIELD_LIST}; to search messages for the text, quote it: "
        f"{quote(term.text)}",
    )


def _bad_operator(term: Term, name: str, operator: str) -> QuerySyntaxError:
    if name in TIME_NAMES:
        return term.error(f"'{operator}' is not how {name} is written", f"write {name}:TIME")
    return term.error(f"'{operator}' is not an operator", "write " + _OPERATOR_HELP.format(n=name))


def _status_value(term: Term, head: str, value: str) -> str:
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
    term: Term,
    name: str,
    operator: str,
    negated: bool,
    raw: str,
    now_ms: int,
    tz: tzinfo | None,
) -> _Time:
    if negated:
        other = "until" if name == "since" else "since"
        raise term.error(f"{name} cannot be negated", f"write {other}:TIME for the other side")
    if operator != ":":
        raise _bad_operator(term, name, operator)
    if not raw:
        raise term.error("missing time", TIME_HELP)
    value = _value(term, f"{name}:", raw)
    try:
        return _Time(name, time_ms(value, now_ms, tz), term)
    except BadTime as bad:
        raise term.error(bad.what, bad.fix) from None
