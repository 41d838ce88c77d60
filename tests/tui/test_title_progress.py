"""Issue 15: the title says how far a long first read of a file has come."""

from __future__ import annotations

import asyncio
from datetime import UTC
from typing import Any

from tests.clock import FakeClock
from tests.tui.pilot import screen_showing, settle
from tests.unit.fake_logs_api import FakeLogsApi
from tui.config import Secret, Settings
from tui.constants import DEFAULT_BASE_URL
from tui.query import LogQuery
from tui.session.state import TitleInfo
from tui.sources.base import LogPage
from tui.ui.widgets.title_bar import TitleBar


def test_the_title_shows_the_reads_progress_beside_the_counts():
    bar = TitleBar()
    bar.info = TitleInfo(loaded=100, progress="indexed 420,000 of ~1,000,000 lines")
    shown = bar.render().plain
    assert "100 loaded · indexed 420,000 of ~1,000,000 lines" in shown
    bar.info = TitleInfo(loaded=100)
    assert "indexed" not in bar.render().plain


class _LongRead(FakeLogsApi):
    """A source whose first page waits for the test, while its read moves on."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.progress_text: str | None = "indexed 0 of ~1,000,000 lines"  # type: ignore[misc]
        self.gate = asyncio.Event()

    async def list_logs(self, query: LogQuery, **kwargs: Any) -> LogPage:
        await self.gate.wait()
        self.progress_text = None
        return await super().list_logs(query, **kwargs)


async def test_the_title_follows_a_long_read_while_its_page_is_awaited() -> None:
    """The page of a million-line read is one request: the title moves on meanwhile."""
    from tui.ui.app import ToolwatchApp

    clock = FakeClock()
    source = _LongRead(clock)
    source.add(int(clock.now * 1000) - 1_000)
    settings = Settings(base_url=DEFAULT_BASE_URL, api_key=Secret(""), tz=UTC)
    app = ToolwatchApp(settings, source=source, clock=clock, poll_on_interval=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await screen_showing(app, pilot, "indexed 0 of ~1,000,000 lines")
        source.progress_text = "indexed 420,000 of ~1,000,000 lines"
        await screen_showing(app, pilot, "indexed 420,000 of ~1,000,000 lines")
        source.gate.set()
        await settle(app, pilot)
        title = app.main_screen.query_one(TitleBar).render().plain
        assert "1 loaded" in title and "indexed" not in title
