"""Soak: `toolwatch tail` against the embedded server at 200 logs/s, and its memory.

Starts `toolwatch demo-server --rate 200 --prefill 0` and `toolwatch tail --interval 2`
pointed at it, as two processes, and reads the tail's output as it comes: every line is
counted and its id kept in a set to catch duplicates (that set is this script's memory,
not the tail's). Every 30 s it samples the tail process's RSS (VmRSS in
/proc/<pid>/status) and CPU time. At the end it prints, per sample: minutes elapsed, logs
printed so far, RSS in MB and CPU seconds; then the duplicate count, the average rate,
and RSS growth from minute 1 to the end. The tail holds no rows, only the ids of its
re-read window, so RSS should stay flat once the window has filled.

Linux only (/proc). Standard library only.

Run: python bench/soak_tail.py [--minutes 10] [--rate 200] [--interval 2] [--sample 30]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLWATCH = [sys.executable, "-m", "tui"]


@dataclass
class Sample:
    minutes: float
    printed: int
    rss_mb: float
    cpu_s: float


class Reader:
    """Consumes the tail's stdout: counts lines, and ids seen more than once."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.printed = 0
        self.duplicates = 0
        self.unreadable = 0
        self.ids: set[str] = set()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for line in self.stream:  # type: ignore[attr-defined]
            try:
                log_id = json.loads(line)["id"]
            except (ValueError, KeyError, TypeError):
                self.unreadable += 1
                continue
            if log_id in self.ids:
                self.duplicates += 1
            else:
                self.ids.add(log_id)
            self.printed += 1


class Lines:
    """Keeps the tail's stderr: how many lines, and the last few."""

    def __init__(self, stream: object) -> None:
        self.stream = stream
        self.count = 0
        self.last: deque[str] = deque(maxlen=5)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        for line in self.stream:  # type: ignore[attr-defined]
            self.count += 1
            self.last.append(line.rstrip("\n"))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s(pid: int) -> float:
    # Fields 14 and 15 of /proc/<pid>/stat (after the parenthesised name): utime, stime.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(rate: float) -> tuple[subprocess.Popen[str], dict[str, str]]:
    server = subprocess.Popen(
        [*TOOLWATCH, "demo-server", "--rate", f"{rate:g}", "--prefill", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert server.stdout is not None
    exports: dict[str, str] = {}
    while len(exports) < 2:
        line = server.stdout.readline()
        if not line:
            raise SystemExit(f"demo-server exited early (status {server.wait()})")
        name, _, value = line.strip().removeprefix("export ").partition("=")
        exports[name] = value
    return server, exports


def stop(process: subprocess.Popen[str], sig: int) -> int:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            return process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=200.0, help="logs per second (200)")
    parser.add_argument("--interval", type=float, default=2.0, help="tail poll interval (2)")
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    args = parser.parse_args()

    server, exports = start_server(args.rate)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPOSIO_", "TOOLWATCH_"))}
    tail = subprocess.Popen(
        [*TOOLWATCH, "tail", "--interval", f"{args.interval:g}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env | exports,
        cwd=ROOT,
    )
    assert tail.stdout is not None and tail.stderr is not None
    reader, warnings = Reader(tail.stdout), Lines(tail.stderr)
    print(
        f"soak: tail --interval {args.interval:g} against demo-server --rate {args.rate:g} "
        f"--prefill 0, {args.minutes:g} min, RSS sampled every {args.sample:g} s",
        flush=True,
    )

    samples: list[Sample] = []
    started = time.monotonic()
    end = started + args.minutes * 60
    next_at = started + args.sample
    try:
        while tail.poll() is None and next_at <= end + 0.5:
            time.sleep(max(0.0, next_at - time.monotonic()))
            if tail.poll() is not None:
                break
            sample = Sample(
                (time.monotonic() - started) / 60, reader.printed, rss_mb(tail.pid), cpu_s(tail.pid)
            )
            samples.append(sample)
            print(
                f"  {sample.minutes:5.2f} min  {sample.printed:>9,} logs  "
                f"{sample.rss_mb:7.1f} MB  {sample.cpu_s:6.1f} s CPU",
                file=sys.stderr,
                flush=True,
            )
            next_at += args.sample
    finally:
        tail_status = stop(tail, signal.SIGINT)  # as Ctrl-C: 130 expected
        server_status = stop(server, signal.SIGTERM)  # 0 expected
        reader.thread.join(timeout=10)
        warnings.thread.join(timeout=10)

    elapsed = samples[-1].minutes * 60 if samples else time.monotonic() - started
    print()
    print(f"{'minute':>7}  {'logs printed':>12}  {'RSS MB':>7}  {'CPU s':>6}")
    for s in samples:
        print(f"{s.minutes:7.2f}  {s.printed:12,}  {s.rss_mb:7.1f}  {s.cpu_s:6.1f}")
    print()
    print(f"logs printed: {reader.printed:,} ({reader.printed / max(elapsed, 1e-9):.1f}/s)")
    print(f"duplicates:   {reader.duplicates}")
    if reader.unreadable:
        print(f"unreadable output lines: {reader.unreadable}")
    first = next((s for s in samples if s.minutes >= 1 - 1e-6), None)
    if first is not None and samples[-1] is not first:
        last = samples[-1]
        growth = last.rss_mb - first.rss_mb
        per_min = growth / (last.minutes - first.minutes)
        print(
            f"RSS growth:   {growth:+.1f} MB from minute {first.minutes:.1f} "
            f"({first.rss_mb:.1f} MB) to {last.minutes:.1f} ({last.rss_mb:.1f} MB), "
            f"{per_min:+.2f} MB/min"
        )
    print(f"tail stderr:  {warnings.count} lines")
    for line in warnings.last:
        print(f"  {line}")
    print(f"exit status:  tail {tail_status} (130 = stopped as by Ctrl-C), server {server_status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
