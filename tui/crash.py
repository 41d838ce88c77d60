"""When toolwatch itself fails: a short message for the terminal, the whole story in a
private crash report.

A bug's traceback must never reach the screen as Textual and Rich print it, with the
values of local variables: those hold log messages, headers and the API key. The
report is the traceback without locals, the key scrubbed and the text passed through the
one redaction policy, written 0600 into toolwatch's own 0700 directory; the debug log
(when on) gets the traceback too. The terminal gets one line naming the error's type
and the report's path.
"""

from __future__ import annotations

import logging
import platform
import sys
import time
import traceback
from pathlib import Path

from tui import __version__, debuglog, locations
from tui.files import create_unique, private_dir
from tui.redact import redact_text

# What a shell's convention (sysexits.h EX_SOFTWARE) calls an internal software error.
EXIT_BUG = 70
# A traceback's exception message can be a whole response body: keep the report readable.
MAX_REPORT_CHARS = 200_000

_log = logging.getLogger(f"{debuglog.ROOT_LOGGER}.crash")


def report_text(error: BaseException, *, argv: list[str] | None = None) -> str:
    """The report for ``error``: versions, the command line and the traceback, scrubbed."""
    lines = [
        f"toolwatch {__version__} crashed at {time.strftime('%Y-%m-%dT%H:%M:%S%z')}",
        f"python {platform.python_version()} on {platform.platform()}",
        f"command line: {' '.join(argv if argv is not None else sys.argv)}",
        "",
        *traceback.format_exception(error),
    ]
    text = "\n".join(line.rstrip("\n") for line in lines)
    if len(text) > MAX_REPORT_CHARS:
        text = text[: MAX_REPORT_CHARS // 2] + "\n… cut …\n" + text[-MAX_REPORT_CHARS // 2 :]
    return redact_text(debuglog.scrub(text)) + "\n"


def write_report(error: BaseException, *, argv: list[str] | None = None) -> Path | None:
    """Write the report of ``error``; its path, or None when even that failed (a full
    disk must not turn one failure into two)."""
    _log.error("toolwatch crashed", exc_info=error)
    try:
        folder = private_dir(locations.crash_dir())
        path, out = create_unique(folder, time.strftime("crash-%Y%m%d-%H%M%S"), ".txt")
        with out:
            out.write(report_text(error, argv=argv))
    except OSError:
        return None
    return path


def crash_message(error: BaseException, report: Path | None) -> str:
    """The one line the terminal gets: what failed, and where the story is. The error's
    own message stays in the report: it may quote a log."""
    where = (
        f"the report (secrets scrubbed) is at {report}"
        if report is not None
        else f"no report could be written to {locations.crash_dir()}"
    )
    return (
        f"toolwatch: stopped by a bug ({type(error).__name__}); {where}. "
        "Please attach it to an issue."
    )
