"""Ids are keys, kept as the source wrote them; only what is drawn is sanitized (issue 12).

A log whose id holds an escape, markup, a newline or a lone surrogate is stored, deduped,
found and fetched under that very id: a sanitized id names no log on the server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.unit.fake_logs_api import FakeLogsApi
from tui.errors import NotFoundError, UnreadableBody
from tui.models.call import build_call
from tui.models.entry import LogEntry
from tui.models.normalize import entry_from_wire
from tui.models.wire import WireLogDetail
from tui.query import LogQuery
from tui.sanitize import clean, has_unsafe
from tui.sources.base import fetch_call
from tui.sources.file import FileSource
from tui.store import LogStore
from tui.tail import LiveTail

ESCAPE = "log_\x1b[31mred"
MARKUP = "log_[/b]"
NEWLINE = "log_a\nb"
SURROGATE = "log_\ud800x"
ODD_IDS = [ESCAPE, MARKUP, NEWLINE, SURROGATE]
# The ids a screen shows as other text (markup is shown as it is); each look-alike, the
# text shown, is the id of another log.
LOOKS_ALIKE = {log_id: clean(log_id) for log_id in ODD_IDS if clean(log_id) != log_id}
TIMESTAMP = "2026-04-17T10:25:00.000Z"
TS_MS = 1_776_421_500_000


def wire(log_id: str, *, parent: str | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "id": log_id,
        "timestamp": fields.pop("timestamp", TIMESTAMP),
        "status": "success",
        "message": fields.pop("message", f"call {log_id}"),
        "metadata": {"tool_slug": "GMAIL_SEND_EMAIL", "user_id": "\x1b[2Juser"},
        "parent": None if parent is None else {"log_id": parent, "tool_slug": "META"},
        **fields,
    }


# -- the model -------------------------------------------------------------------------------


@pytest.mark.parametrize("log_id", ODD_IDS)
def test_the_entry_keeps_the_raw_id_and_sanitizes_what_is_shown(log_id: str) -> None:
    entry = entry_from_wire(wire(log_id, parent=log_id + "_parent"))
    assert entry.id == log_id
    assert entry.parent_log_id == log_id + "_parent"
    assert entry.user_id == "\\x1b[2Juser"  # a display field: sanitized as before
    assert not has_unsafe(entry.message) and "\n" not in entry.message
    assert not has_unsafe(clean(entry.id))  # what a widget draws


def test_a_non_string_id_is_stringified_or_refused_as_before() -> None:
    assert LogEntry(id=42, timestamp_ms=0).id == "42"  # type: ignore[arg-type]
    assert entry_from_wire(wire(42)).id == "42"  # type: ignore[arg-type]
    for bad in (True, None, {"x": 1}, ["log_1"]):
        with pytest.raises(UnreadableBody):
            entry_from_wire(wire(bad))  # type: ignore[arg-type]


@pytest.mark.parametrize("log_id", ODD_IDS)
def test_the_call_keeps_the_raw_ids(log_id: str) -> None:
    detail = WireLogDetail.model_validate(wire(log_id, parent=MARKUP))
    call = build_call(detail, None)
    assert call.log_id == log_id and call.parent_log_id == MARKUP


# -- the store -------------------------------------------------------------------------------


def stored(log_id: str, ts: int, *, parent: str | None = None) -> LogEntry:
    return entry_from_wire(wire(log_id, parent=parent, timestamp=str(ts)))


def test_the_store_keys_on_the_raw_id() -> None:
    store = LogStore(":memory:")
    # Each odd id and the text a screen shows for it are two logs, not one.
    every = ODD_IDS + list(LOOKS_ALIKE.values())
    assert store.add([stored(log_id, TS_MS + n) for n, log_id in enumerate(every)]).added == 7
    assert store.add([stored(log_id, TS_MS) for log_id in ODD_IDS]).duplicates == 4
    assert sorted(row.id for row in store.rows(0, len(store))) == sorted(every)
    for log_id in ODD_IDS:
        found = store.entry_by_id(log_id)
        assert found is not None and found.id == log_id and found.raw["id"] == log_id
        index = store.index_of_id(log_id)
        assert index is not None
        row = store.row(index)
        assert row is not None and row.id == log_id
    for log_id, shown in LOOKS_ALIKE.items():
        twin = store.entry_by_id(shown)
        assert twin is not None and twin.id == shown != log_id


def test_the_store_keeps_a_raw_parent_id(tmp_path: Path) -> None:
    store = LogStore(tmp_path / "logs.sqlite3")
    store.add([stored("log_child", TS_MS, parent=SURROGATE), stored(SURROGATE, TS_MS - 1)])
    child = store.entry_by_id("log_child")
    assert child is not None and child.parent_log_id == SURROGATE
    assert store.index_of_id(SURROGATE) == 1  # the parent is found by the id the child names
    assert store.entry_by_id("log_\ud801x") is None  # another lone surrogate: another id
    store.close()


# -- the tail's dedupe -----------------------------------------------------------------------


async def test_the_tail_tells_an_id_from_the_text_shown_for_it() -> None:
    clock = FakeClock()
    api = FakeLogsApi(clock)
    now = api.now_ms()
    every = ODD_IDS + list(LOOKS_ALIKE.values())
    for n, log_id in enumerate(every):
        api.add(now - 500 + n % 2, log_id=log_id)  # some share a millisecond
    tail = LiveTail(api, clock=clock, sleep=clock.sleep)
    first = await tail.poll()
    assert sorted(e.id for e in first.entries) == sorted(every)
    clock.now += 2
    assert (await tail.poll()).entries == []  # seen again in the overlap: not new


# -- the file source -------------------------------------------------------------------------


@pytest.fixture
async def file_source(tmp_path: Path) -> Any:
    path = tmp_path / "odd.jsonl"
    lines = [wire(log_id, parent=ODD_IDS[n - 1]) for n, log_id in enumerate(ODD_IDS)]
    lines += [wire(clean(ESCAPE), message="the look-alike")]
    lines += [wire(NEWLINE, message="a later line with the same id")]
    path.write_text("".join(json.dumps(obj) + "\n" for obj in lines))
    source = FileSource(path)
    yield source
    await source.aclose()


async def test_the_file_source_lists_and_opens_raw_ids(file_source: FileSource) -> None:
    page = await file_source.list_logs(LogQuery())
    assert sorted(e.id for e in page.entries) == sorted([*ODD_IDS, clean(ESCAPE)])
    by_id = {e.id: e for e in page.entries}
    assert by_id[NEWLINE].message == "a later line with the same id"  # the last one wins
    for n, log_id in enumerate(ODD_IDS):
        detail = await file_source.get_detail(by_id[log_id].id)
        assert detail.id == log_id
        call = await fetch_call(file_source, log_id)
        assert call.log_id == log_id
        assert call.parent_log_id == (ODD_IDS[n - 1] if log_id != NEWLINE else None)
    look_alike = await file_source.get_detail(clean(ESCAPE))
    assert look_alike.message == "the look-alike"


async def test_the_file_source_finds_no_log_by_the_text_shown(file_source: FileSource) -> None:
    for log_id, shown in LOOKS_ALIKE.items():
        if log_id != ESCAPE:  # ESCAPE's look-alike is a log of its own in this file
            with pytest.raises(NotFoundError):
                await file_source.get_detail(shown)
