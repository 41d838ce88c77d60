"""`toolwatch stats` and `toolwatch watch` against the embedded server on a real socket."""

from __future__ import annotations

import asyncio
import io
import json
import math
import os
import subprocess
import sys
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.clock import NOW, NOW_MS, FakeClock, fixed_clock
from tests.conftest import settings_for
from tests.demo.conftest import client_for, list_all
from tui import locations
from tui.cli import main as cli
from tui.cli.main import COMMANDS
from tui.cli.parser import parse_args
from tui.cli.watch_cmd import WatchJob
from tui.demo import DemoServer, parse_fault_spec
from tui.models.entry import LogEntry

ROOT = Path(__file__).resolve().parents[2]
WIRE_FIELDS = {
    "toolkit": "toolkit_slug",
    "tool": "tool_slug",
    "user": "user_id",
    "auth": "auth_config_id",
    "account": "connected_account_id",
}


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("COMPOSIO_", "TOOLWATCH_")) and "_DIR" not in name:
            monkeypatch.delenv(name)


def point_at(monkeypatch: pytest.MonkeyPatch, server: DemoServer) -> None:
    monkeypatch.setenv("COMPOSIO_API_KEY", server.api_key)
    monkeypatch.setenv("COMPOSIO_BASE_URL", server.url)


def wire(log: dict[str, Any], by: str) -> str:
    """The group of a wire log, flat (tool_slug) or nested (tool.slug) as the server writes it."""
    meta = log["metadata"]
    name = WIRE_FIELDS[by]
    nested = meta.get(name.removesuffix("_slug"))
    if name.endswith("_slug") and isinstance(nested, dict):
        return str(nested["slug"])
    return str(meta.get(name) or "")


