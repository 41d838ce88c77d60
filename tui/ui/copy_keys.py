"""The keys that take something out of toolwatch: ids, curl commands, JSON, exports.

The engineer's next step is usually elsewhere: an id pasted into a ticket, a curl run
to reproduce, a file handed to a colleague. Each is one key here. What is copied is
built by ``tui.curl`` (commands) and ``tui.export`` (JSON lines) and put on the
clipboard by ``tui.clipboard``; this module only picks what the selection is.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from tui import jsonout
from tui.clipboard import copy_text
from tui.config import Settings
from tui.constants import ENV_API_KEY
from tui.curl import Curl, detail_curl, list_curl, rerun_curl
from tui.errors import ApiError
from tui.export import new_export_path, write_matching
from tui.models.call import CallDetail
from tui.query import LogQuery
from tui.sanitize import strip_controls
from tui.store import LogStore
from tui.ui.messages import CopyReady, ExportDone

if TYPE_CHECKING:
    from tui.tail import LiveTail
    from tui.ui.screens.main import MainScreen


# Exports this large take seconds: say that one has started.
LARGE_EXPORT = 20_000

# The app lists these after its own, so the footer shows Quit, Help and Pause first.
COPY_BINDINGS: list[BindingType] = [
    Binding("y", "copy_id", "Copy id", id="copy.log_id"),
    Binding("c", "copy_detail_curl", "Copy curl", show=False, id="copy.detail_curl"),
    Binding("C", "copy_list_curl", "Copy list curl", show=False, id="copy.list_curl"),
    Binding("r", "copy_rerun_curl", "Copy re-run curl", show=False, id="copy.rerun_curl"),
    Binding("J", "copy_json", "Copy JSON", show=False, id="copy.json"),
    Binding("e", "export", "Export", show=False, id="copy.export"),
]


def _with_trace(call: CallDetail) -> dict[str, Any]:
    """A call as one exported line: its detail, and its per-step log under "trace"
    (what ``--file`` reads back). Both were masked when the call was built."""
    line = dict(call.detail_json)
    if call.trace_json is not None:
        line["trace"] = call.trace_json
    return line


class CopyKeys(App[None]):
    """y c C r J e, for ``ToolwatchApp``; it provides the attributes declared here."""

    settings: Settings
    store: LogStore
    main_screen: MainScreen
    log_query: LogQuery
    tail: LiveTail
    _calls: OrderedDict[str, CallDetail]

    def _current_log_id(self) -> str | None:
        raise NotImplementedError

    async def _call(self, log_id: str) -> CallDetail:
        raise NotImplementedError

    def _now_ms(self) -> int:
        raise NotImplementedError

    # -- what the selection is --------------------------------------------------------

    def _selection(self) -> str | None:
        """The log the keys act on (the open call, else the table's row); None, and
        a hint, when there is none."""
        log_id = self._current_log_id()
        if log_id is None:
            self.notify("Select a log first (↑/↓ in the table).", timeout=3)
        return log_id

    def _selected_id(self) -> str | None:
        """The selected log's id as the API wrote it (the table shows it sanitized)."""
        log_id = self._selection()
        if log_id is None:
            return None
        entry = self.store.entry_by_id(log_id)
        raw = entry.raw.get("id") if entry is not None else None
        return raw if isinstance(raw, str) and raw else log_id

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
        copy_text(self, curl.command, what, notes=(*curl.warnings, *self._demo_notes()))

    # -- the keys ------------------------------------------------------------------------

    def action_copy_id(self) -> None:
        log_id = self._selected_id()
        if log_id is not None:
            copy_text(self, log_id, "log id")

    def action_copy_detail_curl(self) -> None:
        log_id = self._selected_id()
        if log_id is not None:
            self._copy_curl(detail_curl(self.settings.base_url, log_id), "curl for this log")

    def action_copy_list_curl(self) -> None:
        query = self.log_query
        # What the first poll of this query sends, to the millisecond of now.
        body = query.server_part.to_api_body(limit=self.tail.page_size, now_ms=self._now_ms())
        curl = list_curl(self.settings.base_url, body)
        if query.words:
            words = " ".join(query.words)
            note = f"The words ({words}) are searched here, not sent: the curl lists without them."
            curl = Curl(curl.command, (*curl.warnings, note))
        self._copy_curl(curl, "curl for this query")

    def action_copy_rerun_curl(self) -> None:
        self._copy_from_call("rerun")

    def action_copy_json(self) -> None:
        self._copy_from_call("json")

    def _copy_from_call(self, kind: str) -> None:
        log_id = self._selection()
        if log_id is not None:
            self._fetch_for_copy(kind, log_id)

    @work(group="copy", exclusive=True, exit_on_error=False)
    async def _fetch_for_copy(self, kind: str, log_id: str) -> None:
        """The call from the detail cache, else from the source."""
        try:
            call = await self._call(log_id)
        except ApiError as error:
            self.notify(f"Could not fetch {log_id} to copy it: {error.explain()}", severity="error")
            return
        self.post_message(CopyReady(kind, call))

    def on_copy_ready(self, message: CopyReady) -> None:
        call = message.call
        if message.kind == "json":
            copy_text(self, jsonout.dumps(call.detail_json, indent=2), f"JSON of {call.log_id}")
            return
        try:
            curl = rerun_curl(self.settings.base_url, call)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=6)
            return
        self._copy_curl(curl, f"re-run curl for {call.tool}")

    # -- export ----------------------------------------------------------------------

    def action_export(self) -> None:
        if not len(self.store):
            self.notify("Nothing to export yet: no logs are loaded.", timeout=3)
            return
        path = new_export_path()
        if len(self.store) >= LARGE_EXPORT:
            self.notify(f"Exporting {len(self.store):,} logs to {path}…", timeout=5)
        self._export(path, self.log_query)

    @work(group="export", exclusive=True, exit_on_error=False)
    async def _export(self, path: Path, query: LogQuery) -> None:
        """Rows are read from the store here, on the loop (it is not thread-safe), a chunk
        at a time; the JSON work and the writing happen in a thread."""
        written = 0
        # The calls opened this session go out whole (detail and per-step log), so the
        # file shows them again with their timeline and request/response.
        details = {
            log_id: _with_trace(call)
            for log_id, call in self._calls.items()
            if isinstance(call.detail_json, dict)
        }
        try:
            with path.open("x", encoding="utf-8") as out:
                for chunk in self.store.raw_chunks():
                    written += await asyncio.to_thread(write_matching, out, chunk, query, details)
        except OSError as error:
            why = strip_controls(error.strerror or str(error))
            self.post_message(ExportDone(str(path), written, why))
            return
        self.post_message(ExportDone(str(path), written))

    def on_export_done(self, message: ExportDone) -> None:
        if message.error is not None:
            self.notify(
                f"Could not export to {message.path}: {message.error}. Set TOOLWATCH_EXPORT_DIR "
                "to a folder you can write to.",
                severity="error",
                timeout=10,
            )
            return
        which = "matching the query" if self.log_query.words else "loaded"
        self.notify(
            f"Exported {message.written:,} logs ({which}) to\n{message.path}\n"
            f"open it again with: toolwatch --file {message.path}",
            timeout=12,
        )
