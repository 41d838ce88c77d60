"""A meta-tool call's children: the calls it made (``COMPOSIO_MULTI_EXECUTE_TOOL`` runs
several tools, each logged on its own with ``parent.log_id`` set to the meta call's id).

The Logs API has no filter on the parent (its fields are tool, toolkit, user, session,
account, auth config, sandbox, request, status and log id), so the children are found
the way they were made: by the same user, inside the parent's own time span, which they
ran within; of those logs, the ones whose parent is this call. A few pages at most.
No Textual; the screen calls this from a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.models.entry import LogEntry
from tui.query import Filter, LogQuery, TimeRange
from tui.sources.base import LogSource

if TYPE_CHECKING:  # the call model is loaded with the first detail (issue 15)
    from tui.models.call import CallDetail

META_TOOLKIT = "composio"  # the toolkit of Composio's meta tools (COMPOSIO_MULTI_EXECUTE_TOOL…)
CHILD_PAGE = 100
MAX_CHILD_PAGES = 5  # 500 logs of one user inside one call's span: far more than it made
# A call whose end was not logged: its children are looked for this long after its start.
UNKNOWN_SPAN_MS = 10 * 60_000


def is_meta_tool(call: CallDetail) -> bool:
    """Whether ``call`` is one of Composio's meta tools, which run other tools."""
    return call.toolkit.lower() == META_TOOLKIT or call.tool.upper().startswith("COMPOSIO_")


async def find_children(source: LogSource, call: CallDetail) -> list[LogEntry]:
    """The logs whose parent is ``call``, oldest first (empty when its start is unknown)."""
    if call.started_ms is None:
        return []
    end = call.ended_ms if call.ended_ms is not None else call.started_ms + UNKNOWN_SPAN_MS
    filters = (Filter("user_id", "==", call.user_id),) if call.user_id else ()
    span = TimeRange(call.started_ms, max(end, call.started_ms))
    query = LogQuery(filters=filters, time_range=span)
    found: dict[str, LogEntry] = {}
    cursor: str | None = None
    for _ in range(MAX_CHILD_PAGES):
        page = await source.list_logs(query, limit=CHILD_PAGE, cursor=cursor)
        for entry in page.entries:
            if entry.parent_log_id == call.log_id:
                found[entry.id] = entry
        cursor = page.next_cursor
        if not cursor:
            break
    return sorted(found.values(), key=lambda entry: (entry.timestamp_ms, entry.id))
