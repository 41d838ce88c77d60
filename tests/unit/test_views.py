"""Saved views in config.toml and the last query in state.json."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.errors import ConfigError
from tui.locations import config_path, state_path
from tui.views import (
    BUILTIN_VIEWS,
    all_views,
    delete_view,
    last_query,
    remember_query,
    save_view,
    user_views,
)


def test_builtin_views_are_the_guide_recipes():
    names = [v.name for v in BUILTIN_VIEWS]
    assert names == ["failed in the last hour", "failures for a user", "one toolkit failing"]
    assert [v.needs_value for v in BUILTIN_VIEWS] == [False, True, True]
    assert all_views() == list(BUILTIN_VIEWS)  # no config file yet


def test_save_replace_and_delete_keep_the_rest_of_the_file():
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "dark"\n\n[keys]\nquit = "ctrl+q"\n', encoding="utf-8")
    save_view("gmail failures", "toolkit:gmail failed")
    save_view("slow", "tool~SEARCH")
    save_view("gmail failures", "toolkit:gmail failed since:1h")
    assert [(v.name, v.query) for v in user_views()] == [
        ("slow", "tool~SEARCH"),
        ("gmail failures", "toolkit:gmail failed since:1h"),
    ]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["theme"] == "dark" and data["keys"] == {"quit": "ctrl+q"}
    delete_view("slow")
    assert [v.name for v in user_views()] == ["gmail failures"]


@settings(max_examples=50, deadline=None)
@given(
    name=st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40).filter(
        str.strip
    ),
    query=st.text(st.characters(exclude_categories=("Cs",)), max_size=60),
)
def test_any_name_and_query_survive_the_file(name, query):
    """Quotes, backslashes, newlines and control characters must not break the TOML."""
    clean_name = " ".join(name.split())
    if any(v.name == clean_name for v in BUILTIN_VIEWS):
        return
    save_view(name, query)
    saved = {v.name: v.query for v in user_views()}
    assert saved[clean_name] == query


def test_bad_config_says_what_is_wrong():
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[[views]]\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="needs a name and a query"):
        user_views()
    path.write_text("views = [ not toml", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        user_views()


def test_view_names_are_checked():
    with pytest.raises(ConfigError, match="built-in"):
        save_view("failed in the last hour", "failed")
    with pytest.raises(ConfigError, match="needs a name"):
        save_view("   ", "failed")
    with pytest.raises(ConfigError, match="cannot be saved"):
        save_view("odd", "user:\ud800")
    assert user_views() == []  # and the file was not touched


def test_last_query_round_trips_and_tolerates_a_broken_file():
    assert last_query() is None
    remember_query('user:"a b" failed')
    assert last_query() == 'user:"a b" failed'
    state_path().write_text("{broken", encoding="utf-8")
    assert last_query() is None


def test_each_kind_of_source_starts_with_its_own_last_query():
    """A Buddy query (branch:master) would be refused on a Composio source at start, and
    a Composio one (toolkit:gmail) on Buddy: each kind remembers its own."""
    remember_query("toolkit:gmail failed")
    remember_query("branch:master failed", "buddy")
    assert last_query() == "toolkit:gmail failed"
    assert last_query("buddy") == "branch:master failed"
    remember_query("failed")
    assert last_query("buddy") == "branch:master failed"  # kept beside the other


COMMENTED = """\
# My toolwatch settings.
theme = "nord"  # the dark one

[keymap]
# Y, because y is my tmux prefix
"copy.log_id" = "Y"

# views for on-call
[[views]]
name = "gmail failures"   # the usual suspect
query = "toolkit:gmail failed"
"""


def test_saving_a_view_keeps_every_comment_and_the_layout_exactly():
    # Issue 14 item 14: the file is the user's; a save adds the view and changes nothing else.
    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text(COMMENTED, encoding="utf-8")
    save_view("slow search", 'tool~SEARCH "a b"')
    assert path.read_text(encoding="utf-8") == COMMENTED + (
        '\n[[views]]\nname = "slow search"\nquery = "tool~SEARCH \\"a b\\""\n'
    )
    delete_view("slow search")
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_a_new_config_file_says_it_may_be_edited():
    save_view("slow", "tool~SEARCH")
    text = config_path().read_text(encoding="utf-8")
    assert text.startswith("# toolwatch settings") and "toolwatch keeps\n# your comments" in text
    assert tomllib.loads(text) == {"views": [{"name": "slow", "query": "tool~SEARCH"}]}
    assert oct(config_path().stat().st_mode & 0o777) == "0o600"
