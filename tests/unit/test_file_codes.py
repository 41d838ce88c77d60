"""Codes: a line added alone is coded as a line added among many (issue 15: the scan adds
the lines it reads back one at a time, the helpers' slices many at once)."""

from contextlib import contextmanager
from unittest.mock import patch

from hypothesis import given
from hypothesis import strategies as st

from tui.sources.file import codes as codes_module
from tui.sources.file.codes import Codes
from tui.sources.file.records import CODED

WIDTH = max(CODED) + 1
line_texts = st.none() | st.tuples(*[st.sampled_from(["", "a", "b", "c", "d"])] * WIDTH)


@contextmanager
def few_codes(most: int):
    """As if a field could hold only ``most`` texts before lines are read again."""
    with patch.object(codes_module, "NO_CODE", most):
        yield


def _coded(codes: Codes, count: int) -> list[list[str | None]]:
    return [[codes.text(line, field) for field in CODED] for line in range(count)]


@given(st.lists(line_texts, max_size=30), st.sampled_from([2, 3, 65_535]))
def test_lines_added_one_by_one_are_coded_as_lines_added_together(lines, most):
    with few_codes(most):
        alone, together = Codes(), Codes()
        for texts in lines:
            alone.add(texts)
        together.add_many(
            len(lines), {i: texts for i, texts in enumerate(lines) if texts is not None}
        )
        assert alone.rows == together.rows
        assert _coded(alone, len(lines)) == _coded(together, len(lines))
        for field in CODED:
            assert alone.texts(field) == together.texts(field)
