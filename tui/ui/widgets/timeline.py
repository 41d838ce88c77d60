"""TimelineView: the call's steps and their network requests as a waterfall on one axis.

One row per step (``fetch_connection_details``, ``tool_execution``, …) with a bar as
long as its share of the call, coloured by status; under each step its requests
(method, URL, status, time) as bars too. Selecting a request shows its headers, params
and body below (headers already redacted by the model). A Buddy row's steps are its
run's actions (buddy-contract.md A.4 ``action_executions``, ``trace_of``): the one the
row is comes marked and chosen, one still running reaches now, and under them is what
the chosen one said. All text is sanitized by the model and drawn through ``Text``,
never markup.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui import fmt
from tui.models.call import CallDetail, NetworkCall, Step
from tui.sanitize import clean
from tui.ui.widgets.json_view import JsonView

BAR_WIDTH = 28
_OK = {"success", "ok"}
# A Buddy action's mapped statuses that are not failures (tui.sources.buddy.rows).
_STILL = {"running": "yellow", "queued": "cyan", "waiting": "magenta", "skipped": "dim"}
LAST_NOTES = 10  # of a step's log lines, under the waterfall (the Log tab has them all)
SELECTED_MARK = "▶ "  # before the step the row is (a Buddy run's selected action)


def bar(start: int | None, end: int | None, span: tuple[int, int] | None, width: int) -> str:
    """``width`` cells with the stretch ``start..end`` of ``span`` filled in."""
    if span is None or start is None or end is None or span[1] <= span[0]:
        return "·" * width
    total = span[1] - span[0]
    left = round((start - span[0]) / total * width)
    right = round((end - span[0]) / total * width)
    left = max(0, min(width - 1, left))
    right = max(left + 1, min(width, right))
    return "·" * left + "█" * (right - left) + "·" * (width - right)


def _status_style(status: str | int | None) -> str:
    if isinstance(status, int):
        return "green" if status < 400 else "bold red"
    word = (status or "").lower()
    return "green" if word in _OK else _STILL.get(word, "bold red")


def _open_end(step: Step, now_ms: int | None) -> int | None:
    """Where a step's bar ends: its end, or now while it runs (a Buddy action)."""
    if step.ended_ms is None and step.started_ms is not None and step.status == "running":
        return now_ms
    return step.ended_ms


class TimelineView(Vertical):
    DEFAULT_CSS = """
    TimelineView { height: 1fr; }
    TimelineView OptionList { height: auto; max-height: 60%; border: none; padding: 0; }
    TimelineView OptionList:focus { border: none; }
    TimelineView #timeline-caption { color: $text-muted; height: auto; }
    TimelineView JsonView { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._requests: dict[int, NetworkCall] = {}
        self._steps: dict[int, Step] = {}

    def compose(self) -> ComposeResult:
        yield OptionList(id="timeline-rows")
        yield Static("", id="timeline-caption", markup=False)
        yield JsonView(empty="Select a request to see its headers, params and body.")

    def show(self, call: CallDetail, now_ms: int | None = None) -> None:
        """Draw ``call``'s steps; a step still running (a Buddy action) reaches ``now_ms``,
        and the step the row is, when one is (``Step.selected``), is marked and chosen."""
        options = self.query_one(OptionList)
        options.clear_options()
        self._requests, self._steps = {}, {}
        span = call.span_ms
        ends = [_open_end(step, now_ms) for step in call.steps]
        if span is not None and any(end is not None and end > span[1] for end in ends):
            span = (span[0], max(end for end in ends if end is not None))
        caption = "" if span else "No timings: bars cannot be drawn."
        if call.trace_note:
            caption = call.trace_note
        if not call.steps:
            caption = caption or "This call has no per-step log."
        marked = any(step.selected for step in call.steps)
        chosen: int | None = None
        for step, end in zip(call.steps, ends, strict=True):
            if step.selected:
                chosen = options.option_count
            self._steps[options.option_count] = step
            options.add_option(Option(self._step_row(step, end, span, marked=marked)))
            for request in step.requests:
                self._requests[options.option_count] = request
                options.add_option(Option(self._request_row(request, span)))
        self.query_one("#timeline-caption", Static).update(caption)
        self.query_one(JsonView).show(None)
        if chosen is not None:
            options.highlighted = chosen
        elif self._requests:
            options.highlighted = min(self._requests)

    def _step_row(
        self, step: Step, end: int | None, span: tuple[int, int] | None, *, marked: bool
    ) -> Text:
        mark = ("", "")
        if marked:
            mark = (SELECTED_MARK, "bold") if step.selected else (" " * len(SELECTED_MARK), "")
        name = f"{clean(step.kind, max_len=40):<26}"
        return Text.assemble(
            mark,
            (bar(step.started_ms, end, span, BAR_WIDTH), _status_style(step.status)),
            " ",
            (name, "bold reverse" if step.selected else "bold"),
            (f"{clean(step.status, max_len=12):<8}", _status_style(step.status)),
            f"{fmt.duration(step.duration_ms):>10}",
            ("  " + clean(step.message, max_len=80) if step.message else "", "dim"),
            no_wrap=True,
            overflow="ellipsis",
        )

    def _request_row(self, request: NetworkCall, span: tuple[int, int] | None) -> Text:
        end = None
        if request.at_ms is not None and request.duration_ms is not None:
            end = request.at_ms + round(request.duration_ms)
        status = "—" if request.status is None else str(request.status)
        return Text.assemble(
            (bar(request.at_ms, end, span, BAR_WIDTH), _status_style(request.status)),
            "   ",
            (f"{clean(request.method, max_len=8):<7}", "bold"),
            (f"{status:<5}", _status_style(request.status)),
            f"{fmt.duration(request.duration_ms):>9}  ",
            clean(request.url, max_len=300),
            no_wrap=True,
            overflow="ellipsis",
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        request = self._requests.get(event.option_index)
        view = self.query_one(JsonView)
        step = self._steps.get(event.option_index)
        if step is not None and not step.requests and (step.notes or step.selected):
            # A step without requests (a Buddy action): what it said, last lines last.
            said: dict[str, Any] = {"step": step.kind, "status": step.status}
            if step.message:
                said["message"] = step.message
            if step.notes:
                said["last log lines"] = list(step.notes[-LAST_NOTES:])
            else:
                said["log"] = "in the Log tab (5)"
            view.show(said)
            return
        if request is None:
            view.show(None, empty="A step: select one of its requests below it.")
            return
        shown: dict[str, Any] = {
            "method": request.method,
            "url": request.url,
            "status": request.status,
            "headers": request.headers,
        }
        if request.params is not None:
            shown["params"] = request.params
        if request.body is not None:
            shown["body"] = request.body
        if request.message:
            shown["message"] = request.message
        view.show(shown)
