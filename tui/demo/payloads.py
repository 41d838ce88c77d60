"""Tool arguments and successful tool responses, one small generator pair per tool."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from random import Random
from typing import Any

from tui.demo.ids import HEX, LOWER_ALNUM, token, uuid4

Args = dict[str, Any]
ArgsFn = Callable[[Random], Args]
ResultFn = Callable[[Random, Mapping[str, Any]], dict[str, Any]]

PEOPLE = (
    "alice@acme.io",
    "bob.nguyen@globex.com",
    "carol@initech.dev",
    "dmitri@umbrella.co",
    "eve.kowalski@hooli.xyz",
    "farah@piedpiper.net",
    "gustavo@soylent.io",
    "hana.sato@example.jp",
)
SUBJECTS = (
    "Q3 planning — agenda",
    "Re: invoice #4821",
    "Your weekly digest",
    "Follow-up from today's call",
    "Déjà vu: the flaky test is back",
    "Offsite 🚀 logistics",
    "Contract renewal",
)
BODIES = (
    "Hi,\n\nSharing the notes from today. Let me know what you think.\n\nThanks",
    "Can we move our sync to Thursday 3pm?",
    "Attached is the summary the agent prepared. Numbers look good 👍",
    "Reminder: the deploy freeze starts Friday.",
)
REPOS = (
    ("composiohq", "composio"),
    ("acme", "web-app"),
    ("acme", "billing-service"),
    ("globex", "infra"),
    ("hooli", "search-ranker"),
)
ISSUE_TITLES = (
    "Login button unresponsive on Safari",
    "Add retry to webhook delivery",
    "Crash when config has a trailing comma",
    "Docs: clarify rate limits",
    "Flaky test: test_sync_large_batch",
)
CHANNELS = ("#general", "#eng-alerts", "#sales", "#random", "#incident-2041", "C07QX4R2MNP")
SLACK_TEXTS = (
    "Deploy finished ✅ — build 1842 is live",
    "Heads up: the staging DB is being restored",
    "Daily standup notes are in the thread 🧵",
    "PagerDuty: p95 latency above 2s on /checkout",
)
QUERIES = ("is:unread newer_than:1d", "from:billing@stripe.com", "label:inbox has:attachment")


def _hex(rng: Random, n: int) -> str:
    return token(rng, n, HEX)


def _email(rng: Random) -> str:
    return rng.choice(PEOPLE)


def _iso(rng: Random) -> str:
    return (
        f"2026-05-{rng.randint(10, 28):02d}T{rng.randint(8, 17):02d}:{rng.choice((0, 30)):02d}:00Z"
    )


def _repo_args(rng: Random) -> Args:
    owner, repo = rng.choice(REPOS)
    return {"owner": owner, "repo": repo}


def gmail_send(rng: Random) -> Args:
    args: Args = {"recipient_email": _email(rng), "subject": rng.choice(SUBJECTS)}
    args["body"] = rng.choice(BODIES)
    if rng.random() < 0.3:
        args["cc"] = [_email(rng)]
    args["is_html"] = False
    return args


def gmail_sent(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": _hex(rng, 16), "threadId": _hex(rng, 16), "labelIds": ["SENT"]}


def gmail_fetch(rng: Random) -> Args:
    return {"query": rng.choice(QUERIES), "max_results": rng.choice((5, 10, 25)), "user_id": "me"}


def gmail_fetched(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    messages = [
        {
            "messageId": _hex(rng, 16),
            "threadId": _hex(rng, 16),
            "sender": _email(rng),
            "subject": rng.choice(SUBJECTS),
            "messageTimestamp": _iso(rng),
            "labelIds": ["INBOX", "UNREAD"] if rng.random() < 0.5 else ["INBOX"],
            "preview": {"body": rng.choice(BODIES)[:60]},
        }
        for _ in range(rng.randint(0, 4))
    ]
    return {"messages": messages, "nextPageToken": _hex(rng, 20), "resultSizeEstimate": 201}


def gmail_draft(rng: Random) -> Args:
    return {"recipient_email": _email(rng), "subject": rng.choice(SUBJECTS), "body": "Draft: …"}


def gmail_drafted(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    message = {"id": _hex(rng, 16), "threadId": _hex(rng, 16), "labelIds": ["DRAFT"]}
    return {"id": "r-" + str(rng.randint(10**17, 10**18)), "message": message}


def gmail_reply(rng: Random) -> Args:
    return {"thread_id": _hex(rng, 16), "recipient_email": _email(rng), "message_body": "Thanks!"}


def github_issue(rng: Random) -> Args:
    args = _repo_args(rng)
    args.update(title=rng.choice(ISSUE_TITLES), body="Steps to reproduce:\n1. …\n2. …")
    if rng.random() < 0.5:
        args["labels"] = rng.sample(["bug", "good first issue", "p1", "docs"], 2)
    return args


def github_issued(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    number = rng.randint(100, 9000)
    owner, repo = args.get("owner", "acme"), args.get("repo", "web-app")
    return {
        "id": rng.randint(10**9, 3 * 10**9),
        "number": number,
        "html_url": f"https://github.com/{owner}/{repo}/issues/{number}",
        "state": "open",
        "title": args.get("title", ""),
    }


def github_list(rng: Random) -> Args:
    args = _repo_args(rng)
    args.update(state=rng.choice(("open", "closed", "all")), per_page=30)
    return args


def github_listed(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    issues = [
        {"number": rng.randint(100, 9000), "title": rng.choice(ISSUE_TITLES), "state": "open"}
        for _ in range(rng.randint(0, 5))
    ]
    return {"details": issues}


def github_repo(rng: Random) -> Args:
    return _repo_args(rng)


def github_repo_info(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    owner, repo = args.get("owner", "acme"), args.get("repo", "web-app")
    return {
        "full_name": f"{owner}/{repo}",
        "private": rng.random() < 0.5,
        "default_branch": "main",
        "stargazers_count": rng.randint(0, 30000),
        "open_issues_count": rng.randint(0, 400),
    }


def github_pr(rng: Random) -> Args:
    args = _repo_args(rng)
    args.update(title="Fix: " + rng.choice(ISSUE_TITLES).lower(), base="main")
    args["head"] = f"agent/fix-{_hex(rng, 6)}"
    return args


def github_pr_opened(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    number = rng.randint(100, 9000)
    owner, repo = args.get("owner", "acme"), args.get("repo", "web-app")
    url = f"https://github.com/{owner}/{repo}/pull/{number}"
    return {"number": number, "html_url": url, "state": "open", "draft": False}


def empty_result(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    return {}


def slack_send(rng: Random) -> Args:
    return {"channel": rng.choice(CHANNELS), "text": rng.choice(SLACK_TEXTS)}


def slack_sent(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    ts = f"{rng.randint(1_776_000_000, 1_777_000_000)}.{rng.randint(0, 999999):06d}"
    channel = "C0" + token(rng, 9, "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789")
    message = {"type": "message", "text": args.get("text", ""), "ts": ts}
    return {"ok": True, "channel": channel, "ts": ts, "message": message}


def slack_channels(rng: Random) -> Args:
    return {"limit": rng.choice((100, 200)), "exclude_archived": True}


def slack_channels_listed(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    names = rng.sample(["general", "eng-alerts", "sales", "random", "design", "support"], 3)
    channels = [{"id": "C0" + _hex(rng, 9).upper(), "name": name} for name in names]
    return {"ok": True, "channels": channels, "response_metadata": {"next_cursor": ""}}


def slack_history(rng: Random) -> Args:
    return {"channel": rng.choice(CHANNELS), "limit": 20}


def slack_history_read(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    messages = [
        {"user": "U0" + _hex(rng, 8).upper(), "text": rng.choice(SLACK_TEXTS)}
        for _ in range(rng.randint(1, 4))
    ]
    return {"ok": True, "messages": messages, "has_more": rng.random() < 0.3}


def notion_page(rng: Random) -> Args:
    title = rng.choice(("Meeting notes", "Incident review", "Launch checklist", "Roadmap"))
    return {"parent_id": uuid4(rng), "title": title, "markdown": "## Summary\n- item"}


def notion_paged(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    page_id = uuid4(rng)
    url = f"https://www.notion.so/{page_id.replace('-', '')}"
    return {"object": "page", "id": page_id, "url": url, "archived": False}


def notion_query(rng: Random) -> Args:
    return {"database_id": uuid4(rng), "page_size": 25, "sorts": [{"property": "Due"}]}


def notion_queried(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    results = [{"object": "page", "id": uuid4(rng)} for _ in range(rng.randint(0, 3))]
    return {"object": "list", "results": results, "has_more": False, "next_cursor": None}


def notion_search(rng: Random) -> Args:
    return {"query": rng.choice(("roadmap", "on-call", "OKRs 2026", "retro"))}


def gcal_create(rng: Random) -> Args:
    return {
        "summary": rng.choice(("1:1", "Design review", "Customer call — Globex", "Lunch")),
        "start_datetime": _iso(rng),
        "event_duration_minutes": rng.choice((15, 30, 45, 60)),
        "attendees": rng.sample(PEOPLE, 2),
        "timezone": rng.choice(("Europe/Berlin", "America/New_York", "Asia/Tokyo")),
    }


def gcal_created(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    event_id = token(rng, 26, LOWER_ALNUM)
    link = f"https://www.google.com/calendar/event?eid={event_id}"
    return {"id": event_id, "status": "confirmed", "htmlLink": link}


def gcal_find(rng: Random) -> Args:
    return {"query": rng.choice(("standup", "review", "")), "timeMin": _iso(rng), "max_results": 10}


def gcal_found(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    items = [
        {"id": token(rng, 26, LOWER_ALNUM), "summary": "Standup", "start": {"dateTime": _iso(rng)}}
        for _ in range(rng.randint(0, 3))
    ]
    return {"event_data": {"event_data": items}}


def gcal_free(rng: Random) -> Args:
    return {"time_min": _iso(rng), "time_max": _iso(rng), "items": ["primary"]}


def gcal_free_found(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    busy = [{"start": _iso(rng), "end": _iso(rng)} for _ in range(rng.randint(0, 2))]
    return {"calendars": {"primary": {"busy": busy}}}


def linear_issue(rng: Random) -> Args:
    return {
        "team_id": uuid4(rng),
        "title": rng.choice(ISSUE_TITLES),
        "description": "Reported by the support agent.",
        "priority": rng.randint(0, 4),
    }


def linear_issued(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    ident = f"ENG-{rng.randint(100, 3000)}"
    issue = {"id": uuid4(rng), "identifier": ident, "url": f"https://linear.app/acme/issue/{ident}"}
    return {"issueCreate": {"success": True, "issue": issue}}


def linear_list(rng: Random) -> Args:
    return {"first": 25, "project_id": uuid4(rng)}


def linear_listed(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    nodes = [
        {"identifier": f"ENG-{rng.randint(100, 3000)}", "title": rng.choice(ISSUE_TITLES)}
        for _ in range(rng.randint(0, 4))
    ]
    return {"issues": {"nodes": nodes, "pageInfo": {"hasNextPage": False}}}


def hubspot_contact(rng: Random) -> Args:
    first, last = rng.choice((("Ada", "Lovelace"), ("Grace", "Hopper"), ("Jörg", "Müller")))
    return {"email": f"{first.lower()}@example.org", "firstname": first, "lastname": last}


def hubspot_created(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    props = {k: v for k, v in args.items() if isinstance(v, str)}
    return {"id": str(rng.randint(10**10, 10**11)), "properties": props, "archived": False}


def hubspot_search(rng: Random) -> Args:
    group = {"filters": [{"propertyName": "lifecyclestage", "operator": "EQ", "value": "lead"}]}
    return {"filterGroups": [group], "limit": 10}


def hubspot_found(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    results = [{"id": str(rng.randint(10**10, 10**11))} for _ in range(rng.randint(0, 3))]
    return {"total": len(results), "results": results}


def composio_search(rng: Random) -> Args:
    use_case = rng.choice(("send an email to the team", "create a github issue", "post to slack"))
    return {"queries": [{"use_case": use_case}], "session": {"generate_id": False}}


def composio_found(rng: Random, args: Mapping[str, Any]) -> dict[str, Any]:
    slugs = rng.sample(["GMAIL_SEND_EMAIL", "GITHUB_CREATE_AN_ISSUE", "SLACK_SEND_MESSAGE"], 2)
    return {"results": [{"primary_tool_slugs": slugs}], "success": True}


def no_args(rng: Random) -> Args:
    return {}
