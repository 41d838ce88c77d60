"""`toolwatch serve` over HTTP and its websocket: private by default, the key kept in the
server's environment, hostile requests refused and logged harmlessly."""

from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path

import aiohttp
import httpx
import pytest

from tests.api_examples import example_log
from tests.integration.serving import TOOL_SLUG, Tab, serving
from tests.integration.test_cli import env_for, run
from tests.unit.test_secrets_corpus import assert_no_secret, secret_message, secret_trace
from tui.demo import DemoServer

pytest.importorskip("textual_serve", reason="toolwatch serve needs the serve extra")

# Set the browser's clipboard, then clear its screen, were it passed on raw.
INJECTED = "\x1b]52;c;SEVJTw==\x07\x1b[2Jowned"


@pytest.fixture(scope="module")
def api():
    """Live traffic (rate 5), so the tab has new rows to show."""
    with DemoServer(seed=5, rate=5, prefill=200) as server:
        yield server


def test_the_printed_url_answers_the_page_and_sets_the_cookie_the_rest_needs():
    with serving("--demo") as served:
        assert served.url.startswith("http://127.0.0.1:") and "/?token=" in served.url
        page = httpx.get(served.url)
        assert page.status_code == 200 and not page.history  # no redirect
        assert 'id="terminal"' in page.text
        assert f"ws://127.0.0.1:{served.port}/ws" in page.text
        assert page.cookies.get(f"toolwatch_serve_{served.port}") == served.token
        set_cookie = page.headers["set-cookie"]
        assert "HttpOnly" in set_cookie and "SameSite=Strict" in set_cookie
        assert page.headers["referrer-policy"] == "no-referrer"

        # A reload, a second tab and the page's assets carry the cookie instead.
        assert httpx.get(served.base + "/", cookies=served.cookie).status_code == 200
        asset = httpx.get(served.base + "/static/js/textual.js", cookies=served.cookie)
        assert asset.status_code == 200 and len(asset.content) > 10_000

        # Neither: 403, and a line on stderr.
        for path in ("/", "/static/js/textual.js", "/ws", "/?token=wrong"):
            refused = httpx.get(served.base + path, cookies={"toolwatch_serve_1": served.token})
            assert refused.status_code == 403, path
            assert "token" in refused.text and served.token not in refused.text
        other_cookie = httpx.get(served.base + "/", cookies={f"toolwatch_serve_{served.port}": "x"})
        assert other_cookie.status_code == 403
    log = served.log()
    assert log.count("refused GET") == 5
    assert "refused GET /static/js/textual.js without the token or its cookie (403)" in log
    assert "wrong" not in log  # a mistyped token is not written down
    assert "Serving" not in log  # textual-serve's own banner stays out
    assert "each browser tab that opens it gets its own session; Ctrl+C stops" in log


async def test_a_tab_shows_live_rows_and_opens_the_detail_pane_over_its_websocket(api):
    with serving(env={**env_for(api), "DISPLAY": ":99"}) as served:
        async with aiohttp.ClientSession(cookies=served.cookie) as session:
            async with session.ws_connect(
                f"ws://127.0.0.1:{served.port}/ws?width=120&height=40"
            ) as ws:
                tab = Tab(ws)
                await tab.wait_for(TOOL_SLUG, within=30)
                screens = tab_processes(served.process.pid)
                await tab.press("\r")
                await tab.wait_for("Timeline", within=15)
            # The websocket needs the cookie too.
            async with aiohttp.ClientSession() as bare:
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await bare.ws_connect(f"ws://127.0.0.1:{served.port}/ws")
                assert refused.value.status == 403
                # Another site's page cannot open it, even were its cookie sent.
                with pytest.raises(aiohttp.WSServerHandshakeError) as cross:
                    await session.ws_connect(
                        f"ws://127.0.0.1:{served.port}/ws", origin="http://evil.example"
                    )
                assert cross.value.status == 403
            async with session.get(served.url) as answer:
                page = await answer.text()
    # The key stayed in the server's environment and its screen's: the tab's screen has
    # it from its environment, not its command line, and no display to copy to.
    assert screens, "no screen process found under serve"
    for environ, cmdline in screens:
        assert f"COMPOSIO_API_KEY={api.api_key}" in environ
        assert "DISPLAY=:99" not in environ
        assert api.api_key not in cmdline and "-m\0tui" in cmdline
    for where, text in (("page", page), ("websocket", tab_text(tab)), ("log", served.log())):
        assert api.api_key not in text, where


