"""Issue 13's demo faults against the headless commands: odd values and planted secrets
in genuine 200s never crash `list`, `get` or `tail`, every line stays strict JSON, and no
planted secret is printed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tui.cli import main as cli
from tui.demo.planted import PLANTED

ALL_PLANTED = "deep=0.25,bigint=0.25,nonfinite=0.25,secrets=0.25,seed=5"


def strict(line: str) -> object:
    def refuse(word: str) -> object:
        raise AssertionError(f"{word} is not strict JSON: {line[:200]}")

    return json.loads(line, parse_constant=refuse)


def printed(capsys: pytest.CaptureFixture[str], *, lines: bool = True) -> tuple[list[Any], str]:
    """What was printed, read strictly: JSON lines, or one (indented) document."""
    out, err = capsys.readouterr()
    assert PLANTED not in out and PLANTED not in err
    if not lines:
        return [strict(out)], err
    return [strict(line) for line in out.splitlines()], err


@pytest.mark.parametrize("kind", ["deep", "bigint", "nonfinite", "secrets"])
def test_list_and_get_survive_each_planted_fault(kind: str, capsys) -> None:
    assert cli.main(["--demo", "--faults", f"{kind}=1", "list", "--limit", "20"]) == 0
    logs, err = printed(capsys)
    assert len(logs) == 20, err
    log_id = logs[0]["id"]
    assert cli.main(["--demo", "--faults", f"{kind}=1", "get", log_id]) == 0
    (detail,), err = printed(capsys, lines=False)
    assert detail["id"] == log_id, err
    assert cli.main(["--demo", "--faults", f"{kind}=1", "get", "--trace", log_id]) == 0
    (trace,), err = printed(capsys, lines=False)
    assert trace, err


def test_tail_rides_out_every_planted_fault(capsys) -> None:
    argv = ["--demo", "--faults", ALL_PLANTED, "tail", "--last", "40", "--for", "4"]
    assert cli.main(argv) == 0
    logs, err = printed(capsys)
    assert len(logs) >= 40, err
