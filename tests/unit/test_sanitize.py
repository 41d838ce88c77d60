from hypothesis import given
from hypothesis import strategies as st

from tui.sanitize import clean, has_unsafe, strip_controls

HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b]52;c;ZXZpbA==\x07 \x9b31m \u202eevil"


def test_escapes_become_visible_text():
    out = clean(HOSTILE)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert "\\x1b]52;c;ZXZpbA==\\x07" in out
    assert "\\x9b31m" in out
    assert "\\u202eevil" in out
    # Markup is left as literal text: widgets render it through Text, never markup.
    assert "[/bold] [@click=app.quit]x[/]" in out


def test_one_line_and_truncation():
    assert clean("a\nb\tc") == "a⏎b c"
    assert clean("a\nb", one_line=False) == "a\nb"
    assert clean("x" * 10, max_len=4) == "xxxx…"
    assert clean(None) == ""
    assert clean(42) == "42"


def test_strip_controls_removes_outright():
    assert strip_controls("a\x1b[2Jb\x07") == "a[2Jb"


@given(st.text())
def test_clean_never_leaves_a_control_character(value):
    out = clean(value, max_len=None, one_line=False)
    assert not has_unsafe(out)
    assert all(ch in "\n\t" or ord(ch) >= 0x20 for ch in out)


def test_invisible_characters_become_visible():
    from tui.sanitize import clean

    assert clean("\u200b\u200d\ufeff") == "\\u200b\\u200d\\ufeff"
    assert clean("us\u00ader_1\u2060") == "us\\xader_1\\u2060"
    assert clean("plain user_1 ✓ é") == "plain user_1 ✓ é"


def test_lone_surrogates_are_shown_escaped_and_never_leave():
    assert clean("log_\ud800x") == "log_\\ud800x"
    assert strip_controls("log_\ud800x") == "log_x"
