"""Pydantic models of what the Composio API sends and takes (api-contract.md A.1–A.6).

These follow the wire, not our needs: field names are the API's own (snake_case
for the v3.1 Logs API, camelCase for the legacy per-step trace), and unknown
fields are kept (``extra="allow"``) so nothing the server adds is lost on the
way to the JSON view or an export.

They are lenient on purpose. Much of the contract is inferred from generated
clients, not observed traffic, so enum-like values are plain strings (an unknown
status is shown, never a crash), numbers that arrive as strings (or the other
way round) are coerced, free-form objects of the wrong type become empty, and a
nonsensical number becomes ``None``. Only what the UI cannot do without (a log's
``id`` and ``timestamp``) is required.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from tui.models.loose import (
    json_kind,
    loose_int,
    loose_number,
    loose_text,
    text_or_empty,
    to_number,
)

__all__ = ["json_kind", "to_number"]  # read from here too, as before

# -- lenient scalar types ------------------------------------------------------------------


def _object_or_empty(value: object) -> object:
    return value if isinstance(value, dict) else {}


def _object_or_none(value: object) -> object:
    return value if isinstance(value, dict) else None


def _null_as_empty_list(value: object) -> object:
    return [] if value is None else value


def _list_or_empty(value: object) -> object:
    return value if isinstance(value, list) else []


# An enum-like or free text value: numbers and booleans become text, null ""
Text = Annotated[str, BeforeValidator(text_or_empty)]
# Optional text: as Text, but null stays None (absent and null look the same).
OptText = Annotated[str | None, BeforeValidator(loose_text)]
# An integer that may arrive as a float or a numeric string; garbage becomes None.
LooseInt = Annotated[int | None, BeforeValidator(loose_int)]
# Any number, kept as int when it is whole; garbage becomes None.
LooseNumber = Annotated[int | float | None, BeforeValidator(loose_number)]
# A free-form JSON object; anything that is not an object becomes {}.
JsonObject = Annotated[dict[str, Any], BeforeValidator(_object_or_empty)]
# A JSON object that may be missing; anything that is not an object becomes None.
OptJsonObject = Annotated[dict[str, Any] | None, BeforeValidator(_object_or_none)]


class WireModel(BaseModel):
    """Base for every wire model: keeps unknown fields, coerces numbers to text."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, coerce_numbers_to_str=True)


# -- A.2 list request ------------------------------------------------------------------------


class WireFilter(WireModel):
    field: Text
    operator: Text
    value: Text


class WireTimeRange(WireModel):
    from_: LooseInt = Field(default=None, alias="from")
    to: LooseInt = None


class ListLogsRequest(WireModel):
    """The body of ``POST /api/v3.1/logs/tool_execution``; every key is optional."""

    limit: LooseInt = None
    cursor: OptText = None
    filters: Annotated[list[WireFilter], BeforeValidator(_null_as_empty_list)] = Field(
        default_factory=list
    )
    time_range: WireTimeRange | None = None


# -- A.2 list response -----------------------------------------------------------------------


class WireParent(WireModel):
    log_id: OptText = None
    tool_slug: OptText = None


class WireLogItem(WireModel):
    id: str
    timestamp: str
    type: Text = ""
    status: Text = ""
    level: Text = ""
    message: OptText = None
    metadata: JsonObject = Field(default_factory=dict)
    metrics: JsonObject = Field(default_factory=dict)
    # A parent that is not an object cannot name a log to jump to.
    parent: Annotated[WireParent | None, BeforeValidator(_object_or_none)] = None


class ListLogsResponse(WireModel):
    logs: Annotated[list[WireLogItem], BeforeValidator(_null_as_empty_list)] = Field(
        default_factory=list
    )
    next_cursor: OptText = None


# -- A.3 detail --------------------------------------------------------------------------


class WireTimings(WireModel):
    start_time: LooseInt = None
    end_time: LooseInt = None


class WireContext(WireModel):
    session_id: OptText = None
    trace_id: OptText = None
    request_id: OptText = None


class WireSource(WireModel):
    host: OptText = None
    framework: OptText = None
    language: OptText = None


class WireLogDetail(WireLogItem):
    timings: Annotated[WireTimings | None, BeforeValidator(_object_or_none)] = None
    context: Annotated[WireContext, BeforeValidator(_object_or_empty)] = Field(
        default_factory=WireContext
    )
    source: Annotated[WireSource, BeforeValidator(_object_or_empty)] = Field(
        default_factory=WireSource
    )
    # The full request and response; its layout is not specified, so it is kept
    # exactly as sent (even if it is not an object).
    data: Any = Field(default_factory=dict)


# -- A.5 per-step execution trace (legacy, camelCase) --------------------------------------


class TraceModel(WireModel):
    """The legacy trace speaks camelCase; Python names are snake_case, aliases the wire's."""

    model_config = ConfigDict(alias_generator=to_camel)


