"""toolwatch beside its peers (toolong, lnav) on one large JSON-lines file of Composio logs.

One command, on a quiet machine:

    .venv/bin/python bench/peers.py                   # 1,000,000 generated lines
    .venv/bin/python bench/peers.py --lines 100000    # quicker, while iterating
    .venv/bin/python bench/peers.py --file big.jsonl  # a file of your own

Prints, medians of ``--repeat`` runs with the tools alternated in each round:

* first rows on screen (tmux 120x40, the pane polled with ``capture-pane``) and the
  resident memory of the process tree once it stops growing, for toolwatch, toolong
  (``tl``, looked for in ``--peers-venv`` then on PATH) and lnav, where installed, and a
  bare Textual app showing one line (the floor for any Textual app here);
* the headless rows: ``toolwatch list --file F --limit 100`` (and with ``--query failed``,
  and ``tail`` until its first matching line) beside ``tail -n 100 F | jq -c .`` and grep,
  and the issue's yardstick for a full pass: ``json.loads`` of every line;
* in process: a first page and a whole first pass with ``failed`` and ``toolkit:gmail``;
  event-loop lateness (what a key press waits for) p50/p99 and the longest
  garbage collection while a query reads the whole file, and what following 1,000
  appended lines costs (the poll that shows them, and the loop time it takes).

The generated file is seeded (``--seed``), oldest line first, as a log is appended, and
written once to ``--dir`` (reused when it is already there).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TOOLWATCH = [sys.executable, "-m", "tui"]
START_MS = 1_776_000_000_000
TOOLS = [
    ("GMAIL_SEND_EMAIL", "gmail"),
    ("GMAIL_FETCH_EMAILS", "gmail"),
    ("GITHUB_CREATE_ISSUE", "github"),
    ("GITHUB_LIST_PULL_REQUESTS", "github"),
    ("SLACK_SEND_MESSAGE", "slack"),
    ("NOTION_CREATE_PAGE", "notion"),
    ("GOOGLECALENDAR_CREATE_EVENT", "googlecalendar"),
    ("LINEAR_CREATE_ISSUE", "linear"),
]
_BARE_TEXTUAL = (
    "from textual.app import App\nfrom textual.widgets import Static\n"
    'class Bare(App):\n    def compose(self):\n        yield Static("GMAIL_SEND_EMAIL")\n'
    "Bare().run()"
)
_DECODE_ALL = "import json, sys\nfor line in open(sys.argv[1], 'rb'):\n    json.loads(line)"
# A row of the file on screen: its tool (toolwatch) or its raw start (toolong, lnav).
MARKERS = [tool for tool, _ in TOOLS] + ['{"id": "log_']


# -- the file ------------------------------------------------------------------------


def item(n: int, rng: random.Random) -> dict[str, Any]:
    """A Composio list item (A.2), about 340 bytes as JSON."""
    tool, toolkit = rng.choice(TOOLS)
    failed = rng.random() < 0.08
    ms = START_MS + n * 200 + rng.randrange(200)
    seconds, millis = divmod(ms, 1000)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"
    return {
        "id": f"log_{n:012x}{rng.randrange(16**6):06x}",
        "timestamp": stamp,
        "type": "tool.execution",
        "status": "failed" if failed else "success",
        "level": "error" if failed else "info",
        "message": f"{tool} {'failed: upstream returned 502' if failed else 'executed'}",
        "metadata": {
            "tool_slug": tool,
            "toolkit_slug": toolkit,
            "user_id": f"user_{rng.randrange(500)}",
            "connected_account_id": f"ca_{rng.randrange(2000):05d}",
            "auth_config_id": f"ac_{rng.randrange(40):03d}",
            "session_id": f"trs_{n // 25:08d}",
        },
        "metrics": {"duration_ms": rng.randrange(40, 4000)},
    }


def generate(path: Path, lines: int, seed: int, first: int = 0, mode: str = "w") -> None:
    rng = random.Random(seed * 1_000_003 + first)
    with open(path, mode, encoding="utf-8") as out:
        for start in range(first, first + lines, 10_000):
            stop = min(first + lines, start + 10_000)
            out.write("".join(json.dumps(item(n, rng)) + "\n" for n in range(start, stop)))


# -- processes -----------------------------------------------------------------------


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and everything under it (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm", encoding="ascii") as statm:
                total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{p}/task/{p}/children", encoding="ascii") as kids:
                todo += [int(k) for k in kids.read().split()]
        except OSError:
            continue
    return total / 2**20


def timed(cmd: list[str] | str, *, shell: bool = False) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one command run to its end."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, shell=shell, stdout=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    took = time.perf_counter() - start
    if proc.returncode:
        print(f"  ! {cmd} exited {proc.returncode}", file=sys.stderr)
    return took, usage.ru_maxrss / 1024


def first_line_s(cmd: list[str]) -> float:
    """Seconds until ``cmd`` prints its first line (then it is stopped)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert proc.stdout is not None
    proc.stdout.readline()
    took = time.perf_counter() - start
    proc.kill()
    proc.wait()
    return took


