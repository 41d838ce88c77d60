"""tui.curl: every command is valid POSIX shell and makes exactly the intended request.

Each command is run through a real ``sh``: ``sh -n`` checks its syntax, then it is
evaluated with ``curl`` replaced by a shell function that hands its arguments to an
external ``printf`` (through ``env``, so a too-long argument fails as it would for
curl) and copies its stdin (the here-document body). The test then compares the argv
and body the shell produced with what was meant, key expanded from the environment.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import tempfile
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.clock import FIXED_NOW_MS
from tui.constants import BASE_TOOL_VERSION
from tui.curl import (
    HEREDOC_DELIMITER,
    HEREDOC_THRESHOLD,
    Curl,
    detail_curl,
    list_curl,
    rerun_curl,
    shell_quote,
)
from tui.demo.hostile import HOSTILE_STRINGS
from tui.jsonout import dumps as json_text
from tui.models.call import CallDetail, build_call
from tui.models.wire import WireLogDetail
from tui.redact import MASK, redact_json
from tui.sanitize import has_unsafe, strip_controls
from tui.sources.composio import _path_id

BASE = "https://backend.composio.dev"
# The key the environment holds when a command runs: hostile itself, to show that
# "$COMPOSIO_API_KEY" expands to one literal word and is never evaluated again.
KEY = 'ak_MARKER it\'s $(touch /tmp/pwned) `id` "*" ;'
KEY_HEADER = f"x-api-key: {KEY}"
JSON_HEADER = "Content-Type: application/json"
MEGABYTES = 3 * 1024 * 1024

HOSTILE = [
    "it's",
    'say "hi"',
    "$(touch /tmp/x)",
    "`touch /tmp/x`",
    "a; rm -rf ~ && echo pwned | cat",
    "line1\nline2",
    "cr\r\nlf",
    "tab\there",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b[2J\x1b[H",
    "\x9b31m C1 \x85 NEL",
    "\u202eevil\u202c \u2066isolate\u2069 \u2028sep\u2029",
    "emoji 😀 and CJK 日本語",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467 family (ZWJ)",
    "\u200b\ufeff\xad\u2060 invisible",
    "[/bold] [@click=app.quit]x[/]",
    "",
    "\\",
    "'\\''",
    "${COMPOSIO_API_KEY} $HOME !! * ~ #not-a-comment",
    "%2F../../%00",
    ".",
    "..",
    "a/b?c#d",
    "nul\x00byte\x7fdel",
    f"EOF\n{HEREDOC_DELIMITER}\nrm -rf /",
    "lone \ud800 surrogate",
    *HOSTILE_STRINGS,
]
HOSTILE_PARAMS = [pytest.param(text, id=f"hostile-{n}") for n, text in enumerate(HOSTILE)]


# -- running a command in a real shell ---------------------------------------------------------

# curl's stand-in: the argument count, then each argument, NUL-terminated (NUL is the
# one byte an argument cannot hold), then whatever arrives on stdin.
DUMPER = 'curl() { env printf \'%s\\0\' "$#" "$@" && cat; }\n'


def _shell(
    args: list[str], script: str, *, env: dict[str, str]
) -> subprocess.CompletedProcess[bytes]:
    # A script too long for one argument (a multi-megabyte here-document) goes in a file.
    if len(script.encode()) < 64 * 1024:
        return subprocess.run(
            ["sh", *args, "-c", script],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
        )
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".sh") as file:
        file.write(script)
        file.flush()
        return subprocess.run(
            ["sh", *args, file.name],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
        )


def shell_env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "COMPOSIO_API_KEY": KEY}


def run(command: str) -> tuple[list[str], bytes]:
    """The argv curl would get from ``command``, and its stdin."""
    check = _shell(["-n"], command, env=shell_env())
    assert check.returncode == 0, check.stderr.decode(errors="replace")
    done = _shell([], DUMPER + command, env=shell_env())
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    assert done.stderr == b""
    count, rest = done.stdout.split(b"\0", 1)
    argv = []
    for _ in range(int(count)):
        arg, rest = rest.split(b"\0", 1)
        argv.append(arg.decode("utf-8"))
    return argv, rest


def assert_safe(curl: Curl) -> None:
    """No key, no control character but layout newlines, and the key from the env."""
    command = curl.command
    assert KEY not in command
    assert re.findall(r"x-api-key: ([^\"'\n]*)", command) == ["$COMPOSIO_API_KEY"]
    assert '-H "x-api-key: $COMPOSIO_API_KEY"' in command
    assert not has_unsafe(command)
    assert "\t" not in command and "\r" not in command
    assert not re.search("[\ud800-\udfff]", command)
    command.encode("utf-8")  # clipboard- and terminal-safe text
    lines = command.split("\n")
    if lines[-1] == HEREDOC_DELIMITER:
        assert lines[-3].endswith(f"<<'{HEREDOC_DELIMITER}'")
        lines = lines[:-2]
    assert all(line.endswith(" \\") for line in lines[:-1])
    for warning in curl.warnings:
        assert warning and not has_unsafe(warning) and "\n" not in warning


def expect_post(argv: list[str], stdin: bytes, url: str, body: Any) -> None:
    """``argv``/``stdin`` are a POST of exactly ``body`` to ``url``, inline or here-doc."""
    assert argv[:8] == ["-sS", "-X", "POST", url, "-H", KEY_HEADER, "-H", JSON_HEADER]
    text = json_text(body)
    if argv[8:] == ["-d", text]:
        assert stdin == b""
        sent = text
    else:
        assert argv[8:] == ["--data-binary", "@-"]
        sent = stdin.decode("utf-8")
        assert sent == text + "\n"  # the here-document's closing newline: JSON whitespace
    assert json.loads(sent) == body


# -- shell_quote -------------------------------------------------------------------------------


def expected_word(text: str) -> str:
    """What shell_quote promises the shell will read back."""
    return re.sub("[\t\n\r\ud800-\udfff]", "", strip_controls(text))


def shell_words(quoted: list[str]) -> list[str]:
    done = subprocess.run(
        ["sh", "-c", "printf '%s\\0' " + " ".join(quoted)],
        env=shell_env(),
        capture_output=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8").split("\0")[:-1]


def test_shell_quote_reads_back_every_hostile_value() -> None:
    quoted = [shell_quote(text) for text in HOSTILE]
    for word in quoted:
        assert word.startswith("'") and word.endswith("'")
        assert not has_unsafe(word) and not re.search("[\t\n\r]", word)
    assert shell_words(quoted) == [expected_word(text) for text in HOSTILE]


def test_shell_quote_examples() -> None:
    assert shell_quote("") == "''"
    assert shell_quote("it's") == "'it'\\''s'"
    assert shell_quote("a\x1b]52;c;ZXZpbA==\x07b\n\tc") == "'a]52;c;ZXZpbA==bc'"
    assert shell_quote('$(x) `y` \\ "z"') == "'$(x) `y` \\ \"z\"'"


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.text(
            st.one_of(
                st.characters(exclude_categories=()),
                st.sampled_from("'\"\\$`;&|<>(){}[]*?!~#\n\t\r\x00\x1b\x07\x9b\u202e\u200b"),
                st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=()),
            )
        ),
        min_size=1,
        max_size=6,
    )
)
def test_shell_quote_round_trips_any_text(texts: list[str]) -> None:
    assert shell_words([shell_quote(text) for text in texts]) == [expected_word(t) for t in texts]


# -- detail_curl -------------------------------------------------------------------------------


def test_detail_curl_is_a_get_with_the_key_from_the_environment() -> None:
    curl = detail_curl(BASE, "log_-jRTWClpBoVo")
    assert curl == Curl(
        "curl -sS 'https://backend.composio.dev/api/v3.1/logs/tool_execution/log_-jRTWClpBoVo'"
        ' \\\n  -H "x-api-key: $COMPOSIO_API_KEY"'
    )
    argv, stdin = run(curl.command)
    assert argv == [
        "-sS",
        f"{BASE}/api/v3.1/logs/tool_execution/log_-jRTWClpBoVo",
        "-H",
        KEY_HEADER,
    ]
    assert stdin == b""


@pytest.mark.parametrize("log_id", [param for param in HOSTILE_PARAMS if param.values[0]])
def test_detail_curl_sends_any_id_intact(log_id: str) -> None:
    curl = detail_curl(BASE, log_id)
    assert_safe(curl)
    argv, stdin = run(curl.command)
    prefix = f"{BASE}/api/v3.1/logs/tool_execution/"
    assert argv[0] == "-sS" and argv[2:] == ["-H", KEY_HEADER] and stdin == b""
    assert argv[1].startswith(prefix)
    segment = argv[1].removeprefix(prefix)
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]+", segment), segment  # one segment, all ASCII
    assert unquote(segment, errors="surrogatepass") == log_id
    if "\ud800" not in log_id:  # the client cannot encode a lone surrogate at all
        assert segment == _path_id(log_id)  # encoded exactly as the client encodes it


def test_dot_ids_are_not_path_navigation() -> None:
    assert detail_curl(BASE, ".").command.split("'")[1].endswith("/tool_execution/%2E")
    assert detail_curl(BASE, "..").command.split("'")[1].endswith("/tool_execution/%2E%2E")


def test_detail_curl_without_an_id_says_so() -> None:
    with pytest.raises(ValueError, match="no log id"):
        detail_curl(BASE, "")


# -- base URL ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "expected", "warned"),
    [
        ("https://backend.composio.dev", BASE, False),
        ("https://backend.composio.dev///", BASE, False),
        ("  https://backend.composio.dev/ \n", BASE, False),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765", False),
        ("https://proxy.example/composio/", "https://proxy.example/composio", False),
        ("https://user:hunter2@backend.composio.dev/", BASE, True),
        ("https://user:p@ss@backend.composio.dev", BASE, True),
        ("https://token@backend.composio.dev/x@y", f"{BASE}/x@y", True),
        ("https://backend.composio.dev/x@y", f"{BASE}/x@y", False),
        ("user:hunter2@backend.composio.dev", "backend.composio.dev", True),
    ],
)
def test_base_url_loses_trailing_slashes_and_credentials(
    base: str, expected: str, warned: bool
) -> None:
    curl = detail_curl(base, "log_1")
    assert "hunter2" not in curl.command and "p@ss" not in curl.command
    argv, _ = run(curl.command)
    assert argv[1] == expected + "/api/v3.1/logs/tool_execution/log_1"
    assert bool(curl.warnings) is warned
    if warned:
        assert curl.warnings == (
            "The base URL holds a user name or password; it was left out of the command.",
        )
    assert list_curl(base, {}).warnings == curl.warnings


def test_hostile_base_url_is_still_one_quoted_word() -> None:
    curl = list_curl("https://h'$(touch /tmp/x)`id`\x1b]52;c;x\x07.example/", {"limit": 1})
    assert_safe(curl)
    argv, _ = run(curl.command)
    assert argv[3] == "https://h'$(touch /tmp/x)`id`]52;c;x.example/api/v3.1/logs/tool_execution"


def test_blank_base_url_falls_back_to_the_default_and_says_so() -> None:
    curl = list_curl(" / ", {})
    assert curl.warnings == (f"No base URL was given, so the command uses {BASE}.",)
    argv, stdin = run(curl.command)
    expect_post(argv, stdin, f"{BASE}/api/v3.1/logs/tool_execution", {})


# -- list_curl ---------------------------------------------------------------------------------


def test_list_curl_posts_the_body_exactly() -> None:
    body = {
        "limit": 20,
        "filters": [{"field": "toolkit_slug", "operator": "==", "value": "gmail"}],
        "time_range": {"from": 1776384000000, "to": 1776470400000},
    }
    curl = list_curl(BASE, body)
    assert curl.warnings == ()
    assert curl.command == (
        "curl -sS -X POST 'https://backend.composio.dev/api/v3.1/logs/tool_execution' \\\n"
        '  -H "x-api-key: $COMPOSIO_API_KEY" \\\n'
        "  -H 'Content-Type: application/json' \\\n"
        """  -d '{"limit":20,"filters":[{"field":"toolkit_slug","operator":"==","""
        """"value":"gmail"}],"time_range":{"from":1776384000000,"to":1776470400000}}'"""
    )
    argv, stdin = run(curl.command)
    expect_post(argv, stdin, f"{BASE}/api/v3.1/logs/tool_execution", body)


