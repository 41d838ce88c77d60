"""Buddy run and action execution -> one row (buddy-contract.md A.3–A.5), pure.

A row is one action execution, written as a log line of the shape every other part of
toolwatch reads (the Logs API's, api-contract A.2), so the table, the filters, the
detail pane, ``list``/``tail`` output, exports and ``--file`` replay all take it as
they are:

- ``id`` is ``PIPELINE/RUN/ACTION_EXECUTION`` (``12/57/68e4…``): ``get`` resolves it on
  its own, and the curl keys rebuild the A.5 and A.6 paths from it.
- ``status`` is the action's own, mapped (``STATUS_FOR``) to the words the query and the
  status colours know: failed, success (``ok``), running, queued, skipped, waiting.
  Buddy's own word stays in ``metadata.buddy_status``.
- ``timestamp`` is the run's start plus the action's position in the run, in
  milliseconds: it never changes while the action runs, so a row updated in place keeps
  its place (and the run's actions keep their order).
- ``metadata`` holds what the table and the filters read (``tool_slug`` the action's
  name, ``toolkit_slug`` the pipeline's, ``user_id`` who triggered the run,
  ``session_id`` the run ``PIPELINE/RUN``) and the run's context (branch, revision,
  trigger, comment, ``html_url``); ``buddy`` keeps the action execution as Buddy sent
  it (variables masked on the way out by the one redaction policy, ``tui.redact``).

Both doc generations are read where they differ (A.3 Field-name drift): ``triggered_on``,
``triggeredOn`` and the legacy ``mode``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from tui import fmt
from tui.errors import BadRequestError
from tui.models.loose import to_number
from tui.models.normalize import first_text, parse_timestamp_ms

STATUS_FOR: Final = {
    "SUCCESSFUL": "success",
    "FAILED": "failed",
    "TERMINATED": "failed",
    "INPROGRESS": "running",
    "TERMINATING": "running",
    "ENQUEUED": "queued",
    "INITIAL": "queued",
    "SKIPPED": "skipped",
    "NOT_EXECUTED": "skipped",
    "WAITING_FOR_APPLY": "waiting",
    "WAITING_FOR_VARIABLES": "waiting",
    "WAITING_FOR_SETTABLE_VARIABLES": "waiting",
    "WAITING_FOR_VT_SESSION": "waiting",
}
# Mapped statuses that may still change: the source keeps following these rows.
UNFINISHED: Final = frozenset({"running", "queued", "waiting"})
SOURCE_NAME: Final = "buddy"
LOG_LINES_KEPT: Final = 500  # of an action's log, in a detail (the last ones)


@dataclass(frozen=True)
class RowId:
    """Where a row's action execution is: pipeline id, run id, action execution id."""

    pipeline: int
    execution: int
    action: str

    def __str__(self) -> str:
        return f"{self.pipeline}/{self.execution}/{self.action}"

    @property
    def run(self) -> str:
        return f"{self.pipeline}/{self.execution}"


def parse_row_id(text: str) -> RowId:
    """``12/57/68e4…`` -> RowId; a BadRequestError that shows the form otherwise."""
    parts = text.strip().split("/")
    if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit() and parts[2]:
        return RowId(int(parts[0]), int(parts[1]), parts[2])
    raise BadRequestError(
        detail=f"{text[:80]!r} is not the id of a Buddy action execution",
        hint="A Buddy row's id is PIPELINE/RUN/ACTION_EXECUTION, such as "
        "12/57/68e49e0e0875a8847e0980da (the first column of `toolwatch list`).",
    )


def mapped_status(buddy_status: object) -> str:
    text = buddy_status if isinstance(buddy_status, str) else ""
    return STATUS_FOR.get(text.upper(), text.lower() or "queued")


def trigger_of(run: dict[str, Any]) -> str:
    """How the run was started, in either doc generation's words (A.3 Field-name drift)."""
    return first_text(run, ("triggered_on",), ("triggeredOn",), ("trigger",), ("mode",))


