"""Composio logs from a JSON-lines file or stream, answered as the Logs API would.

One Composio log object per line: an A.2 list item or an A.3 detail (what ``toolwatch
list`` prints). ``FileSource`` is a ``LogSource``, so LiveTail, the table and the detail
pane work on a file unchanged. Bad lines never stop the rest: a line that is not JSON, not
an object, longer than ``MAX_LINE_BYTES`` or not a readable log is skipped and reported
once with its line number, in ``FileSource.problems`` and in the next ``LogPage.skipped``.

The modules, from the bytes up:

* ``feed``: where the bytes come from (a file followed as it grows, or a stream drained
  by a thread), and ``FileReadError``;
* ``lines``: the bytes split into numbered lines and parsed as JSON;
* ``records``: what is kept of a line, and which lines a filter set lets through;
* ``problems``: what was skipped and why, said once;
* ``index``: the lines read so far, ordered, filtered and paged;
* ``cursor``: the server's page cursor;
* ``source``: ``FileSource``, the ``LogSource`` over all of them.
"""

from __future__ import annotations

from tui.sources.file.cursor import decode_cursor, encode_cursor
from tui.sources.file.feed import FileReadError
from tui.sources.file.lines import MAX_LINE_BYTES
from tui.sources.file.problems import KEPT_PROBLEMS
from tui.sources.file.source import FileSource

__all__ = [
    "KEPT_PROBLEMS",
    "MAX_LINE_BYTES",
    "FileReadError",
    "FileSource",
    "decode_cursor",
    "encode_cursor",
]
