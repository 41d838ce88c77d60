"""The Buddy source against the embedded Buddy server over a real loopback socket:
paging, rows updated in place without duplicates, the log followed by offset, every
error shape of buddy-contract.md A.1, and the rate limit."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.clock import NOW, FakeClock
from tui.demo.buddy_server import BuddyDemoServer
from tui.demo.faults import FaultResponse, Faults, RequestInfo
from tui.errors import (
    ApiError,
    AuthError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnreadableBody,
)
from tui.query import LogQuery, parse_query
from tui.sources.base import fetch_call
from tui.sources.buddy import BuddyClient, BuddySource
from tui.sources.buddy.rows import UNFINISHED
from tui.store import LogStore
from tui.tail import LiveTail


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def server(clock: FakeClock) -> Iterator[BuddyDemoServer]:
    with BuddyDemoServer(seed=3, rate=0, prefill=12, clock=clock) as running:
        yield running


def source_for(server: BuddyDemoServer, clock: FakeClock, **options: object) -> BuddySource:
    client = BuddyClient(token=server.token, base_url=server.url, clock=clock)
    return BuddySource(client, workspace="acme", project="agents", clock=clock, **options)  # type: ignore[arg-type]


@pytest.fixture
async def source(server: BuddyDemoServer, clock: FakeClock) -> AsyncIterator[BuddySource]:
    made = source_for(server, clock, per_page=2)
    yield made
    await made.aclose()


async def test_every_run_is_read_through_the_pages_and_rows_come_newest_first(
    server: BuddyDemoServer, source: BuddySource
) -> None:
    page = await source.list_logs(LogQuery(), limit=100)
    runs = server.world.runs
    assert source.runs_read == len(runs)
    assert len(page.entries) == sum(len(run.actions) for run in runs)
    assert len({entry.id for entry in page.entries}) == len(page.entries)
    times = [entry.timestamp_ms for entry in page.entries]
    assert times == sorted(times, reverse=True)
    # per_page=2: the runs of every pipeline came in pages of two, the second page asked.
    assert any("page=2&per_page=2" in request for request in server.requests)
    # An id resolves on its own: PIPELINE/RUN/ACTION_EXECUTION.
    pipeline, run, action = page.entries[0].id.split("/")
    assert pipeline.isdigit() and run.isdigit() and len(action) == 24


async def test_the_cursor_pages_the_rows_and_the_query_is_applied_here(
    source: BuddySource,
) -> None:
    first = await source.list_logs(LogQuery(), limit=5)
    second = await source.list_logs(LogQuery(), limit=5, cursor=first.next_cursor)
    assert first.next_cursor == "5"
    assert not {e.id for e in first.entries} & {e.id for e in second.entries}
    failed = await source.list_logs(parse_query("failed", now_ms=0), limit=100)
    assert failed.entries and all(e.status == "failed" for e in failed.entries)
    assert source.filtered_note(parse_query("failed", now_ms=0)) == (
        f"filtered here over the {source.runs_read} runs read"
    )
    ok = await source.list_logs(parse_query("ok toolkit:release", now_ms=0), limit=100)
    assert all(e.status == "success" and e.toolkit == "release" for e in ok.entries)


async def test_running_rows_are_updated_in_place_never_twice(
    server: BuddyDemoServer, clock: FakeClock
) -> None:
    clock.now = NOW  # the newest runs are still running
    source = source_for(server, clock)
    tail = LiveTail(source, clock=clock)
    store = LogStore(":memory:")
    try:
        first = await tail.poll()
        store.add(first.entries)
        running = {e.id for e in first.entries if e.status in UNFINISHED}
        assert running, "the seeded world has runs in progress"
        delivered = [e.id for e in first.entries]
        changes = []
        for _ in range(8):
            clock.now += 30
            batch = await tail.poll()
            delivered += [e.id for e in batch.entries]
            changes += batch.updated
            store.add(batch.entries)
            store.replace(batch.updated)
        assert len(delivered) == len(set(delivered)), "a row was delivered twice"
        assert len(store) == len(set(delivered))
        finished = {e.id for e in changes if e.status not in UNFINISHED}
        assert finished & running, "a running row never came back finished"
        # The store holds each changed row once, with its latest status, where it was.
        for entry in changes:
            held = store.entry_by_id(entry.id)
            assert held is not None
            latest = [e for e in changes if e.id == entry.id][-1]
            assert held.status == latest.status
            assert held.timestamp_ms == entry.timestamp_ms
    finally:
        store.close()
        await source.aclose()


async def test_a_new_run_arrives_as_new_rows_then_changes_in_place(
    server: BuddyDemoServer, clock: FakeClock
) -> None:
    source = source_for(server, clock)
    tail = LiveTail(source, clock=clock)
    try:
        await tail.poll()
        clock.now += 5
        plan = server.start_run(12)
        clock.now += 1  # still queued
        batch = await tail.poll()
        ids = [f"12/{plan.run_id}/{a.hex_id}" for a in plan.actions]
        assert set(ids) <= {e.id for e in batch.entries}
        assert {e.status for e in batch.entries if e.id in ids} == {"queued"}
        clock.now += 5  # the first action runs: the newest rows, on the page the tail reads
        batch = await tail.poll()
        assert not set(ids) & {e.id for e in batch.entries}
        assert [(e.id, e.status) for e in batch.updated if e.id in ids] == [(ids[0], "running")]
    finally:
        await source.aclose()


async def test_the_log_is_followed_by_offset(
    server: BuddyDemoServer, source: BuddySource, clock: FakeClock
) -> None:
    plan = server.start_run(15)  # one long test action
    clock.now += 2 + 6  # started, and a few lines written
    row_id = f"15/{plan.run_id}/{plan.actions[0].hex_id}"
    lines, next_offset, total = await source.read_log(row_id)
    assert lines and next_offset == len(lines) == total
    clock.now += 9
    more, after, _ = await source.read_log(row_id, next_offset)
    assert more and after == next_offset + len(more)
    assert more[0] not in lines[:1]  # only the new lines
    assert any(f"offset={next_offset}&limit=1000" in r for r in server.requests)


async def test_without_the_logs_endpoint_the_inline_log_is_read(
    clock: FakeClock,
) -> None:
    with BuddyDemoServer(seed=3, rate=0, prefill=6, clock=clock, logs_endpoint=False) as server:
        source = source_for(server, clock)
        try:
            page = await source.list_logs(LogQuery(), limit=100)
            done = next(e for e in page.entries if e.status == "success")
            call = await fetch_call(source, done.id)
            assert call.response["log"][-1].startswith("Action finished")
        finally:
            await source.aclose()


async def test_the_detail_masks_secret_and_encrypted_variables(source: BuddySource) -> None:
    page = await source.list_logs(LogQuery(), limit=100)
    call = await fetch_call(source, page.entries[-1].id)
    shown = {v["key"]: v["value"] for v in call.arguments["passed_variables"]}
    assert shown["ENVIRONMENT"] == "staging"
    assert "dtk_" not in shown["DEPLOY_TOKEN"] and "s3cr3t" not in shown["signing"]
    assert [step.kind for step in call.steps]  # the run's actions, for the timeline


# -- A.1 errors ---------------------------------------------------------------------------


class Answer(Faults):
    """Every request answered with ``status`` and ``body`` (and ``headers``)."""

    def __init__(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.reply = FaultResponse(status=status, body=body, headers=headers or {})

    def intercept(self, request: RequestInfo) -> FaultResponse | None:
        return self.reply


async def failure(server: BuddyDemoServer, clock: FakeClock, **client: object) -> ApiError:
    made = BuddyClient(base_url=server.url, clock=clock, **{"token": server.token, **client})  # type: ignore[arg-type]
    try:
        await made.list_pipelines("acme", "agents")
    except ApiError as error:
        return error
    finally:
        await made.aclose()
    raise AssertionError("no error")


async def test_a_wrong_token_says_which_variable_and_scopes(
    server: BuddyDemoServer, clock: FakeClock
) -> None:
    error = await failure(server, clock, token="not-the-token")
    assert isinstance(error, AuthError) and error.status == 401
    assert "BUDDY_TOKEN" in error.hint and "EXECUTION_INFO" in error.hint
    assert "Invalid or expired token" in error.explain()


async def test_a_disabled_api_says_where_to_turn_it_on(clock: FakeClock) -> None:
    with BuddyDemoServer(rate=0, prefill=1, clock=clock, api_disabled=True) as server:
        error = await failure(server, clock)
    assert isinstance(error, ForbiddenError)
    assert "API is disabled in this workspace" in error.explain()
    assert "Enable developer API" in error.hint


async def test_missing_scopes_name_the_scopes_to_add(clock: FakeClock) -> None:
    with BuddyDemoServer(rate=0, prefill=1, clock=clock, scopes=("WORKSPACE",)) as server:
        error = await failure(server, clock)
    assert isinstance(error, ForbiddenError) and "cannot receive data" in error.explain()
    assert "EXECUTION_INFO" in error.hint


@pytest.mark.parametrize(
    ("status", "body", "kind", "said"),
    [
        (404, b'{"errors":[{"message":"Project not found"}]}', NotFoundError, "Project not found"),
        (400, b'{"error":"invalid_request"}', ApiError, "invalid_request"),
        (503, b'{"errors":[{"message":"down"},{"message":"again"}]}', ServerError, "down"),
        (502, b"<html>bad gateway</html>", ServerError, "bad gateway"),
        (200, b"<html>login</html>", UnreadableBody, "not JSON"),
        (200, b'{"pipelines": {}}', UnreadableBody, "should be a list"),
    ],
)
async def test_every_error_shape_is_read(
    server: BuddyDemoServer, clock: FakeClock, status: int, body: bytes, kind: type, said: str
) -> None:
    server.faults = Answer(status, body, {"Content-Type": "text/html"})
    error = await failure(server, clock)
    assert isinstance(error, kind)
    assert said in error.explain()


async def test_a_redirect_is_not_followed(server: BuddyDemoServer, clock: FakeClock) -> None:
    server.faults = Answer(302, b"", {"Location": "http://elsewhere.invalid/"})
    error = await failure(server, clock)
    assert error.status == 302 and "does not follow redirects" in error.hint


# -- A.1 rate limits ----------------------------------------------------------------------


async def test_429_past_the_limit_waits_as_told(clock: FakeClock) -> None:
    with BuddyDemoServer(rate=0, prefill=1, clock=clock, rate_limit=2) as server:
        client = BuddyClient(token=server.token, base_url=server.url, clock=clock)
        try:
            await client.list_pipelines("acme", "agents")
            assert client.rate.limit == 2 and client.rate.remaining == 1
            await client.list_pipelines("acme", "agents")
            with pytest.raises(RateLimitedError) as caught:
                await client.list_pipelines("acme", "agents")
        finally:
            await client.aclose()
    assert caught.value.status == 429 and caught.value.retry_after == 1
    assert "--interval" in caught.value.hint


async def test_a_403_rate_limit_waits_for_the_reset(
    server: BuddyDemoServer, clock: FakeClock
) -> None:
    reset = str(int(clock.now) + 42)
    server.faults = Answer(
        403,
        b'{"errors":[{"message":"Rate limit exceeded."}]}',
        {"X-Rate-Limit-Reset": reset, "X-Rate-Limit-Remaining": "0"},
    )
    error = await failure(server, clock)
    assert isinstance(error, RateLimitedError) and error.retry_after == 42
    assert error.retryable


async def test_the_tail_backs_off_after_a_rate_limit(
    server: BuddyDemoServer, clock: FakeClock
) -> None:
    server.faults = Answer(
        429, b'{"errors":[{"message":"Rate limit exceeded."}]}', {"Retry-After": "7"}
    )
    source = source_for(server, clock)
    tail = LiveTail(source, clock=clock)
    try:
        with pytest.raises(RateLimitedError) as caught:
            await tail.poll()
        outcome = tail.after_failure(caught.value)
        assert outcome.delay >= 7  # type: ignore[union-attr]
        server.faults = Faults()
        batch = await tail.poll()  # and then it goes on
        assert batch.entries
    finally:
        await source.aclose()


# -- copy curls (A.5, A.6), run as a person would paste them -----------------------------


def run_curl(command: str, token: str) -> tuple[int, dict[str, object]]:
    import json
    import os
    import subprocess

    # No proxy settings, no ~/.curlrc: the command as it reads.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BUDDY_TOKEN": token, "CURL_HOME": "/"}
    done = subprocess.run(
        ["sh", "-c", command + " -w '\\n%{http_code}'"], env=env, capture_output=True, timeout=60
    )
    body, _, code = done.stdout.decode().rpartition("\n")
    return int(code), json.loads(body)


async def test_the_copied_curls_fetch_the_details_and_retry_the_run(
    server: BuddyDemoServer, source: BuddySource
) -> None:
    from tui.curl import buddy_detail_curl, buddy_retry_curl

    page = await source.list_logs(parse_query("failed", now_ms=0), limit=1)
    row_id = page.entries[0].id
    detail = buddy_detail_curl(server.url, "acme", "agents", row_id)
    assert "$BUDDY_TOKEN" in detail.command and server.token not in detail.command
    status, body = run_curl(detail.command, server.token)
    assert status == 200 and body["action_execution_id"] == row_id.split("/")[2]
    retry = buddy_retry_curl(server.url, "acme", "agents", row_id)
    assert "-X PATCH" in retry.command and '{"operation":"RETRY"}' in retry.command
    runs_before = len(server.world.runs)
    status, body = run_curl(retry.command, server.token)
    assert status == 200 and len(server.world.runs) == runs_before + 1
    assert any("retries the whole run" in note for note in retry.warnings)


async def test_the_same_fault_plans_apply_in_buddys_envelope(clock: FakeClock) -> None:
    from tui.demo.faults import FaultPlan

    plan = FaultPlan(error_rate=0.3, rate_limit_rate=0.2, seed=4)
    with BuddyDemoServer(seed=3, rate=0, prefill=4, clock=clock, faults=plan) as server:
        client = BuddyClient(token=server.token, base_url=server.url, clock=clock)
        seen: list[ApiError] = []
        try:
            for _ in range(40):
                try:
                    await client.list_pipelines("acme", "agents")
                except ApiError as error:
                    seen.append(error)
        finally:
            await client.aclose()
        counts = server.fault_counts
    assert {type(error) for error in seen} == {ServerError, RateLimitedError}
    assert len(seen) == counts["5xx"] + counts["429"]
    # The server's words came through Buddy's {"errors": [...]} envelope.
    assert all(error.server_message for error in seen)


async def test_one_poll_lists_each_pipeline_once(server: BuddyDemoServer, clock: FakeClock) -> None:
    source = source_for(server, clock)
    # Pages of 5: a walk goes on past its first page and asks for a first page again
    # (pinned to the time range page 1 showed).
    tail = LiveTail(source, clock=clock, page_size=5)
    try:
        await tail.poll()
        for _ in range(4):  # more new rows than one page of 5
            clock.now += 3
            server.start_run(14)
        before = len(server.requests)
        await tail.poll()
        listed = [r for r in server.requests[before:] if r.split("?")[0].endswith("/executions")]
        assert len(listed) == 4  # the four pipelines, page 1 each: one refresh per poll
    finally:
        await source.aclose()