def time_ms(value: object) -> int | None:
    """An ISO date (any fraction, ``Z``) or epoch number -> ms; None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_timestamp_ms(value)
    except (ValueError, OverflowError):
        return None


def actions_of(run: dict[str, Any]) -> list[dict[str, Any]]:
    items = run.get("action_executions")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def action_execution_id(action: dict[str, Any]) -> str:
    """Its id (A.4 ``action_execution_id``, a 24-hex string; ``id`` in some answers)."""
    return first_text(action, ("action_execution_id",), ("id",))


def revision(action: dict[str, Any], message: str) -> str:
    """What changes while an action runs: a row whose revision changed is delivered again."""
    keys = ("status", "progress", "finish_date", "start_date", "error_message")
    return json.dumps([action.get(key) for key in keys] + [message], default=str)


def build_row(
    *,
    workspace: str,
    project: str,
    pipeline: dict[str, Any],
    run: dict[str, Any],
    action: dict[str, Any],
    position: int,
    message: str,
    now_ms: int,
) -> dict[str, Any]:
    """One action execution of ``run`` as a log line (see the module doc)."""
    pipeline_id = int(to_number(pipeline.get("id")) or 0)
    run_id = int(to_number(run.get("id")) or 0)
    row_id = RowId(pipeline_id, run_id, action_execution_id(action))
    buddy_status = first_text(action, ("status",))
    status = mapped_status(buddy_status)
    started = time_ms(action.get("start_date"))
    finished = time_ms(action.get("finish_date"))
    run_start = time_ms(run.get("start_date"))
    base = run_start if run_start is not None else (started if started is not None else now_ms)
    info = _object(action.get("action"))
    error = first_text(action, ("error_message",))
    duration = finished - started if started is not None and finished is not None else None
    metadata = {
        "source": SOURCE_NAME,
        "buddy_status": buddy_status,
        "tool_slug": first_text(info, ("name",)) or f"action {first_text(info, ('id',))}",
        "toolkit_slug": first_text(pipeline, ("name",), ("identifier",))
        or f"pipeline {pipeline_id}",
        "user_id": first_text(run, ("creator", "name"), ("to_revision", "committer", "name")),
        "session_id": row_id.run,
        "action_type": first_text(info, ("type",)),
        "workspace": workspace,
        "project": project,
        "pipeline_id": pipeline_id,
        "execution_id": run_id,
        "action_execution_id": row_id.action,
        "branch": first_text(run, ("branch", "name"), ("tag", "name")),
        "revision": first_text(run, ("to_revision", "revision")),
        "trigger": trigger_of(run),
        "comment": first_text(run, ("comment",)),
        "run_status": first_text(run, ("status",)),
        "progress": action.get("progress"),
        "html_url": first_text(action, ("html_url",)) or first_text(run, ("html_url",)),
    }
    embedded = {key: value for key, value in action.items() if key != "log"}
    return {
        "id": str(row_id),
        "timestamp": fmt.iso_utc(base + position),
        "type": first_text(info, ("type",)),
        "status": status,
        "level": "error" if status == "failed" else "info",
        "message": error or message,
        "metadata": metadata,
        "metrics": {"duration_ms": duration} if duration is not None and duration >= 0 else {},
        "timings": {"start_time": started, "end_time": finished},
        "buddy": {"action_execution": embedded},
    }


def detail_of(row: dict[str, Any], details: dict[str, Any], lines: list[str]) -> dict[str, Any]:
    """The row with the action's A.5 details and log: what the detail pane shows (its
    ``data``: the passed variables as the input, the log and outputted variables as the
    answer, ``error_message`` as the error)."""
    kept = lines[-LOG_LINES_KEPT:]
    cut = len(lines) - len(kept)
    response: dict[str, Any] = {"log": ([f"… {cut} earlier lines"] if cut else []) + kept}
    if isinstance(details.get("outputted_variables"), list):
        response["outputted_variables"] = details["outputted_variables"]
    data: dict[str, Any] = {
        "input": {"passed_variables": details.get("passed_variables") or []},
        "response": response,
    }
    error = first_text(details, ("error_message",))
    if error:
        data["error"] = error
    merged = {key: value for key, value in details.items() if key != "log"}
    return {**row, "data": data, "buddy": {**row.get("buddy", {}), "action_execution": merged}}


def trace_of(
    row_id: RowId, pipeline_name: str, run: dict[str, Any], lines: list[str]
) -> dict[str, Any]:
    """The run as a per-step log (legacy camelCase, api-contract A.5): one step per
    action execution (buddy-contract.md A.4 ``action_executions``), so the Timeline draws
    the run's actions as a waterfall; the selected action's step says so
    (``metadata.selected``) and carries its last log lines."""
    steps = []
    for action in actions_of(run):
        info = _object(action.get("action"))
        started, finished = time_ms(action.get("start_date")), time_ms(action.get("finish_date"))
        mine = action_execution_id(action) == row_id.action
        steps.append(
            {
                "type": first_text(info, ("name",)) or "action",
                "status": mapped_status(action.get("status")),
                "startTime": started,
                "endTime": finished,
                "totalDuration": finished - started if started and finished else None,
                "message": first_text(action, ("error_message",)),
                "metadata": {"selected": mine, "buddy_status": first_text(action, ("status",))},
                "logs": [{"type": "log", "message": line} for line in lines[-50:]] if mine else [],
            }
        )
    return {
        "actionLogId": str(row_id),
        "actionId": next(
            (
                s["type"]
                for s, a in zip(steps, actions_of(run), strict=True)
                if action_execution_id(a) == row_id.action
            ),
            None,
        ),
        "status": mapped_status(run.get("status")),
        "app": {"name": pipeline_name},
        "steps": steps,
        "startTime": time_ms(run.get("start_date")),
        "endTime": time_ms(run.get("finish_date")),
    }


@dataclass(frozen=True)
class RowPlace:
    """Where a row's action execution lives, read back from the row itself (for the
    copy keys of a row replayed from a file): ``""`` for what the row does not say."""

    workspace: str
    project: str
    api_base: str  # the API's base URL, from the action's ``url`` (A.5): "" when absent
    html_url: str  # the run's page in Buddy's web app (A.3 ``html_url``)


def is_buddy_row(obj: object) -> bool:
    """Whether a JSON line is a Buddy row as ``build_row`` writes it (``list --source
    buddy`` output, an export of a Buddy source): ``metadata.source`` says ``buddy``, or
    it carries the raw action execution under ``buddy``."""
    if not isinstance(obj, dict):
        return False
    meta = obj.get("metadata")
    if isinstance(meta, dict) and meta.get("source") == SOURCE_NAME:
        return True
    return isinstance(obj.get("buddy"), dict)


def place_of(row: dict[str, Any]) -> RowPlace:
    """The workspace, project, API base and web link a row carries (``metadata``, and the
    action execution's ``url`` under ``buddy``, cut where ``/workspaces/`` starts)."""
    meta = _object(row.get("metadata"))
    action = _object(_object(row.get("buddy")).get("action_execution"))
    url = first_text(action, ("url",))
    at = url.find("/workspaces/")
    return RowPlace(
        workspace=first_text(meta, ("workspace",)),
        project=first_text(meta, ("project",)),
        api_base=url[:at] if at > 0 and url.startswith(("http://", "https://")) else "",
        html_url=first_text(meta, ("html_url",)) or first_text(action, ("html_url",)),
    )


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
