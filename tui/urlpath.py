"""Ids in URL paths: the one encoding the API client and the curl builder share."""

from __future__ import annotations

from urllib.parse import quote


def path_segment(value: str) -> str:
    """``value`` as one URL path segment, percent-encoded: an id holding ``/``, ``?`` or a
    newline reaches the server intact."""
    # surrogatepass: a lone surrogate (JSON can hold one) still becomes bytes.
    encoded = quote(value, safe="", errors="surrogatepass")
    # quote() leaves dots alone, and "." or ".." as a path segment would be
    # resolved away by URL normalization, fetching a different resource.
    if set(encoded) == {"."}:
        encoded = encoded.replace(".", "%2E")
    return encoded
