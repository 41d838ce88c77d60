import pytest

from tui.config import NO_KEY_MESSAGE, Secret, normalize_base_url, parse_interval, settings_from_env
from tui.errors import ConfigError


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


def test_seconds_and_counts_reject_what_is_not_a_finite_number():
    import pytest

    from tui.config import ConfigError, parse_count, parse_interval, parse_seconds

    for bad in ("nan", "inf", "-1", "soon"):
        with pytest.raises(ConfigError, match="--interval"):
            parse_interval(bad)
        with pytest.raises(ConfigError, match="--lag"):
            parse_seconds("--lag", bad)
    assert parse_interval("0.5") == 0.5 and parse_seconds("--for", "0") == 0
    with pytest.raises(ConfigError, match=r"at least 0\.2"):
        parse_interval("0.1")
    with pytest.raises(ConfigError, match="--last must be at least 0"):
        parse_count("--last", "-1", least=0)
    assert parse_count("--count", "3", least=1) == 3
