"""What differs between two calls: the one home of call comparison (headless).

Ids, timestamps and durations always differ, so the comparison is over what a call
means: its status and error, who made it with what account and version, its input
and its response, and its steps with their requests' methods, URLs and statuses. JSON
is flattened to paths (``arguments.to``, ``steps[1].requests[0].status``) and compared
path by path; values are kept raw here and sanitized where they are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tui.models.call import CallDetail

MAX_CHANGES = 500


@dataclass(frozen=True)
class Change:
    kind: Literal["changed", "added", "removed"]
    path: str
    before: Any = None  # in the first call (None when added)
    after: Any = None  # in the second call (None when removed)


def comparable(call: CallDetail) -> dict[str, Any]:
    """The parts of a call worth comparing with another call."""
    return {
        "status": call.status,
        "error": call.error,
        "tool": call.tool,
        "toolkit": call.toolkit,
        "user_id": call.user_id,
        "connected_account_id": call.connected_account_id,
        "auth_config_id": call.auth_config_id,
        "version": call.version,
        "source": " / ".join(
            v for v in (call.source_host, call.source_framework, call.source_language) if v
        ),
        "arguments": call.arguments,
        "response": call.response,
        "steps": [
            {
                "kind": step.kind,
                "status": step.status,
                "requests": [
                    {"method": r.method, "url": r.url, "status": r.status} for r in step.requests
                ],
            }
            for step in call.steps
        ],
    }


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Leaf paths of a JSON value; an empty object or list is a leaf of its own."""
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(flatten(item, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for n, item in enumerate(value):
            out.update(flatten(item, f"{path}[{n}]"))
        return out
    return {path: value}


def diff_calls(first: CallDetail, second: CallDetail) -> list[Change]:
    """Changes from ``first`` to ``second``: changed paths first, then removed, added."""
    a, b = flatten(comparable(first)), flatten(comparable(second))
    changed = [Change("changed", p, a[p], b[p]) for p in a if p in b and a[p] != b[p]]
    removed = [Change("removed", p, before=a[p]) for p in a if p not in b]
    added = [Change("added", p, after=b[p]) for p in b if p not in a]
    return (changed + removed + added)[:MAX_CHANGES]
