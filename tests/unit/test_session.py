"""The app's decisions, tested on Session directly: no Textual, no screen, no sockets."""

from __future__ import annotations

import random
from datetime import UTC
from types import SimpleNamespace

import pytest

from tests.clock import FakeClock
from tests.unit.fake_logs_api import FakeLogsApi
from tui.config import Secret, Settings
from tui.errors import AuthError, ServerError
from tui.models.call import CallDetail
from tui.models.entry import LogEntry
from tui.query import LogQuery, parse_query
from tui.session import Session
from tui.session.calls import Calls
from tui.session.session import ADD_SLICE, EMPTY_FOR_ALL, EMPTY_FOR_QUERY, MAX_SEEN_VALUES
from tui.store import LogStore
from tui.tail import TailBatch


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = dict(base_url="https://x.test", api_key=Secret("k"), tz=UTC)
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def make_session(**overrides: object) -> tuple[Session, FakeLogsApi, FakeClock]:
    clock = FakeClock()
    api = FakeLogsApi(clock)
    session = Session(
        settings(**overrides), api, LogStore(":memory:"), clock=clock, rng=random.Random(1)
    )
    return session, api, clock


def entry(n: int, ts: int = 1_000, **fields: str) -> LogEntry:
    return LogEntry(id=f"log_{n}", timestamp_ms=ts + n, status="success", **fields)  # type: ignore[arg-type]


def test_a_new_server_query_starts_again_and_drops_older_answers():
    session, _, _ = make_session()
    session.store_batch(TailBatch([entry(1), entry(2)], polled_at=0.0), "poll")
    first_tail, generation = session.tail, session.generation
    assert session.apply("failed", parse_query("failed", now_ms=0))
    assert session.generation == generation + 1 and session.tail is not first_tail
    assert len(session.store) == 0 and session.status.loaded == 0
    assert session.status.state == "connecting" and session.title.what == "failed"
    assert not session.is_current(generation)


def test_words_only_change_the_highlight_not_the_tail():
    session, _, _ = make_session()
    session.store_batch(TailBatch([entry(1)], polled_at=0.0), "poll")
    tail, generation = session.tail, session.generation
    assert not session.apply("needle", LogQuery(words=("needle",)))
    assert session.tail is tail and session.generation == generation and len(session.store) == 1
    assert session.title.what == "needle"


def test_the_starting_query_builds_the_tail_without_a_restart():
    session, _, _ = make_session()
    tail, generation = session.tail, session.generation
    assert session.apply("failed", parse_query("failed", now_ms=0), restart=False)
    assert session.tail is not tail and session.generation == generation
    assert session.tail.query == parse_query("failed", now_ms=0).server_part


def test_a_query_on_a_recording_is_not_remembered_for_the_next_start():
    from tui import views

    live, _, _ = make_session()
    live.apply("failed", parse_query("failed", now_ms=0))
    assert views.last_query() == "failed"
    replay, _, _ = make_session(source_file="x.jsonl")
    replay.apply("toolkit:gmail", parse_query("toolkit:gmail", now_ms=0))
    assert views.last_query() == "failed"
    assert make_session()[0].starting_text() == "failed"
    assert make_session(query_text="ok")[0].starting_text() == "ok"


def test_one_request_per_purpose_and_none_while_paused_or_stopped():
    session, _, _ = make_session()
    assert session.begin("poll") and not session.begin("poll")
    assert not session.begin("older")  # nothing older known yet
    assert not session.begin("gap")  # no gap to fill
    fresh, _, _ = make_session()
    assert fresh.toggle_pause() and fresh.paused and fresh.status.state == "paused"
    assert not fresh.begin("poll")
    assert fresh.toggle_pause() and not fresh.paused and fresh.status.state == "live"
    fresh.stopped = True
    assert not fresh.begin("poll") and not fresh.toggle_pause()


async def test_fetch_reports_a_batch_an_error_or_a_bug_and_frees_its_purpose():
    session, api, _ = make_session()
    api.add(1_790_000_000_000 - 5_000)
    assert session.begin("poll")
    fetched = await session.fetch("poll")
    assert fetched.batch is not None and len(fetched.batch.entries) == 1 and fetched.error is None
    assert session.begin("poll")  # free again
    api.failures.append(ServerError(status=503))
    fetched = await session.fetch("poll")
    assert isinstance(fetched.error, ServerError) and fetched.batch is None
    assert session.begin("poll")

    async def broken() -> TailBatch:
        raise ZeroDivisionError("boom")

    session.tail.poll = broken  # type: ignore[method-assign]
    fetched = await session.fetch("poll")
    assert fetched.error is not None and "ZeroDivisionError" in fetched.error.explain()


async def test_an_answer_for_an_old_generation_leaves_the_new_requests_alone():
    session, _, _ = make_session()
    assert session.begin("poll")
    generation = session.generation
    session.restart()  # a new query while the poll was in flight
    assert session.begin("poll")
    stale = await session.fetch("poll")
    assert stale.generation == generation + 1
    assert not session.is_current(generation)


def test_a_big_batch_is_stored_a_slice_at_a_time():
    session, _, _ = make_session()
    entries = [entry(n) for n in range(ADD_SLICE * 2 + 5)]
    stored = session.store_batch(TailBatch(entries, polled_at=1.0), "gap")
    sizes = [stored.added]
    while stored.rest is not None:
        stored = session.store_batch(stored.rest, "gap")
        sizes.append(stored.added)
    assert sizes == [ADD_SLICE, ADD_SLICE, 5] and len(session.store) == len(entries)


