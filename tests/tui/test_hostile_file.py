"""Issue 13 §1 and §2 on screen: a file (``--file``) whose logs hold numbers, times and
nesting out of range opens, and shows every one of those logs as what it is."""

from __future__ import annotations

import json
from typing import Any

from textual.widgets import TabbedContent

from tests.api_examples import example_log
from tests.tui.pilot import screen_showing, settle
from tests.tui.test_detail_pane import open_newest, summary
from tests.tui.test_file_replay import file_app, shown_ids, write_lines
from tui import fmt, jsontree
from tui.ui.widgets.detail_pane import DetailPane
from tui.ui.widgets.json_view import JsonView

TIME = "2026-04-17T10:00:00Z"


def hostile(log_id: str, **changes: Any) -> dict[str, Any]:
    return {**example_log(), "id": log_id, "timestamp": TIME, **changes}


async def test_a_file_of_hostile_values_opens_and_shows_every_log(demo_server, tmp_path):
    lines = [
        json.dumps(hostile("log_dur_2_63", metrics={"duration_ms": 2**63})),
        json.dumps(hostile("log_dur_1e300", metrics={"duration_ms": 1e300})),
        json.dumps(hostile("log_dur_nan", metrics={"duration_ms": float("nan")})),
        json.dumps(hostile("log_dur_text", metrics={"duration_ms": "9" * 30})),
        json.dumps(hostile("log_year_1", timestamp="0001-01-01T00:00:00Z")),
        json.dumps(hostile("log_year_10000", timestamp="253402300800000")),
        json.dumps(hostile("log_bigint", data="BIG")).replace('"BIG"', "7" * 5000),
        json.dumps(hostile("log_inf", data="INF")).replace('"INF"', "1e400"),
        json.dumps(hostile("log_deep", data="DEEP")).replace('"DEEP"', "[" * 10_000 + "]" * 10_000),
    ]
    path = tmp_path / "hostile.jsonl"
    write_lines(path, lines)
    app = file_app(demo_server, path)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        ids = [json.loads(line.replace("7" * 5000, "7"))["id"] for line in lines[:-1]]
        assert sorted(shown_ids(app)) == sorted([*ids, "log_deep"])
        shot = app.export_screenshot()
        assert fmt.BAD_TIME.replace(" ", "&#160;") in shot
        assert "toolwatch hit a bug" not in shot
        store = app.session.store
        deep_row = store.index_of_id("log_deep")
        assert deep_row is not None
        for _ in range(deep_row):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(DetailPane).display
        app.query_one(TabbedContent).active = "tab-json"
        await settle(app, pilot)
        lines = app.query_one("#detail-json", JsonView).lines
        assert any("log_deep" in line for line in lines)
        assert any(jsontree.DEEPER_MARKER in line for line in lines)


async def test_the_summary_says_a_duration_or_time_is_bad(demo_server, tmp_path):
    path = tmp_path / "bad.jsonl"
    write_lines(
        path,
        [
            json.dumps(hostile("log_dur", metrics={"duration_ms": 2**63})),
            json.dumps(hostile("log_year_1", timestamp="0001-01-01T00:00:00Z")),
        ],
    )
    app = file_app(demo_server, path)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)  # log_dur; log_year_1 sorts oldest
        text = summary(app)
        assert "invalid (see the JSON tab)" in text
        await pilot.press("down")
        await settle(app, pilot)
        await settle(app, pilot)
        assert "bad time" in summary(app)


async def test_glyphs_wider_than_their_cell_are_drawn_as_escapes(demo_server, tmp_path):
    """Issue 13 §8: a terminal that draws 𒐫 or ﷽ wider than one cell shifts the rest of
    the row and, beside the detail pane at 200x50, wraps and hides one of the pane's
    lines. On screen they are escapes; the raw value is kept for copy and export."""
    wide_tool = "GMAIL_\U0001242b_\ufdfd"
    marks = "\u0337\u0322\u031b\u031b"
    lines = [
        json.dumps(hostile("log_plain", timestamp="2026-04-17T09:00:00Z")),
        json.dumps(hostile("log_wide", message="failed \U0001242b\ufdfd Z" + marks)),
    ]
    lines[1] = lines[1].replace("GMAIL_SEND_EMAIL", wide_tool)
    path = tmp_path / "wide.jsonl"
    write_lines(path, lines)
    app = file_app(demo_server, path)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_newest(app, pilot)
        shot = await screen_showing(app, pilot, "log id", "GMAIL_\\U0001242b_\\ufdfd")
        assert "\U0001242b" not in shot and "\ufdfd" not in shot
        assert "\u031b" not in shot  # the third and fourth stacked marks are gone
        entry = app.session.store.entry_by_id("log_wide")
        assert entry is not None and wide_tool in json.dumps(entry.raw, ensure_ascii=False)
