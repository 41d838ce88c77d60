"""JsonView's layout: safe lines and the block structure folding uses."""

from __future__ import annotations

from tui.ui.widgets.json_view import blocks, layout


def test_json_blocks_pair_openers_with_closers():
    lines, total = layout({"a": {"b": [1, 2]}, "c": 3})
    assert total == len(lines)
    closers, parents = blocks(lines)
    assert closers[0] == len(lines) - 1  # the document
    opener_a = next(n for n, line in enumerate(lines) if '"a"' in line)
    opener_b = next(n for n, line in enumerate(lines) if '"b"' in line)
    assert parents[opener_b] == opener_a and closers[opener_b] < closers[opener_a]


def test_layout_is_safe_and_capped():
    lines, total = layout({"[/bold]": "\x1b]52;c;ZXZpbA==\x07", "x": "y" * 5000}, max_lines=3)
    assert total == 4 and len(lines) == 3
    assert all("\x1b" not in line and "\x07" not in line for line in lines)
    assert any("[/bold]" in line for line in lines)
    assert any("characters; o opens all of it" in line for line in layout({"x": "y" * 5000})[0])
