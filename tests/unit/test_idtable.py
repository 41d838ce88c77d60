"""IdTable: a line is claimed unless a newer line (claimed earlier) has its id hash."""

from __future__ import annotations

from array import array

from hypothesis import given
from hypothesis import strategies as st

# Few distinct values, some equal below the mask: repeats, and probes past a taken slot.
hashes = st.lists(st.sampled_from([1, 2, 3, 1025, 2049, -7, 2**62 + 1, 5, 1 << 40]), max_size=60)


@given(st.lists(hashes, max_size=8), st.integers(0, 5000))
def test_claims_match_a_set_of_the_hashes_seen(runs: list[list[int]], expected: int) -> None:
    from tui.sources.file.idtable import IdTable

    idh: array[int] = array("q")
    table = IdTable(idh)
    seen: set[int] = set()
    newest: dict[int, int] = {}
    for run in runs:
        at = len(idh)
        idh.fromlist(run)
        claimed = table.claim_run(run, at, expected)
        want = []
        for k, h in enumerate(run):
            want.append(0 if h in seen else 1)
            if h not in seen:
                newest[h] = at + k
            seen.add(h)
        assert list(claimed) == want
    for h, line in newest.items():
        assert table.line_of(h) == line
    assert table.line_of(123456) == -1
    assert table.claim(2**62 + 1, len(idh)) == (2**62 + 1 not in seen)


def test_grows_past_its_first_size_and_keeps_every_claim() -> None:
    from tui.sources.file.idtable import IdTable

    idh: array[int] = array("q")
    table = IdTable(idh)
    for start in range(0, 20_000, 1_000):
        run = list(range(start * 7 + 1, (start + 1_000) * 7 + 1, 7))
        idh.fromlist(run)
        assert table.claim_run(run, start) == bytearray(b"\x01") * 1_000
    assert table.line_of(7 * 12_345 + 1) == 12_345
    again = [1, 8, 7 * 19_999 + 1]
    idh.fromlist(again)
    assert table.claim_run(again, 20_000) == bytearray(3)
