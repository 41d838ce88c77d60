import json

import pytest

from tui import jsonout
from tui.redact import redact_json, redact_value


@pytest.mark.parametrize(
    "name", ["Authorization", "authorization", "Cookie", "X-Api-Key", "x-api-key", "X-API-KEY"]
)
def test_credential_headers_are_masked_in_any_case(name):
    data = {"steps": [{"logs": [{"request": {"headers": {name: "Bearer sk_live_abcdef123456"}}}]}]}
    out = json.dumps(redact_json(data), ensure_ascii=False)
    assert "sk_live_abcdef" not in out
    assert "••••••456" in out


def test_other_headers_and_the_original_are_untouched():
    data = {"headers": {"Accept": "application/json", "Authorization": "Bearer tok_0123456789"}}
    out = redact_json(data)
    assert out["headers"]["Accept"] == "application/json"
    assert out["headers"]["Authorization"] == "Bearer ••••••789"
    assert data["headers"]["Authorization"] == "Bearer tok_0123456789"


def test_short_secrets_show_no_tail():
    assert redact_value("abc") == "••••••"


def test_json_output_escapes_c1_and_bidi_but_keeps_text_readable():
    line = jsonout.dumps({"m": "héllo \x1b]52;c;eA==\x07 \x9b31m \u202e"})
    assert "\x1b" not in line and "\x9b" not in line and "\u202e" not in line
    assert "héllo" in line
    assert json.loads(line) == {"m": "héllo \x1b]52;c;eA==\x07 \x9b31m \u202e"}


def test_credentials_outside_headers_are_masked_too():
    from tui.redact import redact_json, redact_url

    url = "https://api.x.com/v1/me?access_token=ya29.a0AfH6SMBexample123&limit=5&sig=abcdefghijklmn"
    masked = redact_url(url)
    assert "ya29.a0AfH6SMBexample" not in masked and "abcdefghijk" not in masked
    assert "limit=5" in masked and masked.startswith("https://api.x.com/v1/me?access_token=")
    data = {
        "request": {"url": url, "params": {"api_key": "sk_live_0123456789abc", "q": "hi"}},
        "json": {"password": "hunter2", "client_secret": "cs_0123456789abcdef", "n": 3},
        "context": {"session_id": "trs_7Hq2", "request_id": "req_1", "next": "x"},
    }
    out = redact_json(data)
    flat = str(out)
    for secret in ("sk_live_0123456789", "hunter2", "cs_0123456789abcd", "ya29.a0AfH6SMB"):
        assert secret not in flat
    assert out["context"] == data["context"]  # ids are not secrets
    assert out["request"]["params"]["q"] == "hi" and out["json"]["n"] == 3
    assert data["json"]["password"] == "hunter2"  # the original is untouched
    assert redact_url("plain text = fine") == "plain text = fine"


def test_lone_surrogates_and_invisible_characters_are_escaped_and_read_back():
    value = {"m": "bad \ud800 here \u200b\ufeff\xad end"}
    line = jsonout.dumps(value)
    line.encode("utf-8")  # a lone surrogate could not be written to any UTF-8 stream
    assert "\u200b" not in line and "\ufeff" not in line and "\xad" not in line
    assert json.loads(line) == value
