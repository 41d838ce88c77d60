"""``parse_rule``: a rule's text into a `Rule`, or a `RuleSyntaxError` at the bad word.

The forms (the selection is the query language, read by ``tui.query.parse_query``)::

    QUERY                                   any matching log (in the last minute)
    QUERY >= N in WINDOW                    a count; > >= < <= == all work
    QUERY == 0 over WINDOW                  absence: none for a whole window
    [QUERY] error_rate > P% over WINDOW [min N]
    [QUERY] p50|p95|p99 > DURATION over WINDOW [min N]

``in`` and ``over`` are the same word. WINDOW and DURATION are like 30s, 5m, 1h, 500ms.
"""

from __future__ import annotations

import re
from typing import Final

from tui.errors import QuerySyntaxError
from tui.query import LogQuery, parse_query
from tui.query.terms import Term, scan
from tui.rules.model import (
    COMPARISONS,
    COUNT,
    DEFAULT_COOLDOWN_MS,
    DEFAULT_MIN_CALLS,
    ERROR_RATE,
    METRICS,
    PERCENTILE_METRICS,
    Rule,
)

_AMOUNT: Final = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)", re.ASCII)
_UNIT_MS: Final = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_WINDOW_WORDS: Final = ("in", "over")
MAX_WINDOW_MS: Final = 7 * 86_400_000
FORMS: Final = (
    "QUERY, QUERY >= N in WINDOW, QUERY == 0 over WINDOW, "
    "error_rate > P% over WINDOW min N, p95 > DURATION over WINDOW"
)
_GLUED: Final = re.compile(r"[<>]|==")


class RuleSyntaxError(QuerySyntaxError):
    """A rule that cannot be read, where (``position``, ``length``) and how to fix it."""


def parse_rule(text: str, name: str = "", cooldown_ms: int = DEFAULT_COOLDOWN_MS) -> Rule:
    """The rule ``text`` stands for (see the module doc); RuleSyntaxError when it can't."""
    terms = [Term(start, text[start:end]) for start, end, _ in scan(text)]
    if not terms:
        raise RuleSyntaxError(f"an empty rule — write one of: {FORMS}", 0, 1)
    at = next((i for i, term in enumerate(terms) if term.text in COMPARISONS), None)
    if at is None:
        return Rule(name, text, _query(text, terms), cooldown_ms=cooldown_ms)
    metric, query_end = COUNT, at
    if at > 0 and terms[at - 1].text in METRICS:
        metric, query_end = terms[at - 1].text, at - 1
    query = _query(text, terms[:query_end])
    comparison, rest = terms[at], terms[at + 1 :]
    if not rest:
        raise _error(comparison, f"nothing after {comparison.text}", _example(metric))
    threshold = _threshold(metric, rest[0])
    if len(rest) < 3 or rest[1].text not in _WINDOW_WORDS:
        where = rest[1] if len(rest) > 1 else rest[0]
        raise _error(where, "missing the window", f"end with over WINDOW: {_example(metric)}")
    window_ms = _window(rest[2])
    min_calls = 0 if metric == COUNT else DEFAULT_MIN_CALLS
    extra = rest[3:]
    if extra and extra[0].text == "min":
        if metric == COUNT:
            raise _error(extra[0], "min is for error_rate and p50/p95/p99 rules", "remove it")
        min_calls = _min_calls(extra)
        extra = extra[2:]
    if extra:
        raise _error(extra[0], f"{extra[0].text!r} after the window", "remove it")
    return Rule(
        name,
        text,
        query,
        metric=metric,
        comparison=comparison.text,
        threshold=threshold,
        window_ms=window_ms,
        min_calls=min_calls,
        cooldown_ms=cooldown_ms,
    )


def parse_named_rule(text: str, cooldown_ms: int = DEFAULT_COOLDOWN_MS) -> Rule:
    """``NAME: RULE`` (the name ends at the first ": ", since queries hold colons)."""
    name, found, rule = text.partition(": ")
    if not found or not name.strip():
        raise RuleSyntaxError(
            "a rule needs a name: write NAME: RULE, e.g. 'gmail failing: toolkit:gmail failed "
            ">= 5 in 1m'",
            0,
            len(text),
        )
    offset = len(name) + len(found)
    try:
        return parse_rule(rule, name.strip(), cooldown_ms)
    except QuerySyntaxError as error:
        raise RuleSyntaxError(str(error), error.position + offset, error.length) from None


def _query(text: str, terms: list[Term]) -> LogQuery:
    for term in terms:
        if term.text.startswith('"'):
            continue
        if _GLUED.search(term.text):
            raise _error(
                term,
                "a comparison needs spaces around it",
                "write e.g. toolkit:gmail failed >= 5 in 1m",
            )
        if term.text in METRICS:
            raise _error(term, f"{term.text} needs a comparison", _example(term.text))
        if term.text.lstrip("-").startswith(("since:", "until:")):
            raise _error(term, "a rule watches a trailing window, not a time range", "remove it")
    end = terms[-1].start + len(terms[-1].text) if terms else 0
    try:
        return parse_query(text[:end], now_ms=0)
    except QuerySyntaxError as error:
        raise RuleSyntaxError(str(error), error.position, error.length) from None


def _threshold(metric: str, term: Term) -> float:
    value = term.text
    if metric == COUNT:
        if not value.isascii() or not value.isdigit():
            raise _error(term, "a count is a whole number", "write e.g. >= 5 in 1m")
        return int(value)
    if metric == ERROR_RATE:
        percent = value.endswith("%")
        number = _number(value[:-1] if percent else value)
        share = None if number is None else number / 100 if percent else number
        if share is None or not 0 <= share <= 1:
            raise _error(term, "an error rate is a percentage", "write e.g. error_rate > 20%")
        return share
    ms = _amount_ms(value)
    if ms is None:
        raise _error(term, f"{metric} compares a duration", f"write e.g. {metric} > 3s or 500ms")
    return ms


def _window(term: Term) -> int:
    ms = _amount_ms(term.text)
    if ms is None or not 1000 <= ms <= MAX_WINDOW_MS:
        raise _error(term, "a window is from 1s to 7d", "write e.g. 30s, 5m or 1h")
    return ms


def _min_calls(extra: list[Term]) -> int:
    if len(extra) < 2 or not extra[1].text.isascii() or not extra[1].text.isdigit():
        raise _error(extra[0], "min takes a number of calls", "write e.g. min 20")
    if int(extra[1].text) < 1:
        raise _error(extra[1], "min is at least 1", "write e.g. min 20")
    return int(extra[1].text)


def parse_window_ms(text: str) -> int | None:
    """``30s``, ``5m``, ``500ms``, ``1h`` in ms; None when it is not one."""
    return _amount_ms(text.strip())


def _amount_ms(text: str) -> int | None:
    found = _AMOUNT.fullmatch(text)
    return None if found is None else round(float(found[1]) * _UNIT_MS[found[2]])


def _number(text: str) -> float | None:
    return float(text) if re.fullmatch(r"\d+(?:\.\d+)?", text, re.ASCII) else None


def _example(metric: str) -> str:
    if metric == ERROR_RATE:
        return "write e.g. error_rate > 20% over 5m min 20"
    if metric in PERCENTILE_METRICS:
        return f"write e.g. {metric} > 3s over 5m"
    return "write e.g. toolkit:gmail failed >= 5 in 1m"


def _error(term: Term, what: str, fix: str) -> RuleSyntaxError:
    error = term.error(what, fix)
    return RuleSyntaxError(str(error), error.position, error.length)
