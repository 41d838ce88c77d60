"""The headless commands, run as a user runs them: a subprocess with a real environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.demo import DemoServer
from tui.query import parse_query

ROOT = Path(__file__).resolve().parents[2]


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSIO_", "TOOLWATCH_"))}
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=base,
        cwd=ROOT,
        timeout=timeout,
    )


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    """What ``code`` printed, run in a fresh interpreter (its own imports); it must succeed."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture(scope="module")
def server():
    with DemoServer(seed=11, rate=0, prefill=250) as srv:
        yield srv


def env_for(server: DemoServer) -> dict[str, str]:
    return {"COMPOSIO_API_KEY": server.api_key, "COMPOSIO_BASE_URL": server.url}


def test_headless_commands_never_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from tui.cli import main as cli\n"
        "from tui.demo import DemoServer\n"
        "with DemoServer(rate=0, prefill=5) as s:\n"
        "    import os\n"
        "    os.environ['COMPOSIO_API_KEY'] = s.api_key\n"
        "    os.environ['COMPOSIO_BASE_URL'] = s.url\n"
        "    assert cli.main(['list', '--limit', '2']) == 0\n"
        "    import io, contextlib\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        cli.main(['list', '--limit', '3'])\n"
        "    path = os.path.join(os.environ['TMP_DIR'], 'x.jsonl')\n"
        "    open(path, 'w').write(out.getvalue())\n"
        "    assert cli.main(['list', '--file', path, '-q', 'ok']) == 0\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    assert run_python(code, env={**os.environ, "TMP_DIR": str(tmp_path)}).endswith("clean")


@pytest.mark.parametrize("query", ["", "failed toolkit:gmail"])
def test_reading_a_file_imports_no_http_client_no_pydantic_and_no_other_command(tmp_path, query):
    """`list --file` starts in a fraction of a second (issue 15: 0.3 s for 100 lines of a
    million): it imports neither the API clients' httpx nor the wire models' pydantic,
    nor the modules of the commands not given, nor asyncio (it runs without a loop)."""
    path = tmp_path / "logs.jsonl"
    path.write_text(
        '{"id": "log_1", "timestamp": "2026-04-17T10:25:00Z", "status": "failed", '
        '"metadata": {"toolkit_slug": "gmail"}}\n'
    )
    code = (
        "import sys, io, contextlib\n"
        "from tui.cli import main as cli\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    assert cli.main(['list', '--file', {str(path)!r}, '-q', {query!r}]) == 0\n"
        "assert 'log_1' in out.getvalue()\n"
        "heavy = ('asyncio', 'httpx', 'pydantic', 'tomlkit', 'textual', 'tui.cli.stats_cmd', "
        "'tui.cli.watch_cmd', 'tui.cli.tail_cmd', 'tui.cli.serve_cmd', 'tui.stats', 'tui.rules')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)\n"
        "assert not bad, bad\n"
        "print('light')\n"
    )
    assert run_python(code) == "light"


def test_list_prints_newest_json_lines(server):
    result = run("list", "--limit", "150", env=env_for(server))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 150  # pages through with the cursor past the 100 limit
    assert len({line["id"] for line in lines}) == 150
    stamps = [line["timestamp"] for line in lines]
    assert stamps == sorted(stamps, reverse=True)


def test_get_detail_and_trace_redacted(server):
    log_id = json.loads(run("list", "--limit", "1", env=env_for(server)).stdout)["id"]
    detail = run("get", log_id, env=env_for(server))
    assert detail.returncode == 0, detail.stderr
    assert json.loads(detail.stdout)["id"] == log_id
    trace = run("get", log_id, "--trace", env=env_for(server))
    assert trace.returncode == 0, trace.stderr
    body = json.loads(trace.stdout)
    assert body["actionLogId"] == log_id
    headers = [
        value
        for step in body["steps"]
        for entry in step.get("logs") or []
        for name, value in (entry["request"].get("headers") or {}).items()
        if name.lower() in ("authorization", "cookie", "x-api-key")
    ]
    assert headers and all("••••••" in v for v in headers)
    shown = json.loads(run("get", log_id, "--trace", "--show-secrets", env=env_for(server)).stdout)
    assert "••••••" not in json.dumps(shown, ensure_ascii=False)


