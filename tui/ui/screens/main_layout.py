"""How the main screen lays out for the terminal's width, and the table's configured
columns."""

from __future__ import annotations

from tui.config import read_config, table_columns
from tui.errors import ConfigError
from tui.locations import config_path
from tui.ui.widgets.log_rows import comfortable_width

# The sidebar's width (filter_sidebar.py's CSS): it opens by default only when the table
# beside it keeps comfortable_width (time, status, a 48-cell tool, user, duration and
# 20 cells of message), so at 120 columns it starts hidden and the tool reads whole.
SIDEBAR_WIDTH = 26
# Wider than this, the detail pane opens beside the table; up to it, under the table
# (at 120 columns, with the sidebar, side by side leaves neither enough room).
STACKED_UP_TO_WIDTH = 120


def sidebar_fits(width: int, columns: tuple[str, ...]) -> bool:
    """Whether the sidebar opens by default beside a table of ``columns``."""
    return width - SIDEBAR_WIDTH >= comfortable_width(columns)


def body_classes(width: int) -> str:
    """The detail pane beside the table, or under it (-stacked)."""
    return "" if width > STACKED_UP_TO_WIDTH else "-stacked"


def configured_columns() -> tuple[tuple[str, ...] | None, str | None]:
    """``[table] columns`` from config.toml (None: not set, the source's kind's defaults),
    and what is wrong with it (None: nothing). An unreadable file is the keymap's to
    report; the table then has its defaults."""
    path = config_path()
    try:
        table = read_config(path).get("table", {})
    except ConfigError:
        table = {}
    value = table.get("columns") if isinstance(table, dict) else None
    return (None, None) if value is None else table_columns(value, str(path))
