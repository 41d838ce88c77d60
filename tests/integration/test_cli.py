"""The headless commands, run as a user runs them: a subprocess with a real environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.demo import DemoServer

ROOT = Path(__file__).resolve().parents[2]


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSIO_", "TOOLWATCH_"))}
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=ROOT,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def server():
    with DemoServer(seed=11, rate=0, prefill=250) as srv:
        yield srv


def env_for(server: DemoServer) -> dict[str, str]:
    return {"COMPOSIO_API_KEY": server.api_key, "COMPOSIO_BASE_URL": server.url}


def test_headless_commands_never_import_textual():
    code = (
        "import sys\n"
        "from tui import cli\n"
        "from tui.demo import DemoServer\n"
        "with DemoServer(rate=0, prefill=5) as s:\n"
        "    import os\n"
        "    os.environ['COMPOSIO_API_KEY'] = s.api_key\n"
        "    os.environ['COMPOSIO_BASE_URL'] = s.url\n"
        "    assert cli.main(['list', '--limit', '2']) == 0\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("clean")


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


def test_help_shows_the_debug_log_path():
    result = run("--help")
    assert result.returncode == 0 and "toolwatch.log" in result.stdout


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
