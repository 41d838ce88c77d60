"""`--faults SPEC`: a short text form of a `FaultPlan`, e.g. "5xx=0.2,late=0.1:10s,seed=3"."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from tui.demo.faults import MAX_BURST_LOGS, MAX_HUGE_BYTES, FaultPlan

FAULT_SPEC_HELP = (
    "--faults takes comma-separated KIND=VALUE items; anything left out stays off. "
    "Shares of API requests (together at most 1): 5xx=SHARE answers 500/502/503/504, "
    "429=SHARE answers 429 (3 in 4 with Retry-After: 1-3), slow=SHARE[:DURATION] delays "
    "the answer (default 2s), truncate=SHARE cuts 200 bodies short, wrong-types=SHARE "
    "gives some logs.list items wrongly typed fields, stray4xx=SHARE answers 400, a "
    "gateway's 404 page or 418, badcursor=SHARE refuses logs.list cursors with 400, "
    "redirect=SHARE answers 302 to another host with the key in the Location, "
    "endless=SHARE answers 200 with a body that never ends, deep=SHARE, bigint=SHARE and "
    "nonfinite=SHARE put JSON nested 10,000 deep, 5,000-digit integers or NaN/Infinity/1e400 "
    "into some logs of a 200, secrets=SHARE plants credentials in every shape (headers, "
    "URL keys, case styles, nested values, free text). Shares of generated logs: "
    "hostile=SHARE fills their text with markup, terminal escapes, bidi controls and very "
    "long strings, huge=SHARE[:SIZE] makes their detail SIZE long (default 5MB), "
    "late=SHARE[:DURATION] lists them only up to DURATION after their timestamp (default "
    "10s). burst=COUNT[/DURATION] adds COUNT logs at once every DURATION (default 5s); "
    "incident=fail|slow:TARGET[:DURATION][@START] makes every generated log of TARGET (a "
    "toolkit or tool slug) fail, or take 5-20s, for DURATION (default 60s) from START "
    "after the start (default 0s), e.g. incident=fail:gmail:60s@30s; "
    "seed=N picks other faults (default 0). SHARE is 0-1 or a percentage (5%), DURATION "
    "like 2s or 500ms, SIZE like 5MB or 512KB (1KB = 1024 bytes). Example: "
    "5xx=0.2,429=0.05,slow=0.05:2s,late=0.1:10s,burst=500/5s,seed=3"
)

_DURATION = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(ms|s|m)?", re.IGNORECASE)
_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0}
_SIZE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", re.IGNORECASE)
_SIZE_UNITS = {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def parse_fault_spec(text: str) -> FaultPlan:
    """The plan `text` describes (see FAULT_SPEC_HELP); ValueError names any bad item."""
    settings: dict[str, Any] = {}
    seen: set[str] = set()
    for raw in text.split(","):
        item = raw.strip()
        if not item or item.lower() == "none":
            continue
        kind, equals, value = (part.strip() for part in item.partition("="))
        kind = kind.lower()
        parse = _KINDS.get(kind)
        if parse is None:
            raise ValueError(f"unknown fault {kind!r}; use one of {', '.join(_KINDS)}")
        if not equals or not value:
            raise ValueError(f"{kind!r} needs a value, e.g. {_EXAMPLES[kind]}")
        if kind in seen:
            raise ValueError(f"{kind!r} is given twice; give each fault once")
        seen.add(kind)
        settings.update(parse(f"{kind}={value}", value))
    plan_shares = {k: settings.get(f, 0.0) for k, f in _REQUEST_SHARES.items()}
    total = sum(plan_shares.values())
    if total > 1 + 1e-9:
        named = " + ".join(f"{k}={v:g}" for k, v in plan_shares.items() if v)
        raise ValueError(f"{named} = {total:g}: shares of requests must add up to at most 1")
    return FaultPlan(**settings)


def _share(item: str, text: str) -> float:
    percent = text.endswith("%")
    try:
        value = float(text[:-1] if percent else text)
    except ValueError:
        raise ValueError(
            f"{item}: a share is a number from 0 to 1 or a percentage, e.g. 0.05 or 5%"
        ) from None
    if percent:
        value /= 100
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise ValueError(f"{item}: a share must be between 0 and 1 (or 0% and 100%)")
    return value


def _duration(item: str, text: str, *, positive: bool) -> float:
    found = _DURATION.fullmatch(text)
    if found is None:
        raise ValueError(f"{item}: {text!r} is not a duration; write e.g. 2s, 500ms or 1.5")
    seconds = float(found[1]) * _DURATION_UNITS[(found[2] or "s").lower()]
    if positive and seconds < 0.001:
        raise ValueError(f"{item}: the duration must be at least 1ms")
    return seconds


def _size(item: str, text: str) -> int:
    found = _SIZE.fullmatch(text)
    if found is None:
        raise ValueError(f"{item}: {text!r} is not a size; write e.g. 5MB, 512KB or 100000")
    size = round(float(found[1]) * _SIZE_UNITS[(found[2] or "b")[0].lower()])
    if size > MAX_HUGE_BYTES:
        raise ValueError(f"{item}: the size must be at most {MAX_HUGE_BYTES >> 20}MB")
    return size


def _split(item: str, text: str, separator: str) -> tuple[str, str | None]:
    head, found, tail = text.partition(separator)
    if found and not tail:
        raise ValueError(f"{item}: nothing after {separator!r}")
    return head, tail if found else None


def _only_share(field: str) -> Callable[[str, str], dict[str, Any]]:
    def parse(item: str, text: str) -> dict[str, Any]:
        if ":" in text:
            example = _EXAMPLES[item.partition("=")[0]]
            raise ValueError(f"{item}: this fault takes only a share, e.g. {example}")
        return {field: _share(item, text)}

    return parse


def _share_and_duration(
    field: str, seconds: str, *, positive: bool
) -> Callable[[str, str], dict[str, Any]]:
    def parse(item: str, text: str) -> dict[str, Any]:
        share, duration = _split(item, text, ":")
        settings: dict[str, Any] = {field: _share(item, share)}
        if duration is not None:
            settings[seconds] = _duration(item, duration, positive=positive)
        return settings

    return parse


def _huge(item: str, text: str) -> dict[str, Any]:
    share, size = _split(item, text, ":")
    settings: dict[str, Any] = {"huge_rate": _share(item, share)}
    if size is not None:
        settings["huge_bytes"] = _size(item, size)
    return settings


def _burst(item: str, text: str) -> dict[str, Any]:
    count, every = _split(item, text, "/")
    if not count.isdigit() or int(count) > MAX_BURST_LOGS:
        raise ValueError(
            f"{item}: write burst=COUNT/DURATION, e.g. burst=500/5s, "
            f"with COUNT a whole number from 0 to {MAX_BURST_LOGS}"
        )
    settings: dict[str, Any] = {"burst_logs": int(count)}
    if every is not None:
        settings["burst_every_s"] = _duration(item, every, positive=True)
    return settings


def _incident(item: str, text: str) -> dict[str, Any]:
    spec, start = _split(item, text, "@")
    kind, _, rest = spec.partition(":")
    target, _, duration = rest.partition(":")
    if kind not in ("fail", "slow") or not target:
        raise ValueError(
            f"{item}: write incident=fail:TARGET or incident=slow:TARGET (a toolkit or tool "
            f"slug), with :DURATION and @START if wanted, e.g. {_EXAMPLES['incident']}"
        )
    settings: dict[str, Any] = {"incident_kind": kind, "incident_target": target}
    if duration:
        settings["incident_s"] = _duration(item, duration, positive=True)
    if start is not None:
        settings["incident_after_s"] = _duration(item, start, positive=False)
    return settings


def _seed(item: str, text: str) -> dict[str, Any]:
    try:
        seed = int(text)
    except ValueError:
        raise ValueError(f"{item}: the seed must be a whole number, e.g. seed=3") from None
    if not -(2**63) <= seed < 2**63:
        raise ValueError(f"{item}: the seed must fit in 64 bits")
    return {"seed": seed}


_KINDS: dict[str, Callable[[str, str], dict[str, Any]]] = {
    "5xx": _only_share("error_rate"),
    "429": _only_share("rate_limit_rate"),
    "slow": _share_and_duration("slow_rate", "slow_s", positive=False),
    "truncate": _only_share("truncate_rate"),
    "wrong-types": _only_share("wrong_types_rate"),
    "stray4xx": _only_share("stray4xx_rate"),
    "badcursor": _only_share("badcursor_rate"),
    "redirect": _only_share("redirect_rate"),
    "endless": _only_share("endless_rate"),
    "deep": _only_share("deep_rate"),
    "bigint": _only_share("bigint_rate"),
    "nonfinite": _only_share("nonfinite_rate"),
    "secrets": _only_share("secrets_rate"),
    "hostile": _only_share("hostile_rate"),
    "huge": _huge,
    "late": _share_and_duration("late_rate", "late_max_s", positive=True),
    "burst": _burst,
    "incident": _incident,
    "seed": _seed,
}
_EXAMPLES = {
    "5xx": "5xx=0.1",
    "429": "429=0.05",
    "slow": "slow=0.05:2s",
    "truncate": "truncate=0.02",
    "wrong-types": "wrong-types=0.02",
    "stray4xx": "stray4xx=0.05",
    "badcursor": "badcursor=0.05",
    "redirect": "redirect=0.01",
    "endless": "endless=0.01",
    "deep": "deep=0.02",
    "bigint": "bigint=0.02",
    "nonfinite": "nonfinite=0.02",
    "secrets": "secrets=0.1",
    "hostile": "hostile=0.05",
    "huge": "huge=0.01:5MB",
    "late": "late=0.1:10s",
    "burst": "burst=500/5s",
    "incident": "incident=fail:gmail:60s@30s",
    "seed": "seed=3",
}
_REQUEST_SHARES = {
    "5xx": "error_rate",
    "429": "rate_limit_rate",
    "slow": "slow_rate",
    "truncate": "truncate_rate",
    "wrong-types": "wrong_types_rate",
    "stray4xx": "stray4xx_rate",
    "badcursor": "badcursor_rate",
    "redirect": "redirect_rate",
    "endless": "endless_rate",
    "deep": "deep_rate",
    "bigint": "bigint_rate",
    "nonfinite": "nonfinite_rate",
    "secrets": "secrets_rate",
}
