"""The five failure patterns of seed 002, each with a message, an error and an upstream body."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from random import Random
from typing import Any

from tui.demo.ids import uuid4


class Outcome(IntEnum):
    OK = 0
    UNAUTHORIZED = 1  # upstream 401: token expired or revoked
    FORBIDDEN = 2  # upstream 403: OAuth scopes missing
    INVALID_INPUT = 3  # upstream 422: input validation
    TOOL_NOT_FOUND = 4  # slug misspelled or not in the session; no upstream call
    NO_ACCOUNT = 5  # user never connected the toolkit; fails before the tool runs


UPSTREAM_STATUS = {Outcome.UNAUTHORIZED: 401, Outcome.FORBIDDEN: 403, Outcome.INVALID_INPUT: 422}
FAILURE_NAMES = {
    "unauthorized": Outcome.UNAUTHORIZED,
    "forbidden": Outcome.FORBIDDEN,
    "invalid_input": Outcome.INVALID_INPUT,
    "tool_not_found": Outcome.TOOL_NOT_FOUND,
    "no_account": Outcome.NO_ACCOUNT,
}


@dataclass(frozen=True, slots=True)
class Failure:
    message: str  # the list item's `message`
    error: str  # data.response.error and the trace's error
    upstream_status: int  # 0 when no upstream request was made
    upstream_body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Culprit:
    """What the tool was doing wrong, for the message text."""

    tool_slug: str
    toolkit: str
    user_id: str
    scope: str
    field: str
    reason: str


def describe(outcome: Outcome, who: Culprit, rng: Random) -> Failure:
    slug, toolkit = who.tool_slug, who.toolkit
    if outcome is Outcome.UNAUTHORIZED:
        why = rng.choice(("has expired", "has been revoked"))
        return Failure(
            f"{slug} failed: 401 Unauthorized from {toolkit} — the access token {why}",
            f"401 Unauthorized: the connected account's access token {why}; "
            "reconnect the account to issue a new token",
            401,
            upstream_body(toolkit, 401, f"Invalid Credentials: token {why}", rng),
        )
    if outcome is Outcome.FORBIDDEN:
        return Failure(
            f"{slug} failed: 403 Forbidden — missing OAuth scope {who.scope}",
            f"403 Forbidden: the granted OAuth scopes do not include {who.scope}",
            403,
            upstream_body(toolkit, 403, f"Request had insufficient scopes: {who.scope}", rng),
        )
    if outcome is Outcome.INVALID_INPUT:
        return Failure(
            f"{slug} failed: 422 Unprocessable Entity — '{who.field}' {who.reason}",
            f"422 Unprocessable Entity: invalid input for '{who.field}': {who.reason}",
            422,
            upstream_body(toolkit, 422, f"Invalid value for '{who.field}': {who.reason}", rng),
        )
    if outcome is Outcome.TOOL_NOT_FOUND:
        return Failure(
            f"Tool {slug} not found",
            f"Tool {slug} not found: check the slug, and that toolkit '{toolkit}' "
            "is enabled for this session",
            0,
            {},
        )
    if outcome is Outcome.NO_ACCOUNT:
        return Failure(
            f"No connected account found for user '{who.user_id}' and toolkit '{toolkit}'",
            f"No connected account found for user_id '{who.user_id}' and toolkit "
            f"'{toolkit}': the user has to connect {toolkit} first",
            0,
            {},
        )
    raise ValueError(f"{outcome!r} is not a failure")


def upstream_body(toolkit: str, status: int, text: str, rng: Random) -> dict[str, Any]:
    """The error body each upstream API family really sends, roughly."""
    kind = {401: 0, 403: 1, 422: 2}[status]
    if toolkit in ("gmail", "googlecalendar"):
        google = ("UNAUTHENTICATED", "PERMISSION_DENIED", "INVALID_ARGUMENT")[kind]
        reason = ("authError", "insufficientPermissions", "invalid")[kind]
        errors = [{"message": text, "domain": "global", "reason": reason}]
        return {"error": {"code": status, "message": text, "errors": errors, "status": google}}
    if toolkit == "github":
        gh = ("Bad credentials", "Resource not accessible by integration", "Validation Failed")
        body: dict[str, Any] = {
            "message": gh[kind],
            "documentation_url": "https://docs.github.com/rest",
            "status": str(status),
        }
        if status == 422:
            body["errors"] = [{"resource": "Issue", "code": "invalid", "message": text}]
        return body
    if toolkit == "slack":
        revoked = "token_revoked" if "revoked" in text else "token_expired"
        slack = (revoked, "missing_scope", "invalid_arguments")[kind]
        return {"ok": False, "error": slack, "warning": text}
    if toolkit == "notion":
        code = ("unauthorized", "restricted_resource", "validation_error")[kind]
        return {"object": "error", "status": status, "code": code, "message": text}
    if toolkit == "linear":
        code = ("AUTHENTICATION_ERROR", "FORBIDDEN", "INVALID_INPUT")[kind]
        return {"errors": [{"message": text, "extensions": {"code": code}}]}
    if toolkit == "hubspot":
        category = ("INVALID_AUTHENTICATION", "MISSING_SCOPES", "VALIDATION_ERROR")[kind]
        return {
            "status": "error",
            "message": text,
            "category": category,
            "correlationId": uuid4(rng),
        }
    return {"error": {"status": status, "message": text}}
