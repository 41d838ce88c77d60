"""One tool call as the detail pane shows it: the v3.1 detail joined with its per-step log.

The detail (api-contract A.3) says what was called, by whom and how it ended; the
legacy per-step log (A.5) says what happened inside: the steps, and the upstream
requests each made. Either may lack what the other has, so every field is looked
up in each known spot (see ``tui.models.normalize``), and a missing per-step log
degrades to what the detail holds, said in one line (``trace_note``).

Display fields are sanitized here (``tui.sanitize.clean``), ids excepted: they are
keys (see ``tui.models.entry``). Header values that carry credentials are masked
everywhere (``tui.redact``), in the JSON kept for the JSON tab and copy as well,
which otherwise keeps the server's strings as sent.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.errors import ApiError, NotFoundError, UnreadableBody
from tui.models.entry import LogEntry
from tui.models.normalize import entry_from_wire, first_text, wire_text
from tui.redact import redact_headers, redact_json, redact_params, redact_text
from tui.sanitize import clean

if TYPE_CHECKING:  # pydantic: the screen imports this module long before a detail opens
    from tui.models.wire import WireLogDetail, WireStep, WireStepLog, WireTrace

# Statuses that mean "this did not work", at any level: the list says "failed",
# steps say "failure" or "error", the per-step log's own status says "error".
FAILED_STATUSES = frozenset({"failed", "failure", "error"})

# Where the detail's free-form ``data`` keeps the tool's input and its answer,
# most likely first (the SDK fixture uses ``input``; seed 002 says ``data.request``).
_ARGUMENT_KEYS = ("input", "arguments", "request", "payload", "params")
_RESPONSE_KEYS = ("response", "output", "result")

_SHORT = 500  # slugs, statuses, the ids a call mentions
_NOTE = 300
_DURATION = re.compile(
    r"^\s*(?P<number>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>ms|s|secs?|us|µs|μs)?\s*$", re.IGNORECASE
)
_DURATION_UNIT_MS = {"": 1.0, "ms": 1.0, "s": 1000.0, "sec": 1000.0, "secs": 1000.0}
_DURATION_UNIT_MS.update({"us": 0.001, "µs": 0.001, "μs": 0.001})


@dataclass(frozen=True)
class NetworkCall:
    """One upstream HTTP request a step made, and how it was answered."""

    method: str
    url: str
    status: int | None
    at_ms: int | None
    duration_ms: float | None
    headers: dict[str, str]  # credential values masked; keys and values sanitized
    params: Any
    body: Any
    message: str
    level: str

    @property
    def failed(self) -> bool:
        return self.status is not None and self.status >= 400


@dataclass(frozen=True)
class Step:
    """One step of the execution (fetch_connection_details, tool_execution, ...)."""

    kind: str
    status: str
    started_ms: int | None
    ended_ms: int | None
    duration_ms: float | None
    message: str
    requests: tuple[NetworkCall, ...]
    notes: tuple[str, ...]
    selected: bool = False  # the step the row is (a Buddy run's action: ``metadata.selected``)

    @property
    def failed(self) -> bool:
        return self.status.lower() in FAILED_STATUSES


@dataclass(frozen=True)
class ExecuteInput:
    """What re-running the call sends (A.7), as the log holds it: not sanitized or cut
    for display, so the request is the logged one (credentials in the arguments stay
    masked, as everywhere)."""

    tool: str
    user_id: str
    connected_account_id: str
    version: str
    arguments: Any


@dataclass(frozen=True)
class CallDetail:
    """Everything the detail pane shows about one call. Build it with ``build_call``.

    The text fields are sanitized for display, except the ids (``log_id``,
    ``parent_log_id``): they are keys, as the server wrote them, cleaned where drawn."""

    log_id: str
    tool: str
    toolkit: str
    status: str
    level: str
    message: str
    user_id: str
    connected_account_id: str
    auth_config_id: str
    session_id: str
    trace_id: str
    request_id: str
    source_host: str
    source_framework: str
    source_language: str
    version: str
    started_ms: int | None
    ended_ms: int | None
    duration_ms: float | None
    parent_log_id: str | None
    parent_tool: str | None
    arguments: Any
    response: Any
    error: str
    steps: tuple[Step, ...]
    trace_note: str | None
    detail_json: Any
    trace_json: Any | None
    execute: ExecuteInput

    @property
    def failed(self) -> bool:
        return self.status.lower() in FAILED_STATUSES

    @property
    def requests(self) -> tuple[NetworkCall, ...]:
        """Every step's requests, in step order."""
        return tuple(request for step in self.steps for request in step.requests)

    @property
    def span_ms(self) -> tuple[int, int] | None:
        """The waterfall's time axis: earliest start to latest end of the call, its steps
        and their requests; None when nothing carries a time."""
        spans = [(self.started_ms, self.ended_ms)]
        spans += [(step.started_ms, step.ended_ms) for step in self.steps]
        for request in self.requests:
            end = None
            if request.at_ms is not None and request.duration_ms is not None:
                end = math.ceil(request.at_ms + request.duration_ms)
            spans.append((request.at_ms, end))
        points = [point for span in spans for point in span if point is not None]
        if not points:
            return None
        return min(points), max(points)