def test_list_curl_of_a_parsed_query() -> None:
    from tui.query import parse_query

    query = parse_query("tool:GMAIL_SEND_EMAIL status:failed since:1h", now_ms=FIXED_NOW_MS)
    body = query.to_api_body(limit=50, cursor="eyJwYWdlIjoyfQ==", now_ms=FIXED_NOW_MS)
    argv, stdin = run(list_curl(BASE, body).command)
    expect_post(argv, stdin, f"{BASE}/api/v3.1/logs/tool_execution", body)


@pytest.mark.parametrize("value", HOSTILE_PARAMS)
def test_list_curl_carries_any_filter_value(value: str) -> None:
    body = {
        "limit": 5,
        "cursor": value,
        "filters": [{"field": "user_id", "operator": "contains", "value": value}],
        "time_range": {"from": 0, "to": 1776470400000},
        value: [value, None, True, 1.5],  # a hostile key too
    }
    curl = list_curl(BASE, body)
    assert_safe(curl)
    argv, stdin = run(curl.command)
    expect_post(argv, stdin, f"{BASE}/api/v3.1/logs/tool_execution", body)


def test_json_text_escapes_invisible_characters_without_changing_the_value() -> None:
    value = {"k\u200b": "\x1b]52;c;x\x07 \x9b \u202e \ufeff \xad \ud800 😀 日本 \u200d"}
    text = json_text(value)
    assert json.loads(text) == value
    assert not has_unsafe(text) and "\n" not in text
    assert "😀 日本" in text  # readable where it is safe to be
    assert "\\u200b" in text and "\\u001b" in text and "\\u009b" in text and "\\ud800" in text


