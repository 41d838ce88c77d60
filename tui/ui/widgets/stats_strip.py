"""StatsStrip: one line under the title with calls and failures per minute (sparklines
over the last 30 minutes) and the last 5 minutes' error rate and p95, each coloured
against its own baseline (`tui.stats.trend`). `t` hides and shows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.text import Text
from textual.renderables.sparkline import Sparkline as SparklineRenderable
from textual.widget import Widget

from tui import fmt
from tui.stats.trend import RECENT_MINUTES, STRIP_MINUTES, Level, Trend

LEVEL_STYLES: dict[Level, str] = {
    "unknown": "dim",
    "usual": "green",
    "higher": "bold yellow",
    "alarming": "bold red",
}
CALLS_LABEL = f"{STRIP_MINUTES}m calls"
FAILURES_LABEL = "fail"
LEVEL_MARKS: dict[Level, str] = {"unknown": "", "usual": "", "higher": " ↑", "alarming": " ↑↑"}


def figures(trend: Trend) -> Text:
    """``err 4.2% ↑  p95 1.2s`` of the last minutes, styled by level."""
    recent = trend.recent
    rate = f"{recent.error_rate * 100:.1f}%" if recent.count else "–"
    p95 = trend.p95_ms
    return Text.assemble(
        (f"{RECENT_MINUTES}m ", "dim"),
        ("err ", "dim"),
        (rate + LEVEL_MARKS[trend.error_rate_level], LEVEL_STYLES[trend.error_rate_level]),
        ("  p95 ", "dim"),
        (
            (fmt.duration(p95) if p95 is not None else "–") + LEVEL_MARKS[trend.p95_level],
            LEVEL_STYLES[trend.p95_level],
        ),
    )


class StatsStrip(Widget):
    """One widget, drawn as one line: it was five (labels, two Sparklines, the figures)
    in a Horizontal, and styling and laying them out cost the first frame about 20 ms
    (issue 15). The line is laid out as that Horizontal laid it out: the labels and the
    figures at their width, the sparklines sharing the rest (the first the smaller half),
    a cell after each."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "stats-strip--label",
        "stats-strip--calls-max",
        "stats-strip--calls-min",
        "stats-strip--failures-max",
        "stats-strip--failures-min",
    }
    DEFAULT_CSS = """
    StatsStrip {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    StatsStrip > .stats-strip--label {
        color: $text-muted;
    }
    StatsStrip > .stats-strip--calls-max {
        color: $primary;
    }
    StatsStrip > .stats-strip--calls-min {
        color: $primary 30%;
    }
    StatsStrip > .stats-strip--failures-max {
        color: $error;
    }
    StatsStrip > .stats-strip--failures-min {
        color: $error 30%;
    }
    """

    trend: Trend | None = None  # what it shows, once shown

    def show(self, trend: Trend) -> None:
        self.trend = trend
        self.refresh()

    @property
    def calls(self) -> list[float]:
        """Calls per minute, as the first sparkline draws them (oldest first)."""
        return _per_minute(None if self.trend is None else self.trend.calls)

    @property
    def failures(self) -> list[float]:
        return _per_minute(None if self.trend is None else self.trend.failures)

    def render(self) -> RenderableType:
        label = self.get_component_rich_style("stats-strip--label")
        shown = figures(self.trend) if self.trend is not None else Text.styled("–", "dim")
        head = (Text.styled(CALLS_LABEL, label), Text(" "))
        middle = (Text(" "), Text.styled(FAILURES_LABEL, label), Text(" "))
        tail = (Text(" "), shown)
        fixed = sum(part.cell_len for part in (*head, *middle, *tail))
        rest = max(0, self.content_region.width - fixed)  # the sparklines' share
        calls = self._sparkline(self.calls, rest // 2, "calls")
        failures = self._sparkline(self.failures, rest - rest // 2, "failures")
        return _Line((*head, calls, *middle, failures, *tail))

    def _sparkline(self, data: list[float], width: int, kind: str) -> RenderableType:
        if width <= 0:
            return Text()  # (the renderable would take the whole line for 0)
        _, base = self.background_colors
        low = base + self.get_component_styles(f"stats-strip--{kind}-min").color
        high = base + self.get_component_styles(f"stats-strip--{kind}-max").color
        return SparklineRenderable(
            data, width=width, height=1, min_color=low.rich_color, max_color=high.rich_color
        )


def _per_minute(counts: Sequence[int] | None) -> list[float]:
    return [0.0] * STRIP_MINUTES if counts is None else [float(n) for n in counts]


class _Line:
    """Renderables drawn one after the other on one line (each at its own width). A text
    is drawn by its spans (``Text.render``): its own style must be a span."""

    def __init__(self, parts: tuple[RenderableType, ...]) -> None:
        self.parts = parts

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for part in self.parts:
            if isinstance(part, Text):
                yield from part.render(console)
            else:
                yield from console.render(part, options)
