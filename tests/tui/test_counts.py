"""Issue 14, grammar: a count of one is singular wherever toolwatch writes a count (the
screen and the headless commands alike), through ``fmt.count``."""

from __future__ import annotations

from dataclasses import replace

from tests.tui.pilot import screen_showing, settle
from tui import fmt
from tui.sources.file.problems import SKIPPED_PER_PAGE, Problems
from tui.ui.screens.diff import DiffScreen


def test_count_is_singular_for_one_only() -> None:
    assert fmt.count(1, "log") == "1 log"
    assert fmt.count(0, "log") == "0 logs"
    assert fmt.count(12_340, "log") == "12,340 logs"
    assert fmt.count(1, "more unreadable line") == "1 more unreadable line"
    assert fmt.count(2, "match", "matches") == "2 matches"
    assert fmt.noun_for(1, "line") == "line" and fmt.noun_for(3, "line") == "lines"


def test_one_unlisted_unreadable_line_is_one_line() -> None:
    """A file's problems, said in the TUI's status line and by list/tail on stderr."""
    problems = Problems()
    for number in range(SKIPPED_PER_PAGE + 1):
        problems.line(number + 1, "not JSON")
    assert problems.take_unreported()[-1] == "1 more unreadable line"


async def test_a_diff_of_one_difference_says_one(app_factory) -> None:
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        row = app.session.store.rows(0, 1)[0]
        call = await app.session.calls.fetch(row.id)
        app.push_screen(DiffScreen(call, replace(call, version=call.version + "-next")))
        shown = await screen_showing(app, pilot, "1 difference ·")
        assert "1 differences" not in shown
