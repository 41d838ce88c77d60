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
        # The table shows the error in full (it has no rows): one short line here.
        self.error_in_table = False

    def show(self, info: StatusInfo, *, error_in_table: bool = False) -> None:
        self.error_in_table = error_in_table
        self.set_reactive(StatusLine.info, info)
        self.watch_info(info)

    def watch_info(self, info: StatusInfo | None) -> None:
        self.update(self.render_info(info) if info else Text(""))

    def render_info(self, info: StatusInfo) -> Text:
        badge, badge_style = _BADGES[info.state]
        if info.state == "retrying" and info.retry_at is not None and info.now is not None:
            badge = f"↻ retrying in {max(0, math.ceil(info.retry_at - info.now))} s"
        elif info.state == "paused":
            badge = "❚❚ paused (p resumes)"
        parts: list[tuple[str, str] | str] = [(badge, badge_style)]
        if info.error:
            # Right after the badge: the fix must not be the part a narrow line cuts.
            if self.error_in_table:
                parts += [": ", (f"{headline(info.error)} — see the table", "red")]
            else:
                parts += [": ", (clean(info.error, max_len=300), "red")]
        if info.note:
            parts += [" · ", (info.note, "yellow")]
        parts += [" · ", clean(info.source)]
        parts += [" · ", (f"{info.loaded:,}", "bold"), " " + fmt.noun_for(info.loaded, "log")]
        if info.failed:
            parts += [", ", (f"{info.failed:,} failed", "red")]
        if info.last_poll is not None:
            polled_ms = round(info.last_poll * 1000)
            stamp = fmt.clock_time(polled_ms, self._tz)
            # The zone every time on screen is in, and typed times are read in.
            parts += [" · polled ", stamp, " ", fmt.zone_name(self._tz, polled_ms)]
        if info.gap:
            parts += [" · ", (clean(info.gap, max_len=200), "bold yellow")]
        if info.skipped:
            first = clean(info.first_skipped or "", max_len=160)
            more = f" (+{info.skipped - 1:,} more)" if info.skipped > 1 else ""
            parts += [" · ", (f"skipped unreadable: {first}{more}", "yellow")]
        return Text.assemble(*parts, no_wrap=True, overflow="ellipsis")


def headline(error: str) -> str:
    """``authentication failed (HTTP 401)``: an error's first clause, to point at the
    place that shows the whole of it."""
    head = clean(error, max_len=300).split(": ", 1)[0].split(". ", 1)[0]
    return head[:1].lower() + head[1:]
