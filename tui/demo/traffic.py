"""Seeded, deterministic tool-call traffic: a prefilled past and a lazily generated present.

Each log's facts are drawn from `stream(seed, index)` and packed into the `LogStore`; its
bulky parts (arguments, response, trace) are re-derived on demand by `render`/`trace`.
Live logs are generated only when someone looks (`advance(now)`), from an arrival stream
that does not depend on how often that happens, so equal clock readings give equal logs.
Optional bursts (a fault plan's) are merged into that stream in time order for the same
reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import Any

from tui.constants import BASE_TOOL_VERSION
from tui.demo import catalog
from tui.demo.failures import Outcome
from tui.demo.ids import LOWER_ALNUM, log_id, stream, token
from tui.demo.overrides import apply_overrides, check_keys, timestamp
from tui.demo.store import FLAG_NESTED, FLAG_NO_MESSAGE, Draft, LogStore
from tui.demo.world import User, World

PREFILL_WINDOW_MS = 15 * 60 * 1000
# After a long pause (a laptop asleep) the arrival stream skips ahead rather than
# generating hours of backlog in one request.
MAX_CATCH_UP_MS = 15 * 60 * 1000
FAILURE_SHARE = 0.10
FAILURE_WEIGHTS = {
    Outcome.UNAUTHORIZED: 3.0,
    Outcome.FORBIDDEN: 2.0,
    Outcome.INVALID_INPUT: 2.5,
    Outcome.TOOL_NOT_FOUND: 1.25,
    Outcome.NO_ACCOUNT: 1.25,
}
META_SHARE = 0.05
META_CHILDREN = (2, 4)
LOGS_PER_EVENT = 1 + META_SHARE * sum(META_CHILDREN) / 2  # a group adds its children
NESTED_SHARE = 0.05
NO_MESSAGE_SHARE = 0.03
SOURCE_SWITCH_SHARE = 0.1
SLOW_SHARE = 0.03
BURST_SPAN_MS = 250  # a burst's logs carry timestamps within this span before its instant
API_SOURCE = next(i for i, s in enumerate(catalog.SOURCES) if s[0] == "api")
MCP_SOURCE = next(i for i, s in enumerate(catalog.SOURCES) if s[0] == "mcp")


@dataclass(frozen=True, slots=True)
class Context:
    """What the calls of one meta-tool group share."""

    user: User
    source: int
    session: str


class Traffic:
    def __init__(self, seed: int, rate: float, prefill: int) -> None:
        if rate < 0 or prefill < 0:
            raise ValueError("rate and prefill must not be negative")
        self.seed = seed
        self.rate = rate
        self.prefill = prefill
        self.world = World(seed)
        self.store = LogStore()
        self.started_ms: int | None = None
        self._arrivals = stream(seed, "arrivals")
        self._next_ms = 0.0
        # Called on each generated log before it is stored (fault plans use it); None: off.
        self.shaper: Callable[[int, Draft], None] | None = None
        self.burst_logs = 0
        self.burst_every_ms = 0
        self.bursts_emitted = 0
        self._next_burst_ms = math.inf
        self._advanced_ms = -math.inf  # every log up to this instant has been generated

    def begin(self, now_ms: int) -> None:
        """Fill the 15 minutes before `now_ms`; later calls do nothing."""
        if self.started_ms is not None:
            return
        self.started_ms = now_ms
        sizes: list[int] = []
        planned = 0
        while planned < self.prefill:
            size = min(self._event_size(planned), self.prefill - planned)
            sizes.append(size)
            planned += size
        rng = stream(self.seed, "prefill")
        times = sorted(rng.uniform(now_ms - PREFILL_WINDOW_MS, now_ms) for _ in sizes)
        for size, at in zip(sizes, times, strict=True):
            self._emit(int(at), size)
        self._next_ms = now_ms + self._gap()
        self._advanced_ms = now_ms
        self._schedule_bursts()

    def set_bursts(self, logs: int, every_ms: int) -> None:
        """Add `logs` logs at once every `every_ms` ms from the start; 0 logs turns it off."""
        if logs < 0 or (logs and every_ms < 1):
            raise ValueError("a burst needs logs >= 0 and every_ms >= 1")
        self.burst_logs, self.burst_every_ms = logs, every_ms
        self._schedule_bursts()

    def _schedule_bursts(self) -> None:
        if not self.burst_logs or self.started_ms is None:
            self._next_burst_ms = math.inf
            return
        # Instants sit on a grid anchored at the start, so they do not depend on when the
        # plan was set; the next one is the first not generated yet.
        done = max(0, math.floor((self._advanced_ms - self.started_ms) / self.burst_every_ms))
        self._next_burst_ms = self.started_ms + (done + 1) * self.burst_every_ms

    def advance(self, now_ms: int) -> None:
        self.begin(now_ms)
        if now_ms - self._next_ms > MAX_CATCH_UP_MS:
            self._next_ms = now_ms - MAX_CATCH_UP_MS
        if now_ms - self._next_burst_ms > MAX_CATCH_UP_MS:
            behind = now_ms - MAX_CATCH_UP_MS - self._next_burst_ms
            self._next_burst_ms += math.ceil(behind / self.burst_every_ms) * self.burst_every_ms
        # Whichever comes first, arrival or burst: the order of logs (and so their indices
        # and contents) must not depend on how far each call gets.
        while min(self._next_ms, self._next_burst_ms) <= now_ms:
            if self._next_burst_ms <= self._next_ms:
                self._burst(int(self._next_burst_ms))
                self._next_burst_ms += self.burst_every_ms
            else:
                self._emit(int(self._next_ms), self._event_size(len(self.store)))
                self._next_ms += self._gap()
        self._advanced_ms = max(self._advanced_ms, now_ms)

    def _burst(self, at_ms: int) -> None:
        # Single calls only: a meta-tool group would start its parent well before the span.
        rng = stream(self.seed, "burst", at_ms)
        span = min(BURST_SPAN_MS, self.burst_every_ms)
        for at in sorted(rng.randint(at_ms - span + 1, at_ms) for _ in range(self.burst_logs)):
            self._emit(at, 1)
        self.bursts_emitted += 1

    def _gap(self) -> float:
        # Exponential gaps: a Poisson stream, so bursts and lulls come naturally. Events
        # are scaled down so that, counting meta-tool groups, logs arrive at `rate`.
        if self.rate <= 0:
            return math.inf
        return self._arrivals.expovariate(self.rate / LOGS_PER_EVENT) * 1000

    def _event_size(self, index: int) -> int:
        rng = stream(self.seed, index, "g")
        return 1 + rng.randint(*META_CHILDREN) if rng.random() < META_SHARE else 1

    def _keep(self, draft: Draft) -> None:
        if self.shaper is not None:
            self.shaper(len(self.store), draft)
        self.store.append(draft)

    def _emit(self, at_ms: int, size: int) -> None:
        index = len(self.store)
        if size == 1:
            self._keep(self._draft(index, at_ms))
            return
        # A meta-tool call that ends at `at_ms`, its children run in parallel inside it.
        rng = stream(self.seed, index)
        user = rng.choices(self.world.users, self.world.user_weights)[0]
        source = user.source if catalog.SOURCES[user.source][0] != "api" else MCP_SOURCE
        ctx = Context(user, source, self.world.session(user, at_ms))
        children = [self._draft(index + n, at_ms, ctx) for n in range(1, size)]
        offsets = [rng.randint(4, 30) for _ in children]
        span = max(o + c.duration_ms for o, c in zip(offsets, children, strict=True))
        parent = self._draft(index, at_ms, ctx, tool=catalog.TOOLS[catalog.META_TOOL])
        parent.duration_ms = span + rng.randint(15, 60)
        parent.timestamp_ms = at_ms - parent.duration_ms
        self._keep(parent)
        for offset, child in zip(offsets, children, strict=True):
            child.timestamp_ms = parent.timestamp_ms + offset
            child.parent = index
            self._keep(child)

    def _draft(
        self, index: int, at_ms: int, ctx: Context | None = None, tool: catalog.Tool | None = None
    ) -> Draft:
        rng = stream(self.seed, index)
        if ctx is None:
            user = rng.choices(self.world.users, self.world.user_weights)[0]
            source = user.source
            if rng.random() < SOURCE_SWITCH_SHARE:
                source = rng.randrange(len(catalog.SOURCES))
            host = catalog.SOURCES[source][0]
            routed = host == "mcp" or (host == "sdk" and user.uses_router)
            session = self.world.session(user, at_ms) if routed else ""
        else:
            user, source, session = ctx.user, ctx.source, ctx.session
        outcome = Outcome.OK
        if tool is None and rng.random() < FAILURE_SHARE:
            kinds = list(FAILURE_WEIGHTS)
            outcome = rng.choices(kinds, [FAILURE_WEIGHTS[k] for k in kinds])[0]
        if tool is None:
            tool, slug, outcome = self._pick_tool(rng, user, outcome)
        else:
            slug = tool.slug
        kit = catalog.TOOLKITS[tool.toolkit]
        flags = FLAG_NESTED if rng.random() < NESTED_SHARE else 0
        if rng.random() < NO_MESSAGE_SHARE:
            flags |= FLAG_NO_MESSAGE
        new_id = log_id(rng)
        while new_id in self.store.by_id:
            new_id = log_id(rng)
        account = (
            "" if outcome is Outcome.NO_ACCOUNT else self.world.account(user.user_id, kit.slug)
        )
        return Draft(
            log_id=new_id,
            request_id="req_" + token(rng, 20, LOWER_ALNUM),
            timestamp_ms=at_ms,
            duration_ms=_duration(rng, outcome),
            outcome=int(outcome),
            source=source,
            dims={
                "tool_slug": slug,
                "toolkit_slug": kit.slug,
                "connected_account_id": account,
                "auth_config_id": self.world.auth_config(kit.slug),
                "status": "failed" if outcome else "success",
                "user_id": user.user_id,
                "session_id": session,
                "sandbox_id": self.world.sandbox(session) if session else "",
            },
            flags=flags,
            charge=tool.charge if outcome is Outcome.OK else "",
            version=kit.version,
        )

    def _pick_tool(
        self, rng: Random, user: User, outcome: Outcome
    ) -> tuple[catalog.Tool, str, Outcome]:
        if outcome is Outcome.NO_ACCOUNT:
            missing = sorted(set(catalog.TOOLKITS) - user.connected)
            kit = rng.choice(missing)
            tool = rng.choice([t for t in catalog.WEIGHTED_TOOLS if t.toolkit == kit])
            return tool, tool.slug, outcome
        for _ in range(12):
            tool = rng.choices(catalog.WEIGHTED_TOOLS, catalog.TOOL_WEIGHTS)[0]
            if tool.toolkit in user.connected:
                break
        else:
            return tool, tool.slug, Outcome.NO_ACCOUNT
        if tool.toolkit == catalog.META_TOOLKIT:
            return tool, tool.slug, Outcome.OK  # no upstream to fail, and always found
        if outcome is Outcome.TOOL_NOT_FOUND:
            misspelled = catalog.TOOLKITS[tool.toolkit].misspelled
            if not misspelled:
                return tool, tool.slug, Outcome.OK
            return tool, rng.choice(misspelled), outcome
        return tool, tool.slug, outcome

    def inject(self, now_ms: int, overrides: dict[str, Any]) -> int:
        """Store one log drawn like any other, then with `overrides` applied (see add_log)."""
        check_keys(overrides)
        self.advance(now_ms)
        index = len(self.store)
        draft = self._draft(index, timestamp(overrides, now_ms))
        if self.shaper is not None:  # the faults of the plan in force, as for any log
            self.shaper(index, draft)
        apply_overrides(draft, overrides, self.world)
        return self.store.append(draft)

    def execute(
        self,
        now_ms: int,
        tool: catalog.Tool,
        user_id: str,
        account: str,
        version: str,
        arguments: dict[str, Any],
    ) -> int:
        """Record a call made through the execute endpoint; returns its log index."""
        self.advance(now_ms)
        index = len(self.store)
        draft = self._draft(index, now_ms)
        user = next((u for u in self.world.users if u.user_id == user_id), None)
        kit = tool.toolkit
        if not account and kit != catalog.META_TOOLKIT and user and kit in user.connected:
            account = self.world.account(user_id, kit)
        rng = stream(self.seed, index, "execute")
        outcome = Outcome.OK
        if not account and kit != catalog.META_TOOLKIT:
            outcome = Outcome.NO_ACCOUNT
        elif kit != catalog.META_TOOLKIT and rng.random() < FAILURE_SHARE:
            upstream = [Outcome.UNAUTHORIZED, Outcome.FORBIDDEN, Outcome.INVALID_INPUT]
            outcome = rng.choice(upstream)
        draft.outcome = int(outcome)
        draft.duration_ms = _duration(rng, outcome)
        draft.flags = 0  # a re-run shown end to end should read plainly: flat keys, a message
        draft.source = API_SOURCE
        draft.charge = tool.charge if outcome is Outcome.OK else ""
        draft.version = version or BASE_TOOL_VERSION
        draft.dims.update(
            tool_slug=tool.slug,
            toolkit_slug=kit,
            connected_account_id=account,
            auth_config_id=self.world.auth_config(kit),
            status="failed" if outcome else "success",
            user_id=user_id,
            session_id="",
            sandbox_id="",
        )
        # Executed arguments are the caller's, so they cannot be re-derived from the seed.
        draft.extras["arguments"] = arguments
        return self.store.append(draft)


def _duration(rng: Random, outcome: Outcome) -> int:
    if outcome is Outcome.TOOL_NOT_FOUND:
        return rng.randint(8, 45)
    if outcome is Outcome.NO_ACCOUNT:
        return rng.randint(20, 110)
    # Lognormal around ~330 ms (most calls 100-800 ms), plus a slow tail of many seconds.
    millis = rng.lognormvariate(math.log(330), 0.6)
    if rng.random() < SLOW_SHARE:
        millis = rng.uniform(3_000, 40_000)
    if outcome is Outcome.UNAUTHORIZED:
        millis *= 0.5
    return max(12, int(millis))
