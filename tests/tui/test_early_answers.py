"""The first page is asked for while Textual builds the screen (issue 15, first rows):
what comes back before the screen is ready is held, then shown once it is."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from tests.clock import fixed_clock
from tests.conftest import settings_for
from tests.tui.pilot import screen_showing, settle
from tui.ui.app import ToolwatchApp
from tui.ui.early_answers import EarlyAnswers
from tui.ui.messages import LogsArrived, PollFailed
from tui.ui.screens.main import MainScreen


@pytest.fixture
def screen_ready_after_first_answer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The screen says it is ready only once the first request has been answered (as on
    a slow terminal with a fast source), so that answer comes before it; what the app
    held, by kind."""
    answered = asyncio.Event()
    held: list[str] = []
    fetch_and_post = ToolwatchApp._fetch_and_post
    mount = MainScreen.on_mount
    hold = EarlyAnswers.hold

    async def fetch_then_say(app: ToolwatchApp, purpose: Any) -> None:
        await fetch_and_post(app, purpose)
        answered.set()

    async def mount_after_answer(screen: MainScreen) -> None:
        await asyncio.wait_for(answered.wait(), 10)
        await asyncio.sleep(0.05)  # the answer's message is handled meanwhile
        mount(screen)

    def spy(early: EarlyAnswers, answer: LogsArrived | PollFailed) -> bool:
        kept = hold(early, answer)
        if kept:
            held.append(type(answer).__name__)
        return kept

    monkeypatch.setattr(ToolwatchApp, "_fetch_and_post", fetch_then_say)
    monkeypatch.setattr(MainScreen, "on_mount", mount_after_answer)
    monkeypatch.setattr(EarlyAnswers, "hold", spy)
    return held


async def test_rows_that_come_before_the_screen_is_ready_are_shown_once_it_is(
    app_factory: Any, screen_ready_after_first_answer: list[str]
) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert screen_ready_after_first_answer == ["LogsArrived"]
        assert len(app.session.store) > 0
        first = app.session.store.row(0)
        assert first is not None
        await screen_showing(app, pilot, first.tool)


async def test_a_failure_before_the_screen_is_ready_is_said_once_it_is(
    demo_server: Any, screen_ready_after_first_answer: list[str]
) -> None:
    with socket.socket() as closed:  # a port nothing listens on: refused at once
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings = settings_for(demo_server, base_url=f"http://127.0.0.1:{port}")
    app = ToolwatchApp(settings, clock=fixed_clock, poll_on_interval=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert screen_ready_after_first_answer == ["PollFailed"]
        await screen_showing(app, pilot, "Cannot connect")


def test_answers_are_handled_in_the_order_they_came_then_no_longer_held() -> None:
    early = EarlyAnswers()
    batch: Any = object()
    rows, failure = LogsArrived(batch, generation=1), PollFailed(Exception(), 0.0)  # type: ignore[arg-type]
    later = LogsArrived(batch, generation=2)
    assert early.hold(rows) and early.hold(failure) and early.hold(later)
    handled: list[object] = []
    early.release(handled.append, handled.append)
    assert handled == [rows, failure, later]
    assert not early.hold(rows)  # the screen is ready: handled as it comes
