"""How long a tail waits after a failed poll before it tries again."""

from __future__ import annotations

import random

from tui.errors import ApiError, RateLimitedError


class Backoff:
    """Waits between failed polls: ``Retry-After`` as given, else capped exponential.

    The exponential delay doubles from ``base`` to ``cap`` and is jittered downwards by
    up to ``jitter`` of itself, so many clients that failed together do not return in step.
    The jitter comes from ``rng``; pass a seeded one for waits that repeat run to run.
    """

    def __init__(
        self,
        *,
        # Composio's own generated clients start at 0.5 s (api-contract.md A.1).
        base: float = 0.5,
        cap: float = 30.0,
        jitter: float = 0.25,
        retry_after_cap: float = 600.0,
        rng: random.Random | None = None,
    ) -> None:
        self.base = base
        self.cap = cap
        self.jitter = jitter
        # Honour the server's Retry-After exactly, but a reply saying "a day" is not
        # a reason to look dead for a day.
        self.retry_after_cap = retry_after_cap
        self.rng = rng or random.Random()
        self.failures = 0

    def delay_for(self, error: ApiError) -> float:
        self.failures += 1
        if isinstance(error, RateLimitedError) and error.retry_after is not None:
            return min(max(0.0, error.retry_after), self.retry_after_cap)
        raw: float = min(self.cap, self.base * 2.0 ** min(self.failures - 1, 30))
        return raw * (1 - self.jitter * self.rng.random())

    def reset(self) -> None:
        self.failures = 0
