"""``format_query``: a LogQuery as the canonical text ``parse_query`` reads back."""

from __future__ import annotations

from tui import fmt
from tui.errors import QuerySyntaxError
from tui.query.model import Filter, LogQuery
from tui.query.parser import parse_term
from tui.query.terms import Term, format_value, needs_quotes, quote
from tui.query.vocabulary import OPERATOR_SYNTAX, SHORT_NAMES, WORD_FOR_STATUS


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
    negated, operator = OPERATOR_SYNTAX[flt.operator]
    sign = "-" if negated else ""
    if flt.field == "status" and operator == ":" and flt.value in WORD_FOR_STATUS:
        return sign + WORD_FOR_STATUS[flt.value]
    return f"{sign}{SHORT_NAMES[flt.field]}{operator}{format_value(flt.value)}"


def _format_word(word: str) -> str:
    if needs_quotes(word):
        return quote(word)
    try:
        as_is = parse_term(Term(0, word), 0)
    except QuerySyntaxError:
        return quote(word)
    return word if as_is == word else quote(word)
