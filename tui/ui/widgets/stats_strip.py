"""StatsStrip: one line under the title with calls and failures per minute (sparklines
over the last 30 minutes) and the last 5 minutes' error rate and p95, each coloured
against its own baseline (`tui.stats.trend`). `t` hides and shows it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static

from tui import fmt
from tui.stats.trend import RECENT_MINUTES, STRIP_MINUTES, Level, Trend

LEVEL_STYLES: dict[Level, str] = {
    "unknown": "dim",
    "usual": "green",
    "higher": "bold yellow",
    "alarming": "bold red",
}
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


class StatsStrip(Horizontal):
    DEFAULT_CSS = """
    StatsStrip {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    StatsStrip > .strip-label {
        width: auto;
        color: $text-muted;
        padding: 0 1 0 0;
    }
    StatsStrip > Sparkline {
        width: 1fr;
        margin: 0 1 0 0;
    }
    StatsStrip > #strip-failures > .sparkline--max-color {
        color: $error;
    }
    StatsStrip > #strip-failures > .sparkline--min-color {
        color: $error 30%;
    }
    StatsStrip > #strip-figures {
        width: auto;
    }
    """

    trend: Trend | None = None  # what it shows, once shown

    def compose(self) -> ComposeResult:
        yield Static(f"{STRIP_MINUTES}m calls", classes="strip-label")
        yield Sparkline([0] * STRIP_MINUTES, id="strip-calls")
        yield Static("fail", classes="strip-label")
        yield Sparkline([0] * STRIP_MINUTES, id="strip-failures")
        yield Static(Text("–", "dim"), id="strip-figures")

    def show(self, trend: Trend) -> None:
        self.trend = trend
        self.query_one("#strip-calls", Sparkline).data = [float(n) for n in trend.calls]
        self.query_one("#strip-failures", Sparkline).data = [float(n) for n in trend.failures]
        self.query_one("#strip-figures", Static).update(figures(trend))