class WireNetworkRequest(TraceModel):
    method: Text = ""
    url: Text = ""
    headers: OptJsonObject = None
    params: OptJsonObject = None
    timeout: LooseNumber = None
    # ``json`` would shadow BaseModel.json.
    json_body: Any = Field(default=None, alias="json")


class WireNetworkResponse(TraceModel):
    status: LooseInt = None
    time: OptText = None  # a STRING on the wire, e.g. "280ms"


class WireStepLog(TraceModel):
    type: Text = ""
    level: Text = ""
    message: OptText = None
    request_id: OptText = None
    time: LooseInt = None
    request: Annotated[WireNetworkRequest | None, BeforeValidator(_object_or_none)] = None
    response: Annotated[WireNetworkResponse | None, BeforeValidator(_object_or_none)] = None


class WireStep(TraceModel):
    type: Text = ""
    start_time: LooseInt = None
    end_time: LooseInt = None
    total_duration: LooseNumber = None  # a NUMBER here, unlike the trace's own
    status: Text = ""
    message: OptText = None
    metadata: OptJsonObject = None
    logs: Annotated[list[WireStepLog], BeforeValidator(_null_as_empty_list)] = Field(
        default_factory=list
    )


class WireTraceApp(TraceModel):
    name: OptText = None
    unique_id: OptText = None
    icon: OptText = None


class WireConnection(TraceModel):
    id: OptText = None
    entity: OptText = None


class WireTrace(TraceModel):
    action_log_id: OptText = None
    action_id: OptText = None
    status: Text = ""
    app: Annotated[WireTraceApp | None, BeforeValidator(_object_or_none)] = None
    version: OptText = None
    connection: Annotated[WireConnection | None, BeforeValidator(_object_or_none)] = None
    session: Any = None
    execution_metadata: Any = None
    steps: Annotated[list[WireStep], BeforeValidator(_null_as_empty_list)] = Field(
        default_factory=list
    )
    payload_received: Any = None
    start_time: LooseInt = None
    end_time: LooseInt = None
    total_duration: OptText = None  # a STRING here ("390", maybe "390ms"): shown raw
    response: Any = None
    error: Any = None


# -- A.1 / A.6 error bodies -------------------------------------------------------------------


class WireErrorBody(WireModel):
    """The inside of the v3/v3.1 envelope ``{"error": {...}}``; every field may be missing."""

    message: OptText = None
    code: OptText = None
    slug: OptText = None
    status: LooseInt = None
    request_id: OptText = None
    suggested_fix: OptText = None
    errors: Annotated[list[Any], BeforeValidator(_list_or_empty)] = Field(default_factory=list)


class WireErrorEnvelope(WireModel):
    error: WireErrorBody


class WireFlatError(WireModel):
    """The flat shapes: 429's ``{"message"}`` and v2's ``{status, message, requestId, ...}``."""

    message: OptText = None
    status: LooseInt = None
    request_id: OptText = Field(default=None, alias="requestId")
    type: OptText = None
    name: OptText = None
    details: Any = None


class ErrorInfo(BaseModel):
    """What any error body says, whichever shape it came in."""

    message: str | None = None
    code: str | None = None
    slug: str | None = None
    status: int | None = None
    request_id: str | None = None
    suggested_fix: str | None = None
    errors: list[str] = Field(default_factory=list)


def _error_strings(items: list[Any]) -> list[str]:
    out: list[str] = []
    for item in items:
        if isinstance(item, dict):
            text = loose_text(item.get("message") or item)
        else:
            text = loose_text(item)
        if isinstance(text, str) and text:
            out.append(text)
    return out


def parse_error_body(body: object) -> ErrorInfo:
    """Read any known error shape; never raises (an unknown shape gives an empty ErrorInfo)."""
    if not isinstance(body, dict):
        return ErrorInfo()
    try:
        inner = body.get("error")
        if isinstance(inner, dict):
            nested = WireErrorEnvelope.model_validate(body).error
            return ErrorInfo(
                message=nested.message,
                code=nested.code,
                slug=nested.slug,
                status=nested.status,
                request_id=nested.request_id or _top_request_id(body),
                suggested_fix=nested.suggested_fix,
                errors=_error_strings(nested.errors),
            )
        flat = WireFlatError.model_validate(body)
        message = flat.message
        if message is None and isinstance(inner, str):
            message = inner  # OAuth-style {"error": "..."}
        errors = body.get("errors")
        return ErrorInfo(
            message=message,
            status=flat.status,
            request_id=flat.request_id or _top_request_id(body),
            errors=_error_strings(errors) if isinstance(errors, list) else [],
        )
    except ValidationError:
        return ErrorInfo()


def summarize_errors(error: ValidationError, *, limit: int = 3) -> str:
    """A ValidationError in a few words: "timestamp missing, metadata wrong type"."""
    parts = []
    for problem in error.errors()[:limit]:
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        kind = "missing" if problem["type"] == "missing" else "wrong type"
        parts.append(f"{where} {kind}")
    more = error.error_count() - len(parts)
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def _top_request_id(body: dict[str, Any]) -> str | None:
    value = body.get("request_id")
    return value if isinstance(value, str) and value else None
