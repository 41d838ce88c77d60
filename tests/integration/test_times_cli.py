"""Issue 14, item 8 headless: `list --since` reads a time without a zone as the screen
shows times (local time, TZ, or `timezone` in config.toml); one with a zone as written."""

from __future__ import annotations

import json

from tests.clock import fixed_clock
from tests.integration.test_cli import env_for, run
from tui.demo import DemoServer
from tui.models.normalize import parse_timestamp_ms

TEN_TWENTY_UTC = 1_776_421_200_000  # 2026-04-17T10:20:00Z, 5 min before the fixed now


def listed_times(result) -> list[int]:
    assert result.returncode == 0, result.stderr
    return [
        parse_timestamp_ms(json.loads(line)["timestamp"]) for line in result.stdout.splitlines()
    ]


def test_list_since_without_a_zone_is_local_time(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    with DemoServer(seed=7, rate=0, prefill=300, clock=fixed_clock) as srv:
        env = env_for(srv) | {"TOOLWATCH_CONFIG_DIR": str(config)}
        everything = listed_times(run("list", "--limit", "300", env=env))
        tokyo = env | {"TZ": "Asia/Tokyo"}
        # 19:20 in Tokyo is 10:20 UTC: the same logs as the time written with its zone.
        local = listed_times(
            run("list", "--limit", "300", "--since", "2026-04-17T19:20", env=tokyo)
        )
        zoned = listed_times(
            run("list", "--limit", "300", "--since", "2026-04-17T10:20Z", env=tokyo)
        )
        (config / "config.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
        configured = listed_times(
            run("list", "--limit", "300", "--since", "2026-04-17T10:20", env=tokyo)
        )
    assert min(everything) < TEN_TWENTY_UTC  # the cut leaves some out
    assert local == zoned == configured == [t for t in everything if t >= TEN_TWENTY_UTC]
    assert local


def test_help_says_no_zone_means_local_time():
    result = run("list", "--help")
    text = " ".join(result.stdout.split())
    assert "no zone means local time" in text and "no zone means UTC" not in text
