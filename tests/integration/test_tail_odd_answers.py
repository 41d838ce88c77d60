"""The live tail against a demo server that answers oddly (stray 4xx, refused cursors):
`toolwatch tail` and the TUI's Session ride it out over a real loopback socket."""

from __future__ import annotations

import random
import time
from datetime import UTC

from tests.integration.test_tail_cli import FAST, live_server, point_at, served, tail_for

# The env and watchdog fixtures of test_tail_cli apply here too.
from tests.integration.test_tail_cli import env as env
from tests.integration.test_tail_cli import watchdog as watchdog
from tui.cli import main as cli
from tui.config import Secret, Settings
from tui.demo import FaultPlan
from tui.session import Session
from tui.sources.composio import ComposioClient
from tui.store import LogStore


def test_a_tail_that_only_gets_stray_answers_keeps_saying_so_until_for(env, monkeypatch, capsys):
    code, elapsed = tail_for(monkeypatch, FaultPlan(stray4xx_rate=1.0, seed=1), "2")
    out, err = capsys.readouterr()
    assert code == 0 and out == ""
    assert elapsed >= 1.9  # it did not give up on its own
    assert err.count("retrying in") >= 2


def add_logs(server, clock, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        clock.now += 0.001
        server.add_log()


async def test_session_rides_out_refused_cursors_and_stray_answers():
    # Requests with a cursor are refused at times, and some of all get a stray 4xx.
    server, clock = live_server(prefill=0)
    with server:
        settings = Settings(base_url=server.url, api_key=Secret(server.api_key), tz=UTC)
        async with ComposioClient(api_key=server.api_key, base_url=server.url) as client:
            session = Session(
                settings, client, LogStore(":memory:"), clock=clock, rng=random.Random(1)
            )
            add_logs(server, clock, 30)
            errors: list[str] = []

            async def poll() -> bool:
                assert session.begin("poll")
                fetched = await session.fetch("poll")
                if fetched.error is not None:
                    failure = session.failed(fetched.error, "poll")
                    assert not failure.stopped, fetched.error.explain()
                    errors.append(str(fetched.error))
                    return False
                assert fetched.batch is not None
                stored = session.store_batch(fetched.batch, "poll")
                while stored.rest is not None:  # a big batch is stored a slice at a time
                    stored = session.store_batch(stored.rest, "poll")
                return True

            assert await poll()  # all 30: none left to backfill, so all must come
            server.set_fault_plan(FaultPlan(badcursor_rate=0.3, stray4xx_rate=0.1, seed=5))
            for step in range(60):
                if step % 3 == 0:
                    add_logs(server, clock, 150)  # more than a page: the walk needs cursors
                clock.now += 1
                await poll()
            server.set_fault_plan(None)
            assert await poll()  # the last walk reads what the refused ones left
            refused = server.fault_counts.get("badcursor", 0)
        everything = {log["id"] for log in served(server)}
    assert not session.stopped and session.status.state == "live"
    assert len(session.store) == len(everything)  # nothing lost, nothing twice
    assert refused >= 3 and any("Invalid cursor" in error for error in errors)


def test_a_redirect_holding_the_key_is_said_without_it(env, monkeypatch, capsys):
    server, _ = live_server(prefill=5, faults=FaultPlan(redirect_rate=1.0, seed=1))
    with server:
        point_at(monkeypatch, server)
        listed = cli.main(["list"])
        listed_err = capsys.readouterr().err
        code = cli.main(["tail", "--for", "1", *FAST])
    out, err = capsys.readouterr()
    assert listed == 1 and code == 0 and out == ""
    for said in (listed_err, err):
        assert "(HTTP 302)" in said and "redirected to http://login.elsewhere.invalid" in said
        assert server.api_key not in said
    assert "retrying in" in err


def test_an_endless_body_is_cut_at_the_cap_and_the_tail_goes_on(env, monkeypatch, capsys):
    monkeypatch.setenv("TOOLWATCH_MAX_RESPONSE_MB", "1")
    server, _ = live_server(prefill=5, faults=FaultPlan(endless_rate=1.0, seed=1))
    with server:
        point_at(monkeypatch, server)
        started = time.monotonic()
        listed = cli.main(["list"])
        listed_in = time.monotonic() - started
        listed_err = capsys.readouterr().err
        code = cli.main(["tail", "--for", "1.5", *FAST])
    out, err = capsys.readouterr()
    assert listed == 1 and listed_in < 5
    assert code == 0 and out == ""
    for said in (listed_err, err):
        assert "larger than the 1 MB cap (TOOLWATCH_MAX_RESPONSE_MB)" in said
    assert err.count("retrying in") >= 2
