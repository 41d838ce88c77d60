"""A long text is masked in pieces (``tui.redact._pieces``), and looked at for the words a
pattern needs before the pattern runs: neither may change what comes out."""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui import redact
from tui.demo.huge import huge_attachment
from tui.redact import MASK, redact_text


def whole(text: str) -> str:
    """What ``redact_text`` gave before pieces and glances: each pattern over the whole."""
    if "=" in text:
        text = redact._QUERY_PARAM.sub(redact._mask_query, text)
    text = redact._BEARER.sub(lambda m: m.group(1) + redact.redact_value(m.group(2)), text)
    if ":" in text or "=" in text:
        text = redact._NAMED.sub(redact._mask_named, text)
    return text


# Fragments that make and break credentials: names, schemes, separators, quotes, the
# white space a cut may fall in, and letters that match ASCII ones when case is ignored.
FRAGMENTS = [
    "token",
    "Token",
    "api_key",
    "password",
    "key",
    "sig",
    "auth",
    "note",
    "id",
    "x",
    "Bearer",
    "basic",
    "BOT",
    "digest",
    "abc123def456ghi",
    "••",
    ":",
    "=",
    ": ",
    " = ",
    "?",
    "&",
    ";",
    '"',
    "'",
    "\\",
    ",",
    "}",
    "]",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    " \n ",
    "\r\n",
    "\u2028",
    "\u00a0",
    "\u212a",
    "\u017f",
    "\u0130",
    "é",
]
texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=8),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60),
).map("".join)


@contextmanager
def tiny_pieces() -> Iterator[None]:
    """Pieces of a few characters and a glance at every piece: every cut and every
    glance the fragments can make is tried."""
    with patch.object(redact, "PIECE_CHARS", 3), patch.object(redact, "GLANCE_FROM_CHARS", 0):
        yield


@settings(max_examples=1000)
@given(texts)
@example("password: ba\u017fic\n abcdefghijkl")  # "ſ" is an "s" when case is ignored
@example("x: to\u212aen\n abcdefghijkl")
def test_pieces_and_glances_mask_exactly_what_the_whole_text_would(text):
    with tiny_pieces():
        assert redact_text(text) == whole(text)


@given(texts)
def test_the_pieces_put_back_together_are_the_text(text):
    with tiny_pieces():
        assert "".join(redact._pieces(text)) == text


SECRET_WORDS = sorted({*redact._SECRET_ENDINGS, *redact._SECRET_WORDS, *redact._QUERY_WORDS, "key"})


def test_every_secret_name_holds_a_word_the_glance_looks_for():
    for name in SECRET_WORDS:
        assert any(word in name for word in redact._NAME_WORDS), name


@pytest.mark.parametrize("name", SECRET_WORDS)
def test_a_glance_finds_every_secret_name_in_any_case(name):
    # Long enough to be glanced at; nothing else in it names a secret.
    filler = "lorem ipsum dolor " * 20
    for shown in (name, name.upper(), f"my{name.title()}"):
        text = f"{filler}{shown}=abcdefghijklmn {filler}?{shown}=abcdefghijklmn"
        assert redact_text(text) == whole(text)
        if shown != f"my{name.title()}":  # "myKey" names no secret; "key" in a URL does
            assert MASK in redact_text(text)


@tiny_pieces()
def test_a_cut_never_falls_where_a_credential_goes_on():
    for text in (
        "Authorization: Bearer\n  abcdef123456",
        "password:\n hunter2hunter2",
        "password\n = hunter2hunter2",
        "api_key =\nsk_live_123456789",
    ):
        assert len(list(redact._pieces(text))) == 1 or "hunter2" not in redact_text(text)
        assert redact_text(text) == whole(text)
        assert MASK in redact_text(text)


class SpiedPattern:
    """A pattern that notes how long each text it is run over is."""

    def __init__(self, pattern: re.Pattern[str], seen: list[int]) -> None:
        self._pattern, self._seen = pattern, seen

    def sub(self, repl: Any, text: str) -> str:
        self._seen.append(len(text))
        return self._pattern.sub(repl, text)


@contextmanager
def spied_patterns() -> Iterator[list[int]]:
    seen: list[int] = []
    with (
        patch.object(redact, "_QUERY_PARAM", SpiedPattern(redact._QUERY_PARAM, seen)),
        patch.object(redact, "_BEARER", SpiedPattern(redact._BEARER, seen)),
        patch.object(redact, "_NAMED", SpiedPattern(redact._NAMED, seen)),
    ):
        yield seen


def test_a_5mb_download_is_glanced_at_not_searched():
    # What a tool that downloads a file returns: megabytes of lines, no credential. The
    # three patterns over it whole held the interpreter lock for 0.55 s.
    content = huge_attachment(7, 3, 5 << 20)["content"]
    pieces = list(redact._pieces(content))
    assert "".join(pieces) == content
    assert max(map(len, pieces)) < 2 * redact.PIECE_CHARS
    with spied_patterns() as seen:
        assert redact_text(content) == content
    assert seen == []


def test_base64_on_one_line_is_glanced_at_not_searched():
    # An attachment: one line of 5 MB, "key" in it hundreds of times, "=" at its end.
    content = base64.b64encode(random.Random(7).randbytes(3_900_001)).decode()
    with spied_patterns() as seen:
        assert redact_text(content) == content
    assert seen == []


@pytest.mark.parametrize(
    "name",
    [
        "password" + "_" * 93,  # the longest name: its trailing "_" are no word
        "x" * 90 + "credentials",
        "\u0130" * 80 + "_api_key",
    ],
)
def test_a_glance_finds_the_longest_secret_names(name):
    text = f"{'lorem ipsum ' * 30}{name}: abcdefghijklmn\n{name}=abcdefghijklmn"
    assert redact_text(text) == whole(text) != text


def test_credentials_in_a_long_text_are_masked_in_every_piece():
    line = "row,{n},note: Authorization: Bearer abcdefghij{n} ?token=zyxwvutsrq{n}\n"
    text = "".join(line.format(n=n) for n in range(20_000))
    assert len(text) > 10 * redact.PIECE_CHARS
    with spied_patterns() as seen:
        out = redact_text(text)
    assert out == whole(text)
    assert "abcdefghij" not in out and "zyxwvutsrq" not in out
    # No pattern ever runs over more than about a piece.
    assert len(seen) > 3 * 10 and max(seen) < 2 * redact.PIECE_CHARS
