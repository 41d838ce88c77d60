"""Facts of the Composio wire contract (shared/research/api-contract.md).

The only module the embedded demo server shares with the client side: both
follow the same contract, and neither may import the other's code.
"""

from __future__ import annotations

from typing import Final

DEFAULT_BASE_URL: Final = "https://backend.composio.dev"
ENV_API_KEY: Final = "COMPOSIO_API_KEY"
ENV_BASE_URL: Final = "COMPOSIO_BASE_URL"

# A.2: v3.1 list. The body is optional; limit defaults to 20, at most 100.
LOGS_LIST_PATH: Final = "/api/v3.1/logs/tool_execution"
# A.3: v3.1 detail, id percent-encoded.
LOGS_DETAIL_PATH: Final = "/api/v3.1/logs/tool_execution/{id}"
# A.5: per-step execution log (legacy internal; the v3 path is an alias).
TRACE_PATH: Final = "/api/v3.1/internal/action_execution/log/{id}"
TRACE_PATH_V3: Final = "/api/v3/internal/action_execution/log/{id}"
# A.7: tool execute.
TOOL_EXECUTE_PATH: Final = "/api/v3.1/tools/execute/{tool_slug}"
# A.4: usage.
USAGE_SUMMARY_PATH: Final = "/api/v3.1/project/usage/summary"
USAGE_BREAKDOWN_PATH: Final = "/api/v3.1/project/usage/{entity_type}"

DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100

FILTER_FIELDS: Final = (
    "tool_slug",
    "toolkit_slug",
    "connected_account_id",
    "auth_config_id",
    "status",
    "user_id",
    "session_id",
    "sandbox_id",
    "request_id",
    "log_id",
)
FILTER_OPERATORS: Final = ("==", "!=", "contains", "not_contains")
# Issue 17 §4: the fields of a Buddy row a query names besides the shared ones (status,
# user, id). Buddy's list of runs takes no filters (buddy-contract.md A.3), so these are
# only ever compared here, over the runs read, and never sent. A row keeps the pipeline's
# name where a Composio log keeps its toolkit and the action's where it keeps the tool
# (tui.sources.buddy.rows), so those two are read as those fields are.
BUDDY_FILTER_FIELDS: Final = ("pipeline", "action", "action_type", "branch", "trigger")
BUDDY_FIELD_ALIASES: Final = {"pipeline": "toolkit_slug", "action": "tool_slug"}
# Every field a filter compares here (files, Buddy), in the order tui.models.normalize's
# wire_texts reads them: the API's, then Buddy's own (the aliases read as their fields).
LOCAL_FIELDS: Final = (*FILTER_FIELDS, "action_type", "branch", "trigger")

# A.1: exactly one credential header per request; two together is a 401.
API_KEY_HEADER: Final = "x-api-key"
CREDENTIAL_HEADERS: Final = ("x-api-key", "x-user-api-key", "x-org-api-key")

# A.7: omitting `version` on execute runs the base version, not the latest.
BASE_TOOL_VERSION: Final = "00000000_00"

# -- Buddy.works (shared/research/buddy-contract.md) ----------------------------------------
# A second kind of source: CI/CD pipeline runs and their action executions. The paths are
# the contract's, relative to the base URL (A.1: US cloud by default; EU, Asia and
# self-hosted installs by URL).
BUDDY_DEFAULT_BASE_URL: Final = "https://api.buddy.works"
BUDDY_ENV_TOKEN: Final = "BUDDY_TOKEN"
BUDDY_ENV_BASE_URL: Final = "BUDDY_BASE_URL"
# A.2: the pipelines of a project (page, per_page).
BUDDY_PIPELINES_PATH: Final = "/workspaces/{workspace}/projects/{project}/pipelines"
# A.3: the runs of one pipeline, newest first (page, per_page; default 20).
BUDDY_EXECUTIONS_PATH: Final = BUDDY_PIPELINES_PATH + "/{pipeline}/executions"
# A.4: one run with its action_executions[]; A.6: PATCH it with {"operation": "RETRY"}.
BUDDY_EXECUTION_PATH: Final = BUDDY_EXECUTIONS_PATH + "/{execution}"
# A.5: one action execution's details, and its console lines paged by offset/limit.
BUDDY_ACTION_PATH: Final = BUDDY_EXECUTION_PATH + "/action_executions/{action}"
BUDDY_LOGS_PATH: Final = BUDDY_ACTION_PATH + "/logs"
BUDDY_LOGS_MAX_LIMIT: Final = 1000
BUDDY_DEFAULT_PER_PAGE: Final = 20
# A.1: the documented rate-limit headers (Reset: Unix epoch seconds, as the Go SDK reads it).
BUDDY_RATE_LIMIT_HEADER: Final = "X-Rate-Limit-Limit"
BUDDY_RATE_REMAINING_HEADER: Final = "X-Rate-Limit-Remaining"
BUDDY_RATE_RESET_HEADER: Final = "X-Rate-Limit-Reset"
# A.1 / FAQ: the answer of a workspace whose developer API is off.
BUDDY_API_DISABLED_MESSAGE: Final = "API is disabled in this workspace"
# A.1: the scopes a read-only monitor needs (the .md reference says PIPELINE_READ).
BUDDY_READ_SCOPES: Final = ("WORKSPACE", "EXECUTION_INFO")
BUDDY_RUN_SCOPE: Final = "EXECUTION_RUN"
# A.4 / A.5: every status an action execution (or a run) can have.
BUDDY_STATUSES: Final = (
    "INITIAL",
    "ENQUEUED",
    "INPROGRESS",
    "TERMINATING",
    "SUCCESSFUL",
    "FAILED",
    "TERMINATED",
    "SKIPPED",
    "NOT_EXECUTED",
    "WAITING_FOR_APPLY",
    "WAITING_FOR_VARIABLES",
    "WAITING_FOR_SETTABLE_VARIABLES",
    "WAITING_FOR_VT_SESSION",
)
