"""The one place curl commands are made: copy a request as a ready-to-run command.

An on-call engineer pastes what this builds into a shell, so every command must be
valid POSIX shell whatever the log held, and must never carry a secret:

- Every variable part is single-quoted (``'`` written as ``'\\''``), with control
  characters removed as a last line of defence (``tui.sanitize.strip_controls``), so
  nothing in a log can run a command, reach the terminal as an escape, or be hidden.
- Path segments (log id, tool slug) are percent-encoded, so an id holding ``/``, a
  quote or a newline reaches the server intact. JSON bodies are compact and escape
  every invisible character as ``\\uXXXX``: the value the server reads is the value
  the log held, and the command line shows nothing that is not there.
- The key is never written: ``-H "x-api-key: $COMPOSIO_API_KEY"`` (Buddy's: ``-H
  "Authorization: Bearer $BUDDY_TOKEN"``) expands it from the environment of whoever runs
  the command. A base URL's ``user:password@`` is dropped.
- A body larger than ``HEREDOC_THRESHOLD`` goes through a quoted here-document
  instead of ``-d``: Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN),
  and ``-d '<4 MB>'`` would fail with "Argument list too long".

Pure functions: no I/O, and no Textual (headless code must never import it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final

from tui.constants import (
    API_KEY_HEADER,
    BASE_TOOL_VERSION,
    BUDDY_ACTION_PATH,
    BUDDY_DEFAULT_BASE_URL,
    BUDDY_DEFAULT_PER_PAGE,
    BUDDY_ENV_TOKEN,
    BUDDY_EXECUTION_PATH,
    BUDDY_EXECUTIONS_PATH,
    BUDDY_PIPELINES_PATH,
    DEFAULT_BASE_URL,
    ENV_API_KEY,
    LOGS_DETAIL_PATH,
    LOGS_LIST_PATH,
    TOOL_EXECUTE_PATH,
)
from tui.jsonout import dumps
from tui.models.call import CallDetail
from tui.redact import MASK
from tui.sanitize import clean, strip_controls
from tui.sources.buddy.rows import parse_row_id
from tui.urlpath import buddy_path, path_segment

# Bodies above this many UTF-8 bytes are sent through a here-document. Half of Linux's
# 128 KiB limit on one argument, so there is room to spare whatever the kernel.
HEREDOC_THRESHOLD: Final = 64 * 1024
# The here-document's delimiter. Quoted, so the body is not expanded; a compact JSON
# line starts with "{" (or "[", or '"'), so it can never equal this line.
HEREDOC_DELIMITER: Final = "TOOLWATCH_JSON"
# How many masked argument paths a warning names before saying "and N more".
_MAX_PATHS: Final = 5

_CONTINUE: Final = " \\\n  "
_KEY_HEADER: Final = f'-H "{API_KEY_HEADER}: ${ENV_API_KEY}"'
_BEARER_HEADER: Final = f'-H "Authorization: Bearer ${BUDDY_ENV_TOKEN}"'
_JSON_HEADER: Final = "-H 'Content-Type: application/json'"
_WHITESPACE_CONTROLS: Final = re.compile("[\t\n\r]")
_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Curl:
    """A shell command ready to paste, and what the engineer must know before running it."""

    command: str
    warnings: tuple[str, ...] = ()  # one sentence each, for the toast


def shell_quote(text: str) -> str:
    """``text`` as one POSIX shell word: single-quoted, ``'`` written as ``'\\''``.

    Control characters are removed first (those ``strip_controls`` removes, lone
    surrogates among them, and tab, newline and carriage return too: a pasted tab
    triggers completion, and no value toolwatch quotes is meant to span lines).
    Everything else, ``$``, backticks, ``\\`` and
    ``"`` included, stays literal between single quotes.
    """
    text = _WHITESPACE_CONTROLS.sub("", strip_controls(text))
    return "'" + text.replace("'", "'\\''") + "'"


def detail_curl(base_url: str, log_id: str) -> Curl:
    """``GET`` one log's detail (api-contract A.3)."""
    if not log_id:
        raise ValueError("There is no log id, so there is nothing to fetch.")
    base, warnings = _base_url(base_url)
    url = base + LOGS_DETAIL_PATH.format(id=path_segment(log_id))
    return Curl(_command(url, None), warnings)


