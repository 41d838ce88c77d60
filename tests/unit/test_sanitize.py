import re

from hypothesis import given
from hypothesis import strategies as st

from tui.sanitize import OVERWIDE_CHARS, clean, has_unsafe, strip_controls, unescape_controls

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


def _clean_by_the_expressions(text: str, one_line: bool) -> str:
    """What ``clean`` does to a text that fits, without its shortcut for plain ASCII."""
    from tui.sanitize import _STACKED, _UNDRAWABLE, _visible

    if one_line:
        text = text.replace("\r\n", "\n").replace("\n", "⏎").replace("\t", " ")
    return _STACKED.sub(r"\1", _UNDRAWABLE.sub(_visible, text))


@given(
    st.text(alphabet=st.characters(max_codepoint=0x7F))
    | st.text(alphabet=st.sampled_from("ab \t\n\r\x00\x1b\x7f\x9b\u202e\u0300\u0301\u0302é")),
    st.booleans(),
)
def test_the_ascii_shortcut_gives_what_the_expressions_give(value, one_line):
    assert clean(value, max_len=None, one_line=one_line) == _clean_by_the_expressions(
        value, one_line
    )


def test_invisible_characters_become_visible():
    from tui.sanitize import clean

    assert clean("\u200b\u200d\ufeff") == "\\u200b\\u200d\\ufeff"
    assert clean("us\u00ader_1\u2060") == "us\\xader_1\\u2060"
    assert clean("plain user_1 ✓ é") == "plain user_1 ✓ é"


def test_lone_surrogates_are_shown_escaped_and_never_leave():
    assert clean("log_\ud800x") == "log_\\ud800x"
    assert strip_controls("log_\ud800x") == "log_x"


# -- glyphs wider than their cell (issue 13 §8) -----------------------------------------------

OVERWIDE_SAMPLES = "\U0001242b\ufdfd\u2e3b\U00013000\U0001d800"
WIDE_OR_STACKED = re.compile(f"[{OVERWIDE_CHARS}]|[\u0300-\u036f]{{3}}")


def test_overwide_glyphs_are_shown_as_escapes_that_read_back():
    out = clean("GMAIL_\U0001242b_\ufdfd")
    assert out == "GMAIL_\\U0001242b_\\ufdfd"
    assert unescape_controls(out) == "GMAIL_\U0001242b_\ufdfd"


def test_ordinary_wide_text_is_left_as_it_is():
    # CJK, emoji and Arabic letters have widths every terminal agrees on.
    assert clean("用户 ✅ مرحبا naïve") == "用户 ✅ مرحبا naïve"


def test_a_pile_of_combining_marks_keeps_two():
    assert clean("Z\u0337\u0322\u031b\u031b\u0300a") == "Z\u0337\u0322a"
    assert clean("e\u0301") == "e\u0301"


@given(st.text(alphabet=st.sampled_from(OVERWIDE_SAMPLES + "ab\u0300\u0301\u0302 ")))
def test_clean_never_draws_an_overwide_glyph_or_a_pile(value):
    assert not WIDE_OR_STACKED.search(clean(value, max_len=None))
