"""`toolwatch watch`: follow the logs like `tail` and print a JSON line each time an
alert rule fires or resolves, or the source goes blind (fails longer than
--blind-after); --exec runs a command with each event on its stdin.

Exit codes: 0 ran to its end (--for, or a pipe read to its end) and nothing fired;
3 the same, but at least one rule fired or the source went blind; 1 the source
stopped it (a refused key, a rejected request); 2 a bad flag or rule; 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from typing import TextIO

from tui import jsonout
from tui.cli.command import EXIT_API_ERROR, EXIT_OK, run_headless, warn
from tui.cli.tail_cmd import gap_message
from tui.config import DEFAULT_LAG_S, Settings, parse_interval, parse_seconds
from tui.errors import ConfigError, QuerySyntaxError
from tui.rules import AlertEvent, Rule, RuleEngine, parse_named_rule
from tui.rules.config import rules_from_config
from tui.rules.engine import DEFAULT_BLIND_AFTER_MS
from tui.rules.model import BLIND, DEFAULT_COOLDOWN_MS, FIRING
from tui.sources.open import open_source
from tui.stats import iso
from tui.tail import LiveTail, Retrying, Stopped, TailBatch

EXIT_FIRED = 3
EXEC_TIMEOUT_S = 30.0
STDERR_FD = 2


EXIT_CODES = (
    "exit status: 0 ran to its end (--for, or a pipe read to its end) and nothing fired; "
    "3 the same, but a rule fired or the source went blind; 1 the source stopped it (a "
    "refused key, a rejected query); 2 a bad flag or rule; 130 Ctrl-C"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXIT_CODES
    parser.add_argument(
        "--rule",
        action="append",
        default=[],
        metavar="'NAME: RULE'",
        help="an alert rule, named (the name ends at the first ': '), e.g. "
        "'gmail failing: toolkit:gmail failed >= 5 in 1m'; give --rule once per rule",
    )
    parser.add_argument(
        "--rules-from-config",
        action="store_true",
        help="also watch the [[rules]] of config.toml",
    )
    parser.add_argument("--for", dest="for_s", metavar="SECONDS", help="stop after SECONDS")
    parser.add_argument(
        "--exec",
        dest="exec_cmd",
        metavar="CMD",
        help="run CMD (with the shell) for each event, the event's JSON line on its stdin "
        "(its output goes to stderr)",
    )
    parser.add_argument(
        "--cooldown",
        metavar="SECONDS",
        help=f"quiet after a rule resolves before it fires again (default "
        f"{DEFAULT_COOLDOWN_MS // 1000}; config rules may set their own)",
    )
    parser.add_argument(
        "--blind-after",
        metavar="SECONDS",
        help=f"say blind when the source has been failing this long "
        f"(default {DEFAULT_BLIND_AFTER_MS // 1000})",
    )
    # Also accepted before the command (`toolwatch --interval 1 watch`), as for tail.
    shared = {
        "--interval": "seconds between polls (default 2)",
        "--lag": f"how late a log may become visible and still count (default {DEFAULT_LAG_S:g})",
    }
    for flag, text in shared.items():
        parser.add_argument(flag, metavar="SECONDS", default=argparse.SUPPRESS, help=text)


def run(args: argparse.Namespace) -> int:
    return run_headless(args, WatchJob(args))


def rules_from_flags(args: argparse.Namespace, cooldown_ms: int) -> list[Rule]:
    rules = []
    for text in args.rule:
        try:
            rules.append(parse_named_rule(text, cooldown_ms))
        except QuerySyntaxError as error:
            raise ConfigError(f"--rule: {error}\n{error.pointer(text, indent='  ')}") from None
    if args.rules_from_config:
        rules += rules_from_config()
    if not rules:
        raise ConfigError(
            "nothing to watch: give --rule 'NAME: RULE' (e.g. 'gmail failing: toolkit:gmail "
            "failed >= 5 in 1m') or --rules-from-config"
        )
    return rules


class WatchJob:
    reads_to_end = False

    def __init__(
        self,
        args: argparse.Namespace,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = parse_interval(args.interval)
        self.lag = parse_seconds("--lag", args.lag)
        self.for_s = None if args.for_s is None else parse_seconds("--for", args.for_s)
        if self.for_s == 0:
            raise ConfigError("--for must be more than 0 seconds")
        cooldown = DEFAULT_COOLDOWN_MS
        if args.cooldown is not None:
            cooldown = round(parse_seconds("--cooldown", args.cooldown) * 1000)
        blind = DEFAULT_BLIND_AFTER_MS
        if args.blind_after is not None:
            blind = round(parse_seconds("--blind-after", args.blind_after) * 1000)
        try:
            self.engine = RuleEngine(rules_from_flags(args, cooldown), blind_after_ms=blind)
        except ValueError as error:
            raise ConfigError(str(error)) from None
        self.exec_cmd: str | None = args.exec_cmd
        self.clock, self.sleep = clock, sleep
        self.fired = False
        self._newest_ms: int | None = None
        self._commands: set[asyncio.Task[None]] = set()

    async def run(self, settings: Settings, out: TextIO) -> int:
        async with aclosing(open_source(settings)) as client:
            tail = LiveTail(
                client, lag_s=self.lag, keep_gaps=False, clock=self.clock, sleep=self.sleep
            )
            timer = asyncio.timeout(None if self.for_s is None else self.for_s)
            try:
                async with timer:
                    code = await self._follow(tail, out)
            except TimeoutError:
                if not timer.expired():
                    raise
                code = EXIT_OK
            finally:
                await self._finish_commands()
        return EXIT_FIRED if code == EXIT_OK and self.fired else code

    async def _follow(self, tail: LiveTail, out: TextIO) -> int:
        deadline = None if self.for_s is None else self.clock() + self.for_s
        async with aclosing(tail.run(self.interval)) as events:
            async for event in events:
                match event:
                    case Stopped(error=error):
                        warn(error.explain())
                        return EXIT_API_ERROR
                    case Retrying(error=error, delay=delay, at=at):
                        warn(f"{error}; retrying in {round(delay, 1):g} s.")
                        self._print(self.engine.source_failed(round(at * 1000), str(error)), out)
                    case TailBatch():
                        self._report(event)
                        self._print(self.engine.poll(event.entries, self._now_ms(event)), out)
                        if tail.source.ended:
                            break  # a pipe read to its end: nothing more comes
                if deadline is not None and self.clock() >= deadline:
                    break
        return EXIT_OK

    def _now_ms(self, batch: TailBatch) -> int:
        """The end of every window: our clock, or the newest log seen when the source's
        clock runs ahead of ours."""
        for entry in batch.entries:
            if self._newest_ms is None or entry.timestamp_ms > self._newest_ms:
                self._newest_ms = entry.timestamp_ms
        now = round(batch.polled_at * 1000)
        return now if self._newest_ms is None else max(now, self._newest_ms)

    def _report(self, batch: TailBatch) -> None:
        for problem in batch.skipped:
            warn(f"skipped an unreadable log: {problem}")
        if batch.gap is not None:
            warn(gap_message(batch.gap))

    def _print(self, alerts: list[AlertEvent], out: TextIO) -> None:
        for alert in alerts:
            line = jsonout.dumps(alert.to_json(iso))
            out.write(line + "\n")
            self.fired = self.fired or alert.event in (FIRING, BLIND)
            if self.exec_cmd is not None:
                task = asyncio.create_task(self._exec(line))
                self._commands.add(task)
                task.add_done_callback(self._commands.discard)
        out.flush()

    async def _exec(self, line: str) -> None:
        assert self.exec_cmd is not None
        try:
            # Its output goes to stderr: stdout is the events' JSON lines, for scripts.
            process = await asyncio.create_subprocess_shell(
                self.exec_cmd, stdin=asyncio.subprocess.PIPE, stdout=STDERR_FD
            )
        except OSError as error:
            warn(f"--exec could not start: {error}")
            return
        try:
            async with asyncio.timeout(EXEC_TIMEOUT_S):
                await process.communicate((line + "\n").encode())
        except TimeoutError:
            process.kill()
            warn(f"--exec took longer than {EXEC_TIMEOUT_S:g} s and was stopped")
            await process.wait()
            return
        if process.returncode:
            warn(f"--exec exited with {process.returncode}")

    async def _finish_commands(self) -> None:
        if self._commands:
            await asyncio.gather(*self._commands, return_exceptions=True)
