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
