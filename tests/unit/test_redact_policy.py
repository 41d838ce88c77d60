"""The one redaction policy (issue 13 §6): names in any case, whole subtrees, key/value
pairs, query keys, free text; harmless names untouched; the walk bounded in depth."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.redact import (
    DEPTH_MARKER,
    MASK,
    MAX_DEPTH,
    is_secret_name,
    is_sensitive_header,
    normalize_name,
    redact_json,
    redact_text,
)

SECRET_NAMES = [
    "password",
    "passwd",
    "api_key",
    "apiKey",
    "API-KEY",
    "apikey",
    "githubToken",
    "GITHUB_TOKEN",
    "access_token",
    "refresh-token",
    "aws_secret_access_key",
    "AWSSecretAccessKey",
    "private_key",
    "privateKey",
    "client_secret",
    "clientSecret",
    "credentials",
    "credential",
    "cookie",
    "Set-Cookie",
    "Authorization",
    "Proxy-Authorization",
    "X-Goog-Api-Key",
    "Private-Token",
    "X-Amz-Security-Token",
    "session_token",
    "basic_auth",
    "auth",
]
HARMLESS_NAMES = [
    "token_count",
    "max_tokens",
    "maxTokens",
    "total_tokens",
    "auth_config_id",
    "authConfigId",
    "tokenizer",
    "token_type",
    "session_id",
    "request_id",
    "key",
    "keys",
    "primary_key",
    "keyboard",
    "author",
    "password_hint",
    "secret_name",
    "cookie_policy",
]


def test_names_are_normalized_across_cases():
    assert normalize_name("githubToken") == "github token"
    assert normalize_name("GITHUB_TOKEN") == "github token"
    assert normalize_name("github-token") == "github token"
    assert normalize_name("AWSSecretAccessKey") == "aws secret access key"


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_names_are_secret(name):
    assert is_secret_name(name)
    assert redact_json({name: "sk_live_0123456789abcdef"}) == {name: f"{MASK}def"}


@pytest.mark.parametrize("name", HARMLESS_NAMES)
def test_harmless_names_are_not(name):
    assert not is_secret_name(name)
    assert redact_json({name: "visible_0123456789"}) == {name: "visible_0123456789"}


def test_a_session_header_is_masked_but_not_a_session_id_field():
    assert is_sensitive_header("X-Session")
    assert redact_json({"headers": {"X-Session": "abc"}, "session_id": "trs_1"}) == {
        "headers": {"X-Session": MASK},
        "session_id": "trs_1",
    }


@pytest.mark.parametrize("value", [123456789, 3.5, True, None, {"k": [1, "x"]}, ["a", 2]])
def test_any_value_under_a_secret_name_is_masked_whole(value):
    out = redact_json({"password": value, "n": 1})
    assert out["n"] == 1
    flat = json.dumps(out["password"], ensure_ascii=False)
    for leaf in ("123456789", "3.5", "true", '"x"', '"a"', " 2"):
        assert leaf not in flat


def test_key_value_pairs_with_a_secret_name_mask_the_value():
    out = redact_json(
        [
            {"key": "API_TOKEN", "value": "tok_0123456789"},
            {"name": "dbPassword", "value": {"v": "pw_0123456789"}},
            {"key": "REGION", "value": "eu-west-1"},
            {"key": "api_key"},
        ]
    )
    assert "tok_0123456" not in str(out) and "pw_0123456" not in str(out)
    assert out[2] == {"key": "REGION", "value": "eu-west-1"}
    assert out[3] == {"key": "api_key"}


def test_query_keys_mask_a_bare_key_only_in_params_and_urls():
    out = redact_json({"params": {"key": "AIza0123456789", "q": "x"}, "key": "region"})
    assert out == {"params": {"key": f"{MASK}789", "q": "x"}, "key": "region"}
    assert "AIza0123" not in redact_text("https://x.test/a?key=AIza0123456789&q=1")


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("failed: Authorization: Bearer eyJhbGciOi.abc.def", "eyJhbGciOi"),
        ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNz"),
        ("bearer sk_live_abcdef0123", "sk_live_abcdef"),
        ("called with api_key=sk_live_abcdef0123 ok", "sk_live_abcdef"),
        ("token=ghp_abcdef0123456 and more", "ghp_abcdef"),
        ('body {"password": "correct horse battery"}', "correct horse"),
        ('escaped {\\"client_secret\\": \\"cs_abcdef0123\\"}', "cs_abcdef"),
        ("X-Goog-Api-Key: AIzaSyAbcdef0123", "AIzaSyAbcdef"),
        ("see https://h.test/cb?code=1&access_token=ya29.abcdef0123#x", "ya29.abcdef"),
        ("githubToken: ghp_abcdef0123456", "ghp_abcdef"),
    ],
)
def test_credentials_in_free_text_are_masked(text, secret):
    out = redact_text(text)
    assert secret not in out and MASK in out
    assert redact_text(out) == out  # masking twice changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "max_tokens=4096 token_count: 17 auth_config_id: ac_123",
        "Token validation took 12 ms",
        "https://h.test/search?q=token&page=2",
        "author=ana keyboard: us",
        "",
    ],
)
def test_harmless_text_is_unchanged(text):
    assert redact_text(text) == text


def test_the_walk_stops_at_its_depth_cap_with_a_marker():
    deep: object = "leaf"
    for _ in range(10_000):
        deep = [deep]
    out = redact_json(deep)
    for _ in range(MAX_DEPTH + 1):
        assert isinstance(out, list)
        out = out[0]
    assert out == DEPTH_MARKER
    nested: object = "pw_0123456789"
    for _ in range(5_000):
        nested = {"a": nested}
    assert "pw_0123456789" not in str(redact_json({"password": nested}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@given(
    name=st.sampled_from(SECRET_NAMES),
    around=json_values,
    path=st.lists(st.text(min_size=1, max_size=8), max_size=5),
)
def test_a_secret_planted_anywhere_under_a_secret_name_never_comes_out(name, around, path):
    planted: object = "PLANTED_0123456789"
    for key in path:
        planted = {key: planted}
    data = {"wrap": [around, {name: planted}]}
    assert "PLANTED_0123" not in json.dumps(redact_json(data), ensure_ascii=False)


@given(json_values)
def test_redaction_never_raises_and_keeps_the_shape(value):
    out = redact_json(value)
    assert type(out) is type(value)
