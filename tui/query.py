"""LogQuery: what the engineer is narrowing to, and its Logs API body.

One home for turning a query into the API's ``filters`` and ``time_range``
(api-contract.md A.2). The query language (issue 4) will parse into and print
from this same type; the TUI and the headless commands both send exactly what
``to_api_body`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.constants import DEFAULT_LIMIT, FILTER_FIELDS, FILTER_OPERATORS, MAX_LIMIT


class QueryError(ValueError):
    """A query the Logs API cannot take; the message says what to change."""


@dataclass(frozen=True)
class Filter:
    field: str
    operator: str
    value: str

    def __post_init__(self) -> None:
        if self.field not in FILTER_FIELDS:
            raise QueryError(
                f"unknown filter field {self.field!r}; use one of {', '.join(FILTER_FIELDS)}"
            )
        if self.operator not in FILTER_OPERATORS:
            raise QueryError(
                f"unknown operator {self.operator!r}; use one of {', '.join(FILTER_OPERATORS)}"
            )

    def to_api(self) -> dict[str, str]:
        return {"field": self.field, "operator": self.operator, "value": self.value}


@dataclass(frozen=True)
class TimeRange:
    """Both bounds in epoch milliseconds, as the API wants them."""

    from_ms: int
    to_ms: int

    def __post_init__(self) -> None:
        if self.from_ms > self.to_ms:
            raise QueryError("the time range starts after it ends; swap since and until")

    def to_api(self) -> dict[str, int]:
        return {"from": self.from_ms, "to": self.to_ms}


@dataclass(frozen=True)
class LogQuery:
    filters: tuple[Filter, ...] = field(default=())
    time_range: TimeRange | None = None

    def to_api_body(
        self, *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
    ) -> dict[str, Any]:
        if not 1 <= limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        body: dict[str, Any] = {"limit": limit, "filters": [f.to_api() for f in self.filters]}
        if cursor is not None:
            body["cursor"] = cursor
        if self.time_range is not None:
            body["time_range"] = self.time_range.to_api()
        return body

    @property
    def is_empty(self) -> bool:
        return not self.filters and self.time_range is None