def test_demo_flag_needs_no_key():
    result = run("list", "--demo", "--limit", "3")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_missing_key_explains_and_exits_nonzero():
    result = run("list")
    assert result.returncode == 2
    assert "COMPOSIO_API_KEY" in result.stderr and "--demo" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_tui_without_key_explains_in_one_paragraph():
    result = run()
    assert result.returncode == 2
    assert "COMPOSIO_API_KEY" in result.stderr and "toolwatch --demo" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_key_is_never_taken_as_a_flag():
    result = run("--api-key", "sk_secret_value", "list")
    assert result.returncode == 2
    assert "environment" in result.stderr and "sk_secret_value" not in result.stderr


def test_wrong_key_is_an_auth_error_without_the_key(server):
    result = run("list", env={"COMPOSIO_API_KEY": "sk_wrong_123", "COMPOSIO_BASE_URL": server.url})
    assert result.returncode == 1
    assert "Authentication failed" in result.stderr
    assert "sk_wrong_123" not in result.stderr and "Traceback" not in result.stderr


def test_unknown_log_is_not_found(server):
    result = run("get", "log_doesnotexist", env=env_for(server))
    assert result.returncode == 1 and "Not found" in result.stderr


def test_unreachable_server_says_so():
    result = run("list", env={"COMPOSIO_API_KEY": "k", "COMPOSIO_BASE_URL": "http://127.0.0.1:9"})
    assert result.returncode == 1
    assert "127.0.0.1:9" in result.stderr and "Traceback" not in result.stderr


def test_bad_flags_get_a_clear_answer():
    assert run("list", "--limit", "0", "--demo").returncode == 2
    bad_level = run("list", "--demo", "--log-level", "loud")
    assert bad_level.returncode == 2 and "loud" in bad_level.stderr


def test_help_shows_the_debug_log_path_and_the_environment_it_reads():
    result = run("--help")
    assert result.returncode == 0 and "toolwatch.log" in result.stdout
    said = " ".join(result.stdout.split())
    for name in ("TOOLWATCH_MAX_RESPONSE_MB", "TOOLWATCH_STATE_DIR", "TOOLWATCH_LOG_LEVEL"):
        assert name in said


def test_debug_log_records_requests_but_never_the_key(server, tmp_path):
    env = env_for(server) | {"TOOLWATCH_LOG_LEVEL": "debug", "XDG_STATE_HOME": str(tmp_path)}
    env["HOME"] = str(tmp_path)
    result = run("list", "--limit", "2", env=env)
    assert result.returncode == 0, result.stderr
    logs = list(tmp_path.rglob("toolwatch.log"))
    assert logs, "no debug log written"
    text = logs[0].read_text()
    assert "POST /api/v3.1/logs/tool_execution -> 200" in text
    assert server.api_key not in text
    assert result.stderr == ""


# -- --query, --since, --until ---------------------------------------------------------------

LIST = "/api/v3.1/logs/tool_execution"


def list_bodies(server: DemoServer) -> list[dict]:
    return [r.body for r in server.requests if r.method == "POST" and r.path == LIST]


def test_list_query_sends_exactly_what_the_screen_sends():
    text = "toolkit:gmail -user~zzz since:2020-01-01T00:00 until:2099-01-01"
    with DemoServer(seed=11, rate=0, prefill=250) as srv:
        result = run("list", "--query", text, "--limit", "150", env=env_for(srv))
        bodies = list_bodies(srv)
    assert result.returncode == 0, result.stderr
    query = parse_query(text, now_ms=0)  # absolute times: the clock does not matter
    assert bodies and all(
        body == query.to_api_body(limit=100, cursor=body.get("cursor")) for body in bodies
    )
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and all(line["metadata"].get("toolkit_slug", "gmail") == "gmail" for line in lines)


def test_since_and_until_flags_are_the_query_terms():
    since, until = "2026-04-17", "2099-01-01T10:00Z"
    text = f"failed since:{since} until:{until}"
    with DemoServer(seed=11, rate=0, prefill=20) as srv:
        flags = run("list", "-q", "failed", "--since", since, "--until", until, env=env_for(srv))
        terms = run("list", "-q", text, env=env_for(srv))
        bodies = list_bodies(srv)
    assert flags.returncode == terms.returncode == 0, flags.stderr + terms.stderr
    assert flags.stdout == terms.stdout
    expected = parse_query(text, now_ms=0)
    assert bodies == [expected.to_api_body()] * 2


