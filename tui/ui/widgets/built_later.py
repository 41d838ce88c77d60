"""Children composed when first needed, not at start (issue 15, "first rows on screen").

The filter sidebar and the detail pane are hidden at start on most terminals, yet their
children are half of the screen's widgets: styling and mounting them delayed the first
rows. A ``BuiltLater`` widget composes its children only when it is first shown, or when
``build`` is called (the screen calls it once the first rows are drawn, one widget after
the other with a repaint between, so the first open is instant all the same); shown from
the start, it composes them at once.

Until the children exist, the widget stays in the DOM (the screen queries it as before)
and its methods keep working: each says what it would draw through ``draw``, which draws
at once when built and otherwise remembers the latest drawing of each kind, in the order
they came, to be drawn when built. Textual's ``Lazy`` was measured and not taken: it keeps
the widget itself out of the DOM until mounted (every query of it fails meanwhile) and
mounts it on the first refresh whether the rows have arrived or not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:  # a mixin: Textual's CSS follows the first DOM base (VerticalScroll, Vertical)
    _Base = object

BUILD_GROUP = "build"  # the worker that composes the children


class BuiltLater(_Base):
    """Mix into a widget before its Textual base; implement ``compose_children`` (instead
    of ``compose``) and, for what needs the children mounted, ``on_built``."""

    _build_started = False
    _built = False
    _pending: dict[str, Callable[[], None]] | None = None

    def compose(self) -> ComposeResult:
        if self.display:
            self._build_started = True  # shown from the start: composed now, as before
        if self._build_started:
            yield from self.compose_children()

    def compose_children(self) -> ComposeResult:
        raise NotImplementedError

    def on_built(self) -> None:
        """The children are mounted (before the remembered drawings are drawn)."""

    @property
    def built(self) -> bool:
        """Whether the children are mounted (and draw at once)."""
        return self._built

    def build(self, then: Callable[[], None] | None = None) -> None:
        """Compose the children now, in a worker (nothing if they are or are coming);
        ``then``: called after a refresh once they are."""
        if self._build_started or not self.is_attached:
            if then is not None:
                self.call_after_refresh(then)
            return
        self._build_started = True
        self.run_worker(self._build(then), group=BUILD_GROUP)

    async def _build(self, then: Callable[[], None] | None) -> None:
        await self.recompose()
        if not (self.app.is_running and self.is_attached and self.children):
            return  # the app is closing: what was composed may be gone already
        self._finished()
        if then is not None:
            self.call_after_refresh(then)

    def on_mount(self) -> None:
        if self._build_started:  # composed with the widget
            self._finished()

    def on_show(self) -> None:
        self.build()

    def _finished(self) -> None:
        self._built = True
        self.on_built()
        pending, self._pending = self._pending or {}, None
        for drawing in pending.values():
            drawing()

    def draw(self, kind: str, drawing: Callable[[], None]) -> None:
        """Draw now if built, else remember it (it replaces the last one of its ``kind``
        and goes after every other remembered one, as it came after them)."""
        if self._built:
            drawing()
            return
        if self._pending is None:
            self._pending = {}
        self._pending.pop(kind, None)
        self._pending[kind] = drawing
