"""Multi-megabyte tool responses, generated on demand so that no log stores them."""

from __future__ import annotations

from typing import Any

from tui.demo.ids import LOWER_ALNUM, stream, token

_CHUNK = 64 << 10


def huge_attachment(seed: int, index: int, size: int) -> dict[str, Any]:
    """A downloaded CSV file of exactly `size` characters, seeded by the log's index."""
    rng = stream(seed, index, "huge")
    lines = ["row,user,amount_cents,note\n"]
    length = len(lines[0])
    row = 0
    # A seeded 64 KiB block repeated: cheap to build, and still not one repeated byte.
    while length < min(size, _CHUNK):
        row += 1
        line = f"{row},user_{token(rng, 8, LOWER_ALNUM)},{rng.randint(1, 10**7)},"
        line += token(rng, rng.randint(4, 60)) + "\n"
        lines.append(line)
        length += len(line)
    block = "".join(lines)
    content = (block * (size // len(block) + 1))[:size]
    return {
        "file_name": f"export-{index}.csv",
        "mime_type": "text/csv",
        "size_bytes": size,
        "content": content,
    }
