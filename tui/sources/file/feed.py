"""Where a file source's bytes come from: a regular file, read from where the last pull
stopped, or a stream (a pipe, stdin), drained by a daemon thread into a buffer.

A file that shrank or was replaced (another inode at the path) is read again from its
start (``restarts`` counts these); a file deleted meanwhile keeps being read through the
handle already open. A stream never blocks the event loop, and its last line counts when
it ends. A path that cannot be read is a ``FileReadError`` (a ``ConnectionFailed``, so
retryable when it happens after the source was opened, as LiveTail expects).
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Final, Protocol

from tui import debuglog
from tui.errors import ConnectionFailed
from tui.sources.file import lines
from tui.sources.file.index import Index
from tui.sources.file.records import Record

log = debuglog.get_logger("file")

READ_CHUNK: Final = 8 * 1024 * 1024  # bytes read from a file at a time
STREAM_READ: Final = 64 * 1024
STREAM_WAKE_S: Final = 0.25  # how often the reader thread looks for aclose


class FileReadError(ConnectionFailed):
    """The file (or stream) cannot be read: missing, not readable, a directory."""

    title = "Cannot read the log file"
    default_hint = "Check the path and that the file is readable."


class Feed(Protocol):
    """What FileSource reads from; all of it runs in a worker thread, under its lock."""

    restarts: int

    def pull(self, index: Index) -> None: ...

    def read(self, rec: Record) -> bytes: ...

    def close(self) -> None: ...

    def wait_end(self) -> None: ...

    @property
    def ended(self) -> bool: ...


def cannot_read(shown: str, error: OSError) -> FileReadError:
    why = error.strerror or str(error)
    return FileReadError(detail=f"{shown}: {why}")


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


class FileFeed:
    """A regular file, read from where the last pull stopped."""

    def __init__(self, path: Path, shown: str) -> None:
        self.path, self.shown = path, shown
        self._file = self._open()
        self._identity = _identity(os.fstat(self._file.fileno()))
        self._offset = 0
        self.restarts = 0
        # Told the file's size when it is read from its start; says where to start
        # reading it (the lines before are answered from the end, see ``scan``).
        self.on_start: Callable[[int, int], int] | None = None

    @property
    def fd(self) -> int:
        return self._file.fileno()

    def _open(self) -> IO[bytes]:
        try:
            return open(self.path, "rb", buffering=0)  # kept open; close() closes it
        except OSError as error:
            raise cannot_read(self.shown, error) from None

    def pull(self, index: Index) -> None:
        if self._file.closed:
            return
        restart = index.stale
        try:
            current = os.stat(self.path)
        except FileNotFoundError:
            current = None  # deleted, or about to be replaced: read on what is open
        except OSError as error:
            raise cannot_read(self.shown, error) from None
        if current is not None and _identity(current) != self._identity:
            replacement = self._open()
            self._file.close()
            self._file = replacement
            self._identity = _identity(os.fstat(replacement.fileno()))
            restart = True
        try:
            size = os.fstat(self._file.fileno()).st_size
            if size < self._offset:
                restart = True  # truncated (or rewritten shorter)
            if restart:
                log.info("%s shrank or was replaced: reading it from the start", self.shown)
                self.restarts += 1
                self._offset = 0
                index.restart()
            if self._offset == 0 and self.on_start is not None:
                self._offset = self.on_start(self.fd, size)
            while self._offset < size:
                self._file.seek(self._offset)
                data = self._file.read(min(READ_CHUNK, size - self._offset))
                if not data:
                    break
                index.feed(data, self._offset)
                self._offset += len(data)
        except OSError as error:
            raise cannot_read(self.shown, error) from None
        index.settle()

    def read(self, rec: Record) -> bytes:
        try:
            self._file.seek(rec.offset)
            return self._file.read(rec.length) or b""
        except OSError as error:
            raise cannot_read(self.shown, error) from None

    def close(self) -> None:
        self._file.close()

    def wait_end(self) -> None:
        """A file has no end to wait for: what is in it now is read on the next pull."""

    ended = False  # a file may always grow


class StreamFeed:
    """A pipe or terminal (stdin), drained by a daemon thread into a buffer."""

    restarts = 0

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self.name = name
        self._stream = stream
        try:
            self._fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):
            self._fd = None
        self._buffer = bytearray()
        self._run = 0  # bytes of the line being read, since the last newline
        # (where in the buffer, how many bytes) of overlong lines dropped while buffering
        self._dropped: list[tuple[int, int]] = []
        self._guard = threading.Lock()
        self._eof = False
        self._error: OSError | None = None
        self._ended = False  # the index has been told the stream ended
        self._offset = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drain, name=f"toolwatch-{name}", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        selecting = self._fd is not None
        try:
            while not self._stop.is_set():
                if selecting:
                    assert self._fd is not None
                    try:
                        ready, _, _ = select.select([self._fd], [], [], STREAM_WAKE_S)
                    except (OSError, ValueError):
                        selecting = False  # not selectable here (Windows): plain reads
                        continue
                    if not ready:
                        continue
                    data = os.read(self._fd, STREAM_READ)
                else:
                    read1 = getattr(self._stream, "read1", None)
                    data = (
                        read1(STREAM_READ) if read1 is not None else self._stream.read(STREAM_READ)
                    )
                if not data:
                    break
                with self._guard:
                    self._keep(data)
        except (OSError, ValueError) as error:
            with self._guard:
                self._error = error if isinstance(error, OSError) else OSError(str(error))
        finally:
            with self._guard:
                self._eof = True

    def _keep(self, data: bytes) -> None:
        """Buffer ``data``, but of a line longer than the cap only its first cap + 1
        bytes (enough for the splitter to call it too long): a pipe or device without
        newlines (``/dev/zero``) would otherwise fill the memory between two pulls."""
        keep = lines.MAX_LINE_BYTES + 1
        if self._run + len(data) <= keep:  # no line here can be too long: the usual case
            self._buffer += data
            last = data.rfind(b"\n")
            self._run = self._run + len(data) if last < 0 else len(data) - last - 1
            return
        start = 0
        while start < len(data):
            newline = data.find(b"\n", start)
            stop = len(data) if newline < 0 else newline
            room = max(0, keep - self._run)
            if stop - start > room:
                self._buffer += data[start : start + room]
                self._dropped.append((len(self._buffer), stop - start - room))
                self._run += room
            else:
                self._buffer += data[start:stop]
                self._run += stop - start
            if newline < 0:
                return
            self._buffer += b"\n"
            self._run = 0
            start = newline + 1

    def pull(self, index: Index) -> None:
        with self._guard:
            data, self._buffer = bytes(self._buffer), bytearray()
            dropped, self._dropped = self._dropped, []
            eof, error, self._error = self._eof, self._error, None
        # Offsets stay those of the stream: each dropped stretch is stepped over.
        start = 0
        for at, size in dropped:
            index.feed(data[start:at], self._offset)
            self._offset += at - start + size
            start = at
        if start < len(data):
            index.feed(data[start:], self._offset)
            self._offset += len(data) - start
        if error is not None and not self._stop.is_set():
            index.note(f"{self.name}: reading stopped: {error.strerror or error}")
        if eof and not self._ended:
            self._ended = True
            index.finish()
        elif not eof:
            index.settle()

    def read(self, rec: Record) -> bytes:
        return rec.blob or b""

    def wait_end(self) -> None:
        self._thread.join()

    @property
    def ended(self) -> bool:
        """The stream has ended and all of it has been read into the index."""
        return self._ended

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2 * STREAM_WAKE_S)
        with contextlib.suppress(OSError):
            self._stream.close()
