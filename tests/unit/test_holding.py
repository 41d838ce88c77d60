"""lines_holding: the lines of a scan whose bytes hold every needle, found a chunk at a
time, agree with looking at each line alone."""

from __future__ import annotations

import tempfile
from array import array
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.sources.file import holding

# Lines of a few characters, the needles' among them; some kept by the scan, some not.
lines_st = st.lists(
    st.tuples(st.text(alphabet='ab"x ', max_size=12), st.booleans()), min_size=1, max_size=30
)
needles_st = st.lists(st.sampled_from([b'"a"', b"ab", b"x", b'b"']), min_size=1, max_size=3)


@settings(max_examples=200, deadline=None)
@given(lines_st, needles_st, st.integers(1, 40), st.data())
def test_the_lines_found_in_bulk_are_those_holding_every_needle(
    lines: list[tuple[str, bool]], needles: list[bytes], chunk: int, data: st.DataObject
) -> None:
    body = b"".join(text.encode() + b"\n" for text, _ in lines)
    starts, at = [], 0
    for text, kept in lines:
        if kept or not starts:  # the first line is always kept: a scan starts there
            starts.append(at)
        at += len(text) + 1
    off = array("q", reversed(starts))  # newest first, as a scan keeps them
    start = data.draw(st.integers(0, len(off)))
    stop = data.draw(st.integers(start, len(off)))
    with tempfile.TemporaryFile() as f:
        f.write(body)
        f.flush()
        with mock.patch.object(holding, "CHUNK", chunk):
            got = holding.lines_holding(f.fileno(), off, len(body), start, stop, tuple(needles))
    want = set()
    for line in range(start, stop):
        end = off[line - 1] if line else len(body)
        span = body[off[line] : end]
        if all(needle in span for needle in needles):
            want.add(line)
    assert got == want


def test_a_needle_at_a_line_start_is_that_lines() -> None:
    body = b'ab x\nab\nx ab\n"a"\n'
    off = array("q", [13, 8, 5, 0])  # newest first
    with tempfile.TemporaryFile() as f:
        f.write(body)
        f.flush()
        for chunk in (1, 3, 100):
            with mock.patch.object(holding, "CHUNK", chunk):
                assert holding.lines_holding(f.fileno(), off, len(body), 0, 4, (b"ab",)) == {
                    1,
                    2,
                    3,
                }
                assert holding.lines_holding(f.fileno(), off, len(body), 1, 3, (b"ab", b"x")) == {1}
