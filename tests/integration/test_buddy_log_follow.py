"""The Log tab's reading, over a real loopback socket against the embedded Buddy server
(buddy-contract.md A.5): a running action's log followed by offset from the last line
held, until the action has finished, never a line twice; the inline ``log[]`` where the
``…/logs`` endpoint is missing; and at most ``max_lines`` held, the rest counted."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from tests.clock import FakeClock
from tui.demo.buddy_server import BuddyDemoServer
from tui.demo.buddy_world import LINE_MS, RunPlan
from tui.query import LogQuery
from tui.session.action_log import FollowedLog, LogChunk, read_chunk
from tui.session.calls import Calls
from tui.sources.buddy import BuddyClient, BuddySource
from tui.store import LogStore


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class Reading:
    """A source, the store the tail fills, and the Log tab's reads, on one server."""

    def __init__(self, server: BuddyDemoServer, clock: FakeClock) -> None:
        client = BuddyClient(token=server.token, base_url=server.url, clock=clock)
        self.server, self.clock = server, clock
        self.source = BuddySource(client, workspace="acme", project="agents", clock=clock)
        self.store = LogStore()
        self.calls = Calls(self.source)

    async def poll(self) -> None:
        """What the tail does each interval: the rows' statuses brought up to date."""
        self.clock.now += 1.5  # past the source's minimum time between refreshes
        page = await self.source.list_logs(LogQuery(), limit=500)
        self.store.add(page.entries)
        self.store.replace(page.updated)

    async def read(self, log_id: str, log: FollowedLog) -> LogChunk:
        chunk = await read_chunk(self.calls, self.store, log_id, log.offset)
        assert chunk.error is None, chunk.error
        log.add(chunk)
        return chunk


@pytest.fixture
async def reading(clock: FakeClock) -> AsyncIterator[Reading]:
    with BuddyDemoServer(seed=3, rate=0, prefill=6, clock=clock) as server:
        made = Reading(server, clock)
        yield made
        await made.source.aclose()


def final_log(server: BuddyDemoServer, plan: RunPlan) -> list[str]:
    from tui.demo import buddy_world as world

    state = world.action_states(plan, int(server._clock() * 1000))[0]
    return world.log_lines(plan, plan.actions[0], state["lines"], state["status"])


async def test_a_running_log_is_followed_by_offset_to_its_end_without_a_line_twice(
    reading: Reading, clock: FakeClock
) -> None:
    server = reading.server
    plan = server.start_run(15)  # one long test action
    clock.now += 2 + 5 * LINE_MS / 1000  # started, and a few lines written
    await reading.poll()
    log_id = f"15/{plan.run_id}/{plan.actions[0].hex_id}"
    log = FollowedLog(log_id)
    offsets: list[int] = []
    for _ in range(200):  # far more reads than the action takes
        offsets.append(log.offset)
        chunk = await reading.read(log_id, log)
        if chunk.finished:
            break
        clock.now += 2.0
        await reading.poll()
    assert log.finished, "the follower never saw the action end"
    lines = list(log.lines)
    assert lines == final_log(server, plan), "not the server's log, line for line"
    assert len(lines) == len(set(lines))
    assert lines[-1].startswith(("Action finished", "Error:"))
    # Each read asked the server from the line after the last one held, as A.5 pages
    # (the source's own reads, for the table's last line, are among these requests too).
    asked = Counter(
        int(match.group(1))
        for request in server.requests
        if f"/{plan.actions[0].hex_id}/logs" in request
        and (match := re.search(r"offset=(\d+)", request))
    )
    assert not Counter(offsets) - asked, "a read that did not ask from its offset"
    assert offsets == sorted(offsets) and offsets[0] == 0 and len(offsets) > 3


async def test_an_answer_from_before_the_offset_adds_only_the_lines_not_held() -> None:
    log = FollowedLog("12/1/ab")
    log.add(LogChunk("12/1/ab", 0, ("a", "b", "c"), 3, finished=False))
    # A server that answers from an earlier line than asked (or a repeated read).
    assert log.add(LogChunk("12/1/ab", 1, ("b", "c", "d"), 4, finished=False)) == 1
    assert log.add(LogChunk("12/1/ab", 4, (), 4, finished=True)) == 0
    assert list(log.lines) == ["a", "b", "c", "d"] and log.finished
    assert log.add(LogChunk("12/1/other", 4, ("x",), 5, finished=False)) == 0


async def test_at_most_max_lines_are_held_and_the_dropped_ones_counted() -> None:
    log = FollowedLog("12/1/ab", max_lines=3)
    log.add(LogChunk("12/1/ab", 0, ("1", "2"), 2, finished=False))
    log.add(LogChunk("12/1/ab", 2, ("3", "4", "5"), 5, finished=False))
    assert list(log.lines) == ["3", "4", "5"] and log.dropped == 2 and log.read == 5


async def test_without_the_logs_endpoint_the_inline_log_is_followed(clock: FakeClock) -> None:
    with BuddyDemoServer(seed=3, rate=0, prefill=6, clock=clock, logs_endpoint=False) as server:
        reading = Reading(server, clock)
        try:
            plan = server.start_run(15)
            clock.now += 2 + 5 * LINE_MS / 1000
            await reading.poll()
            log_id = f"15/{plan.run_id}/{plan.actions[0].hex_id}"
            log = FollowedLog(log_id)
            tried = [r for r in server.requests if "/logs" in r]
            assert tried, "the endpoint was tried"
            first = await reading.read(log_id, log)
            assert first.lines and not first.finished
            clock.now += 9
            second = await reading.read(log_id, log)
            assert second.start == first.next_offset and second.lines
            lines = list(log.lines)
            assert lines == final_log(server, plan) and len(lines) == len(set(lines))
            again = [r for r in server.requests if "/logs" in r]
            assert again == tried, "once missing, the endpoint is not asked again"
        finally:
            await reading.source.aclose()


async def planted_line(reading: Reading, clock: FakeClock, line: str) -> str:
    """The second line of a new run's log, as the Log tab holds it, ``line`` planted."""
    plan = reading.server.start_run(15)
    reading.server.plant(plan, log_line=line)
    clock.now += 2 + 3 * LINE_MS / 1000
    await reading.poll()
    log = FollowedLog(f"15/{plan.run_id}/{plan.actions[0].hex_id}")
    await reading.read(log.log_id, log)
    return list(log.lines)[1]


async def test_a_log_line_with_a_credential_is_masked(reading: Reading, clock: FakeClock) -> None:
    line = await planted_line(reading, clock, "curl -H 'Authorization: Bearer abcdefghijklm' x")
    assert "abcdefghijklm" not in line and "Bearer ••••••klm" in line


async def test_a_hostile_log_line_arrives_inert(reading: Reading, clock: FakeClock) -> None:
    hostile = "\x1b]52;c;ZXZpbA==\x07 [@click=app.quit]x[/] \u202eevil"
    line = await planted_line(reading, clock, hostile)
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert "[@click=app.quit]" in line  # drawn as text, never markup (LogLines)
