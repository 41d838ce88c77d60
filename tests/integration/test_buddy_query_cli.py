"""Issue 17 §4 and §8, headless, against the embedded Buddy server on a real socket: the
Buddy fields (pipeline, action, type, branch, trigger, and Buddy's statuses) in `list` and
`tail -q`, applied here over the runs read; a field of the other kind is a usage error
that says what to write; and a Buddy export replayed with --file comes back as Buddy
rows, its fields and `get` working as on the live source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_buddy_cli import BUDDY, Ticker, clock, run, server
from tui.cli import main as cli
from tui.demo import DemoServer
from tui.demo.buddy_server import BuddyDemoServer
from tui.query import parse_query
from tui.sources.file import FileSource

__all__ = ["clock", "server"]  # the fixtures, shared with test_buddy_cli

# Each Buddy field, and the row metadata it is read from.
FIELDS = {
    "pipeline": "toolkit_slug",
    "action": "tool_slug",
    "type": "action_type",
    "branch": "branch",
    "trigger": "trigger",
}


def every_row(capsys: pytest.CaptureFixture[str], *flags: str) -> list[Any]:
    code, rows, _ = run(capsys, *flags, "list", "--limit", "500")
    assert code == 0 and rows
    return rows


@pytest.mark.parametrize("name", FIELDS)
def test_each_buddy_field_selects_the_rows_holding_its_value(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    rows = every_row(capsys, *BUDDY)
    key = FIELDS[name]
    values = sorted({row["metadata"][key] for row in rows})
    assert len(values) >= 2, values  # the demo has more than one of each: a real choice
    chosen = values[0]
    code, found, err = run(capsys, *BUDDY, "list", "--limit", "500", "-q", f'{name}:"{chosen}"')
    assert code == 0
    assert {row["id"] for row in found} == {
        row["id"] for row in rows if row["metadata"][key] == chosen
    }
    assert "filtered here over the" in err
    # --query=…: argparse would read a value starting with "-" as an option.
    code, others, _ = run(capsys, *BUDDY, "list", "--limit", "500", f'--query=-{name}:"{chosen}"')
    assert code == 0 and len(others) == len(rows) - len(found)


def test_branch_and_status_combine_and_the_stderr_says_where(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = every_row(capsys, *BUDDY)
    branch = next(r["metadata"]["branch"] for r in rows if r["status"] == "failed")
    expected = {
        r["id"] for r in rows if r["metadata"]["branch"] == branch and r["status"] == "failed"
    }
    query = f"branch:{branch} failed"
    code, found, err = run(capsys, *BUDDY, "list", "--limit", "500", "-q", query)
    assert code == 0 and {row["id"] for row in found} == expected
    assert f"filtered here over the {len(server.world.runs)} runs read" in err
    # Buddy's own statuses are words of the query on a Buddy source.
    code, running, _ = run(capsys, *BUDDY, "list", "--limit", "500", "-q", "status:running")
    assert code == 0 and running and {row["status"] for row in running} == {"running"}


def test_tail_takes_the_buddy_fields(
    server: BuddyDemoServer, clock: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # --count ends it as soon as rows came (the first read of every run takes a while).
    flags = ("--interval", "0.2", "--count", "3", "--for", "20")
    with Ticker(clock):
        code, rows, err = run(capsys, *BUDDY, "tail", *flags, "-q", "branch:master type:BUILD")
    assert code == 0 and len(rows) == 3, err
    assert all(r["metadata"]["branch"] == "master" for r in rows)
    assert all(r["metadata"]["action_type"] == "BUILD" for r in rows)


@pytest.mark.parametrize(
    ("query", "said"),
    [
        (
            "tool:Deploy",
            "tool is a Composio field in tool:Deploy — this source is Buddy's: write action:Deploy",
        ),
        ("-toolkit~rel", "write -pipeline~rel"),
        ("session:12/3", "session is a Composio field"),
        ("status:blocked", "status is success, failed, running, queued, skipped, waiting"),
    ],
)
def test_a_composio_field_on_buddy_is_a_usage_error_that_says_what_to_write(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str], query: str, said: str
) -> None:
    code, rows, err = run(capsys, *BUDDY, "list", f"--query={query}")
    assert code == 2 and not rows
    assert said in err and "^" in err  # the term pointed at


def test_a_buddy_field_on_composio_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with DemoServer(seed=7, rate=0, prefill=5) as composio:
        monkeypatch.setenv("COMPOSIO_API_KEY", composio.api_key)
        monkeypatch.setenv("COMPOSIO_BASE_URL", composio.url)
        code, rows, err = run(capsys, "list", "-q", "branch:main failed")
        assert code == 2 and not rows
        assert "branch is a Buddy field in branch:main — this source is Composio's" in err
        code, _, err = run(capsys, "list", "-q", "status:running")
        assert code == 2 and "status is success or failed" in err


# -- --file replay of Buddy lines (§8) ----------------------------------------------------


@pytest.fixture
def exported(server: BuddyDemoServer, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    """What `list --source buddy` printed, saved: a Buddy export."""
    assert cli.main([*BUDDY, "list", "--limit", "500"]) == 0
    saved = tmp_path / "runs.jsonl"
    saved.write_text(capsys.readouterr().out, encoding="utf-8")
    return saved


async def test_a_replayed_buddy_line_is_a_buddy_row(exported: Path) -> None:
    source = FileSource(exported)
    try:
        page = await source.list_logs(parse_query("", now_ms=0), limit=100)
        assert page.entries and {e.source for e in page.entries} == {"buddy"}
    finally:
        await source.aclose()


def test_the_buddy_fields_and_get_work_on_a_replayed_export(
    exported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    branch = next(r["metadata"]["branch"] for r in lines if r["status"] == "failed")
    expected = {
        r["id"] for r in lines if r["metadata"]["branch"] == branch and r["status"] == "failed"
    }
    query = f"branch:{branch} failed"
    code, rows, err = run(capsys, "--file", str(exported), "list", "--limit", "500", "-q", query)
    assert code == 0 and {row["id"] for row in rows} == expected and expected
    code, rows, _ = run(capsys, "--file", str(exported), "list", "-q", "type:BUILD -pipeline~zz")
    assert code == 0 and rows and {row["type"] for row in rows} == {"BUILD"}
    assert "filtered here" not in err  # a file is read whole: nothing to say
    code, rows, _ = run(
        capsys, "--file", str(exported), "list", "--limit", "500", "-q", "status:running"
    )
    assert code == 0 and rows and {row["status"] for row in rows} == {"running"}
    code = cli.main(["--file", str(exported), "get", rows[0]["id"]])
    got = json.loads(capsys.readouterr().out)
    assert code == 0 and got["id"] == rows[0]["id"] and got["metadata"]["source"] == "buddy"
