"""StatusLine: one line that always says what is happening.

Where the data comes from, whether it is live, how many logs are loaded, when
the last poll was, and any error in words with what to do about it. Built from
``Text`` parts, never markup: error texts quote server messages.
"""

from __future__ import annotations

import math
from datetime import tzinfo

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tui import fmt
from tui.sanitize import clean
from tui.session.state import State, StatusInfo

_BADGES: dict[State, tuple[str, str]] = {
    "connecting": ("◌ connecting", "bold yellow"),
    "live": ("● live", "bold green"),
    "paused": ("❚❚ paused", "bold yellow"),
    "retrying": ("↻ retrying", "bold yellow"),
    "error": ("▲ error", "bold red"),
    "stopped": ("■ stopped", "bold red"),
}


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    info: reactive[StatusInfo | None] = reactive(None)

    def __init__(self, *, tz: tzinfo | None = None, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._tz = tz

    def watch_info(self, info: StatusInfo | None) -> None:
        self.update(self.render_info(info) if info else Text(""))

    def render_info(self, info: StatusInfo) -> Text:
        badge, badge_style = _BADGES[info.state]
        if info.state == "retrying" and info.retry_at is not None and info.now is not None:
            badge = f"↻ retrying in {max(0, math.ceil(info.retry_at - info.now))} s"
        elif info.state == "paused":
            badge = "❚❚ paused (p resumes)"
        parts: list[tuple[str, str] | str] = [(badge, badge_style), " · "]
        if info.note:
            parts += [(info.note, "yellow"), " · "]
        parts.append(clean(info.source))
        parts += [" · ", (f"{info.loaded:,}", "bold"), " logs"]
        if info.failed:
            parts += [", ", (f"{info.failed:,} failed", "red")]
        if info.last_poll is not None:
            stamp = fmt.clock_time(round(info.last_poll * 1000), self._tz)
            parts += [" · polled ", stamp]
        if info.gap:
            parts += [" · ", (clean(info.gap, max_len=200), "bold yellow")]
        if info.skipped:
            first = clean(info.first_skipped or "", max_len=160)
            more = f" (+{info.skipped - 1:,} more)" if info.skipped > 1 else ""
            parts += [" · ", (f"skipped unreadable: {first}{more}", "yellow")]
        if info.error:
            parts += [" · ", (clean(info.error, max_len=300), "red")]
        return Text.assemble(*parts, no_wrap=True, overflow="ellipsis")
