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

A Buddy source (issue 17 §4) has its own fields instead of Composio's tool, toolkit,
session, account, auth, sandbox and request: ``pipeline``, ``action``, ``type`` (the
action's), ``branch`` and ``trigger`` (``BUDDY_FIELDS``), besides ``status`` (also
``running``, ``queued``, ``skipped``, ``waiting``), ``user``, ``id`` and the times. Buddy's
list of runs takes no filters (buddy-contract.md A.3): they are applied here, over the
runs read, never sent. ``parse_query(kind=…)`` says whose fields a query may name.

The package, lowest first: ``vocabulary`` (field names, operators, statuses),
``model`` (LogQuery and its API body), ``terms`` (cutting text into terms, quoting),
``times`` (reading since/until), ``parser``, ``printer`` and ``completion``.
"""

from __future__ import annotations

from tui.errors import QueryError, QuerySyntaxError
from tui.query.completion import complete, complete_value
from tui.query.model import (
    ENTRY_ATTRIBUTES,
    FUTURE_SLACK_MS,
    Filter,
    LogQuery,
    TimeRange,
    field_text,
    open_end_ms,
)
from tui.query.parser import parse_query
from tui.query.printer import format_query
from tui.query.terms import term_span
from tui.query.times import parse_time
from tui.query.vocabulary import (
    BUDDY_FIELDS,
    BUDDY_STATUSES,
    FIELD_NAMES,
    STATUS_WORDS,
    STATUSES,
    TIME_NAMES,
    Kind,
    field_for,
)

__all__ = [
    "BUDDY_FIELDS",
    "BUDDY_STATUSES",
    "ENTRY_ATTRIBUTES",
    "FIELD_NAMES",
    "FUTURE_SLACK_MS",
    "STATUSES",
    "STATUS_WORDS",
    "TIME_NAMES",
    "Filter",
    "Kind",
    "LogQuery",
    "QueryError",
    "QuerySyntaxError",
    "TimeRange",
    "complete",
    "complete_value",
    "field_for",
    "field_text",
    "format_query",
    "open_end_ms",
    "parse_query",
    "parse_time",
    "term_span",
]
