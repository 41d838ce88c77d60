"""What differs between two calls."""

from __future__ import annotations

from dataclasses import replace

from tests.unit.test_call_detail import build, trace_wire
from tui.diff import Change, diff_calls, flatten


def call_from():
    return build(trace=trace_wire())


def test_flatten_paths():
    assert flatten({"a": {"b": [1, {"c": None}]}, "d": {}, "e": []}) == {
        "a.b[0]": 1,
        "a.b[1].c": None,
        "d": {},
        "e": [],
    }


def test_the_same_call_has_no_differences():
    call = call_from()
    assert diff_calls(call, call) == []


def test_input_status_and_error_differences_come_first():
    good = replace(call_from(), status="success", error="", arguments={"to": "a@example.com"})
    bad = replace(
        good,
        status="failed",
        error="422 invalid recipient",
        arguments={**(good.arguments or {}), "to": "not-an-email"},
        response=None,
    )
    changes = diff_calls(good, bad)
    kinds = [c.kind for c in changes]
    assert kinds == sorted(kinds, key=["changed", "removed", "added"].index)
    assert Change("changed", "status", good.status, "failed") in changes
    assert Change("changed", "arguments.to", "a@example.com", "not-an-email") in changes
    assert any(c.path == "error" for c in changes)


def test_ids_and_times_are_not_differences():
    call = call_from()
    other = replace(call, log_id="log_other", started_ms=1, ended_ms=2, duration_ms=1, trace_id="t")
    assert diff_calls(call, other) == []
