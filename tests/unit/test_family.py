"""tui.family: a meta-tool call's children, found by user and time span, page after page."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from tests.unit.test_call_detail import END, START, build, detail_wire
from tui.family import find_children, is_meta_tool
from tui.models.entry import LogEntry
from tui.query import LogQuery
from tui.sources.base import LogPage


class PagedSource:
    """Serves ``pages`` in turn and records what it was asked."""

    def __init__(self, pages: list[list[LogEntry]]) -> None:
        self.pages = pages
        self.asked: list[tuple[LogQuery, str | None]] = []

    async def list_logs(self, query: LogQuery, *, limit: int = 100, cursor: str | None = None):
        self.asked.append((query, cursor))
        index = int(cursor or 0)
        more = str(index + 1) if index + 1 < len(self.pages) else None
        return LogPage(self.pages[index], more)


def entry(log_id: str, ms: int, parent: str | None) -> LogEntry:
    return LogEntry(id=log_id, timestamp_ms=ms, parent_log_id=parent, user_id="alice")


def test_children_are_the_logs_whose_parent_it_is_on_every_page_oldest_first():
    metadata = {"tool_slug": "COMPOSIO_MULTI_EXECUTE_TOOL", "toolkit_slug": "composio"}
    meta = build(detail_wire(metadata={**metadata, "user_id": "alice"}))
    assert is_meta_tool(meta)
    source = PagedSource(
        [
            [entry("late", START + 50, meta.log_id), entry("stranger", START + 40, None)],
            [entry("early", START + 10, meta.log_id), entry("cousin", START + 20, "log_other")],
        ]
    )
    children = asyncio.run(find_children(source, meta))  # type: ignore[arg-type]
    assert [child.id for child in children] == ["early", "late"]
    query, _ = source.asked[0]
    assert [(f.field, f.value) for f in query.filters] == [("user_id", "alice")]
    assert query.time_range is not None
    assert (query.time_range.from_ms, query.time_range.to_ms) == (START, END)
    assert [cursor for _, cursor in source.asked] == [None, "1"]


def test_a_call_whose_start_is_unknown_has_no_children_to_look_for():
    call = replace(build(), started_ms=None)
    source = PagedSource([[]])
    assert asyncio.run(find_children(source, call)) == []  # type: ignore[arg-type]
    assert source.asked == []
    assert not is_meta_tool(build())
