"""Rules added on screen are written to config.toml by tui.views (tomlkit: the rest of
the file kept as written) and read back by tui.rules.config."""

from __future__ import annotations

from tui.rules.config import rules_from_config
from tui.views import save_rule


def test_a_rule_is_added_or_replaced_by_name_and_the_file_keeps_its_comments(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# mine\ntheme = "x"\n\n[[views]]\nname = "a"\nquery = "failed"\n')
    save_rule("gmail failing", "toolkit:gmail failed >= 5 in 1m", path)
    save_rule("any", "failed", path)
    save_rule("gmail failing", "toolkit:gmail failed >= 6 in 1m", path)
    text = path.read_text()
    assert text.startswith('# mine\ntheme = "x"\n\n[[views]]\nname = "a"\n')
    assert [(r.name, r.text) for r in rules_from_config(path)] == [
        ("any", "failed"),
        ("gmail failing", "toolkit:gmail failed >= 6 in 1m"),
    ]


def test_inline_rules_stay_inline(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('rules = [{name = "a", when = "failed"}]\n')
    save_rule("b", "toolkit:gmail", path)
    assert path.read_text() == (
        'rules = [{name = "a", when = "failed"}, {name = "b", when = "toolkit:gmail"}]\n'
    )
