"""The fixed world the demo traffic is drawn from: toolkits, tools, sources."""

from __future__ import annotations

from dataclasses import dataclass

from tui.demo import payloads as p

META_TOOL = "COMPOSIO_MULTI_EXECUTE_TOOL"
META_TOOLKIT = "composio"


@dataclass(frozen=True, slots=True)
class Call:
    """One upstream HTTP request a tool makes; `{name}` in the URL is filled from arguments."""

    method: str
    url: str
    body: str = ""  # "json": arguments as the JSON body; "params": as query parameters


@dataclass(frozen=True, slots=True)
class Toolkit:
    slug: str
    version: str
    api_host: str
    token_prefix: str
    extra_header: str = ""  # a second credential some connections carry: Cookie or X-Api-Key
    misspelled: tuple[str, ...] = ()  # slugs agents get wrong: the "tool not found" pattern


@dataclass(frozen=True, slots=True)
class Tool:
    slug: str
    toolkit: str
    weight: int
    calls: tuple[Call, ...]
    args: p.ArgsFn
    result: p.ResultFn
    scope: str  # what the 403 "missing OAuth scope" pattern reports as missing
    invalid: tuple[str, str, object]  # field, reason, bad value: the 422 pattern
    charge: str = ""  # instant_charge in USD for premium tools


TOOLKITS: dict[str, Toolkit] = {
    tk.slug: tk
    for tk in (
        Toolkit(
            "gmail", "20250905_00", "gmail.googleapis.com", "ya29.", "", ("GMAIL_SEND_EMAILS",)
        ),
        Toolkit("github", "20251002_01", "api.github.com", "gho_", "", ("GITHUB_CREATE_ISSUE",)),
        Toolkit("slack", "20250918_00", "slack.com", "xoxp-", "Cookie", ("SLACK_POST_MESSAGE",)),
        Toolkit("notion", "20250827_02", "api.notion.com", "ntn_", "Cookie", ("NOTION_ADD_PAGE",)),
        Toolkit(
            "googlecalendar",
            "20250905_00",
            "www.googleapis.com",
            "ya29.",
            "",
            ("GOOGLECALENDAR_CREATE_MEETING",),
        ),
        Toolkit("linear", "20250930_00", "api.linear.app", "lin_oauth_", "", ("LINEAR_NEW_ISSUE",)),
        Toolkit("hubspot", "20250911_00", "api.hubapi.com", "pat-na1-", "X-Api-Key"),
        Toolkit(META_TOOLKIT, "20251010_00", "backend.composio.dev", ""),
    )
}

_GMAIL = "https://gmail.googleapis.com/gmail/v1/users/me"
_GH = "https://api.github.com/repos/{owner}/{repo}"
_GCAL = "https://www.googleapis.com/calendar/v3"
_GAUTH = "https://www.googleapis.com/auth/"
_LINEAR = Call("POST", "https://api.linear.app/graphql", "json")
_EMAIL_BAD = ("recipient_email", "is not a valid email address", "alice.example.com")

