"""ToolwatchApp: timers, workers and the main screen around a Textual-free Session.

The harlequin rule holds here: network I/O runs in workers, workers post messages,
and the handlers below (on the event loop) ask the session what an answer means and
draw what it says. Nothing in a worker touches a widget; no decision lives here that
a headless command could need.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.worker import Worker, WorkerState

from tui.clipboard import copy_text, native_copy
from tui.config import Settings
from tui.debuglog import internal_error
from tui.errors import ConfigError
from tui.locations import styles_dir
from tui.query import LogQuery
from tui.session import WAITING, Purpose, Session
from tui.sources.base import LogSource
from tui.sources.open import open_source
from tui.store import LogStore
from tui.ui.actions import ACTIONS, action_ids, bindings
from tui.ui.commands import GuardedPalette, ToolwatchCommands
from tui.ui.copy_actions import CopyActions
from tui.ui.copy_keys import CopyKeys
from tui.ui.crash_reporting import CrashReportingApp
from tui.ui.diff_keys import DiffKeys
from tui.ui.early_answers import EarlyAnswers
from tui.ui.keymap import load_keymap
from tui.ui.messages import LogsArrived, PollFailed
from tui.ui.poll_timers import PollTimers
from tui.ui.screens.main import MainScreen
from tui.ui.source_keys import SourceKeys
from tui.ui.theme import ThemeKeeper
from tui.ui.watch_keys import WatchKeys
from tui.ui.widgets.filter_sidebar import FilterSidebar
from tui.ui.widgets.log_table import LogTable
from tui.ui.widgets.query_bar import QueryBar
from tui.views import View

PROGRESS_REFRESH_S = 0.5


class ToolwatchApp(SourceKeys, WatchKeys, CopyActions, CrashReportingApp):
    TITLE = "toolwatch"
    CSS_PATH = str(styles_dir() / "app.tcss")
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {ToolwatchCommands}
    BINDINGS: ClassVar[list[BindingType]] = bindings("app")

    def __init__(
        self,
        settings: Settings,
        *,
        source: LogSource | None = None,
        store: LogStore | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        poll_on_interval: bool = True,
        source_label: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        if source is None:  # not `or`: a FileSource with nothing read yet is falsy
            source = open_source(settings, for_screen=True)
        self.session = Session(
            settings,
            source,
            store if store is not None else LogStore(),
            clock=clock,
            rng=rng,
            label=source_label,
        )
        self.timers = PollTimers(
            self,
            interval=settings.poll_interval,
            poll=self.poll_now,
            tick=self._tick,
            enabled=poll_on_interval,
        )
        self.keymap: dict[str, str] = {}  # the user's [keymap], once applied
        self.copy_keys = CopyKeys(
            self,
            self.session,
            current_log_id=lambda: self.main_screen.current_log_id(),
            copy=self.copy,
        )
        self.diff_keys = DiffKeys(
            self, self.session, current_log_id=lambda: self.main_screen.current_log_id()
        )
        self.main_screen = MainScreen(
            self.session.store,
            self.session.calls,
            tz=settings.tz,
            parse=self.session.parse,
            values=lambda: self.session.seen_values,
            clock=clock,
            kind=settings.query_kind,
            on_ready=self._screen_ready,
        )
        self._shown = (self.session.status, self.session.title)
        self.theme_keeper = ThemeKeeper(self)
        self._early = EarlyAnswers()
        self._starting: tuple[str, LogQuery | None] = ("", None)  # the query, read at load

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Toasts are never markup: they show ids, tool names and errors from the API,
        where ``[@click=app.quit]`` would become a button (every caller, widgets too)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def copy(self, text: str, what: str, notes: tuple[str, ...] = ()) -> str:
        """Copy ``text`` over OSC 52 (and natively where there is a display), in a toast."""
        whole = f"{self.keys_for('copy.show_last')} shows it whole, to select by hand."
        return copy_text(self, text, what, notes=notes, whole=whole)

    def copy_natively(self, text: str) -> None:
        self.run_worker(lambda: native_copy(text), thread=True, group="clipboard")

    def _apply_keymap(self) -> None:
        """The user's [keymap]: its right entries apply, a wrong one is said in a toast
        (an unreadable file: the defaults stay)."""
        try:
            keymap = load_keymap(known=action_ids())
        except ConfigError as error:
            self.notify(f"{error}. Using the default keys.", severity="error", timeout=15)
            return
        if keymap.problems:
            self.notify(keymap.explain(), severity="error", timeout=15)
        if keymap.bindings:
            self.keymap = keymap.bindings
            self.set_keymap(keymap.bindings)

    def keys_for(self, action_id: str) -> str:
        """The keys an action answers to, as the palette shows them (after the keymap)."""
        return self.keymap.get(action_id) or ACTIONS[action_id].shown_keys

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, GuardedPalette):
            self.push_screen(GuardedPalette(id="--command-palette"))

    def action_toggle_help(self) -> None:
        """F1: every key of what has focus, with what it does (Textual's keys panel)."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def _draw_state(self) -> None:
        """Show the session's status and title, where they changed."""
        status, title = self.session.status, self.session.title
        if not (self.is_running and self._early.ready):
            return
        if status is not self._shown[0]:
            self.main_screen.show_status(status)
        if title is not self._shown[1]:
            self.main_screen.show_title(title)
        self._shown = (status, title)

    # -- lifetime -----------------------------------------------------------------

    def get_default_screen(self) -> MainScreen:
        return self.main_screen

    def on_load(self) -> None:
        # The first page is asked for now, while Textual builds the screen (early_answers).
        text = self.session.starting_text()  # (the state file is read once)
        self._starting = text, self.session.try_parse(text)
        if self._starting[1] is not None:
            self.session.apply(text, self._starting[1], restart=False)
        self.poll_now()

    def _screen_ready(self) -> None:
        self._apply_keymap()
        self.theme_keeper.start()
        self.start_watching()
        # A long first read of a file (one request) says how far it has come meanwhile.
        self.set_interval(PROGRESS_REFRESH_S, self._draw_progress)
        self.main_screen.show_status(self.session.status)
        self.main_screen.show_title(self.session.title)
        self._shown = (self.session.status, self.session.title)
        text, query = self._starting
        if query is None:
            # One that no longer parses is left in the bar with its error, unfiltered.
            self.main_screen.show_draft(text)
        else:
            self.main_screen.show_query(query, text)  # applied at load
        self.timers.start()
        self._early.release(self.on_logs_arrived, self.on_poll_failed)

    async def on_unmount(self) -> None:
        await self.session.aclose()

    # -- the query ----------------------------------------------------------------

    def apply_query(self, text: str, query: LogQuery, *, restart: bool = True) -> None:
        """Show ``query`` in the bar, the sidebar and the title; when what is asked of the
        server changed, start the tail again for it (words only change the highlight)."""
        self.main_screen.show_query(query, text)
        if self.session.apply(text, query, restart=restart) and restart:
            self._restarted()
        self._draw_state()

    def _restart_tail(self) -> None:
        self.session.restart()
        self._restarted()
        self._draw_state()

    def _restarted(self) -> None:
        """The screen's side of a restart: answers in flight dropped, rows gone."""
        for group in ("poll", "older", "gap"):
            self.workers.cancel_group(self, group)
        self.main_screen.reset_rows(WAITING)
        self.timers.end_backoff()
        if not self.session.paused:
            self.timers.start()  # a stop had ended the interval
        self.poll_now()

    def apply_text(self, text: str) -> bool:
        """Apply query text; text that does not parse goes to the bar, which says why."""
        query = self.session.try_parse(text)
        if query is None:
            self.main_screen.show_draft(text)
            return False
        self.apply_query(text, query)
        return True

    def action_clear_query(self) -> None:
        self.apply_query("", LogQuery())

    def on_query_bar_applied(self, message: QueryBar.Applied) -> None:
        self.apply_query(message.text, message.query)
        self.main_screen.focus_table()

    def on_filter_sidebar_edited(self, message: FilterSidebar.Edited) -> None:
        self.apply_text(message.text)

    def action_views(self) -> None:
        from tui.ui.screens.views import ViewsScreen  # when first asked for (issue 15)

        def picked(view: View | None) -> None:
            if view is not None:
                self.pick_view(view)

        self.push_screen(ViewsScreen(self.session.query_text), picked)

    def pick_view(self, view: View) -> None:
        """Apply a view; one that waits for a value (``user:``) goes to the bar to finish."""
        if view.needs_value:
            self.main_screen.show_draft(view.query)
            self.main_screen.action_focus_query()
            return
        if not self.apply_text(view.query):
            self.main_screen.action_focus_query()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that ended on an exception nobody caught (diff, copy, export: the
        polling and detail workers catch their own) is said, not lost in silence."""
        if event.state == WorkerState.ERROR and isinstance(event.worker.error, Exception):
            self.notify(internal_error(event.worker.error).explain(), severity="error", timeout=15)

    # -- composed keys: tui.ui.diff_keys (tui.ui.copy_actions: the copy keys') ----

    def action_mark(self) -> None:
        self.diff_keys.mark()

    def action_diff_marked(self) -> None:
        self.diff_keys.diff_marked()

    def action_diff_last_success(self) -> None:
        self.diff_keys.diff_last_success()

    # -- scheduling ---------------------------------------------------------------

    @property
    def polling_on_interval(self) -> bool:
        return self.timers.on_interval

    @property
    def retry_scheduled(self) -> bool:
        return self.timers.retry_scheduled

    def retry_now(self) -> None:
        self.timers.retry_now()

    def action_poll_now(self) -> None:
        if self.session.paused:
            self.action_toggle_pause()
        else:
            self.poll_now()

    def poll_now(self) -> None:
        if self.session.begin("poll"):
            self._fetch("poll")

    def action_toggle_pause(self) -> None:
        if not self.session.toggle_pause():
            return
        if self.session.paused:
            # The interval stops; a request already in flight still lands (nothing lost).
            self.timers.stop()
        else:
            self.poll_now()  # catch up at once
            self.timers.start()
        self._draw_state()

    def _tick(self) -> None:
        self.session.tick()
        self._draw_state()

    def _draw_progress(self) -> None:
        self.session.note_progress()
        self._draw_state()

    def _request(self, purpose: Purpose) -> None:
        if self.session.begin(purpose):
            self._draw_state()
            self._fetch(purpose)

    def on_log_table_need_older(self, message: LogTable.NeedOlder) -> None:
        self._request("older")

    def action_fill_gap(self) -> None:
        self._request("gap")

    def on_log_table_follow_changed(self, message: LogTable.FollowChanged) -> None:
        self.session.following(message.following, message.unseen)
        self._draw_state()

    # -- the worker: network only; it posts what happened -------------------------

    def _fetch(self, purpose: Purpose) -> None:
        self.run_worker(self._fetch_and_post(purpose), group=purpose, exit_on_error=False)

    async def _fetch_and_post(self, purpose: Purpose) -> None:
        fetched = await self.session.fetch(purpose)
        answer: LogsArrived | PollFailed | None = None
        if fetched.error is not None:
            answer = PollFailed(fetched.error, fetched.at, fetched.purpose, fetched.generation)
        elif fetched.batch is not None:
            answer = LogsArrived(fetched.batch, fetched.purpose, fetched.generation)
        # Kept for the screen at once if it is not ready: it may then show it first.
        if answer is not None and not self._early.hold(answer):
            self.post_message(answer)

    # -- handlers: the only code that changes the store and the screen ------------

    def on_logs_arrived(self, message: LogsArrived) -> None:
        session = self.session
        if not (self.is_running and session.is_current(message.generation)):
            # Fetched for a query no longer applied, or landing as the app quits (its
            # store is closed and the screen's widgets are going: q at start).
            return
        if session.source_restarted:
            # The file shrank or was replaced: the rows held may no longer be in it.
            self.notify("The file was truncated or replaced: reading it again from the start.")
            self._restart_tail()
            return
        stored = session.store_batch(message.batch, message.purpose, final=message.final)
        if stored.rest is not None:
            # The rest of a big batch, in a message of its own: keys are answered between.
            self.post_message(
                LogsArrived(stored.rest, message.purpose, message.generation, final=message.final)
            )
        self.main_screen.rows_stored(
            stored.added, older=stored.older, empty=stored.empty_text, changed=stored.changed
        )
        if stored.polled:
            self.timers.end_backoff()
        self._draw_state()
        if stored.request_older:
            self._request("older")

    def on_poll_failed(self, message: PollFailed) -> None:
        if not self.session.is_current(message.generation):
            return
        failure = self.session.failed(message.error, message.purpose)
        if failure.stopped:
            self.timers.stop()
        elif failure.delay is not None and not self.session.paused:
            self.timers.back_off(failure.delay)
        self._draw_state()
