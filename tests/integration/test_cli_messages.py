"""Issue 14's small things on the command line: what `get --demo` says of an id it does not
serve, a missing key said once, and README examples that run as written."""

from __future__ import annotations

import re
from pathlib import Path

from tests.integration.test_cli import run

README = Path(__file__).resolve().parents[2] / "README.md"


def test_get_demo_of_a_missing_id_says_so_and_does_not_blame_the_base_url():
    result = run("get", "--demo", "log_notInTheDemo")
    assert result.returncode == 1
    assert "COMPOSIO_BASE_URL" not in result.stderr
    assert "demo server has no log with this id" in result.stderr
    assert "toolwatch list --demo" in result.stderr


def test_the_missing_key_message_names_toolwatch_once():
    result = run("list")
    assert result.returncode == 2
    assert result.stderr.startswith("toolwatch: no Composio API key is set")
    assert result.stderr.count("toolwatch needs") == 0


def test_the_key_flag_message_names_toolwatch_once():
    result = run("list", "--api-key", "x")
    assert result.stderr.startswith("toolwatch: the API key is never taken as a command-line flag")


def test_every_log_id_the_readme_shows_is_one_the_demo_serves():
    ids = sorted(set(re.findall(r"\blog_[A-Za-z0-9_-]{12}\b", README.read_text("utf-8"))))
    assert ids, "the README shows no example log id"
    for log_id in ids:
        result = run("get", "--demo", log_id)
        assert result.returncode == 0, f"{log_id}: {result.stderr}"
        assert f'"id": "{log_id}"' in result.stdout