TOOLS: dict[str, Tool] = {
    t.slug: t
    for t in (
        Tool(
            "GMAIL_SEND_EMAIL",
            "gmail",
            14,
            (Call("POST", _GMAIL + "/messages/send", "json"),),
            p.gmail_send,
            p.gmail_sent,
            _GAUTH + "gmail.send",
            _EMAIL_BAD,
        ),
        Tool(
            "GMAIL_FETCH_EMAILS",
            "gmail",
            12,
            (Call("GET", _GMAIL + "/messages", "params"), Call("GET", _GMAIL + "/messages/{id}")),
            p.gmail_fetch,
            p.gmail_fetched,
            _GAUTH + "gmail.readonly",
            ("max_results", "must be between 1 and 500", 5000),
        ),
        Tool(
            "GMAIL_CREATE_EMAIL_DRAFT",
            "gmail",
            4,
            (Call("POST", _GMAIL + "/drafts", "json"),),
            p.gmail_draft,
            p.gmail_drafted,
            _GAUTH + "gmail.compose",
            _EMAIL_BAD,
        ),
        Tool(
            "GMAIL_REPLY_TO_THREAD",
            "gmail",
            3,
            (Call("GET", _GMAIL + "/threads/{thread_id}"), Call("POST", _GMAIL + "/messages/send")),
            p.gmail_reply,
            p.gmail_sent,
            _GAUTH + "gmail.send",
            ("thread_id", "thread not found or not accessible", "18c2f0e0a1b2c3d4x"),
        ),
        Tool(
            "GITHUB_CREATE_AN_ISSUE",
            "github",
            10,
            (Call("GET", _GH), Call("POST", _GH + "/issues", "json")),
            p.github_issue,
            p.github_issued,
            "repo",
            ("title", "missing_field", ""),
        ),
        Tool(
            "GITHUB_LIST_REPOSITORY_ISSUES",
            "github",
            8,
            (Call("GET", _GH + "/issues", "params"),),
            p.github_list,
            p.github_listed,
            "repo",
            ("state", "must be one of open, closed, all", "pending"),
        ),
        Tool(
            "GITHUB_GET_A_REPOSITORY",
            "github",
            6,
            (Call("GET", _GH),),
            p.github_repo,
            p.github_repo_info,
            "repo",
            ("repo", "invalid repository name", "web app"),
        ),
        Tool(
            "GITHUB_CREATE_A_PULL_REQUEST",
            "github",
            4,
            (
                Call("GET", _GH),
                Call("GET", _GH + "/branches/{head}"),
                Call("POST", _GH + "/pulls", "json"),
            ),
            p.github_pr,
            p.github_pr_opened,
            "repo",
            ("head", "no commits between main and head", "agent/empty"),
            "0.002",
        ),
        Tool(
            "GITHUB_STAR_A_REPOSITORY_FOR_THE_AUTHENTICATED_USER",
            "github",
            1,
            (Call("PUT", "https://api.github.com/user/starred/{owner}/{repo}"),),
            p.github_repo,
            p.empty_result,
            "public_repo",
            ("owner", "invalid owner", ""),
        ),
        Tool(
            "SLACK_SEND_MESSAGE",
            "slack",
            11,
            (Call("POST", "https://slack.com/api/chat.postMessage", "json"),),
            p.slack_send,
            p.slack_sent,
            "chat:write",
            ("channel", "channel_not_found", "#does-not-exist"),
        ),
        Tool(
            "SLACK_LIST_ALL_CHANNELS",
            "slack",
            4,
            (Call("GET", "https://slack.com/api/conversations.list", "params"),),
            p.slack_channels,
            p.slack_channels_listed,
            "channels:read",
            ("limit", "must be at most 1000", 5000),
        ),
        Tool(
            "SLACK_FETCH_CONVERSATION_HISTORY",
            "slack",
            5,
            (Call("GET", "https://slack.com/api/conversations.history", "params"),),
            p.slack_history,
            p.slack_history_read,
            "channels:history",
            ("channel", "channel_not_found", "#nope"),
        ),
        Tool(
            "NOTION_CREATE_NOTION_PAGE",
            "notion",
            5,
            (Call("POST", "https://api.notion.com/v1/pages", "json"),),
            p.notion_page,
            p.notion_paged,
            "insert_content",
            ("parent_id", "should be a valid uuid", "not-a-uuid"),
        ),
        Tool(
            "NOTION_QUERY_DATABASE",
            "notion",
            4,
            (Call("POST", "https://api.notion.com/v1/databases/{database_id}/query", "json"),),
            p.notion_query,
            p.notion_queried,
            "read_content",
            ("page_size", "should be ≤ 100", 500),
        ),
        Tool(
            "NOTION_SEARCH_NOTION_PAGE",
            "notion",
            3,
            (Call("POST", "https://api.notion.com/v1/search", "json"),),
            p.notion_search,
            p.notion_queried,
            "read_content",
            ("query", "should be a string", 42),
        ),
        Tool(
            "GOOGLECALENDAR_CREATE_EVENT",
            "googlecalendar",
            6,
            (Call("POST", _GCAL + "/calendars/primary/events", "json"),),
            p.gcal_create,
            p.gcal_created,
            _GAUTH + "calendar.events",
            ("start_datetime", "is not a valid RFC 3339 timestamp", "next tuesday 3pm"),
        ),
        Tool(
            "GOOGLECALENDAR_FIND_EVENT",
            "googlecalendar",
            5,
            (Call("GET", _GCAL + "/calendars/primary/events", "params"),),
            p.gcal_find,
            p.gcal_found,
            _GAUTH + "calendar.readonly",
            ("timeMin", "is not a valid RFC 3339 timestamp", "yesterday"),
        ),
        Tool(
            "GOOGLECALENDAR_FIND_FREE_SLOTS",
            "googlecalendar",
            3,
            (Call("POST", _GCAL + "/freeBusy", "json"),),
            p.gcal_free,
            p.gcal_free_found,
            _GAUTH + "calendar.readonly",
            ("time_max", "must be after time_min", "2020-01-01T00:00:00Z"),
        ),
        Tool(
            "LINEAR_CREATE_LINEAR_ISSUE",
            "linear",
            5,
            (_LINEAR,),
            p.linear_issue,
            p.linear_issued,
            "issues:create",
            ("team_id", "Argument Validation Error: teamId must be a UUID", "ENG"),
        ),
        Tool(
            "LINEAR_LIST_LINEAR_ISSUES",
            "linear",
            3,
            (_LINEAR,),
            p.linear_list,
            p.linear_listed,
            "read",
            ("first", "must be at most 250", 1000),
        ),
        Tool(
            "HUBSPOT_CREATE_CONTACT",
            "hubspot",
            3,
            (Call("POST", "https://api.hubapi.com/crm/v3/objects/contacts", "json"),),
            p.hubspot_contact,
            p.hubspot_created,
            "crm.objects.contacts.write",
            ("email", "INVALID_EMAIL", "ada(at)example.org"),
            "0.001",
        ),
        Tool(
            "HUBSPOT_SEARCH_CONTACTS_BY_CRITERIA",
            "hubspot",
            3,
            (Call("POST", "https://api.hubapi.com/crm/v3/objects/contacts/search", "json"),),
            p.hubspot_search,
            p.hubspot_found,
            "crm.objects.contacts.read",
            ("limit", "must be at most 200", 1000),
            "0.001",
        ),
        Tool(
            "COMPOSIO_SEARCH_TOOLS",
            META_TOOLKIT,
            4,
            (),
            p.composio_search,
            p.composio_found,
            "",
            ("queries", "must not be empty", []),
        ),
        Tool(META_TOOL, META_TOOLKIT, 0, (), p.no_args, p.empty_result, "", ("tools", "", [])),
    )
}

# Tools ordinary traffic draws from (the meta tool only appears as a parent of a group).
WEIGHTED_TOOLS: tuple[Tool, ...] = tuple(t for t in TOOLS.values() if t.weight > 0)
TOOL_WEIGHTS: tuple[int, ...] = tuple(t.weight for t in WEIGHTED_TOOLS)

# (host, framework, language, weight); the empty framework is omitted from `source`.
SOURCES: tuple[tuple[str, str, str, int], ...] = (
    ("sdk", "openai", "python", 9),
    ("sdk", "langchain", "python", 6),
    ("sdk", "anthropic", "python", 5),
    ("sdk", "vercel", "typescript", 5),
    ("sdk", "openai-agents", "typescript", 3),
    ("sdk", "crewai", "python", 2),
    ("mcp", "claude-desktop", "", 5),
    ("mcp", "cursor", "", 4),
    ("mcp", "claude-code", "", 3),
    ("api", "", "", 3),
)

# A few ids are email-like or the SDK's "default" entity, as real projects mix them.
NAMED_USERS = (
    "maria.lopez@acme.io",
    "ops@globex.com",
    "j.smith@initech.dev",
    "kenji@hooli.xyz",
    "default",
)
