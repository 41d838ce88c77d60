"""The copy keys' actions on the app (y c C r J w W e): a mixin, because Textual looks for
an action where its binding lives; each one hands over to ``tui.ui.copy_keys``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.ui.messages import CopyReady, ExportDone

if TYPE_CHECKING:
    from textual.app import App

    from tui.ui.copy_keys import CopyKeys

    _AppBase = App[Any]
else:
    _AppBase = object


class CopyActions(_AppBase):
    copy_keys: CopyKeys

    def action_copy_id(self) -> None:
        self.copy_keys.copy_id()

    def action_copy_detail_curl(self) -> None:
        self.copy_keys.copy_detail_curl()

    def action_copy_list_curl(self) -> None:
        self.copy_keys.copy_list_curl()

    def action_copy_rerun_curl(self) -> None:
        self.copy_keys.copy_rerun()

    def action_copy_json(self) -> None:
        self.copy_keys.copy_from_call("json")

    def action_copy_web_link(self) -> None:
        self.copy_keys.copy_web_link()

    def action_show_last_copy(self) -> None:
        self.copy_keys.show_last()

    def action_export(self) -> None:
        self.copy_keys.export()

    def on_copy_ready(self, message: CopyReady) -> None:
        self.copy_keys.copy_ready(message)

    def on_export_done(self, message: ExportDone) -> None:
        self.copy_keys.export_done(message)