def brute_force(logs: list[dict[str, Any]], by: str) -> dict[str, tuple]:
    """Count, failed and nearest-rank p50/p95/p99 per group, straight from the wire."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for log in logs:
        groups[wire(log, by)].append(log)
        groups["*"].append(log)
    result = {}
    for name, members in groups.items():
        durations = sorted(log["metrics"]["duration_ms"] for log in members)
        ranks = [durations[max(math.ceil(p / 100 * len(durations)), 1) - 1] for p in (50, 95, 99)]
        failed = sum(log["status"] == "failed" for log in members)
        result[name] = (len(members), failed, *ranks)
    return result


@pytest.mark.parametrize("by", list(WIRE_FIELDS))
def test_stats_equals_a_brute_force_count_of_the_servers_logs(
    env, monkeypatch, capsys, demo_server, by
):
    point_at(monkeypatch, demo_server)
    assert cli.main(["stats", "--by", by]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    with client_for(demo_server) as client:
        logs = list_all(client)
    assert len(logs) == 300
    got = {
        line["group"]: (
            line["count"],
            line["failed"],
            line["p50_ms"],
            line["p95_ms"],
            line["p99_ms"],
        )
        for line in lines
    }
    assert got == brute_force(logs, by)
    assert all(line["by"] == by for line in lines)
    assert lines[-1]["group"] == "*"
    assert "read 300 logs; 300 logs counted between" in err


def test_stats_rides_out_failing_pages(env, monkeypatch, capsys):
    plan = parse_fault_spec("5xx=0.3,429=0.1")
    with DemoServer(seed=7, rate=0, prefill=450, clock=fixed_clock, faults=plan) as server:
        point_at(monkeypatch, server)
        assert cli.main(["stats"]) == 0
        server.set_fault_plan(None)
        with client_for(server) as client:
            logs = list_all(client)
    out, err = capsys.readouterr()
    total = json.loads(out.splitlines()[-1])
    assert (total["group"], total["count"]) == ("*", len(logs))
    assert "retrying in" in err


def test_stats_follows_the_query_and_range_and_prints_a_table(
    env, monkeypatch, capsys, demo_server
):
    point_at(monkeypatch, demo_server)
    with client_for(demo_server) as client:
        logs = list_all(client)
    stamps = sorted(log["timestamp"] for log in logs)
    since, until = stamps[100], stamps[199]
    args = ["stats", "-q", "toolkit:gmail failed", "--since", since, "--until", until]
    assert cli.main([*args, "--format", "text"]) == 0
    out, err = capsys.readouterr()
    chosen = [
        log
        for log in logs
        if since <= log["timestamp"] <= until
        and wire(log, "toolkit") == "gmail"
        and log["status"] == "failed"
    ]
    rows = out.splitlines()
    assert rows[0].split()[:4] == ["GROUP", "CALLS", "FAILED", "ERR%"]
    assert rows[-1].split()[:3] == ["(all)", str(len(chosen)), str(len(chosen))]
    assert f"{len(chosen)} log" in err


def test_watch_says_blind_when_the_source_keeps_failing_and_execs_for_it(env, capsys, tmp_path):
    paged = tmp_path / "paged.jsonl"
    code = cli.main(
        [
            "watch",
            "--exec",
            f"cat >> '{paged}'",
            "--demo",
            "--faults",
            "5xx=1",
            "--rule",
            "any: failed",
            "--blind-after",
            "1",
            "--for",
            "4",
            "--interval",
            "0.2",
        ]
    )
    out, err = capsys.readouterr()
    events = [json.loads(line) for line in out.splitlines()]
    assert code == 3, err
    assert [(e["event"], e["rule"], e["threshold"]) for e in events] == [("blind", "source", 1.0)]
    assert events[0]["value"] >= 1 and "HTTP 5" in events[0]["error"]
    assert "retrying in" in err
    assert paged.read_text(encoding="utf-8") == out  # --exec had each event on its stdin


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--rule", "x: failed >= 5 in 1z"], "a window is from 1s to 7d"),
        (["--rule", "failed"], "a rule needs a name"),
        ([], "nothing to watch"),
        (["--rule", "a: failed", "--rule", "a: ok"], "two rules are named 'a'"),
        (["--rule", "a: failed", "--blind-after", "soon"], "--blind-after takes seconds"),
    ],
)
def test_watch_refuses_bad_rules_with_exit_2(env, capsys, args, says):
    assert cli.main(["watch", "--demo", *args]) == 2
    assert says in capsys.readouterr().err


def test_watch_and_stats_never_import_textual():
    quiet = "contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO())"
    lines = [
        "import sys, io, contextlib",
        "from tui.cli import main as cli",
        f"with {quiet}:",
        "    assert cli.main(['stats', '--demo']) == 0",
        "    assert cli.main(['watch', '--demo', '--rule', 'a: failed', '--for', '1']) in (0, 3)",
        "loaded = [m for m in sys.modules if m.split('.')[0] == 'textual']",
        "print('clean' if not loaded else loaded)",
    ]
    code = "\n".join(lines)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "clean", done.stderr


class Recorder:
    """What `watch` handed its rule engine at each poll: the batch and the time."""

    def __init__(self, job: WatchJob) -> None:
        self.polls: list[tuple[list[LogEntry], int]] = []
        poll = job.engine.poll

        def recording(entries, now_ms):
            entries = list(entries)
            self.polls.append((entries, now_ms))
            return poll(entries, now_ms)

        job.engine.poll = recording  # type: ignore[method-assign]

    def crossings(self, threshold: int, window_ms: int) -> list[tuple[str, int]]:
        """When a brute-force recount of everything delivered so far says the rule
        "toolkit:gmail failed >= threshold" starts and stops holding."""
        delivered: dict[str, LogEntry] = {}
        holding, changes = False, []
        for entries, now in self.polls:
            delivered.update((entry.id, entry) for entry in entries)
            count = sum(
                1
                for e in delivered.values()
                if e.toolkit == "gmail" and e.failed and e.timestamp_ms > now - window_ms
            )
            if (count >= threshold) != holding:
                holding = not holding
                changes.append(("firing" if holding else "resolved", now))
        return changes


def test_an_incident_makes_watch_fire_on_the_first_poll_over_the_line_and_resolve_after():
    clock = FakeClock(NOW)
    plan = parse_fault_spec("incident=fail:gmail:30s@20s")
    rule = "gmail failing: toolkit:gmail failed >= 12 in 30s"
    args = parse_args(
        [
            "watch",
            "--rule",
            rule,
            "--for",
            "90",
            "--interval",
            "1",
            "--lag",
            "5",
            "--cooldown",
            "0",
        ],
        COMMANDS,
    )
    job = WatchJob(args, clock=clock, sleep=clock.sleep)
    recorder = Recorder(job)
    out = io.StringIO()
    with DemoServer(seed=5, rate=5, prefill=50, clock=clock, faults=plan) as server:
        code = asyncio.run(job.run(settings_for(server), out))
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 3
    assert [(e["event"], e["rule"]) for e in events] == [
        ("firing", "gmail failing"),
        ("resolved", "gmail failing"),
    ]
    fired, resolved = events
    at = [
        int(datetime.fromisoformat(e["at"].replace("Z", "+00:00")).timestamp() * 1000)
        for e in events
    ]
    assert [(kind, ms) for kind, ms in recorder.crossings(12, 30_000)] == [
        ("firing", at[0]),
        ("resolved", at[1]),
    ]
    assert NOW_MS + 20_000 <= at[0] < NOW_MS + 50_000 <= at[1] <= NOW_MS + 81_000
    assert fired["value"] >= 12 and fired["threshold"] == 12 and fired["window_s"] == 30
    assert len(fired["log_ids"]) == fired["value"]
    assert resolved["value"] < 12


def test_watch_with_the_demo_and_an_incident_from_the_command_line(env, capsys):
    code = cli.main(
        [
            "watch",
            "--demo",
            "--faults",
            "incident=fail:gmail:5m",
            "--rule",
            "gmail failing: toolkit:gmail failed >= 2 in 1m",
            "--for",
            "20",
            "--interval",
            "0.5",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 3, err
    first = json.loads(out.splitlines()[0])
    assert (first["event"], first["rule"], first["threshold"]) == ("firing", "gmail failing", 2)


def test_watch_reads_the_rules_of_config_toml(env, capsys):
    config = locations.config_path()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[[rules]]\nname = "traffic"\nwhen = ">= 1 in 1h"\n', encoding="utf-8")
    code = cli.main(["watch", "--demo", "--rules-from-config", "--for", "3", "--interval", "0.5"])
    out, err = capsys.readouterr()
    assert code == 3, err
    assert json.loads(out.splitlines()[0])["rule"] == "traffic"
    config.write_text(
        '[[rules]]\nname = "bad"\nwhen = "failed >= 5 in 1m min 2"\n', encoding="utf-8"
    )
    assert cli.main(["watch", "--demo", "--rules-from-config"]) == 2
    err = capsys.readouterr().err
    assert "rule 'bad': min is for error_rate" in err
    assert err.splitlines()[-1].strip() == "^^^"
