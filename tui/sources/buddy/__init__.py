"""Buddy.works as a source (shared/research/buddy-contract.md): the client (A.1–A.6),
the rows (one per action execution) and the source that polls them."""

from tui.sources.buddy.client import BuddyClient
from tui.sources.buddy.source import BuddySource

__all__ = ["BuddyClient", "BuddySource"]
