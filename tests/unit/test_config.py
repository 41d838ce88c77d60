import pytest

from tui.config import (
    NO_KEY_MESSAGE,
    ConfigError,
    Secret,
    normalize_base_url,
    parse_interval,
    settings_from_env,
)


def test_key_and_base_url_from_env():
    s = settings_from_env({"COMPOSIO_API_KEY": "sk_test_123", "COMPOSIO_BASE_URL": "http://x:1/"})
    assert s.base_url == "http://x:1" and s.api_key.reveal() == "sk_test_123"
    assert "sk_test_123" not in repr(s) and "sk_test_123" not in str(s.api_key)


def test_default_base_url():
    assert settings_from_env({"COMPOSIO_API_KEY": "k"}).base_url == "https://backend.composio.dev"


def test_missing_key_says_how_to_fix():
    with pytest.raises(ConfigError) as err:
        settings_from_env({})
    assert str(err.value) == NO_KEY_MESSAGE
    assert "COMPOSIO_API_KEY" in NO_KEY_MESSAGE and "--demo" in NO_KEY_MESSAGE


@pytest.mark.parametrize(
    "url", ["backend.composio.dev", "ftp://x", "http://", "https://u:pw@backend.composio.dev"]
)
def test_bad_base_url(url):
    with pytest.raises(ConfigError, match="COMPOSIO_BASE_URL"):
        normalize_base_url(url)


def test_interval():
    assert parse_interval("0.5") == 0.5
    with pytest.raises(ConfigError, match="seconds"):
        parse_interval("soon")
    with pytest.raises(ConfigError, match="at least"):
        parse_interval("0")


def test_secret_hides_itself():
    s = Secret("hunter2")
    assert "hunter2" not in f"{s} {s!r} {[s]}"