def test_a_bad_query_exits_2_with_a_caret_under_the_term():
    result = run("list", "--query", "failed tol:GMAIL_SEND since:1h")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "toolwatch: --query: unknown field 'tol' in tol:GMAIL_SEND — did you mean tool? "
        "Fields: tool, toolkit, status, user, session, account, auth, sandbox, request, id, "
        'since, until; to search messages for the text, quote it: "tol:GMAIL_SEND"',
        "  failed tol:GMAIL_SEND since:1h",
        "         ^^^^^^^^^^^^^^",
    ]  # judged before the key is looked for


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--since", "15x"], ["toolwatch: --since: can't read '15x' as a time", "  15x", "  ^^^"]),
        (["--until", "2h", "--since", "1h"], ["toolwatch: --until 2h is before --since 1h"]),
        (["-q", "since:1h", "--until", "5m"], ["toolwatch: a time is given both in --query"]),
        (["-q", 'user:"a b'], ["toolwatch: --query: unclosed quote", '  user:"a b', "       ^"]),
    ],
)
def test_bad_times_are_usage_errors(args, says):
    result = run("list", *args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == len(says)
    assert all(line.startswith(start) for line, start in zip(lines, says, strict=True))


def test_words_filter_the_printed_logs_by_message_only():
    with DemoServer(seed=11, rate=0, prefill=30) as srv:
        hits = [
            srv.add_log(message="Quota EXCEEDED for the day", status="failed")["id"],
            srv.add_log(message="the day's quota was exceeded", status="failed")["id"],
        ]
        srv.add_log(message="quota fine", status="failed")
        srv.add_log(message="Quota exceeded for the day", status="success")
        result = run("list", "-q", 'quota "exceeded" failed', "--limit", "100", env=env_for(srv))
        bodies = list_bodies(srv)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == hits[::-1]
    # The words are not sent and change nothing else: the same request as without them.
    assert bodies == [
        {"limit": 100, "filters": [{"field": "status", "operator": "==", "value": "failed"}]}
    ]


def test_list_output_read_back_with_file_gives_the_same_logs(server, tmp_path):
    exported = run("list", "--limit", "150", env=env_for(server)).stdout
    path = tmp_path / "logs.jsonl"
    path.write_text(exported + "{broken\n", encoding="utf-8")
    again = run("list", "--file", str(path), "--limit", "150")
    assert again.returncode == 0, again.stderr
    assert again.stdout == exported  # same lines, same order, nothing re-masked twice
    assert "line 151: not JSON" in again.stderr
    failed = run("list", "--file", str(path), "-q", "failed", "--limit", "150")
    want = [line for line in exported.splitlines() if json.loads(line)["status"] == "failed"]
    assert failed.stdout.splitlines() == want and want
    log_id = json.loads(exported.splitlines()[0])["id"]
    detail = run("get", "--file", str(path), log_id)
    assert detail.returncode == 0 and json.loads(detail.stdout)["id"] == log_id


def test_list_reads_a_pipe_to_its_end(server):
    exported = run("list", "--limit", "40", env=env_for(server)).stdout
    piped = run("list", "--file", "-", "--limit", "100", stdin=exported)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == exported


def test_tail_of_a_pipe_ends_when_the_pipe_does(server):
    exported = run("list", "--limit", "30", env=env_for(server)).stdout
    piped = run("tail", "--file", "-", "--interval", "0.2", stdin=exported)
    assert piped.returncode == 0, piped.stderr
    # tail prints oldest first: the same logs as list, in the other order.
    assert piped.stdout.splitlines() == exported.splitlines()[::-1]


def test_list_prints_a_log_holding_a_lone_surrogate(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text(
        '{"id":"log_s","timestamp":"2026-04-17T10:00:00Z","message":"bad \\ud800 here"}\n',
        encoding="utf-8",
    )
    result = run("list", "--file", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["message"] == "bad \ud800 here"


def test_the_screen_imports_no_http_client_and_no_pydantic_before_its_first_rows():
    """The first rows of a file (issue 15) wait for nothing a file has no use for: the
    API clients' httpx and the wire models' pydantic load when an API source is opened
    or a detail is read."""
    code = (
        "import sys\n"
        "import tui.ui.app, tui.cli.screen_cmd, tui.sources.open\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'pydantic'))\n"
        "assert not bad, bad\n"
        "print('light')\n"
    )
    assert run_python(code) == "light"
