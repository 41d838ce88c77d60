"""The demo's planted faults: odd values (deep, bigint, nonfinite) spliced into genuine
200s as raw JSON text, and credentials planted in every shape (secrets)."""

from __future__ import annotations

import json

import pytest

from tests.demo.conftest import LIST, client_for
from tests.demo.test_fault_plan import TRACE, faulty
from tui.demo import parse_fault_spec
from tui.demo.planted import BIGINT_DIGITS, DEEP_LEVELS, PLANTED


def loads_big(text: str) -> object:
    """Python's own reader, with room for the 5,000-digit integers and the depth."""
    import sys

    old_digits, old_depth = sys.get_int_max_str_digits(), sys.getrecursionlimit()
    sys.set_int_max_str_digits(0)
    sys.setrecursionlimit(DEEP_LEVELS * 3)
    try:
        return json.loads(text)
    finally:
        sys.set_int_max_str_digits(old_digits)
        sys.setrecursionlimit(old_depth)


def test_the_spec_names_the_planted_faults() -> None:
    plan = parse_fault_spec("deep=0.1,bigint=0.1,nonfinite=0.1,secrets=20%")
    assert (plan.deep_rate, plan.bigint_rate, plan.nonfinite_rate) == (0.1, 0.1, 0.1)
    assert plan.secrets_rate == 0.2
    with pytest.raises(ValueError, match="at most 1"):
        parse_fault_spec("deep=0.6,secrets=0.6")


MARKERS = {
    "deep": ("[" * 1_000, '{"a":' * 1_000),
    "bigint": ("7" * BIGINT_DIGITS, "9" * BIGINT_DIGITS),
    "nonfinite": ("NaN", "Infinity", "1e400"),
}


@pytest.mark.parametrize("kind", sorted(MARKERS))
def test_odd_values_arrive_as_raw_json_in_some_logs(kind: str) -> None:
    with faulty(f"{kind}=1") as server, client_for(server) as client:
        answer = client.post(LIST, json={"limit": 20})
        assert answer.status_code == 200
        text = answer.text
        assert any(marker in text for marker in MARKERS[kind])
        page = loads_big(text)
        assert isinstance(page, dict) and len(page["logs"]) == 20  # still a whole page
        assert server.fault_counts == {kind: 1}
        detail = client.get(f"{LIST}/{page['logs'][0]['id']}")
    assert detail.status_code == 200
    assert any(marker in detail.text for marker in MARKERS[kind])
    assert isinstance(loads_big(detail.text), dict)


def test_secrets_are_planted_in_every_shape() -> None:
    with faulty("secrets=1") as server, client_for(server) as client:
        page = client.post(LIST, json={"limit": 20}).json()
        planted_messages = [log for log in page["logs"] if PLANTED in log.get("message", "")]
        assert planted_messages  # about half the page
        detail = client.get(f"{LIST}/{page['logs'][0]['id']}").json()
        traces = [client.get(TRACE + log["id"]).text for log in page["logs"]]
    shapes = json.dumps(detail["data"]["input"])
    for name in ("githubToken", "aws_secret_access_key", "client-secret", "variables"):
        assert name in shapes
    assert isinstance(detail["data"]["input"]["api_key"], int)
    with_requests = [trace for trace in traces if '"type":"network"' in trace]
    assert with_requests  # most tools make upstream requests
    for trace in with_requests:
        for shape in ("X-Goog-Api-Key", "Private-Token", "X-Amz-Security-Token", "Set-Cookie"):
            assert shape in trace
        assert "?key=" + PLANTED in trace or "&key=" + PLANTED in trace
