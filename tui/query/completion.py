"""``complete``: candidates for the term under the cursor in the query bar, and
``complete_value``: seen values for a typed beginning (the bar's and the sidebar's)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from tui.constants import FILTER_FIELDS
from tui.query.terms import closing_quote, format_value, term_span, unescape
from tui.query.vocabulary import STATUS_WORDS, TIME_NAMES, Kind, field_names, field_of, statuses

_TIME_EXAMPLES: Final = ("15m", "1h", "24h", "7d")


def complete(
    text: str, cursor: int, values: Mapping[str, Iterable[str]], kind: Kind = None
) -> list[str]:
    """Candidates for the term under the cursor, each the whole replacement term text
    (see ``term_span``): field names with the operator typed so far (``tool`` ->
    ``tool:``, ``toolkit:``), and after ``field:`` or ``field~`` the values seen so far,
    ``values[api_field]``, that start with what is typed (same case first, then any).
    Only ``kind``'s fields and statuses are offered (a Buddy source: pipeline, action…)."""
    start, _ = term_span(text, cursor)
    typed = text[start:cursor]
    sign = "-" if typed.startswith("-") else ""
    body = typed[len(sign) :]
    at = next((i for i, char in enumerate(body) if char in ":~"), None)
    if at is None:
        if '"' in body:
            return []
        names = [n for n in (*field_names(kind), *TIME_NAMES) if n.startswith(body)]
        if kind != "buddy":
            names = names or [n for n in FILTER_FIELDS if n.startswith(body)]
        if sign:
            names = [n for n in names if n not in TIME_NAMES]
        shorthands = [w for w in STATUS_WORDS if w.startswith(body)]
        return [f"{sign}{n}:" for n in names] + [sign + w for w in shorthands]
    name, operator, partial = body[:at], body[at], body[at + 1 :]
    if partial.startswith('"'):
        partial = partial[1:]
        if partial.endswith('"') and closing_quote('"' + partial, 0) == len(partial):
            partial = partial[:-1]
        partial = unescape(partial)
    api_field = field_of(name, kind)
    pool: Iterable[str]
    if name in TIME_NAMES and operator == ":" and not sign:
        pool = _TIME_EXAMPLES
    elif api_field == "status":
        pool = statuses(kind)
    elif api_field is not None:
        pool = values.get(api_field, ())
    else:
        return []
    head = f"{sign}{name}{operator}"
    return [head + format_value(v) for v in complete_value(partial, pool)]


def complete_value(partial: str, pool: Iterable[str]) -> list[str]:
    """The values of ``pool`` that start with ``partial``, raw (not quoted): ``partial``
    itself first when it is one, then the same case, then any case; each once. The bar
    completes a term's value with it, the sidebar a field's whole text."""
    distinct = dict.fromkeys(pool)  # in the order given, once each
    folded = partial.casefold()
    exact = [partial] if partial in distinct else []
    same_case = [v for v in distinct if v.startswith(partial) and v != partial]
    any_case = [
        v for v in distinct if v.casefold().startswith(folded) and not v.startswith(partial)
    ]
    return exact + same_case + any_case
