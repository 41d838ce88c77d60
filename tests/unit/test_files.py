"""Files toolwatch writes are 0600, created exclusively, and never written through a link."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tui import clipboard, views
from tui.errors import ConfigError
from tui.files import create_private, create_unique, private_dir, replace_private
from tui.locations import config_path, copies_dir, state_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """Someone else's file, which a planted symlink points at."""
    path = tmp_path / "victim.txt"
    path.write_text("precious", encoding="utf-8")
    return path


def test_a_new_file_is_private(tmp_path: Path):
    with create_private(tmp_path / "a.jsonl") as out:
        out.write("x")
    assert mode(tmp_path / "a.jsonl") == 0o600


def test_a_planted_symlink_is_refused_not_followed(tmp_path: Path, victim: Path):
    (tmp_path / "a.jsonl").symlink_to(victim)
    with pytest.raises(FileExistsError):
        create_private(tmp_path / "a.jsonl")
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_unique_name_skips_what_is_planted(tmp_path: Path, victim: Path):
    (tmp_path / "copy.txt").symlink_to(victim)
    path, out = create_unique(tmp_path, "copy", ".txt")
    with out:
        out.write("mine")
    assert path == tmp_path / "copy-2.txt" and mode(path) == 0o600
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_rewrite_replaces_a_symlink_instead_of_following_it(tmp_path: Path, victim: Path):
    target = tmp_path / "state.json"
    target.symlink_to(victim)
    replace_private(target, "{}")
    assert not target.is_symlink() and target.read_text(encoding="utf-8") == "{}"
    assert mode(target) == 0o600 and victim.read_text(encoding="utf-8") == "precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_toolwatch_s_own_directories_are_private(tmp_path: Path):
    assert mode(private_dir(tmp_path / "state" / "copies")) == 0o700


def test_the_state_and_the_config_are_private():
    views.remember_query("failed")
    views.save_view("mine", "failed since:1h")
    assert mode(state_path()) == 0o600 and mode(config_path()) == 0o600
    assert mode(state_path().parent) == 0o700
    assert views.last_query() == "failed"


def test_a_large_copy_goes_to_a_private_file_never_through_a_planted_link(
    victim: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(clipboard.fmt, "file_stamp", lambda: "20260417-102500")
    folder = private_dir(copies_dir())
    planted = folder / "20260417-102500-text.txt"  # the name the next copy would take
    planted.symlink_to(victim)
    saved = clipboard._save("y" * 100, "text")
    assert saved == folder / "20260417-102500-text-2.txt"
    assert saved.read_text(encoding="utf-8") == "y" * 100
    assert mode(saved) == 0o600 and mode(folder) == 0o700
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_config_that_is_not_utf8_is_a_message():
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_bytes(b'[keymap]\n"copy.log_id" = "\xff\xfe"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        views.user_views()
