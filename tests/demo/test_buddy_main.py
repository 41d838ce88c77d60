"""`toolwatch demo-server --buddy`: prints the Buddy export lines, serves A.2–A.5 with
the token it printed, exits 0 on SIGTERM."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx

CODE = "from tui.demo import main; raise SystemExit(main(['--buddy', '--port', '0']))"


def test_buddy_demo_server_prints_exports_and_serves_with_that_token() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CODE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        first, second = proc.stdout.readline(), proc.stdout.readline()
        url = re.fullmatch(r"export BUDDY_BASE_URL=(http://127\.0\.0\.1:\d+)\n", first)
        token = re.fullmatch(r"export BUDDY_TOKEN=(buddy_demo_[\w-]+)\n", second)
        assert url and token, (first, second)
        runs = httpx.get(
            url[1] + "/workspaces/acme/projects/agents/pipelines/12/executions",
            headers={"Authorization": f"Bearer {token[1]}"},
        )
        assert runs.status_code == 200 and runs.json()["executions"]
        assert "X-Rate-Limit-Remaining" in runs.headers
        refused = httpx.get(url[1] + "/workspaces/acme/projects/agents/pipelines")
        assert refused.status_code == 401 and refused.json()["errors"][0]["message"]
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert out == "" and "Traceback" not in err and "--source buddy" in err
