"""The keys that take something out of toolwatch: ids, curl commands, JSON, exports.

The engineer's next step is usually elsewhere: an id pasted into a ticket, a curl run
to reproduce, a file handed to a colleague. Each is one key here. What is copied is
built by ``tui.curl`` (commands) and ``tui.export`` (JSON lines) and put on the
clipboard by ``tui.clipboard``; this module only picks what the selection is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from textual.app import App

from tui import fmt, jsonout
from tui.config import Settings
from tui.constants import ENV_API_KEY
from tui.errors import ApiError
from tui.locations import export_dir
from tui.models.entry import LogEntry
from tui.query import LogQuery
from tui.sanitize import clean, escape_controls, strip_controls
from tui.session import Session
from tui.ui.messages import CopyReady, ExportDone

if TYPE_CHECKING:
    from tui.curl import Curl
    from tui.models.call import CallDetail

# What builds commands and exports (tui.curl, tui.export, buddy_copy, and the call model
# they read) is imported by the key that needs it: not one of them is needed for the
# first rows, and together they were a tenth of the screen's own imports (issue 15).

# Exports this large take seconds: say that one has started.
LARGE_EXPORT = 20_000


def _with_trace(call: CallDetail) -> dict[str, Any]:
    """A call as one exported line: its detail, and its per-step log under "trace"
    (what ``--file`` reads back). Both were masked when the call was built."""
    line = dict(call.detail_json)
    if call.trace_json is not None:
        line["trace"] = call.trace_json
    return line


class Copied(NamedTuple):
    """The last copy: the text as it was copied (controls removed, the key scrubbed),
    what it is, and what the toast said beside it."""

    text: str
    what: str
    notes: tuple[str, ...]


class CopyKeys:
    """y c C r J w W e. The app's actions call these; workers post ``CopyReady`` and
    ``ExportDone``, whose handlers on the app call back in here."""

    def __init__(
        self,
        app: App[Any],
        session: Session,
        *,
        current_log_id: Callable[[], str | None],
        copy: Callable[[str, str, tuple[str, ...]], str],
    ) -> None:
        self.app = app
        self.session = session
        self._current_log_id = current_log_id
        self._copy_text = copy  # tui.clipboard.copy_text, with the app as the terminal
        self.last: Copied | None = None  # what W shows

    @property
    def settings(self) -> Settings:
        """The session's, read at each key: the source in use may change."""
        return self.session.settings

    def _copy(self, text: str, what: str, notes: tuple[str, ...] = ()) -> None:
        self.last = Copied(self._copy_text(text, what, notes), what, notes)

    def show_last(self) -> None:
        """W: the last copied text whole, unwrapped, to read and select by hand."""
        if self.last is None:
            self.app.notify("Nothing copied yet: y, c, C, r, J or w copy.", timeout=3)
            return
        last = self.last
        # The toasts would cover it; what they said is in it.
        self.app.clear_notifications()
        from tui.ui.screens.copied import CopiedScreen  # when first asked for (issue 15)

        self.app.push_screen(CopiedScreen(last.text, last.what, last.notes))

    # -- what the selection is --------------------------------------------------------

    def _selection(self) -> str | None:
        """The log the keys act on (the open call, else the table's row); None, and
        a hint, when there is none."""
        log_id = self._current_log_id()
        if log_id is None:
            self.app.notify("Select a log first (↑/↓ in the table).", timeout=3)
        return log_id

    def _entry(self, log_id: str) -> LogEntry | None:
        return self.session.store.entry_by_id(log_id)

    def _buddy(self, log_id: str) -> tuple[bool, LogEntry | None]:
        """Whether the keys treat the row as a Buddy action execution, and its entry
        (None when it is not held)."""
        from tui.ui import buddy_copy

        entry = self._entry(log_id)
        return buddy_copy.is_buddy(self.settings, entry), entry

    def _copy_or_say(self, made: Curl | str, what: str) -> None:
        if isinstance(made, str):
            self.app.notify(made, severity="warning", timeout=6)
        else:
            self._copy(made.command, what, made.warnings)

    def _demo_notes(self) -> tuple[str, ...]:
        """In --demo the key is the embedded server's own, made up at start: show it, so
        the command runs as it is in another terminal. From a file, say where it goes."""
        if self.settings.source_file is not None:
            return (f"These logs come from a file; the command asks {self.settings.base_url}.",)
        if not self.settings.demo:
            return ()
        key = self.settings.api_key.reveal()
        return (f"demo key, for another terminal:\nexport {ENV_API_KEY}={key}",)

    def _copy_curl(self, curl: Curl, what: str) -> None:
        self._copy(curl.command, what, (*curl.warnings, *self._demo_notes()))

    # -- the keys ------------------------------------------------------------------------

    def copy_id(self) -> None:
        log_id = self._selection()
        if log_id is None:
            return
        # Pasted into a shell, a newline in an id would run the rest as a command.
        safe = escape_controls(log_id)
        if safe == log_id:
            # A Buddy row's id is PIPELINE/RUN/ACTION_EXECUTION: what `get` resolves.
            buddy, _ = self._buddy(log_id)
            self._copy(log_id, "action execution id" if buddy else "log id")
            return
        note = "The id holds control characters: copied escaped; `toolwatch get` takes this form."
        self._copy(safe, "log id (escaped)", (note,))

    def copy_detail_curl(self) -> None:
        from tui.curl import detail_curl
        from tui.ui import buddy_copy

        log_id = self._selection()
        if log_id is None:
            return
        buddy, entry = self._buddy(log_id)
        if buddy:
            made = buddy_copy.detail(self.settings, entry, log_id)
            self._copy_or_say(made, "curl for this action execution")
            return
        self._copy_curl(detail_curl(self.settings.base_url, log_id), "curl for this log")

    def copy_rerun(self) -> None:
        """r: a Buddy row's run retried (A.6), else the tool call run again."""
        log_id = self._selection()
        if log_id is None:
            return
        buddy, entry = self._buddy(log_id)
        if not buddy:
            self.copy_from_call("rerun")
            return
        from tui.ui import buddy_copy

        made = buddy_copy.retry(self.settings, entry, log_id)
        self._copy_or_say(made, f"retry curl for run {clean(buddy_copy.run_of(log_id))}")

    def copy_web_link(self) -> None:
        """w: the row's page in a web app (a Buddy run's ``html_url``)."""
        from tui.ui import buddy_copy

        log_id = self._selection()
        if log_id is None:
            return
        found = buddy_copy.web_link(self.settings, self._entry(log_id))
        if isinstance(found, str):
            self.app.notify(found, timeout=6)
            return
        self._copy(*found)

    def copy_list_curl(self) -> None:
        from tui.curl import Curl, list_curl
        from tui.ui import buddy_copy

        log_id = self._current_log_id()
        entry = self._entry(log_id) if log_id is not None else None
        if buddy_copy.is_buddy(self.settings, entry):
            made = buddy_copy.list_runs(self.settings, self.settings.pipelines)
            self._copy_or_say(made, "curl for the runs lists")
            return
        query = self.session.query
        # What the first poll of this query sends, to the millisecond of now.
        body = query.server_part.to_api_body(
            limit=self.session.tail.page_size, now_ms=self.session.now_ms()
        )
        curl = list_curl(self.settings.base_url, body)
        if query.words:
            words = " ".join(query.words)
            note = f"The words ({words}) are searched here, not sent: the curl lists without them."
            curl = Curl(curl.command, (*curl.warnings, note))
        self._copy_curl(curl, "curl for this query")

    def copy_from_call(self, kind: str) -> None:
        """``rerun`` or ``json``: these need the call's detail, from the cache or fetched."""
        log_id = self._selection()
        if log_id is not None:
            self.app.run_worker(
                self._fetch_for_copy(kind, log_id),
                group="copy",
                exclusive=True,
                exit_on_error=False,
            )

    async def _fetch_for_copy(self, kind: str, log_id: str) -> None:
        try:
            call = await self.session.calls.get(log_id)
        except ApiError as error:
            self.app.notify(
                f"Could not fetch {clean(log_id)} to copy it: {error.explain()}", severity="error"
            )
            return
        self.app.post_message(CopyReady(kind, call))

    def copy_ready(self, message: CopyReady) -> None:
        from tui.curl import rerun_curl

        call = message.call
        if message.kind == "json":
            what = f"JSON of {clean(call.log_id)}"
            self._copy(jsonout.dumps(call.detail_json, indent=2), what)
            return
        try:
            curl = rerun_curl(self.settings.base_url, call)
        except ValueError as error:
            self.app.notify(str(error), severity="warning", timeout=6)
            return
        self._copy_curl(curl, f"re-run curl for {call.tool}")

    # -- export ----------------------------------------------------------------------

    def export(self) -> None:
        from tui.export import create_export

        store = self.session.store
        if not len(store):
            self.app.notify("Nothing to export yet: no logs are loaded.", timeout=3)
            return
        try:
            path, out = create_export()
        except OSError as error:
            why = strip_controls(error.strerror or str(error))
            self.export_done(ExportDone(str(export_dir()), 0, why))
            return
        if len(store) >= LARGE_EXPORT:
            self.app.notify(f"Exporting {len(store):,} logs to {path}…", timeout=5)
        self.app.run_worker(
            self._export(path, out, self.session.query),
            group="export",
            exclusive=True,
            exit_on_error=False,
        )

    async def _export(self, path: Path, out: TextIO, query: LogQuery) -> None:
        """Rows are read from the store here, on the loop (it is not thread-safe), a chunk
        at a time; the JSON work and the writing happen in a thread."""
        from tui.export import write_matching

        written = 0
        # The calls opened this session go out whole (detail and per-step log), so the
        # file shows them again with their timeline and request/response.
        details = {
            call.log_id: _with_trace(call)
            for call in self.session.calls
            if isinstance(call.detail_json, dict)
        }
        try:
            with out:
                for chunk in self.session.store.raw_chunks():
                    written += await asyncio.to_thread(write_matching, out, chunk, query, details)
        except OSError as error:
            why = strip_controls(error.strerror or str(error))
            self.app.post_message(ExportDone(str(path), written, why))
            return
        self.app.post_message(ExportDone(str(path), written))

    def export_done(self, message: ExportDone) -> None:
        if message.error is not None:
            self.app.notify(
                f"Could not export to {message.path}: {message.error}. Set TOOLWATCH_EXPORT_DIR "
                "to a folder you can write to.",
                severity="error",
                timeout=10,
            )
            return
        which = "matching the query" if self.session.query.words else "loaded"
        self.app.notify(
            f"Exported {fmt.count(message.written, 'log')} ({which}) to\n{message.path}\n"
            f"open it again with: toolwatch --file {message.path}",
            timeout=12,
        )