def tab_processes(root: int) -> list[tuple[str, str]]:
    """The environment and command line of each toolwatch screen started under ``root``."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    found = []
    for pid in parents:
        up = pid
        while up in parents and up != root:
            up = parents[up]
        if up != root or pid == root:
            continue
        with suppress(OSError):
            cmdline = (Path(f"/proc/{pid}") / "cmdline").read_bytes().decode("utf-8", "replace")
            if "-m\0tui" in cmdline and "serve" not in cmdline.split("\0"):
                environ = (Path(f"/proc/{pid}") / "environ").read_bytes().decode("utf-8", "replace")
                found.append((environ, cmdline))
    return found


def tab_text(tab: Tab) -> str:
    return "".join(f if isinstance(f, str) else f.decode("utf-8", "replace") for f in tab.frames)


def test_a_hostile_path_is_refused_and_logged_without_its_escapes():
    with serving("--demo") as served:
        raw = httpx.get(served.base + "/%1b]52;c;aGk=%07%1b[2J/x")
        assert raw.status_code == 403
    refused = [line for line in served.log().splitlines() if "refused" in line]
    assert len(refused) == 1 and "\x1b" not in refused[0] and "\x07" not in refused[0]


def test_beyond_loopback_it_warns_who_could_see_the_screen():
    with serving("--demo", "--host", "0.0.0.0") as served:
        assert served.url.startswith("http://127.0.0.1:")
        assert httpx.get(served.url).status_code == 200
    log = served.log()
    assert "--host 0.0.0.0 serves the screen beyond this machine" in log
    assert "anyone who can reach port" in log and "plain http" in log
    assert served.stdout[0].decode().startswith("http://")  # the URL is still the first line


def test_loopback_prints_no_warning():
    with serving("--demo") as served:
        pass
    assert "beyond this machine" not in served.log()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["serve"], "COMPOSIO_API_KEY"),
        (["serve", "--demo", "--file", "x.jsonl"], "two sources"),
        (["serve", "--file", "-"], "cannot share a pipe"),
        (["serve", "--demo", "--query", "status:maybe"], "status"),
        (["serve", "--demo", "--port", "70000"], "--port 70000"),
        (["serve", "--demo", "--interval", "fast"], "--interval"),
    ],
)
def test_mistakes_are_said_before_anything_is_served(args, says):
    result = run(*args, timeout=30)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr and result.stdout == ""


def test_a_taken_port_is_said_plainly():
    with serving("--demo") as served:
        result = run("serve", "--demo", "--port", str(served.port), timeout=30)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{served.port}" in result.stderr


def test_without_the_serve_extra_it_says_which_to_install(monkeypatch, capsys):
    import sys

    from tui.cli.main import main

    monkeypatch.delitem(sys.modules, "tui.serve.server", raising=False)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)  # as if not installed
    assert main(["serve", "--demo"]) == 2
    assert "pip install 'toolwatch[serve]'" in capsys.readouterr().err


async def test_a_hostile_log_with_secrets_reaches_the_browser_masked_and_inert(tmp_path):
    """The serve path under the app's secrets corpus: a log whose message would set the
    browser's clipboard (OSC 52) and clear its screen, and holds credentials in every
    shape, is drawn with the escapes inert and the credentials masked."""
    line = {
        **example_log(),
        "id": "log_hostile_served",
        "status": "failed",
        "message": f"{INJECTED} then {secret_message()}",
        "trace": secret_trace("log_hostile_served"),
    }
    path = tmp_path / "hostile.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with serving("--file", str(path)) as served:
        async with aiohttp.ClientSession(cookies=served.cookie) as session:
            tab_url = f"ws://127.0.0.1:{served.port}/ws?width=200&height=50"
            async with session.ws_connect(tab_url) as ws:
                tab = Tab(ws)
                # The table's row draws the escapes as text (\x1b shown, not sent).
                await tab.wait_for(r"\x1b]52;c;SEVJTw==\x07\x1b[2Jo", within=30)
                await tab.press("\r")
                await tab.wait_for("Timeline", within=15)
                await tab.press("3")  # the JSON: the message as JSON writes it
                await tab.wait_for(r'"message": "\u001b]52;c;SEVJTw==\u0007', within=15)
                await tab.press("2")  # the per-step log, its bearer token masked
                await tab.wait_for("Bearer ••••••789 rejected", within=15)
    drawn = tab_text(tab)
    assert "\x1b]52;c;SEVJTw==" not in drawn and "\x1b[2Jowned" not in drawn
    assert_no_secret(drawn, "the browser's websocket")
    assert_no_secret(served.log(), "the server's log")


@pytest.mark.parametrize(
    "argv",
    [
        ["serve", "--demo", "--query", "failed", "--interval", "5"],
        ["--query", "failed", "--interval", "5", "serve", "--demo"],
    ],
)
def test_the_screen_flags_reach_each_tab_before_or_after_serve(argv):
    from tui.cli.main import COMMANDS
    from tui.cli.parser import parse_args
    from tui.cli.serve_cmd import screen_argv

    tab_argv = screen_argv(parse_args(argv, COMMANDS))
    assert tab_argv == ["--interval", "5", "--lag", "30", "--query", "failed", "--demo"]


def test_a_token_that_is_not_text_is_refused_not_a_crash():
    with serving("--demo") as served:
        for token in ("%ED%A0%80", "%FF%FE", "%00", "x" * 5000):
            assert httpx.get(f"{served.base}/?token={token}").status_code == 403
        assert httpx.get(served.url).status_code == 200  # still serving


def test_the_source_flags_reach_each_tab():
    from tui.cli.main import COMMANDS
    from tui.cli.parser import parse_args
    from tui.cli.serve_cmd import screen_argv

    argv = ["serve", "--demo", "--source", "buddy", "--pipeline", "12,14", "--pipeline", "3"]
    tab_argv = screen_argv(parse_args(argv, COMMANDS))
    assert tab_argv[-6:] == ["--source", "buddy", "--pipeline", "12,14", "--pipeline", "3"]
    named = screen_argv(parse_args(["-s", "ci", "serve", "--demo"], COMMANDS))
    assert named[named.index("-s") :][:2] == ["-s", "ci"]