def test_a_poll_says_live_and_what_an_empty_table_means():
    session, _, _ = make_session()
    stored = session.store_batch(TailBatch([], polled_at=12.0), "poll")
    assert stored.polled and stored.empty_text == EMPTY_FOR_ALL
    assert session.status.state == "live" and session.status.last_poll == 12.0
    session.apply("failed", parse_query("failed", now_ms=0))
    assert session.store_batch(TailBatch([], polled_at=13.0), "poll").empty_text == EMPTY_FOR_QUERY
    session.toggle_pause()
    session.store_batch(TailBatch([], polled_at=14.0), "poll")
    assert session.status.state == "paused"  # a poll in flight when p was pressed lands


def test_skipped_lines_are_counted_once_and_the_first_is_kept():
    session, _, _ = make_session()
    session.store_batch(TailBatch([], polled_at=1.0, skipped=["line 3: not JSON"]), "poll")
    session.store_batch(TailBatch([], polled_at=2.0, skipped=["line 9: no id", "x"]), "poll")
    assert session.status.skipped == 3 and session.status.first_skipped == "line 3: not JSON"


def test_a_query_applied_while_paused_gets_one_poll_for_its_first_page():
    session, _, _ = make_session()
    session.toggle_pause()
    assert session.apply("failed", parse_query("failed", now_ms=0))
    assert session.status.state == "paused" and "first page" in (session.status.note or "")
    assert session.begin("poll")  # the first page, while paused
    session.store_batch(TailBatch([entry(1)], polled_at=0.0), "poll")
    assert session.status.state == "paused"
    assert session.status.note == "showing the first page of the new query"
    assert not session.begin("poll")  # and no more until p
    assert session.toggle_pause() and session.status.note is None


def test_a_failed_first_page_while_paused_waits_for_p():
    session, _, _ = make_session()
    session.toggle_pause()
    session.apply("failed", parse_query("failed", now_ms=0))
    failure = session.failed(ServerError(status=503), "poll")
    assert failure.delay is None and not failure.stopped  # no retry nobody would schedule
    assert session.status.state == "paused" and session.status.retry_at is None
    assert session.status.error


def test_failures_stop_on_a_rejected_key_retry_otherwise():
    session, _, clock = make_session()
    failure = session.failed(ServerError(status=503), "poll")
    assert not failure.stopped and failure.delay is not None and failure.delay > 0
    assert session.status.state == "retrying"
    assert session.status.retry_at == pytest.approx(clock() + failure.delay)
    clock.now += 1
    session.tick()
    assert session.status.now == clock()
    failure = session.failed(AuthError(status=401), "poll")
    assert failure.stopped and session.stopped and session.status.state == "stopped"


def test_a_failed_backfill_is_said_without_stopping_the_tail():
    session, _, _ = make_session()
    failure = session.failed(ServerError(status=500), "older")
    assert not failure.stopped and failure.delay is None
    assert session.status.error is not None and session.status.error.startswith(
        "could not load older logs"
    )
    assert session.status.state == "connecting" and not session.title.loading_older


def test_seen_values_are_bounded():
    session, _, _ = make_session()
    entries = [entry(n, toolkit=f"kit{n}") for n in range(MAX_SEEN_VALUES + 50)]
    session.store_batch(TailBatch(entries, polled_at=0.0), "poll")
    assert len(session.seen_values["toolkit_slug"]) == MAX_SEEN_VALUES


def test_a_source_that_started_over_is_noticed_once():
    session, api, _ = make_session()
    assert not session.source_restarted
    api.restarts = 1  # type: ignore[attr-defined]
    assert session.source_restarted and not session.source_restarted


def _call(log_id: str) -> CallDetail:
    return SimpleNamespace(log_id=log_id)  # type: ignore[return-value]  # all the cache reads


def test_the_call_cache_keeps_the_most_recently_used():
    calls = Calls(FakeLogsApi(FakeClock()), limit=2)  # type: ignore[arg-type]
    for log_id in ("a", "b"):
        calls.remember(_call(log_id))
    assert calls.cached("a") is not None  # a is now the most recent
    calls.remember(_call("c"))
    assert [call.log_id for call in calls] == ["a", "c"]  # b was the least recently used


def test_the_title_says_how_far_a_long_first_read_has_come():
    """Issue 15: a file read from its end reports its progress; the title carries it
    until the read is done."""
    session, api, _ = make_session()
    api.progress_text = "indexed 420,000 of ~1,000,000 lines"  # type: ignore[assignment]
    session.store_batch(TailBatch([entry(1)], polled_at=0.0), "poll")
    assert session.title.progress == "indexed 420,000 of ~1,000,000 lines"
    api.progress_text = None
    session.store_batch(TailBatch([entry(2)], polled_at=1.0), "poll")
    assert session.title.progress is None


def test_a_new_query_after_a_stop_is_tried_again():
    """Issue 14: after a refused first request, applying a new query cleared the error
    but left the session stopped: the table waited under a bare "■ stopped"."""
    from tui.errors import BadRequestError

    session, _, _ = make_session()
    session.apply("toolkit:nosuch", parse_query("toolkit:nosuch", now_ms=0), restart=False)
    assert session.failed(BadRequestError("unknown toolkit", status=400), "poll").stopped
    assert session.status.state == "stopped" and not session.begin("poll")
    session.apply("toolkit:gmail", parse_query("toolkit:gmail", now_ms=0))
    assert not session.stopped and session.status.state == "connecting"
    assert session.begin("poll")
