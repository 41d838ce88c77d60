"""Issue 17 §4: the query language on a Buddy source. Its fields (pipeline, action, type,
branch, trigger; status with Buddy's statuses, user, id, since/until) parse, print back
and complete; a field of the other kind is an error that says what to write, both ways;
a file (kind None) takes both; and a Buddy row answers each field from its own metadata."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.clock import FIXED_NOW_MS as NOW
from tests.unit.test_query_language import filters_of, time_ranges
from tui.constants import BUDDY_FILTER_FIELDS
from tui.models.normalize import entry_from_wire
from tui.query import (
    BUDDY_STATUSES,
    Filter,
    LogQuery,
    QuerySyntaxError,
    complete,
    format_query,
    parse_query,
)
from tui.sources.buddy.rows import build_row

SHORT = {"pipeline": "pipeline", "action": "action", "type": "action_type"}
SHORT |= {"branch": "branch", "trigger": "trigger"}

buddy_filters = filters_of([*BUDDY_FILTER_FIELDS, "user_id", "log_id"], BUDDY_STATUSES)
buddy_queries = st.builds(
    LogQuery,
    st.lists(buddy_filters, max_size=5).map(tuple),
    st.none() | time_ranges(),
    st.lists(st.text(min_size=1, max_size=8), max_size=2).map(tuple),
)


@given(buddy_queries, st.integers(min_value=0, max_value=2**40))
def test_a_buddy_query_round_trips_through_its_text(query: LogQuery, now_ms: int) -> None:
    text = format_query(query)
    for kind in ("buddy", None):
        assert parse_query(text, now_ms=now_ms, kind=kind) == query
    assert format_query(parse_query(text, now_ms=now_ms, kind="buddy")) == text


@pytest.mark.parametrize(("short", "field"), SHORT.items())
def test_each_buddy_field_by_its_short_and_full_name(short: str, field: str) -> None:
    expected = LogQuery((Filter(field, "==", "v1"),))
    assert parse_query(f"{short}:v1", now_ms=NOW, kind="buddy") == expected
    assert parse_query(f"{field}:v1", now_ms=NOW, kind="buddy") == expected
    assert format_query(expected) == f"{short}:v1"


def test_the_shared_fields_and_buddys_statuses() -> None:
    query = parse_query(
        'user:"Ada Okafor" id:12/3/ab status:running -status:waiting failed since:1h',
        now_ms=NOW,
        kind="buddy",
    )
    assert [(f.field, f.operator, f.value) for f in query.filters] == [
        ("user_id", "==", "Ada Okafor"),
        ("log_id", "==", "12/3/ab"),
        ("status", "==", "running"),
        ("status", "!=", "waiting"),
        ("status", "==", "failed"),
    ]
    assert query.time_range is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "tool:Deploy",
            "tool is a Composio field in tool:Deploy — this source is Buddy's: write action:Deploy",
        ),
        ("-toolkit~rel", "this source is Buddy's: write -pipeline~rel"),
        ("tool_slug:Deploy", "this source is Buddy's: write action:Deploy"),
        (
            "account:ca_1",
            "account is a Composio field in account:ca_1 — this source is Buddy's: "
            "its fields: pipeline, action, type, branch, trigger, status, user, id",
        ),
        ("status:blocked", "status is success, failed, running, queued, skipped, waiting"),
        ("brnch:main", "did you mean branch?"),
    ],
)
def test_a_composio_field_on_buddy_says_what_to_write(text: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(f"failed {text}", now_ms=NOW, kind="buddy")
    assert message in str(raised.value)
    assert raised.value.position == len("failed ")  # the term is pointed at
    assert raised.value.length == len(text)


@pytest.mark.parametrize(
    "text", ["pipeline:x", "action:x", "type:BUILD", "branch:main", "trigger:CLICK"]
)
def test_a_buddy_field_on_composio_is_an_error(text: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(text, now_ms=NOW, kind="composio")
    assert "is a Buddy field" in str(raised.value) and "this source is Composio's" in str(
        raised.value
    )
    with pytest.raises(QuerySyntaxError, match="status is success or failed"):
        parse_query("status:running", now_ms=NOW, kind="composio")


def test_a_file_takes_both_kinds() -> None:
    query = parse_query("tool:A branch:main status:queued", now_ms=NOW)
    assert [f.field for f in query.filters] == ["tool_slug", "branch", "status"]


SEEN = {"branch": ["main", "master", "develop"], "pipeline": ["release"], "tool_slug": ["X"]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "",
            [
                "pipeline:",
                "action:",
                "type:",
                "branch:",
                "trigger:",
                "status:",
                "user:",
                "id:",
                "since:",
                "until:",
                "failed",
                "ok",
            ],
        ),
        ("t", ["type:", "trigger:"]),
        ("-b", ["-branch:"]),
        ("branch:ma", ["branch:main", "branch:master"]),
        ("pipeline~r", ["pipeline~release"]),
        ("status:", [f"status:{s}" for s in BUDDY_STATUSES]),
        ("status:w", ["status:waiting"]),
        ("tool:", []),  # a Composio field: nothing to offer
        ("tool", []),
    ],
)
def test_completion_offers_buddys_fields(text: str, expected: list[str]) -> None:
    assert complete(text, len(text), SEEN, "buddy") == expected


def test_completion_on_composio_offers_no_buddy_field() -> None:
    assert complete("b", 1, SEEN, "composio") == []
    assert complete("branch:", 7, SEEN, "composio") == []


def buddy_row(**run: Any) -> dict[str, Any]:
    return build_row(
        workspace="acme",
        project="agents",
        pipeline={"id": 12, "name": "release"},
        run={"id": 57, "start_date": "2026-04-17T10:00:00Z", **run},
        action={
            "action_execution_id": "68e4",
            "status": "FAILED",
            "action": {"id": 1, "name": "Deploy", "type": "KUBERNETES_APPLY"},
        },
        position=0,
        message="",
        now_ms=NOW,
    )


def test_a_buddy_row_answers_each_field_from_its_metadata() -> None:
    raw = buddy_row(branch={"name": "main"}, triggeredOn="WEBHOOK", creator={"name": "Ada"})
    entry = entry_from_wire(raw, source="buddy")
    query = parse_query(
        "pipeline:release action:Deploy type:KUBERNETES_APPLY branch:main trigger:WEBHOOK "
        "user:Ada failed id:12/57/68e4",
        now_ms=NOW,
        kind="buddy",
    )
    assert query.matches(entry)
    for other in (
        "pipeline:build",
        "action~Test",
        "-type~KUBE",
        "branch:dev",
        "trigger:CLICK",
        "status:running",
    ):
        assert not parse_query(other, now_ms=NOW, kind="buddy").matches(entry), other
