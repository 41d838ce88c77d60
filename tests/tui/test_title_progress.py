"""Issue 15: the title says how far a long first read of a file has come."""

from __future__ import annotations

from tui.session.state import TitleInfo
from tui.ui.widgets.title_bar import TitleBar


def test_the_title_shows_the_reads_progress_beside_the_counts():
    bar = TitleBar()
    bar.info = TitleInfo(loaded=100, progress="indexed 420,000 of ~1,000,000 lines")
    shown = bar.render().plain
    assert "100 loaded · indexed 420,000 of ~1,000,000 lines" in shown
    bar.info = TitleInfo(loaded=100)
    assert "indexed" not in bar.render().plain