def list_curl(base_url: str, body: dict[str, Any]) -> Curl:
    """``POST`` the list request (A.2) with exactly ``body`` (``LogQuery.to_api_body``)."""
    base, warnings = _base_url(base_url)
    return Curl(_command(base + LOGS_LIST_PATH, body), warnings)


def rerun_curl(base_url: str, call: CallDetail) -> Curl:
    """``POST`` the call's tool again with its arguments, user and account (A.7).

    Raises ``ValueError`` when the log does not name its tool. Warns when the command
    will not do what the logged call did: no arguments object in the log, no version
    (the API then runs the base version), or secrets masked in the arguments.
    """
    run = call.execute  # the logged values, not the display ones
    if not run.tool:
        raise ValueError("This log does not name its tool, so it cannot be re-run.")
    base, warnings = _base_url(base_url)
    notes = list(warnings)
    arguments: Any = run.arguments
    if not isinstance(arguments, dict):
        notes.append(_no_arguments(arguments))
        arguments = {}
    body: dict[str, Any] = {"arguments": arguments}
    if run.user_id:
        body["user_id"] = run.user_id
    if run.connected_account_id:
        body["connected_account_id"] = run.connected_account_id
    if run.version:
        body["version"] = run.version
    else:
        notes.append(
            "The log does not say which tool version ran, and without `version` the API "
            f"runs {BASE_TOOL_VERSION}, the base version, not the latest."
        )
    # The paths go into a toast: keys from the log are shown, never obeyed.
    masked = [clean(path, max_len=200) for path in _masked_paths(arguments, "arguments")]
    if masked:
        named = ", ".join(masked[:_MAX_PATHS])
        if len(masked) > _MAX_PATHS:
            named += f" and {len(masked) - _MAX_PATHS} more"
        notes.append(
            f"Secrets in the log were masked ({MASK}) and must be filled in before running: "
            f"{named}."
        )
    url = base + TOOL_EXECUTE_PATH.format(tool_slug=path_segment(run.tool))
    return Curl(_command(url, body), tuple(notes))


# -- Buddy.works (buddy-contract.md A.5, A.6) -------------------------------------------------


def buddy_detail_curl(base_url: str, workspace: str, project: str, row_id: str) -> Curl:
    """``GET`` one action execution's details and log (A.5) from its row id
    ``PIPELINE/RUN/ACTION_EXECUTION``, with ``Authorization: Bearer $BUDDY_TOKEN``."""
    where = parse_row_id(row_id)
    base, warnings = _base_url(base_url, BUDDY_DEFAULT_BASE_URL)
    ids: dict[str, int | str] = {
        "pipeline": where.pipeline,
        "execution": where.execution,
        "action": where.action,
    }
    url = base + buddy_path(BUDDY_ACTION_PATH, workspace, project, **ids)
    return Curl(_command(url, None, key=_BEARER_HEADER), warnings)


def buddy_retry_curl(base_url: str, workspace: str, project: str, row_id: str) -> Curl:
    """``PATCH`` the row's run with ``{"operation": "RETRY"}`` (A.6): Buddy retries a
    run, not one action, and only a failed or terminated one."""
    where = parse_row_id(row_id)
    base, warnings = _base_url(base_url, BUDDY_DEFAULT_BASE_URL)
    ids = {"pipeline": where.pipeline, "execution": where.execution}
    url = base + buddy_path(BUDDY_EXECUTION_PATH, workspace, project, **ids)
    notes = (*warnings, f"This retries the whole run {where.run}, as Buddy does.")
    command = _command(url, {"operation": "RETRY"}, key=_BEARER_HEADER, method="PATCH")
    return Curl(command, notes)


