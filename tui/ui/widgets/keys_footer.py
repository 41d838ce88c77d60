"""The footer of keys, composed again only when what it shows has changed (issue 15).

Textual's Footer composes its keys anew after every change of bindings, and a change of
focus is two of them (three at start, while the first rows arrive): each takes tens of
milliseconds and holds every repaint meanwhile. What it composes is read from the
screen's active bindings (and its own settings), so a recompose that would compose the
very same keys is skipped.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    _composed: tuple[object, ...] | None = None  # what the keys on show were composed from

    def _shown(self) -> tuple[object, ...]:
        """What compose reads: the bindings it shows (enabled or not), the palette's key,
        and the footer's settings."""
        active = self.screen.active_bindings
        shown = tuple(
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        palette_key = None if palette is None else palette[1:]
        return (shown, palette_key, self.compact, self.show_command_palette, self.combine_groups)

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._shown()
        if shown == self._composed:
            return  # asked again for the same keys (another change of focus, say)
        self._composed = shown
        await super().recompose()
