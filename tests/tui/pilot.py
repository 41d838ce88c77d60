"""Helpers shared by the pilot tests (and the snapshot tests)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import Notification

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


# A tab switch or a resize is drawn on the next refresh, which a loaded machine may
# deliver late; waiting for the words themselves is exact, and the bound keeps a real
# failure from hanging the run.
SHOWING_TIMEOUT_S = 10.0


async def screen_showing(app: App[Any], pilot: Any, *words: str) -> str:
    """The screen's text once every one of ``words`` is on it (AssertionError after 10 s)."""
    import time

    deadline = time.monotonic() + SHOWING_TIMEOUT_S
    while True:
        shot = app.export_screenshot()
        plain = shot.replace("&#160;", " ")
        if all(word in plain for word in words):
            return plain
        if time.monotonic() > deadline:
            missing = [word for word in words if word not in plain]
            raise AssertionError(f"the screen never showed {missing}")
        await pilot.pause(0.05)


def toasts(app: App[Any]) -> list[Notification]:
    """The notifications the app has shown and not yet dismissed, oldest first. Textual
    offers no public way to read them; this is the one place that looks inside."""
    return list(app._notifications)


async def built(app: App[Any], pilot: Any, *widgets: Any) -> None:
    """Wait (10 s at most) for the children of ``widgets`` (``BuiltLater``: the sidebar,
    the detail pane) to be composed, then drawn. The screen builds the hidden ones a
    moment after the first rows, on a timer that ``settle`` does not wait for."""
    import time

    deadline = time.monotonic() + SHOWING_TIMEOUT_S
    while not all(widget.built for widget in widgets):
        assert time.monotonic() < deadline, "never built"
        await pilot.pause(0.05)
    await settle(app, pilot)


class LoopStalls:
    """How long the event loop went without running a task that asks to run every 2 ms:
    what a key pressed then would have waited. Start it inside the running app."""

    TICK_S = 0.002

    def __init__(self) -> None:
        import asyncio
        import time

        self._clock = time.perf_counter
        self.stalls: list[tuple[float, float]] = []  # (from, to) of each wait past a tick
        self._task = asyncio.get_running_loop().create_task(self._tick())

    async def _tick(self) -> None:
        import asyncio

        last = self._clock()
        while True:
            await asyncio.sleep(self.TICK_S)
            now = self._clock()
            self.stalls.append((last, now))
            last = now

    def longest(self, *, until: float) -> float:
        """The longest stall before ``until`` (a ``time.perf_counter`` reading); a stall
        that goes on past it counts up to it."""
        self._task.cancel()
        return max(
            (min(end, until) - start for start, end in self.stalls if start < until), default=0.0
        )
