"""Issue 14 item 11: a meta-tool parent opened with Enter listed none of its children and
there was no way back. Its Summary lists them (status, duration); Enter opens one;
Backspace goes back, like a browser."""

from __future__ import annotations

from textual.widgets import OptionList

from tests.clock import FIXED_NOW_MS
from tests.tui.pilot import settle
from tests.tui.test_detail_pane import pane, summary
from tui.ui.widgets.log_table import LogTable

META = "COMPOSIO_MULTI_EXECUTE_TOOL"
LIST = "/api/v3.1/logs/tool_execution"


def add_family(server) -> tuple[dict, list[dict]]:
    start = FIXED_NOW_MS - 60_000
    parent = server.add_log(
        tool_slug=META, toolkit_slug="composio", user_id="alice", status="success",
        timestamp_ms=start, duration_ms=5_000,
    )  # fmt: skip
    link = {"log_id": parent["id"], "tool_slug": META}
    children = [
        server.add_log(
            tool_slug="GMAIL_SEND_EMAIL", user_id="alice", status="success", parent=link,
            timestamp_ms=start + 1_000, duration_ms=300,
        ),
        server.add_log(
            tool_slug="SLACK_SEND_MESSAGE", user_id="alice", failure="unauthorized", parent=link,
            timestamp_ms=start + 2_000, duration_ms=1_250,
        ),
    ]  # fmt: skip
    # Alice's own call in the same second, made by no meta tool: not a child.
    server.add_log(tool_slug="GMAIL_FETCH_EMAILS", user_id="alice", timestamp_ms=start + 3_000)
    return parent, children


def list_requests(server) -> int:
    return sum(1 for r in server.requests if r.path == LIST)


async def test_a_parent_lists_its_children_enter_opens_one_backspace_comes_back(
    app_factory, demo_server
):
    parent, children = add_family(demo_server)
    app = app_factory()
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(app, pilot)
        table = app.query_one(LogTable)
        table.move_cursor(app.session.store.index_of_id(parent["id"]))
        await pilot.press("enter")
        await settle(app, pilot)
        await settle(app, pilot)
        assert pane(app).log_id == parent["id"]
        listed = app.query_one("#detail-children", OptionList)
        assert [listed.get_option_at_index(i).id for i in range(listed.option_count)] == [
            child["id"] for child in children
        ]
        lines = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert lines[0].startswith("ok") and "GMAIL_SEND_EMAIL" in lines[0] and "300ms" in lines[0]
        assert lines[1].startswith("FAILED") and "1.25s" in lines[1]
        assert "calls it made (2)" in str(app.query_one("#detail-children-head").render())

        for _ in range(4):  # Tab from the table into the pane, to the list
            if listed.has_focus:
                break
            await pilot.press("tab")
        assert listed.has_focus
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert pane(app).log_id == children[1]["id"]
        assert "parent" in summary(app) and parent["id"] in summary(app)
        asked = list_requests(demo_server)

        await pilot.press("backspace")
        await settle(app, pilot)
        assert pane(app).log_id == parent["id"]
        assert listed.option_count == 2  # from what was found before: no new request
        assert list_requests(demo_server) == asked

        # Backspace with nothing to go back to does nothing (and F1 does not offer it).
        keys = {b.key for _, b, enabled, _ in app.active_bindings.values() if enabled}
        assert "backspace" not in keys
