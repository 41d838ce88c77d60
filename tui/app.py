"""ToolwatchApp: settings, the log source, polling, and the main screen.

The harlequin rule holds here: network I/O runs in workers, workers post
messages, and the handlers below (on the event loop) change the store and the
screen. Nothing in a worker touches a widget.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.timer import Timer

from tui.config import Settings
from tui.messages import LogsArrived, PollFailed
from tui.screens.main import MainScreen
from tui.sources.base import LogSource
from tui.sources.composio import ComposioClient
from tui.sources.errors import ApiError, AuthError, ForbiddenError
from tui.store import LogStore
from tui.tail import LiveTail
from tui.widgets.status_line import StatusInfo


def styles_dir() -> Path:
    """The stylesheets: inside the package when installed, top-level styles/ in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "styles", here.parent / "styles"):
        if (candidate / "app.tcss").is_file():
            return candidate
    raise FileNotFoundError(f"toolwatch's stylesheets are missing (looked beside {here})")


class ToolwatchApp(App[None]):
    TITLE = "toolwatch"
    CSS_PATH = str(styles_dir() / "app.tcss")
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+r", "poll_now", "Refresh", show=False, id="app.refresh"),
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        source: LogSource | None = None,
        store: LogStore | None = None,
        clock: Callable[[], float] = time.time,
        poll_on_interval: bool = True,
        source_label: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.clock = clock
        self.store = store if store is not None else LogStore()
        # Neither needs a running loop to be built; building them here keeps
        # them non-optional for every handler below.
        self._source: LogSource = source or ComposioClient(
            api_key=settings.api_key.reveal(), base_url=settings.base_url
        )
        self._tail = LiveTail(self._source, clock=clock)
        self._poll_timer: Timer | None = None
        self._poll_on_interval = poll_on_interval
        self._polling = False
        self._status = StatusInfo(source=source_label or self._describe_source())
        self.main_screen = MainScreen(self.store, tz=settings.tz)

    def _describe_source(self) -> str:
        where = self._source.description
        return f"demo {where}" if self.settings.demo else where

    # -- lifetime -----------------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        return self.main_screen

    def on_mount(self) -> None:
        self._set_status(self._status)
        self.poll_now()
        if self._poll_on_interval:
            self._poll_timer = self.set_interval(self.settings.poll_interval, self.poll_now)

    async def on_unmount(self) -> None:
        await self._source.aclose()
        self.store.close()

    # -- polling --------------------------------------------------------------------

    def action_poll_now(self) -> None:
        self.poll_now()

    def poll_now(self) -> None:
        # One request in flight at a time: a slow server must not pile up polls.
        if not self._polling:
            self._polling = True
            self._poll()

    @work(group="poll", exit_on_error=False)
    async def _poll(self) -> None:
        try:
            batch = await self._tail.poll_once()
        except ApiError as error:
            self.post_message(PollFailed(error, self.clock()))
        else:
            self.post_message(LogsArrived(batch))
        finally:
            self._polling = False

    def on_logs_arrived(self, message: LogsArrived) -> None:
        batch = message.batch
        result = self.store.add(batch.entries)
        if result.added:
            self.main_screen.table.rows_added()
        error = None
        if batch.skipped:
            error = f"skipped {len(batch.skipped)} unreadable log(s): {batch.skipped[0]}"
        self._set_status(
            self._status.with_(
                state="live",
                loaded=len(self.store),
                failed=self._status.failed + result.failed,
                last_poll=batch.polled_at,
                error=error,
            )
        )

    def on_poll_failed(self, message: PollFailed) -> None:
        error = message.error
        fatal = isinstance(error, AuthError | ForbiddenError)
        if fatal and self._poll_timer is not None:
            # Retrying a rejected key only repeats the rejection: stop and say what to fix.
            self._poll_timer.stop()
            self._poll_timer = None
        text = f"{error.title}: {error.hint}" if error.hint else str(error)
        self._set_status(self._status.with_(state="stopped" if fatal else "error", error=text))

    def _set_status(self, info: StatusInfo) -> None:
        self._status = info
        if self.main_screen.is_mounted:
            self.main_screen.show_status(info)
