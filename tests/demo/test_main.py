"""`toolwatch demo-server`: prints the two export lines, serves, exits 0 on Ctrl-C / SIGTERM."""

from __future__ import annotations

import ast
import re
import signal
import subprocess
import sys

import httpx
import pytest

from tests.demo.conftest import LIST

CODE = "from tui.demo import main; raise SystemExit(main(['--port', '0', '--rate', '1']))"


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_main_prints_exports_and_stops_cleanly(stop: signal.Signals) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", CODE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first, second = proc.stdout.readline(), proc.stdout.readline()
        url = re.fullmatch(r"export COMPOSIO_BASE_URL=(http://127\.0\.0\.1:\d+)\n", first)
        key = re.fullmatch(r"export COMPOSIO_API_KEY=(demo_[\w-]+)\n", second)
        assert url and key, (first, second)
        response = httpx.post(url[1] + LIST, headers={"x-api-key": key[1]})
        assert response.status_code == 200 and len(response.json()["logs"]) == 20
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
    assert proc.returncode == 0
    assert out == "" and "Traceback" not in err and "Ctrl-C" in err


def test_main_rejects_bad_arguments() -> None:
    from tui.demo import main

    assert main(["--rate", "-1"]) == 2
    assert main(["--port", "nope"]) == 2


def test_demo_shares_only_the_constants_with_the_client() -> None:
    code = (
        "import sys, tui.demo; print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('tui', 'textual', 'rich', 'httpx', 'pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = ast.literal_eval(out.stdout)
    assert {m for m in loaded if not m.startswith("tui.demo")} == {"tui", "tui.constants"}