def screen(name: str, cmd: str, timeout: float) -> tuple[float, float]:
    """Seconds until a row of the file shows in a 120x40 tmux pane, and resident MB
    once memory stops growing (steady for 2 s, or ``timeout``)."""
    session = f"peers{os.getpid()}{name}"
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)
    start = time.perf_counter()
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", cmd], check=True
    )
    try:
        pid = int(
            subprocess.run(
                ["tmux", "display", "-p", "-t", session, "#{pane_pid}"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        shown = float("nan")
        while time.perf_counter() - start < timeout:
            text = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if any(marker in text for marker in MARKERS):
                shown = time.perf_counter() - start
                break
            time.sleep(0.01)
        rss, steady = tree_rss_mb(pid), time.perf_counter()
        while time.perf_counter() - start < timeout and time.perf_counter() - steady < 2:
            time.sleep(0.25)
            now = tree_rss_mb(pid)
            if abs(now - rss) > 1:
                rss, steady = now, time.perf_counter()
        return shown, rss
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True, check=False)


def peers(venv: Path) -> dict[str, Callable[[Path], str]]:
    """The TUIs to compare, by name: each makes the shell command for a file."""
    tools: dict[str, Callable[[Path], str]] = {
        "toolwatch": lambda f: f"{' '.join(TOOLWATCH)} --file {f}",
    }
    tl = venv / "bin" / "tl"
    tl_cmd = str(tl) if tl.exists() else shutil.which("tl")
    if tl_cmd:
        tools["toolong"] = lambda f: f"{tl_cmd} {f}"
    lnav = shutil.which("lnav")
    if lnav:
        tools["lnav"] = lambda f: f"{lnav} {f}"
    # The floor for any Textual app on this machine (the issue measured 0.22 s on its):
    # one line of text, no file read.
    tools["bare Textual app"] = lambda f: f"{sys.executable} -c '{_BARE_TEXTUAL}'"
    return tools


# -- in process ----------------------------------------------------------------------


def in_process(path: Path, seed: int, lines: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from tui.query import parse_query
    from tui.sources.file import FileSource
    from tui.sources.file.cursor import encode_cursor

    pauses: list[float] = []
    began: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            began.append(time.perf_counter())
        elif began:
            pauses.append(time.perf_counter() - began.pop())

    async def run() -> dict[str, float]:
        late: list[float] = []
        stop = asyncio.Event()

        async def ticker() -> None:
            while not stop.is_set():
                due = time.perf_counter() + 0.005
                await asyncio.sleep(0.005)
                late.append(max(0.0, time.perf_counter() - due))

        now = int(time.time() * 1000)
        out: dict[str, float] = {}
        for text in ("", "failed", "toolkit:gmail failed"):
            fresh = FileSource(path)
            start = time.perf_counter()
            await fresh.list_logs(parse_query(text, now_ms=now), limit=100)
            out[f"page 1 of a fresh source, {text or 'no query'!r} (ms)"] = 1000 * (
                time.perf_counter() - start
            )
            await fresh.aclose()
        source = FileSource(path)
        gc.callbacks.append(on_gc)
        tick = asyncio.create_task(ticker())
        start = time.perf_counter()
        await source.list_logs(parse_query("user:nobody_at_all", now_ms=now), limit=100)
        out["full pass, no match (s)"] = time.perf_counter() - start
        # Issue 15: "<= 100 MB resident with a 1M-line file fully indexed".
        out["resident, every line read (MB)"] = tree_rss_mb(os.getpid())
        # "Any query once indexed": one whose rows are many (found among the newest
        # lines), one whose rows are few, and one no line holds (each line looked at).
        for text in ("failed toolkit:gmail", "user:user_1 toolkit:slack", "user:nobody_else"):
            start = time.perf_counter()
            await source.list_logs(parse_query(text, now_ms=now), limit=100)
            out[f"{text} once read (s)"] = time.perf_counter() - start
        stop.set()
        await tick
        gc.callbacks.remove(on_gc)
        late.sort()
        out["loop lateness p50 (ms)"] = 1000 * late[len(late) // 2] if late else 0.0
        out["loop lateness p99 (ms)"] = 1000 * late[int(len(late) * 0.99)] if late else 0.0
        out["longest gc pause (ms)"] = 1000 * max(pauses, default=0.0)
        # Following: 1,000 lines appended, then the poll that shows them.
        query = parse_query("", now_ms=now)
        await source.list_logs(query, limit=100)
        size = await asyncio.to_thread(os.path.getsize, path)
        try:
            generate(path, 1000, seed, first=lines, mode="a")
            late.clear()
            stop.clear()
            tick = asyncio.create_task(ticker())
            start = time.perf_counter()
            page = await source.list_logs(query, limit=100)
            out["follow 1,000 appended: poll (ms)"] = 1000 * (time.perf_counter() - start)
            stop.set()
            await tick
            out["follow 1,000 appended: loop held (ms)"] = 1000 * max(late, default=0.0)
            newest = page.entries[0].timestamp_ms if page.entries else 0
            out["follow: newest shown is appended"] = float(newest >= START_MS + lines * 200)
        finally:
            os.truncate(path, size)
            await source.aclose()
        # A whole first pass with each of issue 15's two queries (last: what they leave
        # behind would count in the memory above): a page past the last reads every line.
        for text in ("failed", "toolkit:gmail"):
            fresh = FileSource(path)
            start = time.perf_counter()
            query = parse_query(text, now_ms=now)
            await fresh.list_logs(query, limit=100, cursor=encode_cursor(10**7))
            out[f"full pass, {text} (s)"] = time.perf_counter() - start
            await fresh.aclose()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out["in-process peak RSS, all of the above (MB)"] = peak
        return out

    return asyncio.run(run())


# -- the run ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="use this file instead of generating one")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--peers-venv", type=Path, default=Path("/tmp/peers-venv"))
    parser.add_argument("--timeout", type=float, default=90.0)
    parser.add_argument("--skip", default="", help="comma-separated: screen,headless,inproc")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))

    path = args.file or args.dir / f"peers-{args.lines}-{args.seed}.jsonl"
    if args.file is None and not path.exists():
        print(f"writing {path} ...", flush=True)
        generate(path, args.lines, args.seed)
    # An installed toolwatch runs from byte-compiled modules (pip compiles them), as its
    # peers do; a checkout may have none when PYTHONDONTWRITEBYTECODE is set, and each
    # run would then time compiling ours (about 0.1 s).
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parent.parent / "tui", quiet=1)
    mb = path.stat().st_size / 2**20
    print(f"file: {path}  {mb:.0f} MB  ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")

    if "screen" not in skip:
        tools = peers(args.peers_venv)
        shown: dict[str, list[float]] = {name: [] for name in tools}
        rss: dict[str, list[float]] = {name: [] for name in tools}
        for _ in range(args.repeat):
            for name, make in tools.items():
                first, mem = screen(name, make(path), args.timeout)
                shown[name].append(first)
                rss[name].append(mem)
        print(f"\nfirst rows on screen (tmux 120x40), median of {args.repeat}:")
        base = statistics.median(shown["toolwatch"])
        for name in tools:
            s, m = statistics.median(shown[name]), statistics.median(rss[name])
            ratio = f"toolwatch takes {base / s:4.2f}x its time" if name != "toolwatch" else ""
            print(f"  {name:10} {s:6.2f} s  {m:6.0f} MB   {ratio}")

    if "headless" not in skip:
        f = str(path)
        rows: list[tuple[str, list[str] | str, bool]] = [
            (
                "toolwatch list --limit 100",
                [*TOOLWATCH, "list", "--file", f, "--limit", "100"],
                False,
            ),
            ("tail -n 100 F | jq -c .", f"tail -n 100 {f} | jq -c . >/dev/null", True),
            (
                "toolwatch start-up alone (imports)",
                [sys.executable, "-c", "import tui.cli.main"],
                False,
            ),
            (
                "toolwatch list -q failed --limit 100",
                [*TOOLWATCH, "list", "--file", f, "-q", "failed", "--limit", "100"],
                False,
            ),
            ("grep failed | tail -n 100", f"grep '\"failed\"' {f} | tail -n 100 >/dev/null", True),
            # The issue's yardstick for a full pass ("decoding every line with the stdlib
            # costs about 3.7 s per million here"): how fast this machine is at it.
            (
                "floor: json.loads of every line",
                [sys.executable, "-c", _DECODE_ALL, f],
                False,
            ),
        ]
        print(f"\nheadless, median of {args.repeat}:")
        for label, cmd, shell in rows:
            runs = [timed(cmd, shell=shell) for _ in range(args.repeat)]
            took = statistics.median(r[0] for r in runs)
            peak = statistics.median(r[1] for r in runs)
            print(f"  {label:38} {took:7.3f} s  {peak:6.0f} MB peak")
        for label, cmd in [
            (
                "toolwatch tail -q failed: first line",
                [*TOOLWATCH, "tail", "--file", f, "-q", "failed"],
            ),
            (
                "toolwatch list -q toolkit:gmail: first line",
                [*TOOLWATCH, "list", "--file", f, "-q", "toolkit:gmail", "--limit", "100"],
            ),
        ]:
            took = statistics.median(first_line_s(cmd) for _ in range(args.repeat))
            print(f"  {label:38} {took:7.3f} s")

    if "inproc" not in skip:
        print("\nin process (a FileSource, no screen):")
        lines = args.lines if args.file is None else 0
        for label, value in in_process(path, args.seed, lines).items():
            print(f"  {label:40} {value:9.2f}")


if __name__ == "__main__":
    main()
