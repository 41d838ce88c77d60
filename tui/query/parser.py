"""``parse_query``: query text into a LogQuery, or a ``QuerySyntaxError`` at the first
term the server cannot take, saying how to fix it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import tzinfo
from typing import Final

from tui.constants import BUDDY_FILTER_FIELDS, FILTER_FIELDS
from tui.errors import QuerySyntaxError
from tui.query.model import Filter, LogQuery, TimeRange
from tui.query.terms import Term, closing_quote, quote, scan, unquote
from tui.query.times import TIME_HELP, BadTime, time_ms
from tui.query.vocabulary import (
    BUDDY_INSTEAD,
    OPERATORS,
    SHORT_NAMES,
    STATUS_WORDS,
    STATUSES,
    TIME_NAMES,
    Kind,
    field_for,
    field_names,
    foreign_field,
    statuses,
)

_OPERATOR_HELP: Final = "{n}:x (is), -{n}:x (is not), {n}~x (contains), -{n}~x (does not contain)"
# A known name followed by something that looks like an operator but is not one.
_BAD_OPERATOR: Final = re.compile(r"([A-Za-z_]+)(==|!=|!~|!:|<=|>=|=|<|>)")


@dataclass(frozen=True)
class _Time:
    name: str  # since or until
    ms: int
    term: Term


def parse_query(text: str, *, now_ms: int, tz: tzinfo | None = None, kind: Kind = None) -> LogQuery:
    """The query ``text`` stands for; relative times resolve against ``now_ms``, times
    without a zone are read in ``tz`` (local time when None), as times are shown.
    ``kind`` is the source's (``composio``, ``buddy``): a field or status of the other
    kind is an error; None (a file, a rule) takes both.

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
        parsed = parse_term(term, now_ms, tz, kind)
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


def _field_list(kind: Kind) -> str:
    return ", ".join((*field_names(kind), *TIME_NAMES))


def parse_term(
    term: Term, now_ms: int, tz: tzinfo | None = None, kind: Kind = None
) -> Filter | _Time | str:
    """One term: a filter, a time bound, or a search word."""
    negated = term.text.startswith("-")
    body = term.text[1:] if negated else term.text
    if body.startswith('"'):
        word = _value(term, "", body)
        if negated:
            raise _negated_word(term, "-" + word, kind)
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
            raise _negated_word(term, term.text, kind)
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
            f"write FIELD{operator}VALUE (fields: {_field_list(kind)}), or quote the text to "
            f"search messages for it: {quote(term.text)}",
        )
    if name in TIME_NAMES:
        return _parse_time_term(term, name, operator, negated, raw, now_ms, tz)
    api_field = field_for(name)
    if api_field is None:
        raise _unknown_field(term, name, kind)
    foreign = foreign_field(api_field, kind)
    if foreign is not None:
        what, fix = foreign
        instead = BUDDY_INSTEAD.get(SHORT_NAMES[api_field], name)
        raise term.error(what, fix.format(term=term.text.replace(name, instead, 1)))
    if not raw:
        raise term.error("missing value", f'write {head}VALUE, or {head}"" for an empty value')
    value = _value(term, head, raw)
    if api_field == "status":
        value = _status_value(term, head, value, kind)
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


def _negated_word(term: Term, word: str, kind: Kind) -> QuerySyntaxError:
    return term.error(
        "'-' excludes a field's value, not a search word",
        f"write -FIELD:VALUE (fields: {_field_list(kind)}), or quote the word to search messages "
        f"for it: {quote(word)}",
    )


def _unknown_field(term: Term, name: str, kind: Kind) -> QuerySyntaxError:
    full = BUDDY_FILTER_FIELDS if kind == "buddy" else FILTER_FIELDS
    known = [*field_names(kind), *TIME_NAMES, *full]
    close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
    guess = f"did you mean {close[0]}? " if close else ""
    return term.error(
        f"unknown field '{name}'",
        f"{guess}Fields: {_field_list(kind)}; to search messages for the text, quote it: "
        f"{quote(term.text)}",
    )


def _bad_operator(term: Term, name: str, operator: str) -> QuerySyntaxError:
    if name in TIME_NAMES:
        return term.error(f"'{operator}' is not how {name} is written", f"write {name}:TIME")
    return term.error(f"'{operator}' is not an operator", "write " + _OPERATOR_HELP.format(n=name))


def _status_value(term: Term, head: str, value: str, kind: Kind) -> str:
    """success or failed, as the API takes them (A.2); ok stands for success. A Buddy
    row's status may also be running, queued, skipped or waiting (rows.STATUS_FOR)."""
    known = statuses(kind)
    if value in known:
        return value
    if value == "ok":
        return "success"
    close = difflib.get_close_matches(value.lower(), [*known, "ok"], n=1, cutoff=0.5)
    which = "success or failed" if known == STATUSES else ", ".join(known)
    raise term.error(
        f"status is {which} (ok for success), not {value!r}",
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