# -- building ---------------------------------------------------------------------------------


def build_call(
    detail: WireLogDetail, trace: WireTrace | None, *, trace_problem: ApiError | None = None
) -> CallDetail:
    """Join a detail with its per-step log (None when it could not be had: say why in
    ``trace_problem``). Never raises on odd content: what cannot be read is left empty."""
    from tui.models.wire import WireConnection, WireTrace, WireTraceApp

    entry, timestamp_ms = _entry(detail)
    meta = detail.metadata
    # Without a per-step log, read an empty one: every field of it is then missing.
    wire = trace if trace is not None else WireTrace()
    app = wire.app or WireTraceApp()
    connection = wire.connection or WireConnection()
    session, execution = _object(wire.session), _object(wire.execution_metadata)
    steps = tuple(_step(step) for step in wire.steps)
    started, ended, duration = _times(detail, wire, entry, timestamp_ms)
    data = detail.data if isinstance(detail.data, dict) else {}
    failed = entry.status.lower() in FAILED_STATUSES
    raw = entry.raw
    arguments = redact_json(_find(data, _ARGUMENT_KEYS, wire.payload_received))
    # The same places, in the same order, as the display fields below; raw values.
    execute = ExecuteInput(
        tool=_raw(wire_text(raw, "tool_slug"), wire.action_id),
        user_id=_raw(wire_text(raw, "user_id"), connection.entity),
        connected_account_id=_raw(wire_text(raw, "connected_account_id"), connection.id),
        version=_raw(
            first_text(meta, ("version",), ("tool", "version"), ("tool_version",)), wire.version
        ),
        arguments=arguments,
    )
    return CallDetail(
        log_id=detail.id,
        tool=_pick(entry.tool, wire.action_id),
        toolkit=_pick(entry.toolkit, app.unique_id, app.name),
        status=entry.status,
        level=entry.level,
        message=entry.message,
        user_id=_pick(entry.user_id, connection.entity),
        connected_account_id=_pick(entry.connected_account_id, connection.id),
        auth_config_id=entry.auth_config_id,
        session_id=_pick(entry.session_id, first_text(session, ("id",), ("session_id",))),
        trace_id=_pick(detail.context.trace_id, first_text(execution, ("traceId",), ("trace_id",))),
        request_id=_pick(detail.context.request_id),
        source_host=_pick(detail.source.host, first_text(execution, ("source",), ("host",))),
        source_framework=_pick(detail.source.framework, first_text(execution, ("framework",))),
        source_language=_pick(detail.source.language, first_text(execution, ("language",))),
        version=_pick(
            first_text(meta, ("version",), ("tool", "version"), ("tool_version",)), wire.version
        ),
        started_ms=started,
        ended_ms=ended,
        duration_ms=duration,
        parent_log_id=entry.parent_log_id,
        parent_tool=entry.parent_tool,
        arguments=arguments,
        response=redact_json(_find(data, _RESPONSE_KEYS, wire.response)),
        error=_error(data, wire, steps, entry.message) if failed else "",
        steps=steps,
        trace_note=None if trace is not None else trace_note(trace_problem),
        detail_json=redact_json(detail.model_dump(mode="json", by_alias=True)),
        trace_json=(
            redact_json(trace.model_dump(mode="json", by_alias=True)) if trace is not None else None
        ),
        execute=execute,
    )


def trace_note(problem: ApiError | None) -> str:
    """The one line that says the per-step log is missing, and why when known."""
    if problem is None:
        head = "No per-step log for this call"
    elif problem.status == 404:
        head = "No per-step log for this call (the server answered 404)"
    elif isinstance(problem, NotFoundError) and problem.detail:
        # Not from a server (a file): its own words, "file x.jsonl holds no per-step log…"
        said = clean(problem.detail, max_len=160)
        head = said[:1].upper() + said[1:]
    elif isinstance(problem, UnreadableBody):
        why = problem.detail or problem.server_message or "not what the API sends"
        head = f"The per-step log could not be read ({clean(why, max_len=160)})"
    else:
        head = f"The per-step log could not be fetched ({clean(str(problem), max_len=160)})"
    return clean(redact_text(f"{head}: showing what the detail holds."), max_len=_NOTE)


