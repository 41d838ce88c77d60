"""Lines glanced at a block at a time (``glance.glance``) answer what glancing at each
alone answers (``glance.glance_line`` behind ``Rejects``), or leave the block to be read
line by line."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_file_source import item
from tui.sources.file import glance
from tui.sources.file.scanmatch import Rejects

START = 1_776_000_000_000


def usual(n: int, **metadata: object) -> bytes:
    return json.dumps(item(n, START + 137 * n, **metadata)).encode()


# Lines a block may hold: the usual ones and each way a line can differ from them.
ODD = [
    usual(1, status="failed"),
    usual(2, user_id="nobody"),
    usual(3) + b"  \r",  # trailing space after the object
    usual(4)[:-9],  # cut short
    usual(5).replace(b'"level"', b'"id"'),  # an "id" key again: the last one counts
    usual(6).replace(b'"level"', b'"timestamp"'),
    usual(7).replace(b'"metrics": {', b'"metrics": {"id": "x", '),  # a nested "id"
    usual(8).replace(b".137Z", b".137+00:00"),
    usual(9).replace(b".233Z", b".23Z"),
    usual(10).replace(b"T", b"T2", 1),
    usual(11).replace(b":", b":6", 3).replace(b":6 ", b": ", 2),
    usual(12).replace(b"2026-", b"2026-13-", 1),
    usual(13).replace(b"log_0013", b"   "),
    usual(14).replace(b"log_0014", b""),
    usual(15).replace(b"log_0015", "l\u00f6g_15".encode()),
    usual(16).replace(b"log_0016", b"log\\u005f16"),
    usual(17).replace(b"call 17", b'say \\"hi\\" nobody'),
    usual(18).replace(b'{"id": ', b'{"id" : '),
    usual(19).replace(b"log_0019", b"log\xff19"),
    b'{"timestamp": "2026-04-12T13:20:00.126Z", "id": "log_x"}',
    b"not json",
    b"",
    b"   ",
    b"[1, 2]",
]


def expected(line: bytes, rejects: Rejects) -> tuple[str, int] | None:
    return glance.glance_line(line) if rejects(line) else None


def check(lines: list[bytes], needles: tuple[bytes, ...]) -> glance.Block | None:
    rejects = Rejects(needles)
    data = b"partial\n" + b"\n".join(lines) + b"\nnext"  # lines amid a buffer
    block = glance.glance(data, 7, len(data) - 5, needles, {})
    if block is not None:
        assert block.lines == lines
        for n, line in enumerate(lines):
            want = expected(line, rejects)
            if n in block.taken:
                assert want is None, line
                if n in block.sure:  # read whole for its texts only: its head is exact
                    text = block.ids[n] if isinstance(block.ids[n], str) else block.ids[n].decode()
                    assert b"\\" not in line
                    assert glance.glance_line(line) == (text, block.stamps[n]), line
            else:
                log_id = block.ids[n]
                text = log_id if isinstance(log_id, str) else log_id.decode()
                assert want == (text, block.stamps[n]), line
    return block


def test_a_block_of_usual_lines_is_glanced_at_whole() -> None:
    lines = [usual(n, status="failed" if n % 7 == 0 else "success") for n in range(200)]
    block = check(lines, (b"failed",))
    assert block is not None
    assert block.taken == [n for n in range(200) if n % 7 == 0]
    assert block.stamps == [START + 137 * n for n in range(200)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(ODD) | st.integers(20, 99).map(usual), min_size=1, max_size=12),
    st.sampled_from([(b"nobody",), (b"failed",), (b"failed", b"log_00"), (b"log_",)]),
)
def test_each_line_is_glanced_at_as_alone(lines: list[bytes], needles: tuple[bytes, ...]) -> None:
    check(lines, needles)


@given(st.lists(st.sampled_from(ODD[:3] + ODD[4:8] + ODD[12:19]), min_size=1, max_size=6))
def test_odd_lines_among_usual_ones_are_read_whole(odd: list[bytes]) -> None:
    lines = [usual(n) for n in range(20, 40)] + odd
    check(lines, (b"nobody",))


def test_lines_read_whole_together_are_each_line_alone() -> None:
    lines = [usual(n, status="failed" if n % 3 == 0 else "success") for n in range(30)]
    data = b"\n" + b"\n".join(lines)
    block = glance.glance(data, 0, len(data), (b"failed",), {})
    assert block is not None and block.sure == set(range(0, 30, 3))
    assert glance.load_sure(block) == {n: json.loads(lines[n]) for n in range(0, 30, 3)}


def test_lines_that_only_decode_together_are_decoded_alone() -> None:
    head = '{"id": "log_%s", "timestamp": "2026-04-12T13:20:0%d.126Z"'
    lines = [
        (head % ("a", 0) + ', "x": [1, {"y": 2}').encode(),  # not JSON alone
        (head % ("b", 1) + "}]}").encode(),  # nor this: together they are one object
        (head % ("c", 2) + ', "q": 1}, {"r": 2}').encode(),  # two objects
    ]
    data = b"\n" + b"\n".join(lines)
    block = glance.glance(data, 0, len(data), (b"log_",), {})
    assert block is not None and block.sure == {0, 1, 2}
    assert glance.load_sure(block) is None
