"""The export line: what `e` writes, `list` and `tail` print and `--file` reads back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui import debuglog
from tui.export import create_export, export_line, write_matching
from tui.query import LogQuery

LOG = {
    "id": "log_1",
    "timestamp": "2026-04-17T10:00:00Z",
    "message": "evil \x9b31m \u202e text",
    "metadata": {
        "tool_slug": "GMAIL_SEND_EMAIL",
        "headers": {"Authorization": "Bearer abcdefghijklmnop", "Accept": "json"},
        "api_key": "sk_live_abcdefghijkl",
        "url": "https://x.test/cb?access_token=abcdefghijklmnop&page=2",
    },
}


def test_a_line_is_one_json_object_with_credentials_masked():
    line = export_line(LOG)
    assert line.endswith("\n") and "\n" not in line[:-1]
    back = json.loads(line)
    meta = back["metadata"]
    assert "abcdefghijklmnop" not in line and "sk_live" not in line
    assert meta["headers"]["Accept"] == "json" and meta["headers"]["Authorization"].startswith(
        "Bearer ••••••"
    )
    assert "page=2" in meta["url"]
    # Terminal controls are escaped, and the value reads back the same.
    assert "\x9b" not in line and "\u202e" not in line
    assert back["message"] == LOG["message"]


def test_toolwatchs_own_key_never_reaches_an_export(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(debuglog, "_secrets", set())
    debuglog.register_secret("ak_the_real_key_123")
    line = export_line({**LOG, "message": "echoed ak_the_real_key_123 back"})
    assert "ak_the_real_key_123" not in line and json.loads(line)["message"].startswith("echoed")


def test_exports_never_overwrite_and_are_private(tmp_path: Path):
    first, out = create_export(tmp_path, now=0)
    out.close()
    planted = tmp_path / first.name.replace(".jsonl", "-2.jsonl")
    planted.symlink_to(tmp_path / "elsewhere")  # a name taken by a planted symlink
    second, out = create_export(tmp_path, now=0)
    out.close()
    assert len({first, second, planted}) == 3
    assert second.name.startswith("toolwatch-") and second.suffix == ".jsonl"
    assert not (tmp_path / "elsewhere").exists()  # the symlink was skipped, not followed
    assert oct(second.stat().st_mode & 0o777) == "0o600"


def test_only_rows_holding_every_word_are_written(tmp_path: Path):
    rows = [("Timeout talking to Gmail", json.dumps(LOG)), ("ok", json.dumps({"id": "log_2"}))]
    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8") as out:
        assert write_matching(out, rows, LogQuery(words=("timeout", "gmail"))) == 1
        assert write_matching(out, rows, LogQuery()) == 2
    assert [json.loads(x)["id"] for x in path.read_text().splitlines()] == [
        "log_1",
        "log_1",
        "log_2",
    ]


def test_a_row_with_a_fuller_object_is_written_as_that(tmp_path: Path):
    rows = [("m", json.dumps({"id": "log_1"})), ("m", json.dumps({"id": "log_2"}))]
    fuller = {"id": "log_2", "data": {"input": {"q": 1}}, "trace": {"steps": []}}
    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_matching(out, rows, LogQuery(), {"log_2": fuller})
    assert [json.loads(x) for x in path.read_text().splitlines()] == [{"id": "log_1"}, fuller]
