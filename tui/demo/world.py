"""The seeded population behind the traffic: users, their accounts, sessions and secrets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tui.demo import catalog
from tui.demo.ids import ALNUM, HEX, LOWER_ALNUM, stream, token

USER_COUNT = 40
SESSION_MS = 6 * 60 * 1000  # how long one tool-router session lasts before the next starts
SANDBOX_SHARE = 0.25  # sessions that run a remote sandbox


@dataclass(frozen=True, slots=True)
class User:
    user_id: str
    weight: float  # how busy the user is: a few users make most of the calls
    source: int  # the index in catalog.SOURCES this user's agent usually runs on
    uses_router: bool  # SDK users that go through tool-router sessions
    connected: frozenset[str]  # toolkits with a connected account
    phase_ms: int  # offsets the user's session boundaries from everyone else's


class World:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        rng = stream(seed, "users")
        source_weights = [s[3] for s in catalog.SOURCES]
        kits = [k for k in catalog.TOOLKITS if k != catalog.META_TOOLKIT]
        names = [f"user_{token(rng, 8, LOWER_ALNUM)}" for _ in range(USER_COUNT - 5)]
        names += catalog.NAMED_USERS
        rng.shuffle(names)
        users = []
        for rank, name in enumerate(names, start=1):
            missing = rng.sample(kits, rng.choice((1, 1, 2, 3)))
            users.append(
                User(
                    user_id=name,
                    weight=1.0 / rank**0.9,
                    source=rng.choices(range(len(catalog.SOURCES)), source_weights)[0],
                    uses_router=rng.random() < 0.6,
                    connected=frozenset(kits).difference(missing) | {catalog.META_TOOLKIT},
                    phase_ms=rng.randrange(SESSION_MS),
                )
            )
        self.users: tuple[User, ...] = tuple(users)
        self.user_weights: tuple[float, ...] = tuple(u.weight for u in users)

    @lru_cache(maxsize=4096)  # noqa: B019 - one World per server, lives as long as it
    def account(self, user_id: str, toolkit: str) -> str:
        if toolkit == catalog.META_TOOLKIT:
            return ""
        return "ca_" + token(stream(self.seed, "ca", user_id, toolkit), 12)

    @lru_cache(maxsize=64)  # noqa: B019
    def auth_config(self, toolkit: str) -> str:
        if toolkit not in catalog.TOOLKITS or toolkit == catalog.META_TOOLKIT:
            return ""
        return "ac_" + token(stream(self.seed, "ac", toolkit), 12)

    def session(self, user: User, at_ms: int) -> str:
        return self._session(user.user_id, (at_ms + user.phase_ms) // SESSION_MS)

    @lru_cache(maxsize=4096)  # noqa: B019
    def _session(self, user_id: str, bucket: int) -> str:
        return "trs_" + token(stream(self.seed, "trs", user_id, bucket), 12)

    @lru_cache(maxsize=4096)  # noqa: B019
    def sandbox(self, session_id: str) -> str:
        rng = stream(self.seed, "sbx", session_id)
        return "sbx_" + token(rng, 12, LOWER_ALNUM) if rng.random() < SANDBOX_SHARE else ""

    def secrets(self, account: str, toolkit: str) -> dict[str, str]:
        """The fake credentials an upstream request carries; stable per connected account."""
        rng = stream(self.seed, "tok", account)
        kit = catalog.TOOLKITS.get(toolkit)
        prefix = kit.token_prefix if kit else "tok_"
        if prefix == "xoxp-":
            digits = "0123456789"
            body = "-".join(token(rng, 12, digits) for _ in range(3)) + "-" + token(rng, 32, HEX)
        elif prefix == "pat-na1-":
            body = "-".join(token(rng, n, HEX) for n in (8, 4, 4, 4, 12))
        else:
            body = token(rng, 40, ALNUM + "-_")
        headers = {"Authorization": f"Bearer {prefix}{body}"}
        extra = kit.extra_header if kit else ""
        if extra == "Cookie" and rng.random() < 0.5:
            if toolkit == "slack":
                headers["Cookie"] = (
                    f"d=xoxd-{token(rng, 48, ALNUM)}; d-s={rng.randint(10**9, 10**10)}"
                )
            else:
                headers["Cookie"] = (
                    f"token_v2=v02%3Auser_token_or_cookies%3A{token(rng, 64, ALNUM)}"
                )
        elif extra == "X-Api-Key":
            headers["X-Api-Key"] = token(rng, 8, HEX) + "-" + token(rng, 24, HEX)
        return headers
