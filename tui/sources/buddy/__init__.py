"""Buddy.works as a source (shared/research/buddy-contract.md): the client (A.1–A.6),
the rows (one per action execution) and the source that polls them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.sources.buddy.client import BuddyClient
    from tui.sources.buddy.source import BuddySource

__all__ = ["BuddyClient", "BuddySource"]


def __getattr__(name: str) -> Any:
    """The client and source on first use: ``tui.sources.buddy.rows`` (which the headless
    tail reads) is then had without httpx."""
    if name == "BuddyClient":
        from tui.sources.buddy.client import BuddyClient

        return BuddyClient
    if name == "BuddySource":
        from tui.sources.buddy.source import BuddySource

        return BuddySource
    raise AttributeError(name)
