"""Files toolwatch writes: readable by their owner only, created exclusively, never through
a symlink.

Exports, large copies, the config and the state hold log contents, user names and
queries. A file is opened with ``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode 0600, so a
name planted in advance (a symlink to another file, or a file someone else can read) is
refused instead of written through; a rewrite goes to a new private file beside the old
one and is renamed over it, which replaces a symlink rather than following it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TextIO

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
MAX_NAME_TRIES = 1_000


def private_dir(path: Path) -> Path:
    """toolwatch's own directory (state, copies, config), made 0700 when it is created.
    An existing one keeps its mode: it may be one the user chose."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    return path


def create_private(path: Path) -> TextIO:
    """A new file at ``path`` (0600) to write text to; FileExistsError when anything is
    there already, a symlink included."""
    descriptor = os.open(path, _CREATE, PRIVATE_FILE)
    return os.fdopen(descriptor, "w", encoding="utf-8")


def create_unique(folder: Path, stem: str, suffix: str) -> tuple[Path, TextIO]:
    """A new private file ``stem{suffix}`` in ``folder``, else ``stem-2{suffix}``, … : a
    name taken meanwhile (or planted) is skipped, never written through."""
    for counter in range(1, MAX_NAME_TRIES + 1):
        path = folder / (f"{stem}{suffix}" if counter == 1 else f"{stem}-{counter}{suffix}")
        try:
            return path, create_private(path)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free file name like {folder / stem}{suffix}")


def replace_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a private file beside it, renamed
    over it (a crash mid-write never leaves half a file)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with create_private(temporary) as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
