"""run_without_loop: the commands that read a file to its end run without asyncio."""

from __future__ import annotations

import asyncio

import pytest

from tui.cli.command import run_without_loop
from tui.models.entry import LogEntry
from tui.query import parse_query
from tui.sources.file import FileSource


def test_a_job_whose_awaits_finish_at_once_runs_to_its_end(tmp_path):
    path = tmp_path / "logs.jsonl"
    path.write_text(
        '{"id": "log_1", "timestamp": "2026-04-17T10:25:00Z", "status": "failed"}\n'
        '{"id": "log_2", "timestamp": "2026-04-17T10:26:00Z", "status": "success"}\n'
    )

    async def job() -> int:
        source = FileSource(path, blocking=True)
        page = await source.list_logs(parse_query("failed", now_ms=0), limit=10)
        await source.aclose()
        return len(page.entries) * 10 + isinstance(page.entries[0], LogEntry)

    assert run_without_loop(job()) == 11


def test_a_job_that_waits_is_refused_and_closed():
    reached_the_end = False

    async def job() -> int:
        nonlocal reached_the_end
        await asyncio.sleep(0)
        reached_the_end = True
        return 0

    work = job()
    with pytest.raises(RuntimeError, match="waited"):
        run_without_loop(work)
    assert not reached_the_end and work.cr_frame is None  # closed, not left pending
