"""The suite's one fake clock: it stands still unless a test moves it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

# 2026-04-17T10:25:00Z, the "now" of every screen test: the same times on screen every run.
FIXED_NOW = 1_776_421_500.0
FIXED_NOW_MS = int(FIXED_NOW * 1000)

# The "now" of the demo-server and tail tests (their data was made around it).
NOW = 1_790_000_000.0
NOW_MS = int(NOW * 1000)


class FakeClock:
    """A clock in epoch seconds that moves only when told to.

    Call it for the time. Set ``now``, or await ``sleep``, to move it: ``sleep`` advances
    it instead of waiting, so a loop that sleeps between polls runs at once. A ``frozen``
    clock cannot be moved at all, so one instance may be shared by every test.
    """

    def __init__(self, now: float = NOW, *, frozen: bool = False) -> None:
        self._now = now
        self.frozen = frozen

    @property
    def now(self) -> float:
        return self._now

    @now.setter
    def now(self, value: float) -> None:
        if self.frozen:
            raise AttributeError("a frozen FakeClock cannot be moved")
        self._now = value

    def __call__(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds

    def __repr__(self) -> str:
        return f"FakeClock({self._now!r}{', frozen=True' if self.frozen else ''})"


# Shared by the screen tests and the frozen demo servers.
fixed_clock = FakeClock(FIXED_NOW, frozen=True)


@contextmanager
def local_zone(name: str) -> Iterator[None]:
    """Local time is ``name``'s inside (TZ=name, as a user would set it), the machine's
    again after."""
    try:
        with mock.patch.dict(os.environ, {"TZ": name}):
            time.tzset()
            yield
    finally:
        time.tzset()
