"""`y` copies an id with control characters escaped (issue 13 §6); `get` reads it back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.sanitize import escape_controls, has_unsafe, unescape_controls


def test_newlines_and_escapes_are_written_as_escapes():
    assert escape_controls("log_a\nrm -rf ~") == "log_a\\nrm -rf ~"
    assert escape_controls("log_\x1b[31m\t\r\u202e") == "log_\\x1b[31m\\t\\r\\u202e"
    assert escape_controls("log_plain-1") == "log_plain-1"


@given(st.text(alphabet=st.characters(exclude_characters="\\"), max_size=30))
def test_escaped_ids_hold_no_control_character_and_read_back(text):
    escaped = escape_controls(text)
    assert "\n" not in escaped and not has_unsafe(escaped)
    assert unescape_controls(escaped) == text
