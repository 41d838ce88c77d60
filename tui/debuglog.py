"""The debug log: a file under the user's log directory, never the terminal.

The TUI owns the terminal and the headless commands own stdout, so a log line on
stderr would corrupt one or the other. Every toolwatch logger lives under the
``toolwatch`` logger, which never propagates to the root logger and always has a
handler (so Python's last-resort stderr handler never fires either). Records
pass through a filter that masks every registered secret, whatever logged them.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import quote

from tui import locations
from tui.errors import ConfigError, InternalError

ROOT_LOGGER = "toolwatch"
ENV_LOG_LEVEL = "TOOLWATCH_LOG_LEVEL"
MASK = "***"

LEVELS: dict[str, int] = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}
OFF = ("silent", "off", "none")

# A day of polling every 2 s at DEBUG is a few MB; keep a bounded amount.
_MAX_BYTES = 5_000_000
_BACKUPS = 2
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

_secrets: set[str] = set()
_handler: logging.Handler | None = None


def log_path() -> Path:
    return locations.log_path()


def get_logger(name: str) -> logging.Logger:
    """A logger in the ``toolwatch`` tree, e.g. ``get_logger("client")``."""
    return logging.getLogger(f"{ROOT_LOGGER}.{name}")


def internal_error(bug: Exception) -> InternalError:
    """An unexpected exception (a bug) as an error a status line can show, the key
    scrubbed; its traceback goes to the debug log."""
    logging.getLogger(f"{ROOT_LOGGER}.bug").exception("unexpected error in a worker")
    return InternalError(detail=scrub(f"{type(bug).__name__}: {bug}"))


def register_secret(value: str | None) -> None:
    """Mask ``value`` (and its URL-encoded form) in every record from now on."""
    if not value:
        return
    _secrets.add(value)
    encoded = quote(value, safe="")
    if encoded != value:
        _secrets.add(encoded)


def scrub(text: str) -> str:
    # Longest first, so a secret that contains another is masked whole.
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class SecretFilter(logging.Filter):
    """Masks registered secrets in the message, its arguments and any traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # Mismatched %-arguments: logging would report it; mask what we have.
            message = f"{record.msg} {record.args}"
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        # The formatter prefers exc_text; dropping exc_info keeps it from re-rendering.
        record.exc_info = None
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def _parse_level(level: str | None) -> int | None:
    from_env = level is None
    value = os.environ.get(ENV_LOG_LEVEL, "") if from_env else level or ""
    name = value.strip().lower()
    if not name or name in OFF:
        return None
    if name in LEVELS:
        return LEVELS[name]
    where = ENV_LOG_LEVEL if from_env else "--log-level"
    raise ConfigError(
        f"{where} must be one of debug, info, warning, error or off, not {value.strip()!r}"
    )


def configure(level: str | None = None, *, path: Path | None = None) -> Path | None:
    """Start (or stop) the debug log; returns the file written to, or None when off.

    ``level`` comes from ``--log-level``; when None, ``TOOLWATCH_LOG_LEVEL`` is read.
    Unset, empty, ``off`` or ``silent`` means no log. A bad value raises
    ``ConfigError`` (a ValueError) naming the setting. ``path`` overrides
    ``log_path()`` (tests, and any caller wanting another file).
    """
    global _handler
    number = _parse_level(level)
    root = _seal()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    if number is None:
        root.setLevel(logging.CRITICAL + 1)
        return None
    target = path if path is not None else log_path()
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Log lines name users and sessions: readable by the owner only.
        target.touch(mode=0o600, exist_ok=True)
        # 30 ms (it imports socket): imported only when a log is written.
        from logging.handlers import RotatingFileHandler

        handler = RotatingFileHandler(
            target, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8"
        )
    except OSError as error:
        raise ConfigError(f"cannot write the debug log at {target}: {error.strerror}") from None
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(SecretFilter())
    root.addHandler(handler)
    root.setLevel(number)
    _handler = handler
    return target


def _seal() -> logging.Logger:
    root = logging.getLogger(ROOT_LOGGER)
    root.propagate = False
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        root.addHandler(logging.NullHandler())
    return root


# Sealed on import, so a library user who never calls configure() still gets no
# stray output; and quiet until configured.
if logging.getLogger(ROOT_LOGGER).level == logging.NOTSET:
    logging.getLogger(ROOT_LOGGER).setLevel(logging.CRITICAL + 1)
_seal()
