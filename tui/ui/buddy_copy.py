"""What the copy keys copy on a Buddy row (issue 17 §5, §10).

``c`` a curl for the action execution's details (buddy-contract.md A.5), ``r`` a curl
that retries its run (A.6: ``PATCH …/executions/:id`` with ``{"operation":"RETRY"}``),
``C`` a curl for the runs list of the watched pipelines (A.3; Buddy's list takes no
filters, so the query is not in it), ``w`` the run's page in Buddy's web app (A.3/A.5
``html_url``). Every curl says ``Authorization: Bearer $BUDDY_TOKEN``: the token is
never in what is copied.

Where the command goes: a live Buddy source's own base URL, workspace and project; a
row replayed from a file says its workspace and project in ``metadata`` and its API in
the action execution's ``url`` (``tui.sources.buddy.rows.place_of``). What a row does
not say is said in the toast, never guessed silently. The commands are built by
``tui.curl``; this module only picks the target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tui.config import Settings
from tui.constants import BUDDY_DEFAULT_BASE_URL, BUDDY_ENV_TOKEN
from tui.curl import Curl, buddy_detail_curl, buddy_list_curl, buddy_retry_curl
from tui.errors import ApiError
from tui.models.entry import LogEntry
from tui.sanitize import clean
from tui.sources.buddy.rows import SOURCE_NAME, RowPlace, parse_row_id, place_of

_NOWHERE = RowPlace("", "", "", "")
# Buddy's legacy CLI retries only these (A.6 preconditions).
_RETRIABLE = ("FAILED", "TERMINATED")


@dataclass(frozen=True)
class Target:
    """Where a Buddy command goes, and what the toast must add about it."""

    base_url: str
    workspace: str
    project: str
    notes: tuple[str, ...] = ()


def live_buddy(settings: Settings) -> bool:
    """The screen watches a Buddy project (not a file, not Composio)."""
    return settings.source_kind == SOURCE_NAME and settings.source_file is None


def is_buddy(settings: Settings, entry: LogEntry | None) -> bool:
    """Whether the copy keys treat this row as a Buddy action execution."""
    if entry is None:
        return live_buddy(settings)
    return entry.source == SOURCE_NAME


def target(settings: Settings, entry: LogEntry | None) -> Target | str:
    """Where a command about ``entry`` goes; a sentence saying what is missing when the
    row does not say (a file's row without its workspace or project)."""
    place = place_of(entry.raw) if entry is not None and entry.raw else _NOWHERE
    if live_buddy(settings):
        return Target(
            settings.base_url,
            settings.workspace or place.workspace,
            settings.project or place.project,
            _token_notes(settings),
        )
    missing = [
        name
        for name, value in (("workspace", place.workspace), ("project", place.project))
        if not value
    ]
    if missing:
        return (
            f"This row does not say its {' and '.join(missing)} (metadata.workspace and "
            "metadata.project of a Buddy row), so no command can be built for it."
        )
    if place.api_base:
        base = place.api_base
        notes = (f"This row comes from a file; the command asks {base}.",)
    else:
        base = BUDDY_DEFAULT_BASE_URL
        notes = (f"The row does not say which Buddy API it came from: the command asks {base}.",)
    return Target(base, place.workspace, place.project, notes)


def _token_notes(settings: Settings) -> tuple[str, ...]:
    """In --demo the token is the embedded server's, made up at start: show it, so the
    command runs as it is in another terminal. A token read from another variable is
    named, so the command's $BUDDY_TOKEN can be set from it."""
    if settings.demo:
        token = settings.api_key.reveal()
        return (f"demo token, for another terminal:\nexport {BUDDY_ENV_TOKEN}={token}",)
    if settings.key_env != BUDDY_ENV_TOKEN:
        return (
            f'The command reads ${BUDDY_ENV_TOKEN}: export {BUDDY_ENV_TOKEN}="${settings.key_env}"',
        )
    return ()


def detail(settings: Settings, entry: LogEntry | None, log_id: str) -> Curl | str:
    """``c``: GET the action execution's details and log (A.5)."""
    return _built(settings, entry, log_id, buddy_detail_curl)


def retry(settings: Settings, entry: LogEntry | None, log_id: str) -> Curl | str:
    """``r``: PATCH the row's run with RETRY (A.6), warning when Buddy would refuse it."""
    made = _built(settings, entry, log_id, buddy_retry_curl)
    run_status = _run_status(entry)
    if isinstance(made, str) or not run_status or run_status.upper() in _RETRIABLE:
        return made
    refused = (
        f"The run is {clean(run_status, max_len=40)}: Buddy retries only a failed or "
        "terminated run."
    )
    return Curl(made.command, (*made.warnings, refused))


def _built(
    settings: Settings,
    entry: LogEntry | None,
    log_id: str,
    build: Callable[[str, str, str, str], Curl],
) -> Curl | str:
    """``build`` (a ``tui.curl`` Buddy command) for the row, with the target's notes."""
    where = target(settings, entry)
    if isinstance(where, str):
        return where
    try:
        curl = build(where.base_url, where.workspace, where.project, log_id)
    except ApiError as error:
        return error.explain()
    return Curl(curl.command, (*curl.warnings, *where.notes))


def run_of(log_id: str) -> str:
    """The run part of a row id (``12/57``), for the toast; the id itself when odd."""
    try:
        return parse_row_id(log_id).run
    except ApiError:
        return log_id


def list_runs(settings: Settings, pipelines: tuple[int, ...]) -> Curl | str:
    """``C``: the runs list (A.3) of each watched pipeline, or the project's pipelines
    (A.2) when every pipeline is watched. Buddy's list takes no filters: the query is
    applied here, over the runs read, and is not in the command."""
    if not live_buddy(settings):
        return (
            "These rows come from a file: there is no list request to copy. "
            "c copies a curl for one row's details."
        )
    where = target(settings, None)
    assert not isinstance(where, str)  # a live source always knows where it is
    curl = buddy_list_curl(where.base_url, where.workspace, where.project, pipelines)
    return Curl(curl.command, (*curl.warnings, *where.notes))


def web_link(settings: Settings, entry: LogEntry | None) -> str | tuple[str, str]:
    """``w``: the run's page in Buddy's web app (its ``html_url``), and what it is; a
    sentence when there is none."""
    if entry is None and live_buddy(settings):
        return "This action execution is not loaded any more: its link is read from its row."
    if entry is None or entry.source != SOURCE_NAME:
        return (
            "A Composio log has no web page to link to: y copies its id, c a curl that "
            "fetches it. w copies the run's page for a Buddy row."
        )
    url = place_of(entry.raw).html_url if entry.raw else ""
    if not url.startswith(("https://", "http://")):
        return "This row does not hold its run's web link (html_url), so there is none to copy."
    return url, f"Buddy link to run {clean(run_of(entry.id))}"


def _run_status(entry: LogEntry | None) -> str:
    if entry is None or not entry.raw:
        return ""
    meta = entry.raw.get("metadata")
    value = meta.get("run_status") if isinstance(meta, dict) else None
    return value if isinstance(value, str) else ""