def buddy_list_curl(
    base_url: str, workspace: str, project: str, pipelines: tuple[int, ...]
) -> Curl:
    """``GET`` the first page of each pipeline's runs, newest first (A.3): one command a
    line, each complete. With no pipeline named (every one is watched), the project's
    pipelines (A.2), whose ids the runs lists take. Buddy's lists take no filters."""
    base, warnings = _base_url(base_url, BUDDY_DEFAULT_BASE_URL)
    notes = [*warnings, "Buddy's list of runs takes no filters: the query is applied here."]
    if not pipelines:
        url = base + buddy_path(BUDDY_PIPELINES_PATH, workspace, project)
        notes.append(
            "Every pipeline is watched: this lists them; each one's runs are at "
            ".../pipelines/ID/executions."
        )
        return Curl(_command(url + "?page=1&per_page=30", None, key=_BEARER_HEADER), tuple(notes))
    commands = [
        _command(
            base
            + buddy_path(BUDDY_EXECUTIONS_PATH, workspace, project, pipeline=pipeline)
            + f"?page=1&per_page={BUDDY_DEFAULT_PER_PAGE}",
            None,
            key=_BEARER_HEADER,
        )
        for pipeline in pipelines
    ]
    return Curl("\n".join(commands), tuple(notes))


# -- pieces -----------------------------------------------------------------------------------


def _command(url: str, body: Any, *, key: str = _KEY_HEADER, method: str = "POST") -> str:
    """The command, one option a line: GET without a body, else ``method`` (POST) with it
    as JSON; ``key`` the header that expands the credential from the environment."""
    if body is None:
        return _CONTINUE.join((f"curl -sS {shell_quote(url)}", key))
    text = dumps(body)  # one line; every invisible character written as \uXXXX
    parts = [f"curl -sS -X {method} {shell_quote(url)}", key, _JSON_HEADER]
    if len(text.encode("utf-8")) <= HEREDOC_THRESHOLD:
        return _CONTINUE.join([*parts, f"-d {shell_quote(text)}"])
    # The here-document's one line is not quoted by the shell, so it gets the same
    # last line of defence as quoted text (a no-op: dumps escaped it all already).
    line = _WHITESPACE_CONTROLS.sub("", strip_controls(text))
    head = _CONTINUE.join([*parts, f"--data-binary @- <<'{HEREDOC_DELIMITER}'"])
    return f"{head}\n{line}\n{HEREDOC_DELIMITER}"


def _base_url(base_url: str, default: str = DEFAULT_BASE_URL) -> tuple[str, tuple[str, ...]]:
    """The base URL without trailing slashes or ``user:password@``; warnings if changed."""
    base = base_url.strip().rstrip("/")
    if not base:
        # Settings never hold a blank URL; say so rather than fail a key press.
        return default, (f"No base URL was given, so the command uses {default}.",)
    scheme, sep, rest = base.partition("://")
    if not sep:
        scheme, rest = "", base
    # The authority ends at the first "/", "?" or "#", as curl and urlsplit read it.
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority = rest[:end]
    if "@" not in authority:
        return base, ()
    host = authority.rsplit("@", 1)[1]
    stripped = f"{scheme}{sep}{host}{rest[end:]}"
    return stripped, (
        "The base URL holds a user name or password; it was left out of the command.",
    )


def _no_arguments(value: object) -> str:
    if value is None:
        return "The log holds no arguments object, so `arguments` is empty: fill it in."
    if isinstance(value, bool):
        kind = "true or false"
    elif isinstance(value, int | float):
        kind = "a number"
    elif isinstance(value, list):
        kind = "an array"
    else:
        kind = "a string" if isinstance(value, str) else f"a Python {type(value).__name__}"
    return f"The log's arguments are {kind}, not an object, so `arguments` is empty: fill it in."


def _masked_paths(value: Any, path: str) -> list[str]:
    """The JSON paths under ``path`` whose string values hold the redaction mask."""
    if isinstance(value, str):
        return [path] if MASK in value else []
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            step = f".{name}" if _IDENTIFIER.fullmatch(name) else f"[{json.dumps(name)}]"
            found += _masked_paths(item, path + step)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _masked_paths(item, f"{path}[{index}]")
    return found
