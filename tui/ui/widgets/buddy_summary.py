"""The Summary tab of a Buddy row: one action execution of a pipeline run.

What it reads is the row's detail as ``tui.sources.buddy.rows.detail_of`` built it, after
the model masked it (``CallDetail.detail_json``, through ``tui.redact``: a variable
whose key looks secret, or that Buddy marks ``encrypted``, shows as ``••••••``):

- the status, mapped (``running``) beside Buddy's own word (``INPROGRESS``): A.5;
- the trigger (A.3 ``triggered_on``/``triggeredOn``/``mode``) and who started the run,
  the branch, the revision and the run's comment (A.3, A.4);
- the approval: waiting for it (A.5 ``WAITING_FOR_APPLY``: approved in Buddy, or by the
  A.6 ``PATCH`` with ``APPLY``), or who approved it and when (``approver_id``,
  ``approval_date``);
- the times, the run's page in Buddy (``html_url``), and the passed and outputted
  variables (A.5 ``passed_variables``, ``outputted_variables``).

Every value goes through ``tui.sanitize.clean`` as it is drawn (``Facts``).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from tui import fmt
from tui.models.call import CallDetail
from tui.sanitize import clean
from tui.ui.widgets.facts import Facts

SOURCE = "buddy"
STATUS_STYLES = {
    "failed": "bold red",
    "success": "bold green",
    "running": "bold yellow",
    "waiting": "bold magenta",
    "queued": "bold cyan",
    "skipped": "dim",
}
WAITING_SAYS = {
    "WAITING_FOR_APPLY": "waiting for approval: approve it in Buddy (link below)",
    "WAITING_FOR_VARIABLES": "waiting for variables to be set in Buddy",
    "WAITING_FOR_SETTABLE_VARIABLES": "waiting for variables to be set in Buddy",
    "WAITING_FOR_VT_SESSION": "waiting for a visual tests session",
}
MAX_VARIABLES = 40  # of each kind, in the Summary (the JSON tab has them all)


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_buddy(call: CallDetail) -> bool:
    """Whether ``call`` is a Buddy action execution (a row of ``BuddySource``)."""
    return _object(_object(call.detail_json).get("metadata")).get("source") == SOURCE


def status_style(status: str) -> str:
    return STATUS_STYLES.get(status.lower(), "bold")


def _text(value: object) -> str:
    return "" if value is None or isinstance(value, dict | list) else str(value)


def variable_lines(variables: object) -> list[str]:
    """``KEY = value`` for each ``{"key", "value"}`` pair (masked already), at most
    ``MAX_VARIABLES``, then how many more."""
    pairs = [v for v in variables if isinstance(v, dict)] if isinstance(variables, list) else []
    shown = [f"{_text(v.get('key')) or '?'} = {_text(v.get('value'))}" for v in pairs]
    if len(shown) > MAX_VARIABLES:
        more = len(shown) - MAX_VARIABLES
        shown = [*shown[:MAX_VARIABLES], f"… {fmt.count(more, 'more')} (see the JSON tab)"]
    return shown


def approval_text(execution: dict[str, Any], buddy_status: str) -> str:
    if buddy_status in WAITING_SAYS:
        return WAITING_SAYS[buddy_status]
    approver, when = _text(execution.get("approver_id")), _text(execution.get("approval_date"))
    if not approver and not when:
        return ""
    said = f"approved by user {approver}" if approver else "approved"
    return f"{said} at {when}" if when else said


def buddy_summary_text(call: CallDetail, tz: tzinfo | None, now_ms: int | None) -> RenderableType:
    """The Summary tab of a Buddy action execution (see the module doc)."""
    detail = _object(call.detail_json)
    meta = _object(detail.get("metadata"))
    execution = _object(_object(detail.get("buddy")).get("action_execution"))
    buddy_status = _text(meta.get("buddy_status")) or _text(execution.get("status"))
    facts = Facts()
    line = facts.line

    head = Text()
    head.append(clean(call.tool or "(unknown action)", max_len=200), "bold")
    head.append("  ")
    head.append("FAILED" if call.failed else (call.status or "?"), status_style(call.status))
    if buddy_status:
        head.append(f"  (Buddy: {clean(buddy_status, max_len=40)})", "dim")
    head.append("\n")
    if call.failed:
        line("error", call.error or call.message or "(no message)", "red")
        facts.gap()
    line("pipeline", call.toolkit)
    run_status = _text(meta.get("run_status"))
    line("run", f"{call.session_id}  (run {run_status})" if run_status else call.session_id)
    line("action type", _text(meta.get("action_type")))
    who = _text(meta.get("trigger"))
    if call.user_id:
        who = f"{who} by {call.user_id}" if who else f"by {call.user_id}"
    line("trigger", who)
    line("branch", _text(meta.get("branch")))
    line("revision", _text(meta.get("revision")))
    line("comment", _text(meta.get("comment")))
    line("approval", approval_text(execution, buddy_status), "bold magenta")
    line("progress", f"{meta['progress']}%" if isinstance(meta.get("progress"), int) else "")
    line("started", fmt.full_time_ago(call.started_ms, tz, now_ms))
    line("ended", fmt.full_time(call.ended_ms, tz) if call.ended_ms is not None else "")
    if call.duration_ms is not None:
        line("duration", fmt.duration(call.duration_ms))
    elif call.started_ms is not None and now_ms is not None and call.status == "running":
        line("duration", f"running for {fmt.duration(max(0, now_ms - call.started_ms))}")
    line("in Buddy", _text(meta.get("html_url")), "underline")
    for label, key in (("passed vars", "passed_variables"), ("output vars", "outputted_variables")):
        for n, shown in enumerate(variable_lines(execution.get(key))):
            line(label if n == 0 else "", shown)
    line("id", call.log_id)
    return Group(head, facts.grid)
