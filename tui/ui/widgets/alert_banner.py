"""AlertBanner: the alert rules that fired and were not acknowledged yet, one line under
the stats strip; it stays (a resolved one says so) until `x` acknowledges them."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual.widgets import Static

from tui import fmt
from tui.rules import ERROR_RATE, SOURCE_RULE, Episode, Rule
from tui.sanitize import clean

MAX_NAME = 40


def value_text(rule: Rule | None, value: float | None) -> str:
    """A rule's value as a person reads it: a count, a share, a duration."""
    if value is None:
        return "–"
    if rule is None:  # the source: seconds failing
        return f"{value:.0f}s"
    if rule.metric == ERROR_RATE:
        return f"{value * 100:.1f}%"
    if rule.metric.startswith("p"):
        return fmt.duration(value)
    return f"{value:g}"


def describe(episode: Episode, rule: Rule | None, tz: tzinfo | None) -> Text:
    """``▲ gmail failing: 7 (toolkit:gmail failed >= 5 in 1m) since 10:24:03``."""
    name = clean(episode.rule, max_len=MAX_NAME)
    since = fmt.clock_time(episode.fired_at_ms, tz)
    if episode.rule == SOURCE_RULE and rule is None:
        what = f"the source has been failing {value_text(None, episode.value)}"
    else:
        when = clean(rule.text, max_len=60) if rule is not None else ""
        what = f"{value_text(rule, episode.value)} ({when})"
    resolved = episode.resolved_at_ms
    text = Text.assemble(
        ("▲ " if resolved is None else "✓ ", "bold"),
        (name, "bold"),
        f": {what} since {since}",
    )
    if resolved is not None:
        text.append(f", resolved {fmt.clock_time(resolved, tz)}")
    return text


class AlertBanner(Static):
    DEFAULT_CSS = """
    AlertBanner {
        display: none;
        height: auto;
        padding: 0 1;
        background: $error;
        color: $text;
    }
    AlertBanner.-resolved {
        background: $warning-darken-2;
    }
    """

    def __init__(self, *, tz: tzinfo | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._tz = tz
        self.episodes: list[Episode] = []

    def show(self, episodes: list[Episode], rules: dict[str, Rule]) -> None:
        """The episodes to show, newest last (none: the banner goes)."""
        self.episodes = list(episodes)
        self.display = bool(episodes)
        if not episodes:
            return
        newest = episodes[-1]
        text = describe(newest, rules.get(newest.rule), self._tz)
        if len(episodes) > 1:
            text.append(f" (+{len(episodes) - 1} more)")
        text.append("  x acknowledges · a alerts", style="italic")
        self.set_class(all(e.resolved_at_ms is not None for e in episodes), "-resolved")
        self.update(text)
