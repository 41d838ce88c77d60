"""The headless commands on Buddy rows, against the embedded Buddy server on a real
socket: list, get (an id resolves on its own), tail (again when the status changes;
--final once), --file replay, named sources (-s NAME) and what a missing setting says."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.demo.conftest import client_for, list_all
from tui.cli import main as cli
from tui.demo import DemoServer
from tui.demo.buddy_server import BuddyDemoServer
from tui.sources.buddy.rows import UNFINISHED

BUDDY = ["--source", "buddy", "--workspace", "acme", "--project", "agents"]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Iterator[BuddyDemoServer]:
    with BuddyDemoServer(seed=5, rate=0, prefill=12, clock=clock) as running:
        monkeypatch.setenv("BUDDY_TOKEN", running.token)
        monkeypatch.setenv("BUDDY_BASE_URL", running.url)
        yield running


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Any], str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines() if line.startswith("{")], err


def test_list_prints_one_line_per_action_execution(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows, _ = run(capsys, *BUDDY, "list", "--limit", "500")
    assert code == 0
    assert len(rows) == sum(len(plan.actions) for plan in server.world.runs)
    assert all(len(row["id"].split("/")) == 3 for row in rows)
    mapped = {"failed", "success", "running", "queued", "waiting", "skipped"}
    assert {row["status"] for row in rows} <= mapped
    assert {row["metadata"]["buddy_status"] for row in rows} >= {"SUCCESSFUL"}


@pytest.mark.parametrize(
    "flags", [["--pipeline", "12,15"], ["--pipeline", "12", "--pipeline", "15"]]
)
def test_pipeline_takes_a_list_or_repeats(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str], flags: list[str]
) -> None:
    code, rows, _ = run(capsys, *BUDDY, *flags, "list", "--limit", "500")
    assert code == 0 and rows
    assert {row["metadata"]["pipeline_id"] for row in rows} == {12, 15}


def test_a_filtered_list_says_it_was_filtered_here(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows, err = run(capsys, *BUDDY, "list", "--limit", "500", "-q", "failed")
    assert code == 0 and rows and all(row["status"] == "failed" for row in rows)
    assert f"filtered here over the {len(server.world.runs)} runs read" in err


def test_get_resolves_an_id_on_its_own_and_masks_variables(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _, rows, _ = run(capsys, *BUDDY, "list", "--limit", "1")
    code = cli.main([*BUDDY, "get", rows[0]["id"]])
    detail = json.loads(capsys.readouterr().out)
    assert code == 0 and detail["id"] == rows[0]["id"]
    variables = {v["key"]: v["value"] for v in detail["data"]["input"]["passed_variables"]}
    assert variables["ENVIRONMENT"] == "staging"
    assert variables["DEPLOY_TOKEN"].startswith("••••••")
    assert variables["signing"].startswith("••••••")  # "encrypted": true


def test_get_says_what_a_buddy_id_looks_like(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *BUDDY, "get", "log_abc")
    assert code == 1
    assert "PIPELINE/RUN/ACTION_EXECUTION" in err


class Ticker:
    """Moves the server's clock on while a command runs: runs progress, logs grow."""

    def __init__(self, clock: FakeClock, step: float = 3.0) -> None:
        self.clock, self.step = clock, step
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.clock.now += self.step

    def __enter__(self) -> Ticker:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_tail_prints_an_action_again_when_its_status_changes(
    server: BuddyDemoServer, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ticker(clock):
        code, rows, _ = run(capsys, *BUDDY, "tail", "--interval", "0.2", "--for", "2")
    assert code == 0
    statuses: dict[str, list[str]] = {}
    for row in rows:
        statuses.setdefault(row["id"], []).append(row["status"])
    again = {key: seen for key, seen in statuses.items() if len(seen) > 1}
    assert again, "no action was printed again"
    for seen in again.values():
        # Each line for an id says something new: its status changed.
        assert all(a != b for a, b in pairwise(seen))
        assert seen[0] in UNFINISHED


def test_tail_final_prints_finished_actions_once(
    server: BuddyDemoServer, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ticker(clock):
        code, rows, _ = run(capsys, *BUDDY, "tail", "--final", "--interval", "0.2", "--for", "2")
    assert code == 0 and rows
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert not {row["status"] for row in rows} & UNFINISHED


def test_file_replays_buddy_lines(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli.main([*BUDDY, "list", "--limit", "500"])
    saved = tmp_path / "runs.jsonl"
    saved.write_text(capsys.readouterr().out)
    code, rows, _ = run(capsys, "--file", str(saved), "list", "--limit", "500", "-q", "failed")
    assert code == 0 and rows and all(row["status"] == "failed" for row in rows)
    code = cli.main(["--file", str(saved), "get", rows[0]["id"]])
    assert code == 0 and json.loads(capsys.readouterr().out)["id"] == rows[0]["id"]


# -- named sources and missing settings ----------------------------------------------------


def write_config(text: str) -> None:
    import os

    folder = Path(os.environ["TOOLWATCH_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def test_a_named_buddy_source_reads_its_own_variable(
    server: BuddyDemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(
        '[sources.ci]\nkind = "buddy"\ntoken_env = "CI_BUDDY"\nworkspace = "acme"\n'
        f'project = "agents"\npipelines = [14]\nbase_url = "{server.url}"\n'
    )
    monkeypatch.delenv("BUDDY_TOKEN")
    code, _, err = run(capsys, "-s", "ci", "list")
    assert code == 2 and "CI_BUDDY" in err and server.token not in err
    monkeypatch.setenv("CI_BUDDY", server.token)
    code, rows, _ = run(capsys, "-s", "ci", "list", "--limit", "500")
    assert code == 0 and rows
    assert {row["metadata"]["pipeline_id"] for row in rows} == {14}


def test_a_named_composio_source_reads_its_own_variable(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with DemoServer(seed=7, rate=0, prefill=20) as composio:
        write_config(
            '[sources.staging]\nkind = "composio"\nkey_env = "COMPOSIO_API_KEY_STAGING"\n'
            f'base_url = "{composio.url}"\n'
        )
        monkeypatch.delenv("COMPOSIO_API_KEY", raising=False)
        code, _, err = run(capsys, "-s", "staging", "list")
        assert code == 2 and "COMPOSIO_API_KEY_STAGING" in err
        monkeypatch.setenv("COMPOSIO_API_KEY_STAGING", composio.api_key)
        code, rows, _ = run(capsys, "-s", "staging", "list", "--limit", "5")
        expected = [log["id"] for log in list_all(client_for(composio))][:5]
    assert code == 0 and [row["id"] for row in rows] == expected


def test_an_unknown_named_source_lists_the_known_ones(capsys: pytest.CaptureFixture[str]) -> None:
    write_config('[sources.ci]\nkind = "buddy"\n')
    code, _, err = run(capsys, "-s", "prod", "list")
    assert code == 2 and "[sources.prod]" in err and "ci" in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--source", "buddy", "list"], "--workspace and --project"),
        ([*BUDDY, "--pipeline", "deploy", "list"], "numeric pipeline ids"),
        ([*BUDDY, "list"], "BUDDY_TOKEN"),
    ],
)
def test_a_missing_or_wrong_setting_is_said(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    said: str,
) -> None:
    monkeypatch.delenv("BUDDY_TOKEN", raising=False)
    code, _, err = run(capsys, *argv)
    assert code == 2 and said in err


def test_the_demo_serves_buddy_rows(capsys: pytest.CaptureFixture[str]) -> None:
    code, rows, _ = run(capsys, "--demo", "--source", "buddy", "list", "--limit", "3")
    assert code == 0 and len(rows) == 3
    assert rows[0]["metadata"]["source"] == "buddy"
