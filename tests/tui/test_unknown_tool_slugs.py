"""Issue 14, a small thing: the unknown-tool diagnosis names the seen slugs that are close
(GITHUB_CREATE_ISSUE → GITHUB_CREATE_AN_ISSUE)."""

from __future__ import annotations

from tests.clock import FIXED_NOW_MS
from tests.tui.pilot import screen_showing, settle
from tests.tui.test_detail_pane import summary
from tui.diagnose import close_slugs
from tui.ui.widgets.detail_pane import DetailPane


def test_close_slugs_are_the_alike_ones_closest_first():
    seen = ["GITHUB_CREATE_AN_ISSUE", "GMAIL_SEND_EMAIL", "GITHUB_CREATE_ISSUE"]
    assert close_slugs("GITHUB_CREATE_ISSUE", seen) == ["GITHUB_CREATE_AN_ISSUE"]
    assert close_slugs("NOTION_SEARCH", seen) == []


async def test_the_summary_names_a_seen_slug_close_to_the_unknown_one(app_factory, demo_server):
    demo_server.add_log(
        tool_slug="GITHUB_CREATE_AN_ISSUE", status="success", timestamp_ms=FIXED_NOW_MS - 5_000
    )
    demo_server.add_log(
        tool_slug="GITHUB_CREATE_ISSUE", failure="tool_not_found", timestamp_ms=FIXED_NOW_MS
    )
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        await pilot.press("home", "enter")
        await settle(app, pilot)
        call = app.query_one(DetailPane).call
        assert call is not None and call.tool == "GITHUB_CREATE_ISSUE"
        await screen_showing(app, pilot, "diagnosis")
        words = " ".join(summary(app).split())
        assert "Check the slug GITHUB_CREATE_ISSUE for typos (seen in other logs: " in words
        assert "GITHUB_CREATE_AN_ISSUE)" in words
