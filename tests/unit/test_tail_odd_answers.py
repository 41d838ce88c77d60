"""LiveTail.after_failure and the walk: what stops a tail, and what is one odd answer."""

from __future__ import annotations

import random

import pytest

from tests.clock import FakeClock
from tests.unit.fake_logs_api import FakeLogsApi
from tui.errors import (
    ApiError,
    AuthError,
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    UnreadableBody,
)
from tui.query import Filter, LogQuery
from tui.tail import LiveTail, Retrying, Stopped, TailBatch, TailEvent

WITH_TERMS = LogQuery(filters=(Filter("status", "==", "failed"),))
WORDS_ONLY = LogQuery(words=("timeout",))


def make(
    query: LogQuery | None = None, page_size: int = 5
) -> tuple[FakeClock, FakeLogsApi, LiveTail]:
    clock = FakeClock()
    api = FakeLogsApi(clock)
    tail = LiveTail(
        api,
        query,
        page_size=page_size,
        lag_s=10,
        clock=clock,
        sleep=clock.sleep,
        rng=random.Random(0),
    )
    return clock, api, tail


def burst(api: FakeLogsApi, count: int) -> list[str]:
    now = api.now_ms()
    return [api.add(now - 1000 + i * 1000 // count) for i in range(count)]


def fail_once(api: FakeLogsApi, error: Exception, *, with_cursor: bool = False) -> list[int]:
    """Make the first list request (with a cursor, if asked) raise ``error``; the list
    returned counts the failures."""
    original = api.list_logs
    failed: list[int] = []

    async def list_logs(query: LogQuery, *, limit: int = 20, cursor: str | None = None):  # type: ignore[no-untyped-def]
        if not failed and (cursor is not None or not with_cursor):
            failed.append(1)
            api.requests.append((query, limit, cursor))
            raise error
        return await original(query, limit=limit, cursor=cursor)

    api.list_logs = list_logs  # type: ignore[method-assign]
    return failed


async def until_batch(tail: LiveTail) -> list[TailEvent]:
    events: list[TailEvent] = []
    async for event in tail.run(interval=1):
        events.append(event)
        if isinstance(event, TailBatch):
            break
    return events


async def failure_of(tail: LiveTail, api: FakeLogsApi, error: ApiError) -> Retrying | Stopped:
    api.failures = [error]
    with pytest.raises(ApiError):
        await tail.poll()
    return tail.after_failure(error)


@pytest.mark.parametrize("error", [AuthError(status=401), ForbiddenError(status=403)])
async def test_a_refused_key_stops_whenever_it_comes(error: ApiError) -> None:
    _, api, tail = make()
    burst(api, 3)
    await tail.poll()
    assert isinstance(await failure_of(tail, api, error), Stopped)


async def test_a_refused_first_request_of_a_query_with_terms_stops() -> None:
    _, api, tail = make(WITH_TERMS)
    outcome = await failure_of(tail, api, BadRequestError("unknown toolkit", status=400))
    assert isinstance(outcome, Stopped)
    assert "unknown toolkit" in outcome.error.explain()
    assert "Change the filters" in outcome.error.explain()  # what to change


@pytest.mark.parametrize("query", [None, WORDS_ONLY], ids=["no terms", "words only"])
async def test_a_400_to_a_first_request_without_terms_is_retried(query: LogQuery | None) -> None:
    _, api, tail = make(query)
    burst(api, 3)
    outcome = await failure_of(tail, api, BadRequestError(status=400))
    assert isinstance(outcome, Retrying)
    # Retried, so not the user's to fix: no advice to change the filters.
    assert "Change the filters" not in outcome.error.explain()
    assert "retried" in outcome.error.explain()
    assert len((await tail.poll()).entries) == 3


async def test_a_400_after_an_answer_is_retried_even_with_terms() -> None:
    _, api, tail = make(WITH_TERMS)
    await tail.poll()
    assert isinstance(await failure_of(tail, api, BadRequestError(status=400)), Retrying)


@pytest.mark.parametrize(
    "error",
    [
        NotFoundError(status=404),
        ApiError("I'm a teapot", status=418),
        ApiError(status=302),
        UnreadableBody(detail="'next_cursor' should be a string, got an object"),
    ],
    ids=["404", "418", "302", "unreadable"],
)
async def test_stray_answers_are_retried_with_backoff(error: ApiError) -> None:
    _, api, tail = make(WITH_TERMS)
    delays = []
    for _ in range(3):
        outcome = await failure_of(tail, api, error)
        assert isinstance(outcome, Retrying)
        delays.append(outcome.delay)
    assert delays[0] < delays[1] < delays[2]  # backing off, not hammering


async def test_a_refused_cursor_restarts_the_walk_and_loses_nothing() -> None:
    clock, api, tail = make(page_size=5)
    burst(api, 2)
    first = await tail.poll()
    clock.now += 2
    new = burst(api, 17)
    refused = fail_once(api, BadRequestError("Invalid cursor", status=400), with_cursor=True)
    events = await until_batch(tail)
    delivered = [e.id for e in first.entries + events[-1].entries]  # type: ignore[union-attr]
    assert refused == [1] and isinstance(events[0], Retrying)
    cursors = [cursor for _, _, cursor in api.requests]
    refused_at = next(i for i, cursor in enumerate(cursors) if cursor is not None)
    assert cursors[refused_at + 1] is None  # walked again from the head, not the cursor
    assert sorted(delivered) == sorted(set(delivered))  # none twice
    assert set(new) <= set(delivered)  # none lost


async def test_a_reply_that_breaks_a_reader_is_retried_not_fatal() -> None:
    _, api, tail = make()
    burst(api, 3)
    fail_once(api, RecursionError("maximum recursion depth exceeded"))
    events = await until_batch(tail)
    assert isinstance(events[0], Retrying)
    assert "RecursionError" in str(events[0].error) and events[0].error.retryable
    assert len(events[1].entries) == 3  # type: ignore[union-attr]
