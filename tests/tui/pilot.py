"""Helpers shared by the pilot tests (and the snapshot tests)."""

from __future__ import annotations

from typing import Any

from textual.app import App

# Far more rounds than any screen needs (a detail, then its JSON views, is three).
MAX_SETTLE_ROUNDS = 50


async def settle(app: App[Any], pilot: Any) -> None:
    """Let every worker finish and the messages it posted be handled, until none is left.

    A handler may start another worker (the first poll starts when the screen says it is
    ready; an opened detail lays out its JSON in threads), so one wait is not enough on a
    slow machine: wait and pause again until a whole round began and ended with no worker.
    """
    for _ in range(MAX_SETTLE_ROUNDS):
        busy = bool(app.workers)
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not busy and not app.workers:
            return
    raise AssertionError(f"the app still had workers after {MAX_SETTLE_ROUNDS} rounds")
