"""AlertsScreen (`a`): the alert rules, their state, and every time one fired and
resolved; `s` snoozes the rule under the cursor (again: wakes it), Enter shows its
matching logs (applies its query), `n` adds a rule. AddRuleScreen takes ``NAME: RULE``,
checks it with the rules parser and saves it to config.toml."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from tui import fmt
from tui.errors import ConfigError
from tui.rules import SOURCE_RULE, Rule, RuleEngine, RuleSyntaxError, parse_named_rule
from tui.sanitize import clean
from tui.ui.actions import bindings
from tui.ui.screens.modal import OnceModal
from tui.ui.widgets.alert_banner import value_text
from tui.views import save_rule

SNOOZE_MS = 30 * 60_000
RULES_TITLE = "Rules · s snoozes 30m (again: wakes) · Enter shows its logs · n adds"
RULE_EXAMPLE = "gmail failing: toolkit:gmail failed >= 5 in 1m"


class AlertsScreen(Screen[Rule | None]):
    """Dismissed with the rule whose logs to show, or None."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("alerts")
    DEFAULT_CSS = """
    AlertsScreen .alerts-title {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    AlertsScreen #alerts-rules {
        height: auto;
        max-height: 50%;
    }
    AlertsScreen #alerts-history {
        height: 1fr;
    }
    """

    def __init__(self, engine: RuleEngine, *, now_ms: Callable[[], int], tz: tzinfo | None):
        super().__init__()
        self.engine = engine
        self._now_ms = now_ms
        self._tz = tz
        self._unsubscribe: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(
            "Rules · s snoozes 30m (again: wakes) · Enter shows its logs · n adds",
            classes="alerts-title",
        )
        yield DataTable(id="alerts-rules", cursor_type="row")
        yield Static("Fired and resolved, newest first", classes="alerts-title")
        yield DataTable(id="alerts-history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        rules = self.query_one("#alerts-rules", DataTable)
        rules.add_columns("rule", "when", "state")
        history = self.query_one("#alerts-history", DataTable)
        history.add_columns("rule", "fired", "resolved", "value")
        self._unsubscribe = self.engine.subscribe(lambda _events: self.redraw())
        rules.focus()
        self.redraw()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def _time(self, ms: int | None) -> str:
        return "" if ms is None else fmt.clock_time(ms, self._tz)

    def state_of(self, rule: Rule) -> Text:
        firing = {episode.rule: episode for episode in self.engine.firing}
        snoozed = self.engine.snoozed_until(rule.name)
        state = Text()
        if rule.name in firing:
            state.append(f"firing since {self._time(firing[rule.name].fired_at_ms)}", "bold red")
        if snoozed is not None and snoozed > self._now_ms():
            state.append(" · " if state else "")
            state.append(f"snoozed until {self._time(snoozed)}", "yellow")
        return state or Text("quiet", "green")

    def redraw(self) -> None:
        table = self.query_one("#alerts-rules", DataTable)
        at = table.cursor_row
        table.clear()
        for rule in self.engine.rules:
            table.add_row(
                clean(rule.name, max_len=40),
                clean(rule.text, max_len=60),
                self.state_of(rule),
                key=rule.name,
            )
        if table.row_count:
            table.move_cursor(row=min(at, table.row_count - 1))
        history = self.query_one("#alerts-history", DataTable)
        history.clear()
        rules = {rule.name: rule for rule in self.engine.rules}
        for n, episode in enumerate(reversed(self.engine.history)):
            history.add_row(
                clean(episode.rule, max_len=40),
                self._time(episode.fired_at_ms),
                self._time(episode.resolved_at_ms) or Text("firing", "bold red"),
                value_text(rules.get(episode.rule), episode.value),
                key=f"{n}:{episode.rule}",
            )

    def selected_rule(self) -> Rule | None:
        """The rule under the cursor of the table with focus."""
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        name = key.split(":", 1)[1] if table.id == "alerts-history" else key
        return next((rule for rule in self.engine.rules if rule.name == name), None)

    def action_snooze(self) -> None:
        rule = self.selected_rule()
        if rule is None:
            return
        now = self._now_ms()
        until = self.engine.snoozed_until(rule.name)
        if until is not None and until > now:
            self.engine.unsnooze(rule.name)
            self.notify(f"{clean(rule.name)} is awake again.", timeout=3)
        else:
            self.engine.snooze(rule.name, now + SNOOZE_MS)
            self.notify(
                f"{clean(rule.name)} snoozed until {self._time(now + SNOOZE_MS)}.", timeout=3
            )
        self.redraw()

    def action_show_logs(self) -> None:
        rule = self.selected_rule()
        if rule is not None:
            self.dismiss(rule)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_show_logs()

    def action_add_rule(self) -> None:
        self.app.push_screen(AddRuleScreen(self.engine), lambda _rule: self.redraw())

    def action_close(self) -> None:
        self.dismiss(None)


class AddRuleScreen(OnceModal[Rule | None]):
    """``NAME: RULE``: checked as it is typed, saved to config.toml on Enter."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("add_rule")
    DEFAULT_CSS = """
    AddRuleScreen {
        align: center middle;
    }
    AddRuleScreen > Vertical {
        width: 90%;
        max-width: 100;
        height: auto;
        border: round $primary;
        padding: 0 1;
        background: $surface;
    }
    AddRuleScreen #rule-problem {
        color: $error;
        height: auto;
    }
    """

    def __init__(self, engine: RuleEngine) -> None:
        super().__init__()
        self.engine = engine

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Add an alert rule: NAME: RULE (saved to config.toml)")
            yield Input(placeholder=RULE_EXAMPLE, id="rule-input")
            yield Static(id="rule-problem")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _problem(self, text: str) -> None:
        self.query_one("#rule-problem", Static).update(Text(text))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value
        try:
            rule = parse_named_rule(text)
        except RuleSyntaxError as error:
            self._problem(f"{error}\n{error.pointer(text)}")
            return
        if rule.name == SOURCE_RULE or rule.name in {r.name for r in self.engine.rules}:
            self._problem(f"a rule is named {rule.name!r} already: give this one its own name")
            return
        try:
            save_rule(rule.name, rule.text)
        except ConfigError as error:
            self._problem(f"{error}: the rule was not saved")
            return
        self.engine.add(rule)
        self.notify(f"Watching {clean(rule.name)} (saved to config.toml).", timeout=4)
        self.close(rule)

    def action_close(self) -> None:
        self.close(None)
