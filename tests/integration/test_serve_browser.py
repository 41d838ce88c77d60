"""`toolwatch serve --demo` in a real headless Chromium (Debian's, driven by Playwright):
the page loads, live rows arrive, a key opens the detail pane, a copy key reaches the
browser's clipboard, and a screenshot of it all is taken."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.integration.serving import ROOT, TOOL_SLUG, screen_text, serving

pytest.importorskip("textual_serve", reason="toolwatch serve needs the serve extra")
sync_api = pytest.importorskip("playwright.sync_api", reason="the browser test needs playwright")

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine: `apt-get install chromium` runs the browser test "
    "(.ci/run installs it where it can)",
)
# The README's picture; written only when asked, so a test run leaves the tree clean.
SCREENSHOT = ROOT / "screenshots" / "serve-browser.png"
SAVE_ENV = "TOOLWATCH_SAVE_SCREENSHOTS"


def wait_for_screen(frames: list[bytes | str], pattern: object, within: float, page: object) -> str:
    deadline = time.monotonic() + within
    while True:
        text = screen_text(frames)
        found = pattern.search(text) if hasattr(pattern, "search") else pattern in text  # type: ignore[operator]
        if found:
            return text
        if time.monotonic() > deadline:
            raise AssertionError(f"{pattern!r} not on the page in {within} s: {text[-2000:]!r}")
        page.wait_for_timeout(100)  # type: ignore[attr-defined]  # lets Playwright deliver frames


def test_the_screen_in_a_browser(tmp_path: Path):
    shot = SCREENSHOT if os.environ.get(SAVE_ENV) else tmp_path / SCREENSHOT.name
    frames: list[bytes | str] = []
    with serving("--demo") as served, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 860})
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.base)
            page = context.new_page()
            page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(f)))
            answer = page.goto(served.url)
            assert answer is not None and answer.status == 200
            # The page is up once the tab's screen sends its first byte; from then on
            # live rows must follow within 5 s.
            page.wait_for_selector("body.-first-byte", timeout=30_000)
            wait_for_screen(frames, TOOL_SLUG, 5, page)

            page.focus("textarea.xterm-helper-textarea")
            page.keyboard.press("Enter")
            wait_for_screen(frames, "Timeline", 10, page)

            page.keyboard.press("y")
            wait_for_screen(frames, "Copied log id", 10, page)
            copied = page.evaluate("navigator.clipboard.readText()")
            assert copied.startswith("log_") or len(copied) >= 8, copied
            assert copied in screen_text(frames)
            page.wait_for_timeout(500)  # the pane's last frame drawn, for the picture
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
