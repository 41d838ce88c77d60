"""The debug log: a file only, secrets masked, nothing ever on the terminal."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from tui import debuglog
from tui.errors import ConfigError

SECRET = "sk_test_debuglog_Secret_42"


@pytest.fixture(autouse=True)
def _off_afterwards(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(debuglog.ENV_LOG_LEVEL, raising=False)
    yield
    debuglog.configure("off")


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs pointed at a temporary directory: the seam for the default path."""
    monkeypatch.setattr(
        platformdirs, "user_log_path", lambda appname, *a, **k: tmp_path / "state" / appname
    )
    return tmp_path / "state" / "toolwatch"


def toolwatch_handlers() -> list[logging.Handler]:
    names = {n for n in logging.Logger.manager.loggerDict if n.startswith("toolwatch")}
    names.add(debuglog.ROOT_LOGGER)
    return [handler for name in sorted(names) for handler in logging.getLogger(name).handlers]


def test_log_path_is_under_the_user_log_dir(log_dir: Path):
    assert debuglog.log_path() == log_dir / "toolwatch.log"


def test_real_log_path_shape():
    path = debuglog.log_path()
    assert path.name == "toolwatch.log" and "toolwatch" in path.parent.parts


def test_off_by_default_and_no_file(log_dir: Path):
    assert debuglog.configure(None) is None
    debuglog.get_logger("client").error("nothing")
    assert not log_dir.exists()


@pytest.mark.parametrize("word", ["off", "silent", "OFF", "none", ""])
def test_off_words(word: str, log_dir: Path):
    assert debuglog.configure(word) is None


def test_writes_to_the_file_at_the_level(log_dir: Path):
    path = debuglog.configure("info")
    assert path == log_dir / "toolwatch.log"
    log = debuglog.get_logger("client")
    log.debug("too detailed")
    log.info("polled %d logs", 3)
    log.warning("odd item")
    text = path.read_text(encoding="utf-8")
    assert "too detailed" not in text
    assert "INFO    toolwatch.client: polled 3 logs" in text and "odd item" in text


def test_level_from_the_environment(log_dir: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(debuglog.ENV_LOG_LEVEL, "DEBUG")
    path = debuglog.configure(None)
    assert path is not None
    debuglog.get_logger("x").debug("from env")
    assert "from env" in path.read_text(encoding="utf-8")
    # The flag wins over the environment.
    assert debuglog.configure("off") is None


def test_explicit_path(tmp_path: Path):
    target = tmp_path / "deep" / "er" / "my.log"
    assert debuglog.configure("warning", path=target) == target
    debuglog.get_logger("x").warning("here")
    assert "here" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_bad_level_names_the_setting(monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(ValueError, match=r"--log-level must be one of debug.*not 'verbose'"):
        debuglog.configure("verbose")
    monkeypatch.setenv(debuglog.ENV_LOG_LEVEL, "loud")
    with pytest.raises(ConfigError, match=r"TOOLWATCH_LOG_LEVEL must be one of"):
        debuglog.configure(None)


def test_unwritable_location_is_a_config_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="cannot write the debug log"):
        debuglog.configure("debug", path=blocker / "sub" / "toolwatch.log")


def test_secrets_are_masked_everywhere_in_a_record(tmp_path: Path):
    path = debuglog.configure("debug", path=tmp_path / "t.log")
    assert path is not None
    debuglog.register_secret(SECRET)
    debuglog.register_secret("pa ss/word")
    log = debuglog.get_logger("client")
    log.debug("header x-api-key: " + SECRET)
    log.info("args %s and %r", SECRET, {"key": SECRET})
    log.info("encoded pa%20ss%2Fword and plain pa ss/word")
    try:
        raise RuntimeError(f"boom {SECRET}")
    except RuntimeError:
        log.exception("failed")
    log.warning("stack", stack_info=True, extra={"ignored": SECRET})
    text = path.read_text(encoding="utf-8")
    assert SECRET not in text and "pa ss/word" not in text and "pa%20ss%2Fword" not in text
    assert text.count("***") >= 5
    assert "RuntimeError: boom ***" in text


def test_longer_secret_masked_whole(tmp_path: Path):
    path = debuglog.configure("debug", path=tmp_path / "t.log")
    assert path is not None
    debuglog.register_secret("abcd1234")
    debuglog.register_secret("abcd1234-extended")
    debuglog.get_logger("x").info("v=abcd1234-extended")
    assert "v=***\n" in path.read_text(encoding="utf-8")


def test_bad_format_args_do_not_raise(tmp_path: Path):
    path = debuglog.configure("debug", path=tmp_path / "t.log")
    debuglog.register_secret(SECRET)
    debuglog.get_logger("x").info("two %s %s", SECRET)  # one argument short
    assert path is not None and SECRET not in path.read_text(encoding="utf-8")


def test_never_on_the_terminal(tmp_path: Path, capfd: pytest.CaptureFixture[str]):
    # A stderr handler on the root logger must never see toolwatch's records.
    root_handler = logging.StreamHandler()
    logging.getLogger().addHandler(root_handler)
    try:
        for level in ("debug", "off"):
            debuglog.configure(level, path=tmp_path / "t.log")
            log = debuglog.get_logger("client")
            log.error("must not reach the terminal")
            log.critical("nor this")
            logging.getLogger("toolwatch").warning("nor the tree's root")
    finally:
        logging.getLogger().removeHandler(root_handler)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert logging.getLogger("toolwatch").propagate is False


def test_no_stream_handler_in_the_tree(tmp_path: Path):
    debuglog.configure("debug", path=tmp_path / "t.log")
    debuglog.get_logger("client")
    for handler in toolwatch_handlers():
        # FileHandler is a StreamHandler subclass; only a terminal stream is banned.
        is_terminal = isinstance(handler, logging.StreamHandler) and not isinstance(
            handler, logging.FileHandler
        )
        assert not is_terminal, handler


def test_reconfigure_replaces_the_handler(tmp_path: Path):
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    debuglog.configure("debug", path=first)
    debuglog.configure("debug", path=second)
    debuglog.get_logger("x").info("only in b")
    assert "only in b" not in first.read_text(encoding="utf-8")
    assert "only in b" in second.read_text(encoding="utf-8")
    files = [h for h in toolwatch_handlers() if isinstance(h, logging.FileHandler)]
    assert len(files) == 1
