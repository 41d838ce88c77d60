"""An App whose bugs are reported privately instead of printed with their locals.

Textual ends an app on an unhandled exception and prints a Rich traceback showing every
frame's local variables: log messages, headers, the API key. This App writes the
report through ``tui.crash`` (no locals, secrets scrubbed, 0600) and leaves one line for
the terminal, printed once Textual has restored it; ``crashed`` tells the caller to exit
non-zero. Under ``run_test`` the exception is still re-raised to the test, as Textual does.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App

from tui.crash import crash_message, write_report


class CrashReportingApp(App[None]):
    crashed: BaseException | None = None

    def _handle_exception(self, error: Exception) -> None:
        if self.crashed is None:  # the first error is the story; the rest follow from it
            self.crashed = error
            message = crash_message(error, write_report(error))
            self._exit_renderables.append(Text(message, style="bold red"))
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        # Textual's own would add the traceback with locals; the report holds it instead.
        self.bell()
        self._close_messages_no_wait()
