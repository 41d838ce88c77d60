"""`add_log` overrides: validated, then laid over a log drawn like any other."""

from __future__ import annotations

from typing import Any

from tui.demo import catalog
from tui.demo.failures import FAILURE_NAMES, Outcome
from tui.demo.store import FLAG_NESTED, Draft
from tui.demo.world import World

OVERRIDE_KEYS = frozenset(
    {
        "arguments",
        "auth_config_id",
        "connected_account_id",
        "duration_ms",
        "failure",
        "id",
        "instant_charge",
        "level",
        "log_id",
        "message",
        "nested",
        "parent",
        "request_id",
        "response",
        "sandbox_id",
        "session_id",
        "source",
        "status",
        "timestamp_ms",
        "tool_slug",
        "toolkit_slug",
        "user_id",
        "version",
    }
)


def check_keys(overrides: dict[str, Any]) -> None:
    unknown = set(overrides) - OVERRIDE_KEYS
    if unknown:
        # A typo would otherwise be silently ignored and the test would pass for nothing.
        raise TypeError(f"unknown add_log field(s): {', '.join(sorted(unknown))}")


def timestamp(overrides: dict[str, Any], now_ms: int) -> int:
    return _int("timestamp_ms", overrides.get("timestamp_ms", now_ms))


def _int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise ValueError(f"{name} must be a non-negative integer, not {value!r}")
    return value


def _str(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, not {value!r}")
    return value


def apply_overrides(draft: Draft, overrides: dict[str, Any], world: World) -> None:
    # Injected logs are for tests: no random layout or omitted message unless asked for.
    draft.flags = FLAG_NESTED if overrides.get("nested") else 0
    for name in ("log_id", "id"):
        if name in overrides:
            draft.log_id = _str(name, overrides[name])
    if "request_id" in overrides:
        draft.request_id = _str("request_id", overrides["request_id"])
    if "duration_ms" in overrides:
        duration = _int("duration_ms", overrides["duration_ms"])
        if duration >= 2**31:
            raise ValueError("duration_ms is too large")
        draft.duration_ms = duration
    outcome = _outcome(Outcome(draft.outcome), overrides)
    draft.outcome = int(outcome)
    _dimensions(draft, outcome, overrides, world)
    tool = catalog.TOOLS.get(draft.dims["tool_slug"])
    kit = catalog.TOOLKITS.get(draft.dims["toolkit_slug"])
    draft.version = _str("version", overrides.get("version", kit.version if kit else ""))
    charge = overrides.get("instant_charge", tool.charge if tool and not outcome else "")
    draft.charge = "" if charge is None else _str("instant_charge", charge)
    _extras(draft, overrides)


def _outcome(drawn: Outcome, overrides: dict[str, Any]) -> Outcome:
    if "failure" in overrides:
        name = overrides["failure"]
        if name not in FAILURE_NAMES:
            raise ValueError(f"failure must be one of {', '.join(FAILURE_NAMES)}, not {name!r}")
        return FAILURE_NAMES[name]
    status = overrides.get("status")
    if status == "success":
        return Outcome.OK
    if status == "failed" and drawn is Outcome.OK:
        return Outcome.UNAUTHORIZED
    return drawn


def _dimensions(draft: Draft, outcome: Outcome, overrides: dict[str, Any], world: World) -> None:
    dims = draft.dims
    dims["status"] = "failed" if outcome else "success"
    if "tool_slug" in overrides:
        dims["tool_slug"] = _str("tool_slug", overrides["tool_slug"])
        known = catalog.TOOLS.get(dims["tool_slug"])
        if known and "toolkit_slug" not in overrides:
            dims["toolkit_slug"] = known.toolkit
    # A status other than success/failed is allowed: the client must cope with it.
    for name in ("toolkit_slug", "user_id", "session_id", "status"):
        if name in overrides:
            dims[name] = _str(name, overrides[name])
    # Keep the derived ids consistent with the (possibly new) user, toolkit and session.
    toolkit = dims["toolkit_slug"]
    if outcome is Outcome.NO_ACCOUNT:
        dims["connected_account_id"] = ""
    elif toolkit in catalog.TOOLKITS:
        dims["connected_account_id"] = world.account(dims["user_id"], toolkit)
    dims["auth_config_id"] = world.auth_config(toolkit)
    dims["sandbox_id"] = world.sandbox(dims["session_id"]) if dims["session_id"] else ""
    for name in ("connected_account_id", "auth_config_id", "sandbox_id"):
        if name in overrides:
            dims[name] = _str(name, overrides[name])


def _extras(draft: Draft, overrides: dict[str, Any]) -> None:
    """Free-form parts that cannot be re-derived from the seed, so they are stored."""
    for name in ("arguments", "source", "response"):
        if name in overrides and not isinstance(overrides[name], dict):
            raise ValueError(f"{name} must be a dict")
    parent = overrides.get("parent")
    if parent is not None and not isinstance(parent, dict):
        raise ValueError("parent must be a {log_id, tool_slug} dict or None")
    for name in ("message", "level", "parent", "arguments", "source", "response"):
        if name in overrides:
            draft.extras[name] = overrides[name]
