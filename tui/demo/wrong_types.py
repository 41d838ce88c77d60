"""A logs.list page in which some items break the A.2 types: the client must skip or cope.

Only a few items are damaged, each in one or two fields, so a robust client can still show
the rest of the page.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

# (field, how to give it the wrong JSON type), each breaking what A.2 promises.
BREAKERS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("timestamp", lambda value: 1_790_000_000_000),  # a number, not an ISO string
    ("timestamp", lambda value: None),
    ("status", lambda value: [value]),  # a list, not "success" | "failed"
    ("metadata", lambda value: "tool_slug=GMAIL_SEND_EMAIL"),  # a string, not an object
    ("metrics", lambda value: [value]),
    ("id", lambda value: 4821),
    ("level", lambda value: 3),
    ("message", lambda value: {"text": value}),
    ("parent", lambda value: "log_parent"),  # a string, not an object or null
    ("type", lambda value: None),
)


def break_types(body: Any, rng: Random) -> Any:
    """A copy of a list response with up to a third of its items wrongly typed."""
    if not isinstance(body, dict) or not isinstance(body.get("logs"), list):
        return body
    logs: list[Any] = list(body["logs"])
    if not logs:
        return body
    count = rng.randint(1, max(1, len(logs) // 3))
    for position in rng.sample(range(len(logs)), count):
        item = dict(logs[position])
        for name, breaker in rng.sample(BREAKERS, rng.randint(1, 2)):
            item[name] = breaker(item.get(name))
        logs[position] = item
    return {**body, "logs": logs}
