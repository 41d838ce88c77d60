"""s, and the palette's "Switch source: NAME": the screen's side of issue 17 §7.

A mixin of the app (its action must live where its binding looks). What a switch means
is the session's (tui.session.sources: the choices, each source's last query, the
settings from the variable a source names); this opens the new source, closes the old
one in a worker and draws the result. A source that cannot be opened (its variable
unset, its table wrong) is said in a toast, and the source on screen and its rows stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.errors import ConfigError
from tui.sanitize import clean
from tui.session import SourceChoice, configured_sources
from tui.sources.open import open_source

if TYPE_CHECKING:
    from textual.app import App

    from tui.session import Session
    from tui.ui.screens.main import MainScreen

    _AppBase = App[Any]
else:
    _AppBase = object


class SourceKeys(_AppBase):
    session: Session
    main_screen: MainScreen

    if TYPE_CHECKING:

        def _restarted(self) -> None: ...

        def _draw_state(self) -> None: ...

    def source_choices(self) -> tuple[list[SourceChoice], str | None]:
        """The sources to pick from, config.toml read now, and what is wrong with it."""
        try:
            named = configured_sources()
        except ConfigError as error:
            return self.session.sources.choices({}), f"{error}. Only the launch source is listed."
        return self.session.sources.choices(named), None

    def action_sources(self) -> None:
        from tui.ui.screens.sources import SourcesScreen  # when first asked for (issue 15)

        if isinstance(self.screen, SourcesScreen):
            return
        choices, problem = self.source_choices()
        self.push_screen(SourcesScreen(choices, problem), self._picked)

    def _picked(self, choice: SourceChoice | None) -> None:
        if choice is not None:
            self.switch_source(choice)

    def switch_source(self, choice: SourceChoice) -> None:
        """Watch ``choice`` from now on, with the query it had last; nothing changes
        when it cannot be opened (the toast names the variable or the table at fault)."""
        session = self.session
        if choice.current:
            self.notify(f"Already watching {clean(choice.label)}.", timeout=3)
            return
        try:
            settings = session.sources.settings_for(choice)
            source = open_source(settings, for_screen=True)
        except ConfigError as error:
            current = clean(session.sources.current.name)
            self.notify(f"{error}. Still watching {current}.", severity="error", timeout=15)
            return
        while self.screen is not self.main_screen and len(self.screen_stack) > 1:
            self.pop_screen()  # a stats or alerts screen opened on the old source's logs
        switched = session.switch_source(choice, settings, source)
        self.main_screen.forget_calls()
        # The fields a query offers and what the columns are called follow the kind.
        self.main_screen.show_kind(settings.query_kind)
        self.main_screen.show_query(session.query, session.query_text)
        if switched.draft is not None:
            self.main_screen.show_draft(switched.draft)
        self._restarted()  # the old source's requests cancelled, rows gone, a first poll
        self.run_worker(switched.old.aclose(), group="close-source", exit_on_error=False)
        self._draw_state()
        self.clear_notifications()  # toasts about the old source (a failed switch, copies)
        self.notify(f"Watching {clean(choice.label)}.", timeout=3)
