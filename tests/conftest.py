"""Shared fixtures: a seeded embedded server on a real loopback socket and a frozen clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC

import pytest

from tests.clock import fixed_clock
from tui.config import Secret, Settings
from tui.demo import DemoServer


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own config and state directories, never the user's."""
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TOOLWATCH_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("TOOLWATCH_STATE_DIR", str(base / "state"))


@pytest.fixture(autouse=True)
def forget_registered_secrets() -> Iterator[None]:
    """A key registered by one test (a client made with api_key="k") would be masked in
    every later test of the same worker: "unknown" became "un***nown"."""
    from tui import debuglog

    before = set(debuglog._secrets)
    yield
    debuglog._secrets.intersection_update(before)


@pytest.fixture
def demo_server() -> Iterator[DemoServer]:
    """No live traffic (rate 0) and a frozen clock: the same logs every run."""
    with DemoServer(seed=7, rate=0, prefill=300, clock=fixed_clock) as server:
        yield server


def settings_for(server: DemoServer, **overrides: object) -> Settings:
    values: dict[str, object] = dict(
        base_url=server.url, api_key=Secret(server.api_key), demo=True, tz=UTC
    )
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def app_factory(demo_server: DemoServer) -> Callable[..., object]:
    from tui.ui.app import ToolwatchApp

    def make(**kwargs: object) -> ToolwatchApp:
        kwargs.setdefault("clock", fixed_clock)
        kwargs.setdefault("poll_on_interval", False)
        return ToolwatchApp(settings_for(demo_server), **kwargs)  # type: ignore[arg-type]

    return make
