"""Only keys that do something where F1 is opened.

Textual's scrolling widgets (containers, inputs, lists, the table) each carry the same
ten scroll bindings, so F1 listed "← Scroll Left" and "^pgdn Page Right" on a table
that cannot scroll sideways, and "Scroll Up" on a one-line input. A screen's
``active_bindings`` (what F1 and the footer list; keys are dispatched by another path)
drops a scroll binding whose widget cannot scroll that way now.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import ActiveBinding
from textual.widget import Widget

SIDEWAYS = frozenset({"scroll_left", "scroll_right", "page_left", "page_right"})
UP_AND_DOWN = frozenset(
    {"scroll_up", "scroll_down", "page_up", "page_down", "scroll_home", "scroll_end"}
)


def does_something(active: ActiveBinding) -> bool:
    """False for a scroll binding of a widget that cannot scroll that way."""
    node, action = active.node, active.binding.action
    if not isinstance(node, Widget):
        return True
    if action in SIDEWAYS:
        return node.max_scroll_x > 0 and node.styles.overflow_x != "hidden"
    if action in UP_AND_DOWN:
        return node.max_scroll_y > 0 and node.styles.overflow_y != "hidden"
    return True


def working(bindings: Mapping[str, ActiveBinding]) -> dict[str, ActiveBinding]:
    return {key: active for key, active in bindings.items() if does_something(active)}
