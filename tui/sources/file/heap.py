"""Large arrays that grow without leaving holes in the heap (``arrays_grow_in_place``).

A scan appends to a few arrays of up to millions of numbers. glibc's malloc serves a
block from mapped memory only above a threshold it raises each time such a block is
freed (the megabyte buffers a scan reads come and go); below it, an array grown with
realloc is moved and leaves its old copy as a hole. Measured on a 1,000,000-line file:
117 MB resident with holes, 93 MB with the threshold fixed at glibc's default (128 KB),
where a growing array is remapped, never copied. Elsewhere (musl, macOS) nothing changes.
"""

from __future__ import annotations

import contextlib
import ctypes
from typing import Final

_M_MMAP_THRESHOLD: Final = -3  # mallopt's parameter, from glibc's malloc.h
_THRESHOLD: Final = 128 * 1024
_done: list[bool] = []


def arrays_grow_in_place() -> None:
    """Fix malloc's threshold for mapped memory (once; where glibc's mallopt exists)."""
    if _done:
        return
    _done.append(True)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, _THRESHOLD)
