"""Buddy's pure pieces: status mapping, both doc generations' field names, row ids,
named sources, the encrypted flag in the one redaction policy, and rows replaced in
place in the store."""

from __future__ import annotations

import pytest

from tui.config import named_sources, parse_pipelines
from tui.constants import BUDDY_STATUSES
from tui.errors import BadRequestError, ConfigError
from tui.models.entry import LogEntry
from tui.redact import MASK, redact_json
from tui.sources.buddy.rows import STATUS_FOR, build_row, mapped_status, parse_row_id, trigger_of
from tui.store import LogStore


def test_every_buddy_status_maps_to_one_the_query_and_colours_know() -> None:
    assert set(STATUS_FOR) == set(BUDDY_STATUSES)
    assert {mapped_status(s) for s in BUDDY_STATUSES} == {
        "failed",
        "success",
        "running",
        "queued",
        "skipped",
        "waiting",
    }
    assert mapped_status("TERMINATED") == "failed" and mapped_status("SUCCESSFUL") == "success"
    assert mapped_status("SOMETHING_NEW") == "something_new"


@pytest.mark.parametrize(
    "run", [{"triggered_on": "WEBHOOK"}, {"triggeredOn": "WEBHOOK"}, {"mode": "WEBHOOK"}]
)
def test_the_trigger_is_read_in_either_generation(run: dict[str, str]) -> None:
    assert trigger_of(run) == "WEBHOOK"


def test_a_row_keeps_its_time_while_its_action_runs() -> None:
    def row(action: dict[str, object]) -> dict[str, object]:
        return build_row(
            workspace="w",
            project="p",
            pipeline={"id": 12, "name": "ci"},
            run={"id": 57, "start_date": "2026-01-01T00:00:00Z"},
            action={"action_execution_id": "68e4", "action": {"name": "test"}, **action},
            position=1,
            message="",
            now_ms=0,
        )

    queued = row({"status": "ENQUEUED"})
    done = row(
        {
            "status": "FAILED",
            "start_date": "2026-01-01T00:00:05Z",
            "finish_date": "2026-01-01T00:00:09.5Z",
            "error_message": "exit 1",
        }
    )
    assert queued["id"] == done["id"] == "12/57/68e4"
    assert queued["timestamp"] == done["timestamp"] == "2026-01-01T00:00:00.001Z"
    assert done["status"] == "failed" and done["message"] == "exit 1"
    assert done["metrics"] == {"duration_ms": 4500}


@pytest.mark.parametrize("text", ["log_abc", "12/57", "a/57/x", "12/57/"])
def test_an_id_that_is_not_a_buddy_one_says_the_form(text: str) -> None:
    with pytest.raises(BadRequestError) as caught:
        parse_row_id(text)
    assert "PIPELINE/RUN/ACTION_EXECUTION" in caught.value.hint


def test_encrypted_variables_are_masked_whatever_their_key() -> None:
    shown = redact_json(
        [
            {"key": "signing", "value": "s3cr3t-value", "encrypted": True},
            {"key": "ENVIRONMENT", "value": "staging", "encrypted": False},
            {"key": "API_TOKEN", "value": "tok_1234567890"},
        ]
    )
    assert shown[0]["value"].startswith(MASK) and "s3cr3t" not in shown[0]["value"]
    assert shown[1]["value"] == "staging"
    assert shown[2]["value"].startswith(MASK)


def test_named_sources_are_read_with_the_variable_names() -> None:
    found = named_sources(
        {
            "sources": {
                "prod": {"kind": "composio", "key_env": "COMPOSIO_API_KEY_PROD"},
                "ci": {
                    "kind": "buddy",
                    "token_env": "CI_TOKEN",
                    "workspace": "acme",
                    "project": "agents",
                    "pipelines": [12, 14],
                },
            }
        },
        "config.toml",
    )
    assert found["prod"].key_env == "COMPOSIO_API_KEY_PROD" and found["prod"].kind == "composio"
    assert found["ci"].key_env == "CI_TOKEN" and found["ci"].pipelines == (12, 14)


@pytest.mark.parametrize(
    "table",
    [{"kind": "gitlab"}, {"kind": "buddy", "token_env": 5}, {"kind": "buddy", "pipelines": ["x"]}],
)
def test_a_wrong_named_source_says_what_is_wrong(table: dict[str, object]) -> None:
    with pytest.raises(ConfigError) as caught:
        named_sources({"sources": {"ci": table}}, "config.toml")
    assert "[sources.ci]" in str(caught.value)


def test_pipelines_come_as_a_list_a_comma_list_or_repeated() -> None:
    assert parse_pipelines(["12,14", "15", "12"]) == (12, 14, 15)
    assert parse_pipelines([12, 14]) == (12, 14)


def entry(log_id: str, ts: int, status: str, message: str) -> LogEntry:
    return LogEntry(
        id=log_id,
        timestamp_ms=ts,
        status=status,
        message=message,
        raw={"id": log_id, "status": status},
    )


def test_a_replaced_row_stays_where_it_was_with_its_new_content() -> None:
    store = LogStore(":memory:")
    try:
        store.add([entry("a", 1, "running", "step 1"), entry("b", 2, "queued", "")])
        result = store.replace([entry("a", 1, "failed", "exit 1"), entry("c", 3, "queued", "")])
        assert (result.added, result.duplicates) == (1, 1)
        assert [row.id for row in store.rows(0, 10)] == ["c", "b", "a"]
        replaced = store.entry_by_id("a")
        assert replaced is not None and replaced.status == "failed"
        assert store.row(2) is not None and store.row(2).message == "exit 1"  # type: ignore[union-attr]
        assert len(store) == 3
    finally:
        store.close()
