"""Ids in URL paths: the one encoding the API clients and the curl builder share."""

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


def buddy_path(template: str, workspace: str, project: str, **ids: int | str) -> str:
    """A contract path (``tui.constants``) with every part percent-encoded: the
    workspace, the project and an action execution id come from the user or a server."""
    parts = {key: path_segment(str(value)) for key, value in ids.items()}
    return template.format(
        workspace=path_segment(workspace), project=path_segment(project), **parts
    )
