"""Deterministic randomness and identifier shapes.

Every random choice is drawn from a `Random` seeded by a string naming what it is for, so
that a log's details can be re-derived on demand from (seed, index) instead of being stored.
String seeds are hashed with SHA-512 by `random`, so they do not depend on PYTHONHASHSEED.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

URLSAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"


def stream(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join([str(seed), *map(str, parts)]))


def token(rng: random.Random, length: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choices(alphabet, k=length))


def log_id(rng: random.Random) -> str:
    # Real ids look like "log_-jRTWClpBoVo": 12 url-safe characters, '-' and '_' included.
    return "log_" + token(rng, 12, URLSAFE)


def uuid4(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def iso_ms(epoch_ms: int) -> str:
    moment = datetime.fromtimestamp(epoch_ms // 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{epoch_ms % 1000:03d}Z"
