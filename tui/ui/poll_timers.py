"""The poll interval, and the backoff that stands in for it after a failed poll."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.timer import Timer


class PollTimers:
    """Polls every ``interval`` seconds; after a failure, one retry after the session's
    delay with a countdown ticking each second, and the interval again once a poll
    succeeds. ``enabled`` False (tests, screenshots): polls happen only when asked, and a
    failure schedules no retry, so every run sees the same screen."""

    def __init__(
        self,
        app: App[Any],
        *,
        interval: float,
        poll: Callable[[], None],
        tick: Callable[[], None],
        enabled: bool = True,
    ) -> None:
        self._app = app
        self._interval = interval
        self._poll = poll
        self._tick = tick
        self.enabled = enabled
        self._poll_timer: Timer | None = None
        self._retry_timer: Timer | None = None
        self._countdown: Timer | None = None

    @property
    def on_interval(self) -> bool:
        return self._poll_timer is not None

    @property
    def retry_scheduled(self) -> bool:
        return self._retry_timer is not None

    def start(self) -> None:
        if self.enabled and self._poll_timer is None:
            self._poll_timer = self._app.set_interval(self._interval, self._poll)

    def stop(self) -> None:
        self._stop_retry()
        if self._poll_timer is not None:
            self._poll_timer.stop()
            self._poll_timer = None

    def back_off(self, delay: float) -> None:
        """The regular interval waits until a poll succeeds again; one retry is set."""
        if not self.enabled:
            return
        self.stop()
        self._retry_timer = self._app.set_timer(delay, self.retry_now)
        self._countdown = self._app.set_interval(1.0, self._tick)

    def retry_now(self) -> None:
        """The wait is over (or a test says so): poll again. The countdown runs on until
        the answer: a success then puts polling back on the interval."""
        if self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        self._poll()

    def end_backoff(self) -> None:
        """A retry is no longer wanted: stop it and its countdown, poll on the interval."""
        if self._retry_timer is not None or self._countdown is not None:
            self._stop_retry()
            self.start()

    def _stop_retry(self) -> None:
        for timer in (self._retry_timer, self._countdown):
            if timer is not None:
                timer.stop()
        self._retry_timer = self._countdown = None
