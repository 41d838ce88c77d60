from hypothesis import given, settings
from hypothesis import strategies as st

from tui.models.entry import LogEntry
from tui.store import LogStore


def entry(i: int, ts: int, status: str = "success", message: str = "m") -> LogEntry:
    return LogEntry(
        id=f"log_{i}",
        timestamp_ms=ts,
        status=status,
        tool="T",
        message=message,
        raw={"id": f"log_{i}", "n": i},
    )


def view_ids(store: LogStore) -> list[str]:
    return [r.id for r in store.rows(0, len(store))]


def test_newest_first_and_dedupe():
    store = LogStore(":memory:")
    r1 = store.add([entry(1, 100), entry(2, 200), entry(3, 300, "failed")])
    assert (r1.added, r1.duplicates, r1.failed) == (3, 0, 1)
    r2 = store.add([entry(2, 200), entry(4, 400)])
    assert (r2.added, r2.duplicates) == (1, 1)
    assert view_ids(store) == ["log_4", "log_3", "log_2", "log_1"]
    assert store.newest_ms == 400 and store.oldest_ms == 100


def test_backfill_and_late_arrivals_land_in_time_order():
    store = LogStore(":memory:")
    store.add([entry(i, i * 10) for i in range(10, 20)])
    store.add([entry(i, i * 10) for i in range(0, 5)])  # an older page
    store.add([entry(99, 155)])  # a late arrival in the middle
    ts = [r.timestamp_ms for r in store.rows(0, len(store))]
    assert ts == sorted(ts, reverse=True)
    assert len(store) == 16


def test_index_of_and_entry_round_trip():
    store = LogStore(":memory:")
    store.add([entry(i, 1000 + i // 3) for i in range(30)])  # many equal timestamps
    for index in range(len(store)):
        row = store.row(index)
        assert row is not None
        assert store.index_of(row.rowid, row.timestamp_ms) == index
    full = store.entry_by_id("log_7")
    assert full is not None and full.raw == {"id": "log_7", "n": 7}
    assert store.entry_by_id("nope") is None


def test_rows_beyond_end_are_clipped():
    store = LogStore(":memory:")
    store.add([entry(1, 1)])
    assert store.rows(5, 10) == [] and store.row(1) is None


def test_temp_file_is_removed_on_close():
    store = LogStore()
    path = store._path
    assert path is not None and path.exists()
    store.close()
    assert not path.exists()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(0, 40), st.integers(0, 1_000)), max_size=15), max_size=8
    )
)
def test_any_arrival_order_holds_each_id_once_sorted_by_time(batches):
    """Whatever the batches and their overlaps, the view is every id once, newest first."""
    store = LogStore(":memory:")
    first_ts: dict[int, int] = {}
    for batch in batches:
        store.add([entry(i, ts) for i, ts in batch])
        for i, ts in batch:
            first_ts.setdefault(i, ts)
    rows = store.rows(0, len(store))
    assert sorted(r.id for r in rows) == sorted(f"log_{i}" for i in first_ts)
    assert [r.timestamp_ms for r in rows] == sorted((r.timestamp_ms for r in rows), reverse=True)
    for index, row in enumerate(rows):
        assert row.timestamp_ms == first_ts[int(row.id[4:])]
        assert store.index_of(row.rowid, row.timestamp_ms) == index


def test_find_walks_from_a_row_towards_older_or_newer_matches():
    store = LogStore(":memory:")
    messages = ["a Timeout b", "fine", "TIMEOUT again", "100%_done", "timeout", "fine"]
    store.add([entry(i, 1000 + i // 2, message=m) for i, m in enumerate(messages)])
    # View order, newest first: log_5 log_4 log_3 log_2 log_1 log_0 (ties by arrival).
    assert view_ids(store) == ["log_5", "log_4", "log_3", "log_2", "log_1", "log_0"]

    def find(words, start, **kw):
        return store.find(words, start, **kw)[0]

    assert find(["timeout"], 0) == 1  # log_4, case-insensitive
    assert find(["timeout"], 1) == 3  # log_2
    assert find(["timeout"], 3) == 5  # log_0
    assert find(["timeout"], 5) is None
    assert find(["timeout"], 5, older=False) == 3
    assert find(["timeout", "again"], 0) == 3  # every word
    assert find(["100%_"], 0) == 2  # LIKE wildcards are literal
    assert find(["0%d"], 0) is None
    assert find([], 0) is None
    # A bounded look says where it stopped, so the next look goes on from there.
    assert store.find(["timeout"], 1, limit=1) == (None, 2)
    assert store.find(["timeout"], 2, limit=1) == (3, 3)


def test_find_over_many_rows_in_slices():
    store = LogStore(":memory:")
    store.add([entry(i, i, message="needle" if i in (3, 2_500) else "hay") for i in range(3_000)])
    found, stopped = store.find(["needle"], 0, limit=400)
    assert found is None and stopped == 400
    found, stopped = store.find(["needle"], stopped, limit=400)
    assert found == 3_000 - 1 - 2_500
    assert store.find(["needle"], 0)[0] == 499
    assert store.find(["needle"], 2_999, older=False)[0] == 2_996


def test_index_of_id():
    store = LogStore(":memory:")
    store.add([entry(i, 1000 + i) for i in range(5)])
    assert store.index_of_id("log_4") == 0 and store.index_of_id("log_0") == 4
    assert store.index_of_id("log_missing") is None


def test_a_lone_surrogate_in_the_wire_json_is_stored_and_read_back():
    store = LogStore(":memory:")
    raw = {"id": "log_s", "message": "bad \ud800 here"}
    odd = LogEntry(id="log_s", timestamp_ms=1, message="bad \ud800 here", raw=raw)
    assert store.add([odd, entry(2, 2)]).added == 2
    held = store.entry_by_id("log_s")
    assert held is not None and held.raw == raw
    assert [message for message, _ in next(store.raw_chunks())] == ["bad \\ud800 here", "m"]
