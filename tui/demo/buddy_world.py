"""The Buddy demo's seeded world: pipelines, and runs whose actions play out in time.

A run is planned once, when its start comes (``BuddyWorld.advance``); what it looks like
at any moment is derived from its plan and the clock (``run_view``): actions queue, run
one after another with their log growing a line at a time, then pass or fail (about 1 in
10 runs fails; the actions after a failure are not executed). One run of the release
pipeline waits for approval (``WAITING_FOR_APPLY``) until ``approve`` is called.

Shapes follow buddy-contract.md A.2–A.5, not toolwatch's models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tui.demo.ids import HEX, iso_ms, stream, token

WORKSPACE = "acme"
PROJECT = "agents"
APP_URL = "https://app.buddy.works"
PIPELINES = (
    (12, "build-and-test", "master"),
    (14, "deploy-staging", "develop"),
    (15, "nightly-e2e", "master"),
    (17, "release", "master"),
)
# name, Buddy action type, typical seconds, log lines it writes
ACTIONS = {
    "build": ("Build Docker image", "DOCKERFILE", 40, 24),
    "test": ("Run tests", "BUILD", 60, 40),
    "deploy": ("Deploy to staging", "KUBERNETES_APPLY", 30, 16),
    "approve": ("Approve release", "WAIT_FOR_APPLY", 0, 1),
    "release": ("Publish release", "BUILD", 20, 10),
}
STEPS = {
    12: ("build", "test"),
    14: ("build", "test", "deploy"),
    15: ("test",),
    17: ("build", "approve", "release"),
}
PEOPLE = ("Mike Benson", "Ada Okafor", "Lin Wei", "Sam Rivera")
TRIGGERS = ("CLICK", "EVENT", "SCHEDULE", "WEBHOOK")
FAIL_SHARE = 0.1
LINE_MS = 1500  # one log line this often while an action runs


@dataclass
class ActionPlan:
    key: str
    hex_id: str
    duration_ms: int
    lines: int
    fails: bool = False


@dataclass
class RunPlan:
    pipeline: int
    run_id: int
    hex_id: str
    start_ms: int
    trigger: str
    creator: str
    revision: str
    comment: str
    actions: list[ActionPlan]
    approved_ms: int | None = None  # for a run that waits for approval
    cancelled_ms: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class BuddyWorld:
    def __init__(self, seed: int, rate: float, prefill: int) -> None:
        self.seed = seed
        self.gap_ms = max(1, round(1000 / rate)) if rate > 0 else None
        self.prefill = prefill
        self.runs: list[RunPlan] = []
        self._counters = {pid: 0 for pid, _, _ in PIPELINES}
        self._next_ms: int | None = None
        self._made = 0

    def begin(self, now_ms: int) -> None:
        spacing = self.gap_ms or 20_000
        for back in range(self.prefill, 0, -1):
            self._plan(now_ms - back * max(spacing, 200_000 // max(self.prefill, 1)))
        self._next_ms = now_ms + (self.gap_ms or 0)

    def advance(self, now_ms: int) -> None:
        if self.gap_ms is None or self._next_ms is None:
            return
        while self._next_ms <= now_ms:
            self._plan(self._next_ms)
            self._next_ms += self.gap_ms

    def start_run(self, pipeline: int, now_ms: int) -> RunPlan:
        """A run of ``pipeline`` starting now (the API's run and retry)."""
        return self._plan(now_ms, pipeline)

    def _plan(self, start_ms: int, pipeline: int | None = None) -> RunPlan:
        number = self._made
        self._made += 1
        rng = stream(self.seed, "buddy-run", number)
        if pipeline is None:
            pipeline = rng.choice([pid for pid, _, _ in PIPELINES])
        self._counters[pipeline] += 1
        fails = rng.random() < FAIL_SHARE
        steps = STEPS[pipeline]
        failing = rng.randrange(len(steps)) if fails else -1
        actions = []
        for n, key in enumerate(steps):
            _, _, seconds, lines = ACTIONS[key]
            actions.append(
                ActionPlan(
                    key=key,
                    hex_id=token(rng, 24, HEX),
                    duration_ms=round(seconds * 1000 * rng.uniform(0.6, 1.4)),
                    lines=lines,
                    fails=n == failing and key != "approve",
                )
            )
        waits = pipeline == 17 and not any(
            r.pipeline == 17 and r.extra.get("waits") for r in self.runs
        )
        plan = RunPlan(
            pipeline=pipeline,
            run_id=self._counters[pipeline],
            hex_id=token(rng, 24, HEX),
            start_ms=start_ms,
            trigger=rng.choice(TRIGGERS),
            creator=rng.choice(PEOPLE),
            revision=token(rng, 40, HEX),
            comment=rng.choice(("", "hotfix", "bump deps", "nightly")),
            actions=actions,
        )
        if pipeline == 17 and not waits:
            plan.approved_ms = start_ms  # only one release run ever waits
        plan.extra["waits"] = waits
        self.runs.append(plan)
        return plan

    def find(self, pipeline: int, run_id: int) -> RunPlan | None:
        for plan in self.runs:
            if plan.pipeline == pipeline and plan.run_id == run_id:
                return plan
        return None

    def of_pipeline(self, pipeline: int, now_ms: int) -> list[RunPlan]:
        """Its runs started by ``now_ms``, newest first (A.3's order)."""
        found = [p for p in self.runs if p.pipeline == pipeline and p.start_ms <= now_ms]
        return sorted(found, key=lambda p: p.run_id, reverse=True)


# -- views (A.3–A.5) ----------------------------------------------------------------------


def pipeline_name(pipeline: int) -> str:
    return next(name for pid, name, _ in PIPELINES if pid == pipeline)


def _branch(pipeline: int) -> str:
    return next(ref for pid, _, ref in PIPELINES if pid == pipeline)


def action_states(plan: RunPlan, now_ms: int) -> list[dict[str, Any]]:
    """Each action's status, start, finish and how many log lines it has written."""
    states: list[dict[str, Any]] = []
    at = plan.start_ms + 2000  # queued for two seconds
    stopped = waiting = False  # after a failure / behind an action not done
    for action in plan.actions:
        state: dict[str, Any] = {"plan": action, "start": None, "finish": None, "lines": 0}
        if stopped:
            state["status"] = "NOT_EXECUTED"
        elif now_ms < at or waiting:
            state["status"] = "ENQUEUED"
        elif action.key == "approve":
            state.update(start=at, lines=1)
            if plan.approved_ms is None or plan.approved_ms > now_ms:
                state["status"] = "WAITING_FOR_APPLY"
                waiting = True  # the next ones queue behind it
                states.append(state)
                continue
            at = max(at, plan.approved_ms)
            state.update(status="SUCCESSFUL", finish=at)
        else:
            end = at + action.duration_ms
            state["start"] = at
            state["lines"] = min(action.lines, 1 + (now_ms - at) // LINE_MS)
            if now_ms < end:
                state["status"] = "INPROGRESS"
                waiting = True  # the next ones queue behind it
                states.append(state)
                continue
            state.update(status="FAILED" if action.fails else "SUCCESSFUL", finish=end)
            state["lines"] = action.lines
            stopped = action.fails
            at = end
        states.append(state)
    return states


def run_status(states: list[dict[str, Any]]) -> str:
    statuses = [s["status"] for s in states]
    if "FAILED" in statuses:
        return "FAILED"
    if "INPROGRESS" in statuses or "WAITING_FOR_APPLY" in statuses:
        return "INPROGRESS"
    if all(s == "ENQUEUED" for s in statuses):
        return "ENQUEUED"
    if all(s in ("SUCCESSFUL", "SKIPPED", "NOT_EXECUTED") for s in statuses):
        return "SUCCESSFUL"
    return "INPROGRESS"


def log_lines(plan: RunPlan, action: ActionPlan, count: int, status: str) -> list[str]:
    name = ACTIONS[action.key][0]
    lines = []
    for n in range(count):
        if action.key == "approve":
            lines.append("Waiting for approval" if status.startswith("WAITING") else "Approved")
        elif n == 1 and plan.extra.get("log_line"):  # planted by a test
            lines.append(str(plan.extra["log_line"]))
        elif n == 0:
            lines.append(f"Executing: {name} on {_branch(plan.pipeline)}@{plan.revision[:7]}")
        else:
            lines.append(f"[{action.key}] step {n}: ok ({n * LINE_MS // 1000}s)")
    # The last line comes when it ends, after the others (a log only grows: A.5's offset).
    if status == "FAILED":
        lines.append(f"Error: {name.lower()} failed: exit code 1 (after {count} steps)")
    elif status == "SUCCESSFUL" and action.key != "approve":
        lines.append(f"Action finished: {name} succeeded")
    return lines


def urls(base: str, plan: RunPlan) -> tuple[str, str]:
    project = f"{WORKSPACE}/projects/{PROJECT}"
    api = f"{base}/workspaces/{project}/pipelines/{plan.pipeline}/executions/{plan.run_id}"
    html = f"{APP_URL}/{WORKSPACE}/{PROJECT}/pipelines/pipeline/{plan.pipeline}"
    html += f"/execution/{plan.hex_id}"
    return api, html


def short_run(base: str, plan: RunPlan, now_ms: int) -> dict[str, Any]:
    """A.3's ShortExecutionView, in the v1.1.0 names (``triggeredOn``)."""
    states = action_states(plan, now_ms)
    finishes = [s["finish"] for s in states if s["finish"] is not None]
    status = run_status(states)
    api, html = urls(base, plan)
    return {
        "url": api,
        "html_url": html,
        "id": plan.run_id,
        "start_date": iso_ms(plan.start_ms),
        "finish_date": iso_ms(max(finishes))
        if status in ("SUCCESSFUL", "FAILED") and finishes
        else None,
        "priority": "NORMAL",
        "triggeredOn": plan.trigger,
        "refresh": False,
        "status": status,
        "comment": plan.comment,
        "branch": {"name": _branch(plan.pipeline), "default": True},
        "to_revision": {
            "revision": plan.revision,
            "message": "Update agents\n",
            "committer": {"id": 1, "name": plan.creator},
        },
        "creator": {"id": 1, "name": plan.creator},
    }


def full_run(base: str, plan: RunPlan, now_ms: int) -> dict[str, Any]:
    """A.4's ExecutionView, in the newer names (``triggered_on``), with its actions."""
    run = short_run(base, plan, now_ms)
    run["triggered_on"] = run.pop("triggeredOn")
    run["action_executions"] = [
        action_view(base, plan, state, with_log=False) for state in action_states(plan, now_ms)
    ]
    return run


def action_view(
    base: str, plan: RunPlan, state: dict[str, Any], *, with_log: bool
) -> dict[str, Any]:
    """An action execution: embedded in A.4, or A.5's details (``with_log``: its log[]
    and variables; an encrypted one among them)."""
    action: ActionPlan = state["plan"]
    name, kind, _, _ = ACTIONS[action.key]
    api, html = urls(base, plan)
    status = state["status"]
    index = list(ACTIONS).index(action.key) + 1
    view: dict[str, Any] = {
        "url": f"{api}/action_executions/{action.hex_id}",
        "html_url": f"{html}/?actionExecutionId={action.hex_id}",
        "action_execution_id": action.hex_id,
        "status": status,
        "progress": 100 if state["finish"] else (0 if state["start"] is None else 50),
        "start_date": iso_ms(state["start"]) if state["start"] is not None else None,
        "finish_date": iso_ms(state["finish"]) if state["finish"] is not None else None,
        "action": {
            "id": index,
            "name": name,
            "type": kind,
            "url": f"{base}/actions/{index}",
            "html_url": f"{html}/action/{index}/edit",
        },
    }
    if status == "FAILED":
        view["error_message"] = f"{name} failed: exit code 1"
    if with_log:
        view["log"] = log_lines(plan, action, state["lines"], status)
        view["passed_variables"] = [
            {"key": "ENVIRONMENT", "value": "staging"},
            {"key": "DEPLOY_TOKEN", "value": "dtk_" + plan.revision[:20]},
            {"key": "signing", "value": "s3cr3t-" + plan.hex_id[:8], "encrypted": True},
            *plan.extra.get("variables", ()),  # planted by a test
        ]
        view["outputted_variables"] = [{"key": "IMAGE_TAG", "value": plan.revision[:12]}]
        if plan.approved_ms is not None and action.key == "approve":
            view["approver_id"] = 1
            view["approval_date"] = iso_ms(plan.approved_ms)
    return view
