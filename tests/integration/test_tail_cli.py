"""`toolwatch tail` against the embedded server on a real loopback socket.

Most tests call `cli.main` in-process; Ctrl-C, a closed pipe and the import check need a
process of their own. Live logs come from a thread that moves a fake server clock on
and adds a log at each step, so every log has its own, increasing timestamp.
"""

from __future__ import annotations

import functools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.demo.conftest import client_for, list_all
from tui.cli import main as cli
from tui.cli import tail_cmd
from tui.demo import DemoServer, FaultPlan
from tui.query import parse_query
from tui.tail import Backoff, LiveTail

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--interval", "0.2", "--lag", "2"]


class Feeder:
    """Adds a log every `every` seconds of wall time, each `step` later on the fake clock."""

    def __init__(
        self, server: DemoServer, clock: FakeClock, every: float = 0.05, start_after: float = 0
    ) -> None:
        self.server, self.clock, self.every = server, clock, every
        self.start_after = start_after
        self.added: list[dict[str, Any]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        if self._stop.wait(self.start_after):
            return
        while not self._stop.wait(self.every):
            self.clock.now += 0.1
            self.added.append(self.server.add_log())

    def __enter__(self) -> Feeder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def live_server(prefill: int = 20, faults: FaultPlan | None = None) -> tuple[DemoServer, FakeClock]:
    # The clock starts at the real time: the tail's open window ends a day past its own.
    clock = FakeClock(time.time())
    server = DemoServer(seed=11, rate=0, prefill=prefill, clock=clock, faults=faults)
    return server, clock


# Far above any test's own time (a few seconds), and above what a loaded 2-core machine
# stretches one to (12 s fired, interrupting a healthy test, under CI-like load).
WATCHDOG_S = 60


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    """Ctrl-C after WATCHDOG_S: a tail that does not stop fails its test (exit 130), not
    the run."""
    timer = threading.Timer(WATCHDOG_S, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    yield
    timer.cancel()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith(("COMPOSIO_", "TOOLWATCH_")):
            monkeypatch.delenv(name)
    yield


def point_at(monkeypatch: pytest.MonkeyPatch, server: DemoServer, key: str | None = None) -> None:
    monkeypatch.setenv("COMPOSIO_API_KEY", key or server.api_key)
    monkeypatch.setenv("COMPOSIO_BASE_URL", server.url)


def served(server: DemoServer) -> list[dict[str, Any]]:
    """Every log the server lists, oldest first (as tail orders a batch)."""
    server.set_fault_plan(None)
    with client_for(server) as client:
        logs = list_all(client)
    return sorted(logs, key=lambda log: (log["timestamp"], log["id"]))


def test_count_prints_exactly_n_logs_once_oldest_first(env, monkeypatch, capsys):
    server, clock = live_server(prefill=20)
    with server:
        point_at(monkeypatch, server)
        with Feeder(server, clock) as feeder:
            code = cli.main(["tail", "--count", "45", "--for", "10", *FAST])
        out, err = capsys.readouterr()
        everything = served(server)
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 45
    ids = [line["id"] for line in lines]
    assert len(set(ids)) == 45
    by_id = {log["id"]: log for log in everything}
    assert all(line == by_id[line["id"]] for line in lines)  # the raw wire JSON, as served
    # The prefill in one batch, then the live logs in the order they were added.
    prefill = [log["id"] for log in everything if log["id"] not in {a["id"] for a in feeder.added}]
    assert ids == prefill + [log["id"] for log in feeder.added][:25]
    stamps = [line["timestamp"] for line in lines]
    assert stamps == sorted(stamps)
    assert err == ""


def test_for_stops_in_time(env, monkeypatch, capsys):
    server, clock = live_server(prefill=5)
    with server:
        point_at(monkeypatch, server)
        with Feeder(server, clock):
            started = time.monotonic()
            code = cli.main(["tail", "--for", "1", *FAST])
            elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 0, err
    assert 1.0 <= elapsed < 2.5
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert len(ids) > 5 and len(set(ids)) == len(ids)


def tail_for(monkeypatch: pytest.MonkeyPatch, plan: FaultPlan, seconds: str) -> tuple[int, float]:
    """`toolwatch tail --for SECONDS` against a server with ``plan``: its exit code and
    how long it ran."""
    server, _ = live_server(prefill=5, faults=plan)
    with server:
        point_at(monkeypatch, server)
        started = time.monotonic()
        code = cli.main(["tail", "--for", seconds, *FAST])
        return code, time.monotonic() - started


def test_for_cuts_a_backoff_wait_short(env, monkeypatch, capsys):
    # Every request fails and the tail then waits 4 s: --for must not wait it out.
    backoff = Backoff(base=4, jitter=0)
    monkeypatch.setattr(tail_cmd, "LiveTail", functools.partial(LiveTail, backoff=backoff))
    code, elapsed = tail_for(monkeypatch, FaultPlan(error_rate=1.0, seed=1), "1")
    out, err = capsys.readouterr()
    assert code == 0 and out == ""
    assert 1.0 <= elapsed < 2.5
    assert err.startswith("toolwatch: Server error") and err.count("\n") == 1
    assert "retrying in 4 s. The problem is on the server side" in err


def test_a_run_of_failures_gives_the_hint_once(env, monkeypatch, capsys):
    backoff = Backoff(base=0.05, jitter=0)  # waits of 0.05, 0.1, 0.2, 0.4 s...
    monkeypatch.setattr(tail_cmd, "LiveTail", functools.partial(LiveTail, backoff=backoff))
    server, _ = live_server(prefill=5, faults=FaultPlan(error_rate=1.0, seed=1))
    with server:
        point_at(monkeypatch, server)
        code = cli.main(["tail", "--for", "1", *FAST])
    out, err = capsys.readouterr()
    assert code == 0 and out == ""
    lines = err.splitlines()
    assert len(lines) >= 4
    assert all(line.startswith("toolwatch: Server error (HTTP 5") for line in lines)
    delays = [line.split("; retrying in ")[1].split(" s.")[0] for line in lines]
    assert delays[:4] == ["0.1", "0.1", "0.2", "0.4"]  # rounded to 0.1 s
    hint = "usually brief"
    assert hint in lines[0] and not any(hint in line for line in lines[1:])


def test_a_poll_cut_short_reports_the_gap(env, monkeypatch, capsys):
    # 300 logs land at once every second of server time; a poll may read only 2 pages.
    monkeypatch.setattr(tail_cmd, "LiveTail", functools.partial(LiveTail, max_pages=2))
    plan = FaultPlan(burst_logs=300, burst_every_s=1, seed=1)
    server, clock = live_server(prefill=5, faults=plan)
    with server:
        point_at(monkeypatch, server)
        with Feeder(server, clock):
            code = cli.main(["tail", "--for", "1.5", *FAST])
    out, err = capsys.readouterr()
    assert code == 0, err
    gaps = [line for line in err.splitlines() if line.startswith("toolwatch: gap: ")]
    assert gaps, err
    assert re.fullmatch(
        r"toolwatch: gap: (logs between \d\d:\d\d:\d\d UTC and \d\d:\d\d:\d\d UTC not loaded"
        r"|late logs between \d\d:\d\d:\d\d UTC and \d\d:\d\d:\d\d UTC may be missing): "
        r"more arrived than one poll reads; narrow the query or poll more often "
        r"\(--interval\)",
        gaps[0],
    )
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--count", "0"], "--count"),
        (["--count", "x"], "--count"),
        (["--for", "-1"], "--for"),
        (["--for", "0"], "--for"),
        (["--lag", "-1"], "--lag"),
        (["--lag", "inf"], "--lag"),
        (["--interval", "x"], "--interval"),
        (["--interval", "0.01"], "--interval"),
    ],
)
def test_bad_flags_exit_2_with_a_message(env, capsys, flags, named):
    assert cli.main(["tail", *flags]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("toolwatch: ") and named in err
    assert "COMPOSIO_API_KEY" not in err  # the flag is judged before the key is looked for


def test_wrong_key_stops_with_the_auth_hint(env, monkeypatch, capsys):
    server, _ = live_server(prefill=5)
    with server:
        point_at(monkeypatch, server, key="sk_wrong_123")
        started = time.monotonic()
        code = cli.main(["tail", "--for", "10", *FAST])
        elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert elapsed < 5  # stopped at once: retrying cannot fix a 401
    assert err.startswith("toolwatch: Authentication failed (HTTP 401)")
    assert "Check COMPOSIO_API_KEY" in err  # the hint
    assert len(err.splitlines()) == 1
    assert "Traceback" not in err and "sk_wrong_123" not in err


@pytest.mark.parametrize(
    ("plan", "kind", "said"),
    [
        # Seed 0 fails every other request from the second on: the tail must get through.
        (FaultPlan(error_rate=0.5, seed=0), "5xx", "Server error (HTTP 5"),
        # A gateway's 404, a 418, a stray 400: one odd answer never stops the tail.
        (FaultPlan(stray4xx_rate=0.5, seed=2), "stray4xx", "(HTTP 4"),
    ],
    ids=["5xx", "stray4xx"],
)
def test_failures_are_retried_and_logs_still_printed(env, monkeypatch, capsys, plan, kind, said):
    server, clock = live_server(prefill=20, faults=plan)
    with server:
        point_at(monkeypatch, server)
        with Feeder(server, clock):
            code = cli.main(["tail", "--count", "35", "--for", "10", *FAST])
        out, err = capsys.readouterr()
        failed = server.fault_counts.get(kind, 0)
        known = {log["id"] for log in served(server)}
    assert code == 0, err
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert len(ids) == 35 and len(set(ids)) == 35 and set(ids) <= known
    assert failed >= 1
    assert "retrying in" in err and said in err
    assert "Traceback" not in err


def run_tail(server: DemoServer, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSIO_", "TOOLWATCH_"))}
    env |= {"COMPOSIO_API_KEY": server.api_key, "COMPOSIO_BASE_URL": server.url}
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "tail", *FAST, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_tail_never_imports_textual():
    code = (
        "import os, sys\n"
        "from tui.cli import main as cli\n"
        "from tui.demo import DemoServer\n"
        "with DemoServer(rate=0, prefill=5) as s:\n"
        "    os.environ['COMPOSIO_API_KEY'] = s.api_key\n"
        "    os.environ['COMPOSIO_BASE_URL'] = s.url\n"
        "    assert cli.main(['tail', '--count', '2', '--interval', '0.2']) == 0\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3  # two logs, then the marker
    assert result.stdout.strip().endswith("clean")


def test_closed_pipe_ends_quietly():
    # `toolwatch tail | head -3`: the tail finds out at its next write, and exits 0.
    with DemoServer(seed=11, rate=30, prefill=5) as server:
        tail = run_tail(server, "--for", "20")
        assert tail.stdout is not None
        for _ in range(3):
            json.loads(tail.stdout.readline())
        tail.stdout.close()
        try:
            code = tail.wait(timeout=10)
        finally:
            tail.kill()
        err = tail.stderr.read() if tail.stderr else ""
    assert code == 0
    assert err == ""


def test_ctrl_c_exits_130_without_a_traceback():
    with DemoServer(seed=11, rate=30, prefill=5) as server:
        tail = run_tail(server, "--for", "20")
        assert tail.stdout is not None
        json.loads(tail.stdout.readline())
        tail.send_signal(signal.SIGINT)
        try:
            # Not communicate(): readline() may have buffered past the first line, and
            # communicate() reads the pipe itself, so that part would be lost.
            tail.wait(timeout=10)
            out, err = tail.stdout.read(), tail.stderr.read()
        finally:
            tail.kill()
    assert tail.returncode == 130
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    for line in out.splitlines():
        json.loads(line)


@pytest.mark.parametrize("last", ["0", "3"])
def test_last_limits_the_logs_already_there(env, monkeypatch, capsys, last):
    server, clock = live_server(prefill=20)
    with server:
        point_at(monkeypatch, server)
        # The first poll, well within a second, sees only the prefill.
        with Feeder(server, clock, start_after=1.0) as feeder:
            code = cli.main(["tail", "--last", last, "--count", "8", "--for", "10", *FAST])
        out, err = capsys.readouterr()
        everything = served(server)
    assert code == 0, err
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    live = [log["id"] for log in feeder.added]
    prefill = [log["id"] for log in everything if log["id"] not in set(live)]
    backlog = prefill[len(prefill) - int(last) :] if int(last) else []
    assert ids == (backlog + live)[:8]


def test_shared_flags_work_before_and_after_the_command(capsys):
    for argv in (["--demo", "tail", "--count", "2"], ["tail", "--demo", "--count", "2"]):
        assert cli.main([*argv, "--last", "2", "--interval", "0.2"]) == 0
        out, err = capsys.readouterr()
        assert len(out.splitlines()) == 2, err


def test_faults_need_demo_and_a_valid_spec(capsys):
    assert cli.main(["--faults", "5xx=0.5", "list"]) == 2
    assert "add --demo" in capsys.readouterr().err
    assert cli.main(["--demo", "--faults", "5xx=2", "list"]) == 2
    assert "--faults: 5xx=2" in capsys.readouterr().err


def test_demo_faults_show_up_as_retries(capsys):
    code = cli.main(
        ["--demo", "--faults", "5xx=0.6,seed=4", "tail", "--count", "3", "--interval", "0.2"]
    )
    out, err = capsys.readouterr()
    assert code == 0 and len(out.splitlines()) == 3
    assert "Server error (HTTP 5" in err and "retrying in" in err


def test_tui_rejects_a_bad_lag_before_starting(capsys):
    assert cli.main(["--lag", "soon"]) == 2
    assert "--lag takes seconds" in capsys.readouterr().err


# -- --query and --since ---------------------------------------------------------------------


def list_bodies(server: DemoServer) -> list[dict[str, Any]]:
    return [r.body for r in server.requests if r.path == "/api/v3.1/logs/tool_execution"]


def test_query_sends_the_screens_filters_and_words_pick_what_is_printed(env, monkeypatch, capsys):
    text = 'toolkit:gmail -ok "ZQXJ"'
    server, clock = live_server(prefill=20)
    with server:
        point_at(monkeypatch, server)
        logs = [
            ("GMAIL_SEND_EMAIL", "failed", "zqxj hit"),
            ("GMAIL_SEND_EMAIL", "failed", "other"),
            ("GMAIL_SEND_EMAIL", "success", "zqxj"),
            ("SLACK_SEND_MESSAGE", "failed", "zqxj"),
            ("GMAIL_FETCH_EMAILS", "failed", "ZqXj!"),
        ]
        added = []
        for tool, status, message in logs:
            clock.now += 0.1
            added.append(server.add_log(tool_slug=tool, status=status, message=message))
        wanted = [added[0], added[4]]
        with Feeder(server, clock):
            code = cli.main(["tail", "--query", text, "--for", "1", *FAST])
        out, err = capsys.readouterr()
        bodies = list_bodies(server)
    assert code == 0, err
    assert [json.loads(line)["id"] for line in out.splitlines()] == [w["id"] for w in wanted]
    screen = parse_query(text, now_ms=0).to_api_body(limit=100)
    assert len(bodies) > 2  # the first poll and later, narrowed ones
    assert bodies[0] == screen  # no time in the query: none sent on the first poll
    assert all(body["filters"] == screen["filters"] for body in bodies)
    assert all("time_range" in body for body in bodies[1:])


def test_since_bounds_every_request(env, monkeypatch, capsys):
    server, clock = live_server(prefill=20)
    with server:
        point_at(monkeypatch, server)
        old = server.add_log(timestamp_ms=int((clock.now - 3600) * 1000))
        started_ms = time.time() * 1000
        with Feeder(server, clock):
            code = cli.main(["tail", "--since", "30m", "--for", "1", *FAST])
        out, err = capsys.readouterr()
        bodies = list_bodies(server)
    assert code == 0, err
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids and old["id"] not in ids
    for body in bodies:
        assert body["time_range"]["from"] >= started_ms - 30 * 60_000 - 1000
    first = bodies[0]["time_range"]
    assert abs(first["from"] - (started_ms - 30 * 60_000)) < 5_000
    assert first["to"] > started_ms + 23 * 3600_000  # open-ended: a day past the clock


def test_a_bad_tail_query_exits_2_before_looking_for_the_key(env, capsys):
    assert cli.main(["tail", "--query", "-tool:x bogus~y"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "COMPOSIO_API_KEY" not in err
    assert err.splitlines()[1:] == ["  -tool:x bogus~y", "          ^^^^^^^"]
    assert err.startswith("toolwatch: --query: unknown field 'bogus' in bogus~y")


def test_tui_query_flag_is_checked_before_the_screen_starts(capsys):
    assert cli.main(["--demo", "--query", "failed tol:x"]) == 2
    err = capsys.readouterr().err
    assert "tol" in err and "^^^" in err


def test_dash_n_prints_the_newest_n_as_tail_does_and_count_stops(env, monkeypatch, capsys):
    # Issue 14 item 13: `tail --count 5` alone printed the oldest 5 of the first page;
    # `-n 5` is `--last 5`, the newest five, oldest first.
    server, _ = live_server(prefill=20)
    with server:
        point_at(monkeypatch, server)
        code = cli.main(["tail", "-n", "5", "--count", "5", "--for", "5", *FAST])
        out, err = capsys.readouterr()
        everything = served(server)
    assert code == 0, err
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids == [log["id"] for log in everything[-5:]]


def test_tail_help_says_what_count_counts(capsys):
    with pytest.raises(SystemExit):
        cli.main(["tail", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--last N, -n N" in out
    assert "--count 5 alone prints the oldest 5 of the newest page" in out
