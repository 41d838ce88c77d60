"""The query language (issue 4): text <-> LogQuery <-> Logs API body, errors, times, completion.

Empty values are allowed, written `field:""`: the contract types a filter's value as a
plain string with no minimum length (api-contract.md A.2), and `-account:""` (logs that
have a connected account) is a real question. A bare `field:` stays an error: it is far
more often a term not finished yet. `status` takes only success/failed (A.2), so the
strategies draw its value from those two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.clock import FIXED_NOW_MS as NOW  # in ms, as the parser wants it
from tests.clock import local_zone
from tui.constants import FILTER_FIELDS, FILTER_OPERATORS, LOCAL_FIELDS
from tui.fmt import iso_utc
from tui.query import (
    FIELD_NAMES,
    FUTURE_SLACK_MS,
    Filter,
    LogQuery,
    QueryError,
    QuerySyntaxError,
    TimeRange,
    complete,
    field_for,
    format_query,
    parse_query,
    parse_time,
    term_span,
)

APRIL_17 = 1_776_384_000_000  # 2026-04-17T00:00:00Z
MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
SHORT = {
    "tool": "tool_slug",
    "toolkit": "toolkit_slug",
    "user": "user_id",
    "session": "session_id",
    "account": "connected_account_id",
    "auth": "auth_config_id",
    "sandbox": "sandbox_id",
    "request": "request_id",
    "id": "log_id",
    "status": "status",
}
AWKWARD = (
    "",
    " ",
    "a b",
    '"',
    'say "hi"',
    "\\",
    'ends with \\"',
    "a:b",
    "x~y",
    "-leading",
    "--",
    "tool:x",
    "failed",
    "ok",
    "since:1h",
    "ünïcödé ✓",
    "日本語",
    "tab\there",
    "line\nbreak",
    "\u00a0",
    "=",
    "tool=x",
)

values = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=12))


def filters_of(fields: list[str], statuses: tuple[str, ...]) -> st.SearchStrategy[Filter]:
    """Filters on ``fields`` with any value, and on status with one of ``statuses``."""
    return st.one_of(
        st.builds(Filter, st.sampled_from(fields), st.sampled_from(FILTER_OPERATORS), values),
        st.builds(
            Filter,
            st.just("status"),
            st.sampled_from(FILTER_OPERATORS),
            st.sampled_from(statuses),
        ),
    )


filters = filters_of([f for f in FILTER_FIELDS if f != "status"], ("success", "failed"))
instants = st.integers(min_value=0, max_value=MAX_MS)


@st.composite
def time_ranges(draw: st.DrawFn) -> TimeRange:
    since = draw(instants)
    until = draw(st.none() | st.integers(min_value=since, max_value=MAX_MS))
    return TimeRange(since, until)


words = st.one_of(st.sampled_from([w for w in AWKWARD if w]), st.text(min_size=1, max_size=12))
queries = st.builds(
    LogQuery,
    st.lists(filters, max_size=5).map(tuple),
    st.none() | time_ranges(),
    st.lists(words, max_size=3).map(tuple),
)


# -- round trips --------------------------------------------------------------------------


@given(queries, st.integers(min_value=0, max_value=MAX_MS))
def test_text_round_trips_to_the_same_query_and_api_body(query: LogQuery, now_ms: int) -> None:
    text = format_query(query)
    parsed = parse_query(text, now_ms=now_ms)
    assert parsed == query
    assert parsed.to_api_body(now_ms=NOW) == query.to_api_body(now_ms=NOW)
    assert format_query(parsed) == text  # canonical: printing again changes nothing


@pytest.mark.parametrize("operator", FILTER_OPERATORS)
@pytest.mark.parametrize("api_field", [f for f in FILTER_FIELDS if f != "status"])
@pytest.mark.parametrize("value", ["GMAIL_SEND_EMAIL", "a b", 'q"uo\\te', ""])
def test_every_field_and_operator_round_trips(api_field: str, operator: str, value: str) -> None:
    query = LogQuery((Filter(api_field, operator, value),))
    body = query.to_api_body()
    assert body["filters"] == [{"field": api_field, "operator": operator, "value": value}]
    assert parse_query(format_query(query), now_ms=NOW).to_api_body() == body


# Text made mostly of the language's own pieces reaches far more of the parser.
query_like = st.text(alphabet='tool:kitsaenduc~-"\\ \t0125mhdwT+Z=!', max_size=30)


@given(query_like | st.text(max_size=40))
def test_any_text_parses_or_points_inside_it(text: str) -> None:
    try:
        query = parse_query(text, now_ms=NOW)
    except QuerySyntaxError as error:
        assert error.position >= 0 and error.position + error.length <= len(text)
        assert error.length >= 1 and " — " in str(error) and "\n" not in str(error)
    else:
        assert parse_query(format_query(query), now_ms=0) == query


# -- the language, term by term ---------------------------------------------------------


@pytest.mark.parametrize(("short", "api_field"), SHORT.items())
def test_short_and_full_names(short: str, api_field: str) -> None:
    assert field_for(short) == api_field
    assert field_for(api_field) == api_field
    value = "failed" if api_field == "status" else "v1"
    expected = LogQuery((Filter(api_field, "==", value),))
    assert parse_query(f"{short}:{value}", now_ms=NOW) == expected
    assert parse_query(f"{api_field}:{value}", now_ms=NOW) == expected


def test_field_names_cover_the_api_fields_in_display_order() -> None:
    assert FIELD_NAMES[:2] == ("tool", "toolkit")
    assert sorted(field_for(n) or "" for n in FIELD_NAMES) == sorted(FILTER_FIELDS)
    assert field_for("tol") is None and field_for("since") is None and field_for("") is None


@pytest.mark.parametrize(
    ("text", "operator"),
    [("tool:X", "=="), ("-tool:X", "!="), ("tool~X", "contains"), ("-tool~X", "not_contains")],
)
def test_each_operator(text: str, operator: str) -> None:
    assert parse_query(text, now_ms=NOW).filters == (Filter("tool_slug", operator, "X"),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("failed", Filter("status", "==", "failed")),
        ("ok", Filter("status", "==", "success")),
        ("-failed", Filter("status", "!=", "failed")),
        ("-ok", Filter("status", "!=", "success")),
        ("status:ok", Filter("status", "==", "success")),
        ("status:success", Filter("status", "==", "success")),
        ("-status:failed", Filter("status", "!=", "failed")),
        ("status~failed", Filter("status", "contains", "failed")),
    ],
)
def test_status_shorthands(text: str, expected: Filter) -> None:
    assert parse_query(text, now_ms=NOW).filters == (expected,)


def test_terms_are_and_combined_in_order_with_words_kept_apart() -> None:
    query = parse_query('  timeout toolkit:gmail  "rate limit" -user:"a b"  failed ', now_ms=NOW)
    assert query.filters == (
        Filter("toolkit_slug", "==", "gmail"),
        Filter("user_id", "!=", "a b"),
        Filter("status", "==", "failed"),
    )
    assert query.words == ("timeout", "rate limit")
    assert query.server_part == LogQuery(query.filters)
    assert query.to_api_body() == query.server_part.to_api_body()  # words are never sent
    assert format_query(query) == 'toolkit:gmail -user:"a b" failed timeout "rate limit"'


def test_repeated_field_terms_are_all_sent() -> None:
    # AND, as the API combines filters: no OR is made up on the way.
    body = parse_query("tool:A tool:B", now_ms=NOW).to_api_body()
    assert [f["value"] for f in body["filters"]] == ["A", "B"]


def test_values_are_sent_verbatim() -> None:
    query = parse_query('user:MiXeD tool::x: id:-a user:"" session:a\\b', now_ms=NOW)
    assert [f.value for f in query.filters] == ["MiXeD", ":x:", "-a", "", "a\\b"]


def test_quoted_values_and_escapes() -> None:
    query = parse_query(r'user:"a b" tool:"say \"hi\"" id:"back\\slash" "C:\dir"', now_ms=NOW)
    assert [f.value for f in query.filters] == ["a b", 'say "hi"', "back\\slash"]
    assert query.words == ("C:\\dir",)


def test_empty_text_is_the_empty_query() -> None:
    for text in ("", "   ", "\t\n"):
        query = parse_query(text, now_ms=NOW)
        assert query == LogQuery() and query.is_empty
        assert format_query(query) == ""
    assert not LogQuery(words=("x",)).is_empty


def test_words_match_messages_case_insensitively() -> None:
    query = parse_query('timeout "RATE limit"', now_ms=NOW)
    assert query.matches_words("Rate Limit hit: TIMEOUT after 3 tries")
    assert not query.matches_words("timeout only")
    assert LogQuery().matches_words("")


# -- errors: the exact term, and a fix ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "position", "length", "says"),
    [
        ("tol:x", 0, 5, "unknown field 'tol' in tol:x — did you mean tool?"),
        ("failed tol:GMAIL", 7, 9, "did you mean tool? Fields: tool, toolkit,"),
        ("usr_id:x", 0, 8, "did you mean user_id?"),
        ("http://example.com", 0, 18, 'quote it: "http://example.com"'),
        ("tool=x", 0, 6, "'=' is not an operator in tool=x — write tool:x (is), -tool:x"),
        ("a tool!=x", 2, 7, "'!=' is not an operator"),
        ("id==x", 0, 5, "'==' is not an operator"),
        ("toolkit!~x", 0, 10, "-toolkit~x (does not contain)"),
        ("since>2h", 0, 8, "write since:TIME"),
        ("since~2h", 0, 8, "'~' is not how since is written"),
        ("-since:2h", 0, 9, "since cannot be negated in -since:2h — write until:TIME"),
        ("tool:", 0, 5, 'missing value in tool: — write tool:VALUE, or tool:"" for an empty'),
        ("ok -user~", 3, 6, "write -user~VALUE"),
        (":x", 0, 2, "missing field name before ':'"),
        ('user:"a b', 5, 1, 'unclosed quote in user:"a b — add the closing "'),
        ('tool:x "ab', 7, 1, "unclosed quote"),
        ('id:"a\\"', 3, 1, "unclosed quote"),  # the escaped quote does not close it
        ('tool:"a"b', 0, 9, "'b' after the closing quote"),
        ('user:a"b c"', 0, 11, 'quote the whole value and write \\" for the quote: user:"a'),
        ('ab"c"', 0, 5, "a quote inside a word"),
        ("status:FAILED", 0, 13, "not 'FAILED' in status:FAILED — write status:failed"),
        ("-status:succes", 0, 14, "write -status:success"),
        ("status:maybe", 0, 12, "write status:failed or status:success"),
        ("-foo", 0, 4, "not a search word in -foo — write -FIELD:VALUE"),
        ("-", 0, 1, "not a search word"),
        ('""', 0, 2, "searches for nothing"),
        ('-"x"', 0, 4, 'quote the word to search messages for it: "-x"'),
        ("since:15x", 0, 9, "can't read '15x' as a time in since:15x — write a duration"),
        ("since:", 0, 6, "missing time in since:"),
        ("until:15", 0, 8, "'15' has no unit in until:15 — write 15m, 15h, 15d"),
        ("since:2026-13-01", 0, 16, "not a real time"),
        ("since:2026-02-30T10:00", 0, 22, "not a real time"),
        ("since:2026-04-17T10", 0, 19, "can't read"),
        ("since:yesterday", 0, 15, "no zone means the zone times are shown in"),
        ("since:1969-12-31", 0, 16, "outside 1970 to 9999"),
        ("since:99999999999999999", 0, 23, "past the year 9999"),
        ("since:1h until:2h", 9, 8, "until is before since:1h in until:2h — swap the two times"),
        ("until:2h tool:x since:1h", 0, 8, "until is before since:1h in until:2h"),
        ("since:1h failed since:2h", 16, 8, "since given twice in since:2h — keep one of since:1h"),
    ],
)
def test_errors_point_at_the_term_and_say_how_to_fix_it(
    text: str, position: int, length: int, says: str
) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text, now_ms=NOW)
    error = caught.value
    assert (error.position, error.length) == (position, length)
    assert says in str(error)
    assert "\n" not in str(error) and " — " in str(error)
    assert isinstance(error, QueryError) and isinstance(error, ValueError)


def test_pointer_draws_carets_under_the_term() -> None:
    text = "failed\ttol:x"
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(text, now_ms=NOW)
    assert caught.value.pointer(text, indent="  ") == "  failed tol:x\n         ^^^^^"


# -- times ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30s", NOW - 30_000),
        ("15m", NOW - 15 * 60_000),
        ("2h", NOW - 2 * 3_600_000),
        ("7d", NOW - 7 * 86_400_000),
        ("1w", NOW - 7 * 86_400_000),
        ("0m", NOW),
        ("99999999w", 0),  # before 1970: everything
        ("2026-04-17", APRIL_17),
        ("2026-04-17T10:00", APRIL_17 + 10 * 3_600_000),
        ("2026-04-17T10:00:30", APRIL_17 + 36_030_000),
        ("2026-04-17T10:00:30.25", APRIL_17 + 36_030_250),
        ("2026-04-17T10:00:30.123456", APRIL_17 + 36_030_123),
        ("2026-04-17T10:00Z", APRIL_17 + 36_000_000),
        ("2026-04-17T10:00:00Z", APRIL_17 + 36_000_000),
        ("2026-04-17T10:00+02:00", APRIL_17 + 8 * 3_600_000),
        ("2026-04-17T10:00:00-05:30", APRIL_17 + 15 * 3_600_000 + 1_800_000),
        ("2026-04-17 10:00", APRIL_17 + 36_000_000),
        ("1776384000000", APRIL_17),
    ],
)
def test_time_forms(value: str, expected: int) -> None:
    # Read in UTC here (timezone = "UTC"); test_a_time_without_a_zone_is_local_time reads
    # them in another zone.
    assert parse_time(value, now_ms=NOW, tz=UTC) == expected
    quoted = f'"{value}"' if " " in value else value
    since = parse_query(f"since:{quoted}", now_ms=NOW, tz=UTC).time_range
    assert since == TimeRange(expected, None)
    until = parse_query(f"until:{quoted}", now_ms=NOW, tz=UTC).time_range
    assert until == TimeRange(0, expected)


def test_iso_forms_agree_with_datetime() -> None:
    moment = datetime(2026, 4, 17, 10, 0, tzinfo=UTC)
    assert parse_time("2026-04-17T10:00", now_ms=0, tz=UTC) == int(moment.timestamp() * 1000)
    assert int(datetime(2026, 4, 17, tzinfo=UTC).timestamp() * 1000) == APRIL_17


@pytest.mark.parametrize(
    ("value", "zoned"),
    [
        ("2026-04-17T10:00", False),
        ("2026-04-17", False),
        ("2026-04-17T10:00Z", True),  # a zone means what it says
        ("2026-04-17T10:00+00:00", True),
        ("1h", True),
    ],
)
def test_a_time_without_a_zone_is_local_time(value: str, zoned: bool) -> None:
    """Issue 14, item 8: as `date` and `journalctl` read them, in TZ (here Tokyo, 9 h
    ahead of UTC), or in the zone config.toml names."""
    utc = parse_time(value, now_ms=NOW, tz=UTC)
    nine_hours = 0 if zoned else 9 * 3_600_000
    with local_zone("Asia/Tokyo"):
        assert parse_time(value, now_ms=NOW) == utc - nine_hours  # local: TZ
    assert parse_time(value, now_ms=NOW, tz=ZoneInfo("Asia/Tokyo")) == utc - nine_hours


def test_since_and_until_make_the_api_time_range() -> None:
    closed = parse_query("since:2h until:1h", now_ms=NOW)
    assert closed.to_api_body()["time_range"] == {"from": NOW - 7_200_000, "to": NOW - 3_600_000}
    open_ended = parse_query("since:15m", now_ms=NOW)
    assert open_ended.time_range == TimeRange(NOW - 900_000, None)
    # The API wants both bounds: an open end is sent a day past the clock.
    assert open_ended.to_api_body(now_ms=NOW + 5)["time_range"] == {
        "from": NOW - 900_000,
        "to": NOW + 5 + FUTURE_SLACK_MS,
    }
    # Equal bounds are a valid (one-millisecond) range.
    assert parse_query("since:1h until:1h", now_ms=NOW).time_range == TimeRange(
        NOW - 3_600_000, NOW - 3_600_000
    )


def test_parse_time_errors_cover_the_whole_value() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_time("soon", now_ms=NOW)
    assert (caught.value.position, caught.value.length) == (0, 4)
    assert str(caught.value).startswith("can't read 'soon' as a time — write a duration")


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "1970-01-01T00:00:00Z"),
        (APRIL_17 + 36_000_000, "2026-04-17T10:00:00Z"),
        (APRIL_17 + 1, "2026-04-17T00:00:00.001Z"),
        (MAX_MS, "9999-12-31T23:59:59.999Z"),
    ],
)
def test_times_print_as_iso_utc(ms: int, text: str) -> None:
    assert iso_utc(ms) == text
    assert parse_time(text, now_ms=NOW) == ms


def test_time_ranges_print_only_the_bounds_given() -> None:
    assert format_query(LogQuery(time_range=TimeRange(APRIL_17))) == "since:2026-04-17T00:00:00Z"
    assert format_query(LogQuery(time_range=TimeRange(0, APRIL_17))) == (
        "until:2026-04-17T00:00:00Z"
    )
    assert format_query(LogQuery(time_range=TimeRange(0))) == "since:1970-01-01T00:00:00Z"


# -- completion ------------------------------------------------------------------------------

SEEN = {
    "tool_slug": ["GMAIL_SEND_EMAIL", "GITHUB_STAR", "gmail_lower", "GMAIL_SEND_EMAIL"],
    "user_id": ["alice", "a b", 'q"x'],
}


@pytest.mark.parametrize(
    ("text", "cursor", "expected"),
    [
        ("tool", None, ["tool:", "toolkit:"]),
        ("-to", None, ["-tool:", "-toolkit:"]),
        ("tool_", None, ["tool_slug:"]),
        ("failed us", None, ["user:"]),
        ("tool:x us", 3, ["tool:", "toolkit:"]),  # the term under the cursor, up to it
        ("s", None, ["status:", "session:", "sandbox:", "since:"]),
        ("-s", None, ["-status:", "-session:", "-sandbox:"]),  # times cannot be negated
        ("f", None, ["failed"]),
        ("tool:GM", None, ["tool:GMAIL_SEND_EMAIL", "tool:gmail_lower"]),
        ("tool:gm", None, ["tool:gmail_lower", "tool:GMAIL_SEND_EMAIL"]),  # same case first
        ("-tool_slug~GI", None, ["-tool_slug~GITHUB_STAR"]),
        ("user:", None, ["user:alice", 'user:"a b"', 'user:"q\\"x"']),
        ('user:"a', None, ["user:alice", 'user:"a b"']),
        ('user:"a ', None, ['user:"a b"']),
        ('user:"a b"', None, ['user:"a b"']),
        ("status:", None, ["status:success", "status:failed"]),
        ("-status:f", None, ["-status:failed"]),
        ("since:", None, ["since:15m", "since:1h", "since:24h", "since:7d"]),
        ("-since:", None, []),
        ("session:", None, []),  # nothing seen yet
        ("nope:", None, []),
        ("xyz", None, []),
        ('"quoted', None, []),
    ],
)
def test_completion(text: str, cursor: int | None, expected: list[str]) -> None:
    assert complete(text, len(text) if cursor is None else cursor, SEEN, "composio") == expected


def test_completing_nothing_offers_every_field() -> None:
    names = [f"{n}:" for n in FIELD_NAMES] + ["since:", "until:", "failed", "ok"]
    assert complete("", 0, SEEN, "composio") == names
    assert complete("tool:x ", 7, SEEN, "composio") == names


@given(st.lists(values, min_size=1, max_size=5), st.sampled_from(["user", "tool_slug", "-id"]))
def test_value_candidates_parse_back_to_the_value(seen: list[str], name: str) -> None:
    api_field = field_for(name.lstrip("-"))
    assert api_field is not None
    for operator in ":~":
        candidates = complete(f"{name}{operator}", len(name) + 1, {api_field: seen})
        assert len(candidates) == len(set(seen))
        parsed = [parse_query(c, now_ms=NOW).filters[0].value for c in candidates]
        assert sorted(parsed) == sorted(set(seen))


@given(query_like | st.text(max_size=20), st.integers(min_value=0, max_value=30))
def test_completion_never_fails(text: str, cursor: int) -> None:
    cursor = min(cursor, len(text))
    start, end = term_span(text, cursor)
    assert start <= cursor <= end
    complete(text, cursor, SEEN)


@pytest.mark.parametrize(
    ("text", "cursor", "span"),
    [
        ('tool:x "a b" user', 9, (7, 12)),
        ('tool:x "a b" user', 17, (13, 17)),
        ("tool:x  user", 7, (7, 7)),
        ("tool:x", 0, (0, 6)),
        ('user:"a b', 9, (0, 9)),  # an unclosed quote runs to the end
    ],
)
def test_term_span(text: str, cursor: int, span: tuple[int, int]) -> None:
    assert term_span(text, cursor) == span


# -- the types ---------------------------------------------------------------------------------


def test_the_types_still_guard_what_is_sent() -> None:
    with pytest.raises(QueryError):
        Filter("tol", "==", "x")
    with pytest.raises(QueryError):
        Filter("tool_slug", "=", "x")
    with pytest.raises(QueryError):
        TimeRange(2, 1)
    with pytest.raises(QueryError):
        LogQuery().to_api_body(limit=0)
    assert TimeRange(5).to_api(now_ms=10) == {"from": 5, "to": 10 + FUTURE_SLACK_MS}
    # A start further out than the slack still makes a range the API takes.
    far = NOW + 10 * FUTURE_SLACK_MS
    assert TimeRange(far).to_api(now_ms=NOW) == {"from": far, "to": far}


# -- evaluating queries locally (issue 6: files are filtered here, not by a server) ---------
# Imported here so the tests above stay as they were.

import subprocess  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from tui.models.entry import LogEntry  # noqa: E402
from tui.models.normalize import (  # noqa: E402
    entry_from_wire,
    wire_text,
    wire_texts,
)
from tui.query import field_text  # noqa: E402


def wire_log(**fields: Any) -> dict[str, Any]:
    log: dict[str, Any] = {"id": "log_1", "timestamp": "2026-04-17T10:25:00Z", "metadata": {}}
    log.update(fields)
    return log


@pytest.mark.parametrize(
    ("operator", "value", "text", "passes"),
    [
        ("==", "gmail", "gmail", True),
        ("==", "gmail", "Gmail", False),  # case-sensitive, as the server compares
        ("==", "gmail", "gmail ", False),
        ("==", "", "", True),  # an absent value is ""
        ("==", "", "x", False),
        ("!=", "gmail", "Gmail", True),
        ("!=", "", "", False),
        ("contains", "mail", "gmail", True),
        ("contains", "MAIL", "gmail", False),
        ("contains", "", "", True),
        ("not_contains", "mail", "slack", True),
        ("not_contains", "mail", "gmail", False),
        ("not_contains", "", "anything", False),
    ],
)
def test_filters_accept_as_the_server_compares(
    operator: str, value: str, text: str, passes: bool
) -> None:
    assert Filter("toolkit_slug", operator, value).accepts(text) is passes


@given(st.sampled_from(FILTER_FIELDS), values, values)
def test_negated_operators_are_the_complement(api_field: str, value: str, text: str) -> None:
    def accepts(operator: str) -> bool:
        return Filter(api_field, operator, value).accepts(text)

    assert accepts("!=") is not accepts("==")
    assert accepts("not_contains") is not accepts("contains")
    assert not accepts("==") or accepts("contains")


def test_each_field_is_read_where_the_wire_keeps_it() -> None:
    log = wire_log(
        status="failed",
        metadata={
            "tool": {"slug": "SLACK_SEND", "version": "1"},  # nested, as some logs have it
            "toolkit": "slack",  # a bare name
            "connected_account": {"id": "ca_1"},
            "auth_config_id": "ac_1",
            "user_id": 42,  # a number reads as text
            "sandbox_id": "sbx_1",
        },
        context={"session_id": "trs_1", "request_id": "req_1"},  # as a detail has them
    )
    assert {f: wire_text(log, f) for f in FILTER_FIELDS} == {
        "tool_slug": "SLACK_SEND",
        "toolkit_slug": "slack",
        "connected_account_id": "ca_1",
        "auth_config_id": "ac_1",
        "status": "failed",
        "user_id": "42",
        "session_id": "trs_1",
        "sandbox_id": "sbx_1",
        "request_id": "req_1",
        "log_id": "log_1",
    }
    entry = entry_from_wire(log)
    # Where LogEntry has the field, it agrees with the wire.
    assert (entry.tool, entry.toolkit, entry.session_id) == ("SLACK_SEND", "slack", "trs_1")
    assert all(field_text(entry, f) == wire_text(log, f) for f in FILTER_FIELDS)


def test_absent_and_odd_values_read_as_nothing() -> None:
    log = wire_log(metadata=["not", "an", "object"], context="nor this", status=True)
    assert {wire_text(log, f) for f in FILTER_FIELDS} == {"", "log_1"}
    flat = wire_log(metadata={"tool_slug": "", "tool": {"slug": "NESTED"}, "user_id": None})
    assert wire_text(flat, "tool_slug") == "NESTED"  # an empty value gives way to the next
    assert wire_text(flat, "user_id") == ""


def test_filters_compare_the_raw_value_not_the_display_one() -> None:
    # The server compares what it stores; LogEntry escapes control characters for display.
    entry = entry_from_wire(wire_log(metadata={"user_id": "\x1b[31mred\tuser"}))
    assert entry.user_id == "\\x1b[31mred user"
    assert Filter("user_id", "==", "\x1b[31mred\tuser").matches(entry)
    assert not Filter("user_id", "contains", "\\x1b").matches(entry)


def test_an_entry_without_a_composio_wire_object_is_read_from_its_attributes() -> None:
    entry = LogEntry(id="b_1", timestamp_ms=5, tool="BUILD", user_id="u", source="buddy")
    assert field_text(entry, "tool_slug") == "BUILD"
    assert field_text(entry, "log_id") == "b_1"
    assert field_text(entry, "request_id") == ""  # LogEntry has no such attribute
    bare = LogEntry(id="c_1", timestamp_ms=5, status="failed")  # raw={}
    assert parse_query("failed", now_ms=0).matches(bare)


wire_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from(["", "a", "GMAIL_SEND_EMAIL", "0"]),
    st.lists(st.just(1), max_size=1),
)
nested_values = st.one_of(
    wire_values, st.dictionaries(st.sampled_from(["slug", "id", "x"]), wire_values, max_size=3)
)
wire_keys = st.sampled_from(
    [
        "tool_slug",
        "tool",
        "toolkit_slug",
        "toolkit",
        "connected_account_id",
        "connected_account",
        "auth_config_id",
        "auth_config",
        "user_id",
        "session_id",
        "sandbox_id",
        "sandbox",
        "request_id",
        "id",
        "status",
    ]
)
wire_objects = st.fixed_dictionaries(
    {},
    optional={
        "id": wire_values,
        "status": wire_values,
        "request_id": wire_values,
        "metadata": st.one_of(wire_values, st.dictionaries(wire_keys, nested_values, max_size=6)),
        "context": st.one_of(wire_values, st.dictionaries(wire_keys, nested_values, max_size=3)),
    },
)


@given(wire_objects)
def test_reading_every_field_at_once_agrees_with_reading_each(raw: dict[str, Any]) -> None:
    assert wire_texts(raw) == tuple(wire_text(raw, f) for f in LOCAL_FIELDS)


@given(wire_objects, st.sampled_from(FILTER_FIELDS))
def test_a_log_matches_a_filter_on_its_own_value(raw: dict[str, Any], api_field: str) -> None:
    raw = {"type": "tool.execution", **raw}  # never empty: an entry with a wire object
    entry = LogEntry(id="x", timestamp_ms=0, raw=raw)
    own = wire_text(raw, api_field)
    assert Filter(api_field, "==", own).matches(entry)
    assert not Filter(api_field, "!=", own).matches(entry)
    assert Filter(api_field, "contains", own[1:]).matches(entry)


def test_time_ranges_include_both_bounds() -> None:
    closed = TimeRange(100, 200)
    assert [closed.contains(ms) for ms in (99, 100, 150, 200, 201)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert TimeRange(100).contains(MAX_MS) and not TimeRange(100).contains(99)
    assert TimeRange(7, 7).contains(7)


def test_a_query_matches_when_its_range_filters_and_words_all_do() -> None:
    entry = entry_from_wire(
        wire_log(
            timestamp="2026-04-17T10:00:00Z",
            status="failed",
            message="Rate LIMIT exceeded",
            metadata={"toolkit_slug": "gmail", "user_id": "u1"},
        )
    )
    at = APRIL_17 + 10 * 3_600_000

    def matches(text: str) -> bool:
        return parse_query(text, now_ms=at).matches(entry)

    assert matches("")
    assert matches("failed toolkit~mail -user:u2 rate limit")  # words: any case
    assert not matches("failed toolkit~mail -user:u1")
    assert not matches("ok")
    assert not matches("timeout")
    assert matches("since:2026-04-17T10:00 until:2026-04-17T10:00")  # inclusive
    assert not matches("since:2026-04-17T10:00:01")
    assert not matches("tool:x tool:y")  # repeated fields are AND-combined: nothing
    query = parse_query("failed timeout", now_ms=at)
    assert not query.matches(entry) and query.server_part.matches(entry)


@pytest.mark.parametrize("first", ["tui.query", "tui.models.normalize", "tui.sources.base"])
def test_query_imports_without_a_cycle_in_any_order(first: str) -> None:
    code = f"import {first}, tui.query, tui.sources.file, tui.tail"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
