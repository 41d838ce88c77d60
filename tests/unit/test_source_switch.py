"""Switching named sources (issue 17 §7), decided by the session without Textual: the
choices, each source's last query, a missing variable said by its name, and a late
answer of the old source made harmless by the generation."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC

import pytest

from tests.clock import FakeClock
from tests.unit.fake_logs_api import FakeLogsApi
from tui.config import NamedSource, Secret, Settings
from tui.errors import ConfigError
from tui.models.entry import LogEntry
from tui.query import LogQuery
from tui.session import LAUNCH, Session, SourceBook, configured_sources
from tui.store import LogStore
from tui.tail import TailBatch

PROD = NamedSource("prod", "composio", "COMPOSIO_API_KEY_PROD", "https://api.composio.dev")
STAGING = NamedSource("staging", "composio", "COMPOSIO_API_KEY_STAGING", "https://st.test:8443")
CI = NamedSource("ci", "buddy", "BUDDY_TOKEN_CI", None, "acme", "agents", (12, 14))
NAMED = {"prod": PROD, "staging": STAGING, "ci": CI}
ENV = {"COMPOSIO_API_KEY_PROD": "sk_prod_secret", "BUDDY_TOKEN_CI": "buddy_secret"}


def launch(**overrides: object) -> Settings:
    values: dict[str, object] = dict(
        base_url="http://127.0.0.1:5555", api_key=Secret("demo_k"), demo=True, tz=UTC
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def make_session(settings: Settings | None = None) -> tuple[Session, FakeLogsApi]:
    clock = FakeClock()
    api = FakeLogsApi(clock)
    session = Session(
        settings or launch(), api, LogStore(":memory:"), clock=clock, rng=random.Random(1)
    )
    session.sources = SourceBook(session.settings, env=ENV)
    return session, api


def choice(book: SourceBook, name: str):  # type: ignore[no-untyped-def]
    return next(row for row in book.choices(NAMED) if row.name == name)


def entry(n: int, ts: int = 1_000) -> LogEntry:
    return LogEntry(id=f"log_{n}", timestamp_ms=ts + n, status="success", tool="GMAIL_X")


# -- the choices -----------------------------------------------------------------------------


def test_the_launch_source_comes_first_then_config_order_with_the_current_one_marked():
    book = SourceBook(launch(), env=ENV)
    rows = book.choices(NAMED)
    assert [row.name for row in rows] == [LAUNCH, "prod", "staging", "ci"]
    assert [row.current for row in rows] == [True, False, False, False]
    assert rows[0].label == "launch · composio · 127.0.0.1:5555 (demo)"
    assert rows[1].label == "prod · composio · api.composio.dev"
    assert rows[2].label == "staging · composio · st.test:8443"
    assert rows[3].label == "ci · buddy · acme/agents"


def test_a_source_named_at_start_is_listed_once_with_the_settings_it_began_with():
    started = launch(source_name="prod", base_url="https://api.composio.dev", demo=False)
    book = SourceBook(started, env=ENV)
    rows = book.choices(NAMED)
    assert [row.name for row in rows] == ["prod", "staging", "ci"]
    assert rows[0].current and rows[0].named is None
    assert book.settings_for(rows[0]) is started


def test_no_key_and_no_key_value_ever_appears_in_a_choice():
    book = SourceBook(launch(), env=ENV)
    text = repr(book.choices(NAMED))
    assert "sk_prod_secret" not in text and "buddy_secret" not in text and "demo_k" not in text


# -- settings for a choice ------------------------------------------------------------------


def test_a_missing_variable_is_said_by_its_name_and_nothing_changes():
    book = SourceBook(launch(), env=ENV)
    with pytest.raises(ConfigError) as raised:
        book.settings_for(choice(book, "staging"))
    assert str(raised.value) == (
        "COMPOSIO_API_KEY_STAGING is not set: export it, then switch again"
    )
    assert book.current.name == LAUNCH


def test_a_named_source_gets_its_variable_its_url_and_the_launch_timing():
    book = SourceBook(launch(poll_interval=5.0, lag_s=12.0), env=ENV)
    prod = book.settings_for(choice(book, "prod"))
    assert (prod.base_url, prod.api_key.reveal(), prod.key_env) == (
        "https://api.composio.dev",
        "sk_prod_secret",
        "COMPOSIO_API_KEY_PROD",
    )
    assert (prod.source_name, prod.tz, prod.poll_interval, prod.lag_s) == ("prod", UTC, 5.0, 12.0)
    assert not prod.demo
    ci = book.settings_for(choice(book, "ci"))
    assert (ci.source_kind, ci.workspace, ci.project, ci.pipelines) == (
        "buddy",
        "acme",
        "agents",
        (12, 14),
    )
    assert ci.key_env == "BUDDY_TOKEN_CI" and ci.base_url == "https://api.buddy.works"


def test_a_bad_table_is_said_with_its_name():
    book = SourceBook(launch(), env={**ENV, "K": "v"})
    no_project = NamedSource("half", "buddy", "K", None, "acme", None)
    with pytest.raises(ConfigError, match=r"^\[sources\.half\]: .*workspace and project"):
        book.settings_for(book.choices({"half": no_project})[1])
    bad_url = NamedSource("odd", "composio", "K", "ftp://x")
    with pytest.raises(ConfigError, match=r"^\[sources\.odd\]: .*http\(s\) URL"):
        book.settings_for(book.choices({"odd": bad_url})[1])


def test_standard_input_is_not_read_twice():
    book = SourceBook(launch(source_file="-"), env=ENV)
    with pytest.raises(ConfigError, match="standard input was read once"):
        book.settings_for(book.choices({})[0])


def test_config_toml_is_read_as_it_is_now(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    path.write_text('[sources.prod]\nkey_env = "COMPOSIO_API_KEY_PROD"\n')
    assert list(configured_sources(path)) == ["prod"]
    path.write_text('[sources.prod]\nkind = "gitlab"\n')
    with pytest.raises(ConfigError, match="kind must be one of"):
        configured_sources(path)


# -- each source's query ----------------------------------------------------------------------


def test_each_source_keeps_its_last_query():
    book = SourceBook(launch(), env=ENV)
    book.remember("failed")
    prod, ci = choice(book, "prod"), choice(book, "ci")
    # Not visited yet: the same kind carries the question over, another kind starts clean.
    assert book.query_for(prod, "failed") == "failed"
    assert book.query_for(ci, "failed") == ""
    book.switched(prod)
    book.remember("tool:GMAIL_SEND_EMAIL")
    assert book.query_for(choice(book, LAUNCH), "tool:GMAIL_SEND_EMAIL") == "failed"
    book.switched(choice(book, LAUNCH))
    assert book.query_for(prod, "failed") == "tool:GMAIL_SEND_EMAIL"
    book.remember("")  # cleared on launch: that is its query now
    assert book.query_for(choice(book, LAUNCH), "x") == ""


def test_switching_starts_the_new_source_from_nothing_with_its_own_query():
    session, old_api = make_session()
    session.apply("failed", session.parse("failed"))
    session.store_batch(TailBatch([entry(1), entry(2)], polled_at=0.0), "poll")
    session.calls.marked = "log_1"
    generation = session.generation
    prod = choice(session.sources, "prod")
    new_api = FakeLogsApi(FakeClock())
    switched = session.switch_source(prod, session.sources.settings_for(prod), new_api)
    assert switched.old is old_api and switched.draft is None
    assert session.source is new_api and session.tail.source is new_api
    assert session.generation > generation and not session.is_current(generation)
    assert len(session.store) == 0 and session.calls.marked is None
    assert not any(session.seen_values.values())
    assert session.status.source == "prod · composio · api.composio.dev"
    assert session.title.source == "prod · composio · api.composio.dev"
    assert session.query_text == "failed" and session.title.what == "failed"  # same kind
    assert session.settings.base_url == "https://api.composio.dev"
    session.apply("tool:GMAIL_X", session.parse("tool:GMAIL_X"))

    back = session.switch_source(
        choice(session.sources, LAUNCH), session.sources.settings_for(prod), old_api
    )
    assert back.old is new_api and session.query_text == "failed"
    assert session.status.source == "demo fake"  # the launch source's own words
    assert session.title.source == "launch · composio · 127.0.0.1:5555 (demo)"
    ci = choice(session.sources, "ci")
    session.switch_source(ci, session.sources.settings_for(ci), FakeLogsApi(FakeClock()))
    assert session.query_text == "" and session.query == LogQuery()


def test_a_query_that_no_longer_parses_comes_back_as_a_draft():
    session, _ = make_session()
    session.sources.remember("since:")  # saved when it parsed (an old version, say)
    prod = choice(session.sources, "prod")
    session.switch_source(prod, session.sources.settings_for(prod), FakeLogsApi(FakeClock()))
    back = session.switch_source(
        choice(session.sources, LAUNCH), session.settings, FakeLogsApi(FakeClock())
    )
    assert back.draft == "since:" and session.query_text == ""


async def test_a_late_answer_from_the_old_source_is_dropped_and_frees_nothing_new():
    session, old_api = make_session()
    old_api.add(1_790_000_000_000 - 5_000)
    release = asyncio.Event()
    real_list = old_api.list_logs

    async def slow_list(query: LogQuery, **kwargs: object) -> object:
        await release.wait()
        return await real_list(query, **kwargs)  # type: ignore[arg-type]

    old_api.list_logs = slow_list  # type: ignore[method-assign]
    assert session.begin("poll")
    in_flight = asyncio.create_task(session.fetch("poll"))
    await asyncio.sleep(0)  # the request is out, waiting on the old source
    prod = choice(session.sources, "prod")
    session.switch_source(prod, session.sources.settings_for(prod), FakeLogsApi(FakeClock()))
    assert session.begin("poll")  # the new source's first poll is not held back
    release.set()
    late = await asyncio.wait_for(in_flight, timeout=5)
    assert late.batch is not None and len(late.batch.entries) == 1
    assert not session.is_current(late.generation)  # the handler drops it
    assert not session.begin("poll")  # the new poll still counts as in flight


def test_the_rules_go_on_from_an_empty_window():
    from tui.rules.parser import parse_rule

    session, _ = make_session()
    rule = parse_rule(">= 2 in 5m", "many", 0)
    session.watching.rules.add(rule)
    now = session.now_ms() - 1_000
    session.store_batch(TailBatch([entry(1, now), entry(2, now)], polled_at=0.0), "poll")
    assert [episode.rule for episode in session.watching.rules.firing] == ["many"]
    prod = choice(session.sources, "prod")
    session.switch_source(prod, session.sources.settings_for(prod), FakeLogsApi(FakeClock()))
    assert session.watching.rules.rules == [rule]
    session.store_batch(TailBatch([entry(3, now)], polled_at=1.0), "poll")
    # One log of the new source: the old source's two are not counted with it.
    assert session.watching.rules.firing == []
