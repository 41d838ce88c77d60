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

# A.1: exactly one credential header per request; two together is a 401.
API_KEY_HEADER: Final = "x-api-key"
CREDENTIAL_HEADERS: Final = ("x-api-key", "x-user-api-key", "x-org-api-key")

# A.7: omitting `version` on execute runs the base version, not the latest.
BASE_TOOL_VERSION: Final = "00000000_00"