# -- large bodies ------------------------------------------------------------------------------


def _sized(size: int, char: str = "a") -> dict[str, str]:
    """A body whose compact JSON is exactly ``size`` UTF-8 bytes (``char`` one byte or more)."""
    width = len(char.encode())
    filler = size - len('{"x":""}')
    assert filler % width == 0
    return {"x": char * (filler // width)}


def test_threshold_bytes_use_d_and_one_more_byte_a_here_document() -> None:
    at, over = _sized(HEREDOC_THRESHOLD), _sized(HEREDOC_THRESHOLD + 1)
    assert len(json_text(at).encode()) == HEREDOC_THRESHOLD
    assert "\n  -d '" in list_curl(BASE, at).command
    assert "--data-binary @-" in list_curl(BASE, over).command
    # Bytes, not characters: CJK is three bytes each.
    cjk = {"x": "日" * (HEREDOC_THRESHOLD // 3)}
    assert len(json_text(cjk)) < HEREDOC_THRESHOLD < len(json_text(cjk).encode())
    assert "--data-binary @-" in list_curl(BASE, cjk).command


def test_multi_megabyte_list_body_goes_through_a_here_document() -> None:
    value = 'it\'s $(x) `y` \\ "z" \n\t 😀 日本 \x1b[2J \u202e ' * (MEGABYTES // 40)
    body = {"limit": 1, "filters": [{"field": "user_id", "operator": "==", "value": value}]}
    curl = list_curl(BASE, body)
    assert_safe(curl)
    lines = curl.command.split("\n")
    assert lines[-3].endswith(f"--data-binary @- <<'{HEREDOC_DELIMITER}'")
    assert lines[-2] == json_text(body) and lines[-1] == HEREDOC_DELIMITER
    assert len(lines[-2].encode()) > MEGABYTES
    argv, stdin = run(curl.command)
    assert all(len(arg.encode()) < HEREDOC_THRESHOLD for arg in argv)
    expect_post(argv, stdin, f"{BASE}/api/v3.1/logs/tool_execution", body)


def test_an_inline_body_that_large_would_not_run() -> None:
    """Why the here-document exists: the same body inline fails in the shell."""
    body = _sized(256 * 1024)
    inline = f"curl -sS -d {shell_quote(json_text(body))}"
    done = _shell([], DUMPER + inline, env=shell_env())
    assert done.returncode != 0
    assert b"Argument list too long" in done.stderr or b"too long" in done.stderr.lower()
    argv, stdin = run(list_curl(BASE, body).command)  # and the real command does
    expect_post(argv, stdin, f"{BASE}/api/v3.1/logs/tool_execution", body)


# -- rerun_curl --------------------------------------------------------------------------------


def make_call(**fields: Any) -> CallDetail:
    detail = WireLogDetail.model_validate(
        {
            "id": "log_1",
            "timestamp": "2026-04-17T10:25:00.000Z",
            "type": "tool.execution",
            "status": "failed",
            "level": "error",
            "metadata": {"tool_slug": "GMAIL_SEND_EMAIL", "toolkit_slug": "gmail"},
            "metrics": {},
            "parent": None,
            "context": {},
            "source": {},
            "data": {},
        }
    )
    call = build_call(detail, None)
    # Re-runs read the logged values (call.execute); the display fields follow along.
    logged = {key: fields[key] for key in _EXECUTE_FIELDS if key in fields}
    return dataclasses.replace(call, **fields, execute=dataclasses.replace(call.execute, **logged))


_EXECUTE_FIELDS = ("tool", "user_id", "connected_account_id", "version", "arguments")


def test_rerun_sends_the_logged_values_not_the_displayed_ones() -> None:
    user = "jane\u200b\x1b[31m"  # shown escaped on screen; sent as logged
    account = "ca_" + "x" * 600  # cut for display at 500
    detail = WireLogDetail.model_validate(
        {
            "id": "log_1",
            "timestamp": "2026-04-17T10:25:00.000Z",
            "status": "success",
            "metadata": {
                "tool_slug": "GMAIL_SEND_EMAIL",
                "user_id": user,
                "connected_account_id": account,
                "version": "2025\t09",
            },
            "data": {"input": ARGUMENTS},
        }
    )
    call = build_call(detail, None)
    assert call.user_id != user and call.connected_account_id != account
    argv, stdin = run(rerun_curl(BASE, call).command)
    expect_post(
        argv,
        stdin,
        EXECUTE,
        {
            "arguments": ARGUMENTS,
            "user_id": user,
            "connected_account_id": account,
            "version": "2025\t09",
        },
    )


EXECUTE = f"{BASE}/api/v3.1/tools/execute/GMAIL_SEND_EMAIL"
ARGUMENTS = {"recipient_email": "jane@example.com", "subject": "Hi", "body": "Hello"}


def test_rerun_curl_sends_arguments_user_account_and_version() -> None:
    call = make_call(
        arguments=ARGUMENTS,
        user_id="user_abc123",
        connected_account_id="ca_1a2b3c4d5e6f",
        version="20250905_00",
    )
    curl = rerun_curl(BASE, call)
    assert curl.warnings == ()
    body = {
        "arguments": ARGUMENTS,
        "user_id": "user_abc123",
        "connected_account_id": "ca_1a2b3c4d5e6f",
        "version": "20250905_00",
    }
    assert list(json.loads(json_text(body))) == [
        "arguments",
        "user_id",
        "connected_account_id",
        "version",
    ]
    argv, stdin = run(curl.command)
    expect_post(argv, stdin, EXECUTE, body)


def test_rerun_curl_from_a_built_call() -> None:
    detail = WireLogDetail.model_validate(
        {
            "id": "log_-jRTWClpBoVo",
            "timestamp": "2026-04-17T10:25:00.000Z",
            "type": "tool.execution",
            "status": "failed",
            "level": "error",
            "metadata": {
                "tool_slug": "GMAIL_SEND_EMAIL",
                "user_id": "user_abc123",
                "connected_account_id": "ca_1",
                "version": "20250905_00",
            },
            "metrics": {},
            "parent": None,
            "context": {},
            "source": {},
            "data": {"input": {**ARGUMENTS, "api_key": "sk_live_abcdefghijklmnop"}},
        }
    )
    curl = rerun_curl(BASE, build_call(detail, None))
    assert_safe(curl)
    assert "sk_live_abcdefghijklmnop" not in curl.command
    assert curl.warnings == (
        f"Secrets in the log were masked ({MASK}) and must be filled in before running: "
        "arguments.api_key.",
    )
    argv, stdin = run(curl.command)
    expect_post(
        argv,
        stdin,
        EXECUTE,
        {
            "arguments": {**ARGUMENTS, "api_key": f"{MASK}nop"},
            "user_id": "user_abc123",
            "connected_account_id": "ca_1",
            "version": "20250905_00",
        },
    )


def test_rerun_curl_without_a_version_warns_of_the_base_version() -> None:
    curl = rerun_curl(
        BASE, make_call(arguments=ARGUMENTS, version="", user_id="", connected_account_id="")
    )
    assert curl.warnings == (
        "The log does not say which tool version ran, and without `version` the API runs "
        f"{BASE_TOOL_VERSION}, the base version, not the latest.",
    )
    argv, stdin = run(curl.command)
    expect_post(argv, stdin, EXECUTE, {"arguments": ARGUMENTS})


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (None, "The log holds no arguments object"),
        (["a", "b"], "The log's arguments are an array, not an object"),
        ("to=jane", "The log's arguments are a string, not an object"),
        (42, "The log's arguments are a number, not an object"),
        (False, "The log's arguments are true or false, not an object"),
    ],
)
def test_rerun_curl_without_an_arguments_object_sends_empty_arguments(
    arguments: Any, said: str
) -> None:
    curl = rerun_curl(BASE, make_call(arguments=arguments, version="v1"))
    assert len(curl.warnings) == 1 and curl.warnings[0].startswith(said)
    argv, stdin = run(curl.command)
    expect_post(argv, stdin, EXECUTE, {"arguments": {}, "version": "v1"})


def test_rerun_curl_names_every_masked_path() -> None:
    raw = {
        "api_key": "sk_live_abcdefghijklmnop",
        "config": {"headers": {"Authorization": "Bearer abcdefghijklmnop", "Accept": "*/*"}},
        "urls": ["https://x.example/?a=1&access_token=abcdefghijklmnop", "https://ok.example/"],
        "my key": {"password": "hunter2hunter2"},
        "\x1b]52;c;x\x07": {"secret": "s"},
        "refresh_token": "abcdefghijklmnop",
        "plain": "nothing to see",
    }
    arguments = redact_json(raw)
    curl = rerun_curl(BASE, make_call(arguments=arguments, version="v1"))
    assert len(curl.warnings) == 1
    warning = curl.warnings[0]
    assert warning.startswith(f"Secrets in the log were masked ({MASK})")
    for path in (
        "arguments.api_key",
        "arguments.config.headers.Authorization",
        "arguments.urls[0]",
        'arguments["my key"].password',
        "and 1 more",
    ):
        assert path in warning
    assert "plain" not in warning and "urls[1]" not in warning and "Accept" not in warning
    assert not has_unsafe(warning)
    assert "hunter2" not in curl.command and "abcdefghijklmnop" not in curl.command
    argv, stdin = run(curl.command)
    expect_post(argv, stdin, EXECUTE, {"arguments": arguments, "version": "v1"})


def test_rerun_curl_without_a_tool_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="does not name its tool, so it cannot be re-run"):
        rerun_curl(BASE, make_call(tool=""))


@pytest.mark.parametrize("value", HOSTILE_PARAMS)
def test_rerun_curl_carries_hostile_values(value: str) -> None:
    slug = value or "EMPTY"
    call = make_call(
        tool=slug,
        arguments={"to": value, value: {"nested": [value, 1, None]}},
        user_id=value,
        connected_account_id=value,
        version=value,
    )
    curl = rerun_curl(BASE, call)
    assert_safe(curl)
    argv, stdin = run(curl.command)
    body: dict[str, Any] = {"arguments": call.arguments}
    if value:
        body.update(user_id=value, connected_account_id=value, version=value)
    segment = _path_id(slug) if "\ud800" not in slug else argv[3].rsplit("/", 1)[1]
    expect_post(argv, stdin, f"{BASE}/api/v3.1/tools/execute/{segment}", body)
    assert unquote(segment, errors="surrogatepass") == slug


def test_rerun_curl_with_multi_megabyte_arguments() -> None:
    big = {"body": "😀 it's \x1b]52;c;x\x07 " * (MEGABYTES // 16), "subject": "Hi"}
    curl = rerun_curl(BASE, make_call(arguments=big, version="v1", user_id="u'1"))
    assert_safe(curl)
    assert f"<<'{HEREDOC_DELIMITER}'" in curl.command
    argv, stdin = run(curl.command)
    expect_post(argv, stdin, EXECUTE, {"arguments": big, "user_id": "u'1", "version": "v1"})


def test_headless_import() -> None:
    """The CLI builds curls too: importing tui.curl must not import Textual."""
    code = "import sys, tui.curl; sys.exit(any(m.split('.')[0] == 'textual' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], timeout=30).returncode == 0
