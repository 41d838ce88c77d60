"""What a file source skipped and why: kept for ``FileSource.problems``, and each said
once, in the next page's ``skipped``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from tui import debuglog, fmt
from tui.sanitize import clean

log = debuglog.get_logger("file")

KEPT_PROBLEMS: Final = 1000
SKIPPED_PER_PAGE: Final = 100


class Problems:
    """The problems since the source was last read from its start, and those not yet said."""

    def __init__(self, lines_before: Callable[[], int] | None = None) -> None:
        # How many lines come before the first one numbered here (a file read from a
        # point in its middle), asked only when a problem is said.
        self._lines_before = lines_before
        self.kept: list[str] = []  # the first KEPT_PROBLEMS
        self.count = 0
        self._unreported: list[str] = []
        self._unlisted = 0  # line problems beyond SKIPPED_PER_PAGE since the last page

    def restart(self) -> None:
        """The source starts over: what was kept is forgotten (what is unsaid is still said)."""
        self.kept = []
        self.count = 0

    def line(self, number: int, what: str) -> None:
        """A line that cannot be listed."""
        if self._lines_before is not None:
            number += self._lines_before()
        message = clean(f"line {number}: {what}", max_len=300)
        log.warning("skipped %s", message)
        self._keep(message)
        if len(self._unreported) < SKIPPED_PER_PAGE:
            self._unreported.append(message)
        else:
            self._unlisted += 1

    def note(self, message: str) -> None:
        """A problem of the source rather than of one line."""
        message = clean(message, max_len=300)
        log.warning("%s", message)
        self._keep(message)
        self._unreported.append(message)

    def _keep(self, message: str) -> None:
        self.count += 1
        if len(self.kept) < KEPT_PROBLEMS:
            self.kept.append(message)

    def take_unreported(self) -> list[str]:
        """What was not said yet, for the next page's ``skipped``."""
        skipped, self._unreported = self._unreported, []
        if self._unlisted:
            skipped.append(fmt.count(self._unlisted, "more unreadable line"))
            self._unlisted = 0
        return skipped
