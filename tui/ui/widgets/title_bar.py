"""TitleBar: what the table shows, how much of it is loaded, and new rows out of view."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from tui.sanitize import clean
from tui.session.state import TitleInfo

# What a narrow title says of a query applied here, not by the API (Buddy's runs).
SHORT_FILTERED = "filtered here"


class TitleBar(Static):
    DEFAULT_CSS = """
    TitleBar { height: 1; background: $primary-background; color: $text; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.info = TitleInfo()

    def show(self, info: TitleInfo) -> None:
        self.info = info
        self.refresh()

    def on_resize(self) -> None:
        self.refresh()

    def render(self) -> Text:
        info = self.info
        width = self.content_region.width or 80
        right = self._right(info, info.filtered)
        room = width - cell_len(right.plain) - 1
        if room < 24 and info.filtered:
            # Narrow: the query keeps its room; "filtered here" still says where.
            right = self._right(info, SHORT_FILTERED)
            room = width - cell_len(right.plain) - 1
        if room < 12:
            return right  # the counts matter more than the name on a narrow screen
        left = self._left(info, room)
        left.truncate(room, overflow="ellipsis")
        left.pad_right(width - cell_len(left.plain) - cell_len(right.plain))
        return Text.assemble(left, right, no_wrap=True)

    @staticmethod
    def _left(info: TitleInfo, room: int) -> Text:
        """``toolwatch · SOURCE · QUERY``: the source whole (``prod · composio · host``)
        when all of it fits, else by its name alone, so the query keeps the room."""
        what = clean(info.what)
        forms: list[str | None] = [None]
        if info.source:
            forms = [clean(info.source), clean(info.source).split(" · ", 1)[0]]
        for source in forms:
            named: tuple[str | tuple[str, str], ...] = (" · ", (source, "bold")) if source else ()
            left = Text.assemble(("toolwatch", "bold"), *named, " · ", what)
            if cell_len(left.plain) <= room:
                break
        return left

    @staticmethod
    def _right(info: TitleInfo, filtered: str) -> Text:
        right = Text()
        if info.unseen:
            right.append(f" +{info.unseen:,} new ", "bold reverse yellow")
            right.append(" f follows · ")
        right.append(f"{info.loaded:,} loaded", "bold")
        if filtered:
            right.append(f" · {filtered}", "italic")
        if info.progress:
            right.append(f" · {info.progress}", "italic")
        if info.loading_older:
            right.append(" · loading older…", "italic")
        elif info.more_older:
            right.append(" · more available")
        elif info.more_older is False:
            right.append(" · all loaded")
        return right