def parse_duration_ms(value: object) -> float | None:
    """A duration as the per-step log writes it -> milliseconds.

    ``280``, ``"280"`` and ``"280ms"`` are 280; ``"0.28s"`` is 280 too; ``"280us"``
    is 0.28. Anything else (garbage, negative, infinite) is None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and (match := _DURATION.match(value)):
        number = float(match["number"]) * _DURATION_UNIT_MS[(match["unit"] or "").lower()]
    else:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return round(number, 6)  # 0.28 * 1000 is 280.00000000000006


# -- pieces -----------------------------------------------------------------------------------


def _entry(detail: WireLogDetail) -> tuple[LogEntry, int | None]:
    """The list-item fields, read as the table reads them; and the timestamp in ms."""
    try:
        entry = entry_from_wire(detail)
    except UnreadableBody:
        # A detail we cannot place in time (or without an id) is still worth showing.
        patched = detail.model_copy(update={"id": detail.id.strip() or "-", "timestamp": "0"})
        return entry_from_wire(patched), None
    return entry, entry.timestamp_ms


def _raw(*candidates: object) -> str:
    """The first candidate that is non-empty text (or a number), as it is; else ""."""
    for candidate in candidates:
        if isinstance(candidate, bool):
            continue
        if isinstance(candidate, int | float) or (isinstance(candidate, str) and candidate):
            return str(candidate)
    return ""


def _pick(*candidates: object) -> str:
    """The first candidate that is non-empty text (or a number), sanitized; else ""."""
    found = _raw(*candidates)
    return clean(found, max_len=_SHORT) if found else ""


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _times(
    detail: WireLogDetail, trace: WireTrace, entry: LogEntry, timestamp_ms: int | None
) -> tuple[int | None, int | None, float | None]:
    """Start, end and duration: from the detail's timings, else the per-step log's,
    else the timestamp (taken as the start, as the demo server writes it) and metrics."""
    timings = detail.timings
    starts = [timings.start_time if timings else None, trace.start_time]
    ends = [timings.end_time if timings else None, trace.end_time]
    started = next((t for t in starts if t is not None), timestamp_ms)
    ended = next((t for t in ends if t is not None), None)
    duration: float | None = None
    if entry.duration_ms is not None:  # metrics.duration_ms, else the timings
        duration = float(entry.duration_ms)
    elif started is not None and ended is not None and ended >= started:
        duration = float(ended - started)
    else:
        duration = parse_duration_ms(trace.total_duration)
    if ended is None and started is not None and duration is not None and duration >= 0:
        ended = started + math.ceil(duration)  # not from fmt.INVALID_DURATION_MS
    if started is not None and ended is not None and ended < started:
        ended = None  # an end before the start says nothing about either
    return started, ended, duration


def _step(step: WireStep) -> Step:
    duration = parse_duration_ms(step.total_duration)
    if duration is None and step.start_time is not None and step.end_time is not None:
        duration = parse_duration_ms(step.end_time - step.start_time)
    requests: list[NetworkCall] = []
    notes: list[str] = []
    for log in step.logs:
        kind = log.type.strip().lower()
        if kind == "network" or (not kind and log.request is not None):
            requests.append(_network(log))
        else:
            notes.append(_note(log))
    return Step(
        kind=clean(step.type, max_len=_SHORT),
        status=clean(step.status, max_len=_SHORT),
        started_ms=step.start_time,
        ended_ms=step.end_time,
        duration_ms=duration,
        message=clean(redact_text(step.message or "")),
        requests=tuple(requests),
        notes=tuple(note for note in notes if note),
        selected=(step.metadata or {}).get("selected") is True,
    )


def _network(log: WireStepLog) -> NetworkCall:
    request, response = log.request, log.response
    return NetworkCall(
        method=clean(request.method if request else "", max_len=_SHORT),
        url=clean(redact_text(request.url) if request else ""),
        status=response.status if response else None,
        at_ms=log.time,
        duration_ms=parse_duration_ms(response.time) if response else None,
        headers=_headers(request.headers if request else None),
        params=redact_params(request.params) if request else None,
        body=redact_json(request.json_body) if request else None,
        message=clean(redact_text(log.message or "")),
        level=clean(log.level, max_len=_SHORT),
    )


def _note(log: WireStepLog) -> str:
    if log.message:
        return clean(redact_text(log.message))
    request = log.request
    if request is None or not (request.method or request.url):
        return ""
    said = f"{request.method} {request.url}".strip()
    if log.response is not None and log.response.status is not None:
        said += f" -> {log.response.status}"
    return clean(redact_text(said))


def _headers(headers: dict[str, Any] | None) -> dict[str, str]:
    if not headers:
        return {}
    shown: dict[str, str] = {}
    for name, value in redact_headers(headers).items():
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        shown[clean(name, max_len=_SHORT)] = clean(text)
    return shown


def _find(data: dict[str, Any], keys: Iterable[str], fallback: Any) -> Any:
    for key in keys:
        if data.get(key) is not None:
            return data[key]
    return fallback


def _error(data: dict[str, Any], trace: WireTrace, steps: tuple[Step, ...], message: str) -> str:
    """What went wrong, from the most specific place that says it: the tool's own
    error, the per-step log's, a failed step's message, and last the log's message."""
    for place in (data.get("response"), data.get("error"), trace.error, trace.response):
        said = _said(place)
        if said:
            return clean(redact_text(said))
    failed = next((step.message for step in steps if step.failed and step.message), "")
    return failed or message


def _said(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    from tui.models.wire import parse_error_body  # loaded already: build_call imports it

    return (parse_error_body(value).message or "").strip()
