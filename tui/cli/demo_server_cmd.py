"""`toolwatch demo-server`: the built-in Composio-compatible server, standalone. It reads
its own flags (`tui.demo` parses them), so it runs before toolwatch parses any."""

from __future__ import annotations

NAME = "demo-server"
HELP = (
    "run the built-in Composio-compatible server standalone "
    "(demo-server [--port N] [--rate R] [--seed S]; --buddy: Buddy.works' API)"
)


def run(argv: list[str]) -> int:
    from tui.demo import main as demo_main

    return demo_main(argv)
