"""t, S, a, x and the palette's "Add an alert rule…": the screen's side of issue 16.

A mixin of the app (its actions must live where its bindings look): the session's
`Watching` (tui.session.watching) counts and evaluates; this module only draws what it
says: the stats strip after every stored batch (and each few seconds, as minutes pass),
the stats screen, alert banners, the bell and desktop notifications, the alerts panel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.notify import desktop_notification, in_tmux
from tui.query.printer import format_query
from tui.rules import BLIND, FIRING, AlertEvent, Episode, Rule
from tui.session.state import everything
from tui.stats import StatsEngine
from tui.stats.trend import trend
from tui.ui.widgets.alert_banner import AlertBanner, describe
from tui.ui.widgets.stats_strip import StatsStrip

if TYPE_CHECKING:
    from textual.app import App

    from tui.query import LogQuery
    from tui.session import Session
    from tui.ui.screens.main import MainScreen

    _AppBase = App[Any]
else:
    _AppBase = object

# The strip slides as minutes pass, without a poll: a redraw this often is enough.
STRIP_REFRESH_S = 10.0


class WatchKeys(_AppBase):
    session: Session
    main_screen: MainScreen

    if TYPE_CHECKING:

        def apply_query(self, text: str, query: LogQuery, *, restart: bool = True) -> None: ...

    def start_watching(self) -> None:
        """The main screen is up: follow the stats and the rules from now on."""
        watching = self.session.watching
        watching.on_stats_reset(self._follow_stats)
        self._follow_stats(watching.stats)
        self.set_interval(STRIP_REFRESH_S, self._draw_strip)
        self.unacknowledged: list[Episode] = []
        watching.rules.subscribe(self._alerted)
        if watching.problem:
            self.notify(watching.problem, severity="error", timeout=15)

    def _follow_stats(self, engine: StatsEngine) -> None:
        engine.subscribe(lambda _update: self._draw_strip())
        self._draw_strip()

    @property
    def stats_strip(self) -> StatsStrip:
        return self.main_screen.query_one(StatsStrip)

    def _draw_strip(self) -> None:
        if not self.is_running:
            return  # quitting: the strip may be gone already
        strip = self.stats_strip
        if strip.display:
            strip.show(trend(self.session.watching.stats, self.session.now_ms()))

    def action_toggle_stats_strip(self) -> None:
        strip = self.stats_strip
        strip.display = not strip.display
        self._draw_strip()

    def action_stats_screen(self) -> None:
        from tui.ui.screens.stats import StatsScreen  # when first asked for (issue 15)

        if isinstance(self.screen, StatsScreen):
            return
        session = self.session
        self.push_screen(
            StatsScreen(
                session.watching.stats,
                query=session.query,
                query_text=session.query_text,
                everything=everything(session.settings.query_kind),
                more_older=session.tail.more_older,
                tz=session.settings.tz,
                apply=self.apply_query,
                usage_count=session.usage_count,
            )
        )

    # -- alerts: a banner until acknowledged, the bell, a desktop notification ---------

    def _alerted(self, events: list[AlertEvent]) -> None:
        rules = self.session.watching.rules
        firing = {episode.rule: episode for episode in rules.firing}
        for event in events:
            episode = firing.get(event.rule)
            if event.event not in (FIRING, BLIND) or episode is None:
                continue
            if episode not in self.unacknowledged:
                self.unacknowledged.append(episode)
            self.bell()
            rule = self._rules().get(event.rule)
            self._write_to_terminal(
                desktop_notification(
                    "toolwatch",
                    describe(episode, rule, self.session.settings.tz).plain,
                    tmux=in_tmux(),
                )
            )
        self._draw_banner()

    def _write_to_terminal(self, sequence: str) -> None:
        """The path Textual's OSC 52 copy takes (tui.clipboard): straight to the driver."""
        driver = self._driver
        if driver is not None and not self.is_headless:
            driver.write(sequence)

    def _rules(self) -> dict[str, Rule]:
        return {rule.name: rule for rule in self.session.watching.rules.rules}

    def _draw_banner(self) -> None:
        self.main_screen.query_one(AlertBanner).show(self.unacknowledged, self._rules())

    def action_acknowledge_alerts(self) -> None:
        self.unacknowledged.clear()
        self._draw_banner()

    def action_alerts(self) -> None:
        from tui.ui.screens.alerts import AlertsScreen  # when first asked for (issue 15)

        if isinstance(self.screen, AlertsScreen):
            return
        screen = AlertsScreen(
            self.session.watching.rules, now_ms=self.session.now_ms, tz=self.session.settings.tz
        )
        self.push_screen(screen, self._show_rule_logs)

    def _show_rule_logs(self, rule: Rule | None) -> None:
        """The rule's matching logs: its query applied to the log table."""
        if rule is not None:
            self.apply_query(format_query(rule.query), rule.query)

    def action_add_rule(self) -> None:
        from tui.ui.screens.alerts import AddRuleScreen  # when first asked for (issue 15)

        self.push_screen(AddRuleScreen(self.session.watching.rules))
