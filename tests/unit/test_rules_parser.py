"""The rules language: every form, and a clear error under the bad word for bad rules."""

from __future__ import annotations

import pytest

from tui.errors import ConfigError
from tui.query import parse_query
from tui.rules import RuleSyntaxError, parse_named_rule, parse_rule
from tui.rules.config import rules_from_config


@pytest.mark.parametrize(
    ("text", "metric", "comparison", "threshold", "window_ms", "min_calls", "query"),
    [
        ("toolkit:gmail failed >= 5 in 1m", "count", ">=", 5, 60_000, 0, "toolkit:gmail failed"),
        ("tool~SEARCH p95 > 3s over 5m", "p95", ">", 3000, 300_000, 10, "tool~SEARCH"),
        ("error_rate > 20% over 5m min 20", "error_rate", ">", 0.2, 300_000, 20, ""),
        ("tool:GMAIL_SEND failed", "count", ">=", 1, 60_000, 0, "tool:GMAIL_SEND failed"),
        ("toolkit:gmail == 0 over 10m", "count", "==", 0, 600_000, 0, "toolkit:gmail"),
        ("p99 <= 500ms over 30s min 1", "p99", "<=", 500, 30_000, 1, ""),
        ('user:"a b" "rate x" < 3 over 1h', "count", "<", 3, 3_600_000, 0, 'user:"a b" "rate x"'),
        ("error_rate >= 0.5 over 2m", "error_rate", ">=", 0.5, 120_000, 10, ""),
    ],
)
def test_each_form_reads_as_its_rule(
    text, metric, comparison, threshold, window_ms, min_calls, query
):
    rule = parse_rule(text, "r")
    assert (rule.metric, rule.comparison, rule.threshold) == (metric, comparison, threshold)
    assert (rule.window_ms, rule.min_calls) == (window_ms, min_calls)
    assert rule.query == parse_query(query, now_ms=0)


@pytest.mark.parametrize(
    ("text", "bad", "says"),
    [
        ("", "", "an empty rule"),
        ("toolkit:gmail failed >= five in 1m", "five", "a count is a whole number"),
        ("toolkit:gmail failed >= 5", "5", "missing the window"),
        ("toolkit:gmail failed >= 5 during 1m", "during", "missing the window"),
        ("failed >= 5 in 1y", "1y", "a window is from 1s to 7d"),
        ("failed >=5 in 1m", ">=5", "spaces around"),
        ("failed>=5 in 1m", "failed>=5", "spaces around"),
        ("error_rate over 5m", "error_rate", "needs a comparison"),
        ("error_rate > 120% over 5m", "120%", "a percentage"),
        ("p95 > 3 over 5m", "3", "compares a duration"),
        ("failed >= 5 in 1m min 3", "min", "min is for error_rate"),
        ("error_rate > 5% over 1m min", "min", "min takes a number"),
        ("error_rate > 5% over 1m min 0", "0", "min is at least 1"),
        ("failed >= 5 in 1m and more", "and", "after the window"),
        ("failed since:1h >= 5 in 1m", "since:1h", "trailing window"),
        ("tooolkit:gmail >= 5 in 1m", "tooolkit:gmail", "unknown field"),
        (">=", ">=", "nothing after >="),
    ],
)
def test_a_bad_rule_is_pointed_at(text, bad, says):
    with pytest.raises(RuleSyntaxError) as caught:
        parse_rule(text)
    error = caught.value
    assert says in str(error)
    assert text[error.position : error.position + error.length] == bad


def test_a_named_rule_splits_at_the_first_colon_space_and_points_into_the_whole_text():
    rule = parse_named_rule("gmail failing: toolkit:gmail failed >= 5 in 1m")
    assert (rule.name, rule.text) == ("gmail failing", "toolkit:gmail failed >= 5 in 1m")
    text = "slow: p95 > 3x over 5m"
    with pytest.raises(RuleSyntaxError) as caught:
        parse_named_rule(text)
    assert text[caught.value.position :].startswith("3x")
    with pytest.raises(RuleSyntaxError, match="a rule needs a name"):
        parse_named_rule("toolkit:gmail failed")


def test_rules_come_from_config_toml(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[[views]]\nname = "v"\nquery = "failed"\n'
        '[[rules]]\nname = "gmail failing"\nwhen = "toolkit:gmail failed >= 5 in 1m"\n'
        '[[rules]]\nname = "slow"\nwhen = "tool~SEARCH p95 > 3s over 5m"\ncooldown = "5m"\n'
        '[[rules]]\nname = "quick"\nwhen = "failed"\ncooldown = 0\n',
        encoding="utf-8",
    )
    rules = rules_from_config(path)
    assert [(r.name, r.cooldown_ms) for r in rules] == [
        ("gmail failing", 60_000),
        ("slow", 300_000),
        ("quick", 0),
    ]
    assert rules_from_config(tmp_path / "none.toml") == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('rules = "x"', "must be a list"),
        ('[[rules]]\nname = "a"', "needs a name and a when"),
        ('[[rules]]\nname = "a"\nwhen = "failed >= x in 1m"', "rule 'a': a count"),
        ('[[rules]]\nname = "a"\nwhen = "failed"\ncooldown = "soon"', "cooldown is a duration"),
    ],
)
def test_a_bad_config_rule_is_named(tmp_path, body, says):
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=says):
        rules_from_config(path)
