"""The README's list of keymap ids is the one a user remaps by."""

from __future__ import annotations

from pathlib import Path

from tui.ui.actions import ACTIONS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_names_every_action_id_a_keymap_takes() -> None:
    """A new action is named there: its id, or its group as ``group.*``."""
    readme = README.read_text(encoding="utf-8")
    unnamed = [
        action
        for action in ACTIONS
        if f"`{action}`" not in readme and f"`{action.split('.')[0]}.*`" not in readme
    ]
    assert not unnamed, f"README.md names no keymap id for {unnamed}"
