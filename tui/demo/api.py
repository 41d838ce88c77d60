"""Routes and endpoint handlers, free of HTTP plumbing: (route, params, body) -> reply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from tui import constants
from tui.demo import catalog, query, usage
from tui.demo.errors import ApiError, bad_request, not_found
from tui.demo.faults import Faults
from tui.demo.ids import stream
from tui.demo.render import Renderer
from tui.demo.trace import build_trace
from tui.demo.traffic import Traffic


@dataclass(frozen=True, slots=True)
class Route:
    name: str
    method: str
    segments: tuple[str, ...]  # "{name}" marks a path parameter


@dataclass(slots=True)
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


def _route(name: str, method: str, path: str) -> Route:
    return Route(name, method, tuple(path.strip("/").split("/")))


# Literal routes come before parameterised ones that could shadow them (usage/summary).
ROUTES = (
    _route("logs.list", "POST", constants.LOGS_LIST_PATH),
    _route("logs.get", "GET", constants.LOGS_DETAIL_PATH),
    _route("trace", "GET", constants.TRACE_PATH),
    _route("trace", "GET", constants.TRACE_PATH_V3),
    _route("tools.execute", "POST", constants.TOOL_EXECUTE_PATH),
    _route("usage.summary", "POST", constants.USAGE_SUMMARY_PATH),
    _route("usage.breakdown", "POST", constants.USAGE_BREAKDOWN_PATH),
)


def match(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route for a request path (query string already removed); 404/405 otherwise."""
    segments = path.strip("/").split("/") if path.strip("/") else []
    allowed: list[str] = []
    for route in ROUTES:
        params = _bind(route, segments)
        if params is None:
            continue
        if route.method == method:
            return route, params
        allowed.append(route.method)
    if allowed:
        raise ApiError(
            405,
            f"Method {method} is not allowed on {path}",
            f"Use {' or '.join(sorted(set(allowed)))}.",
            headers={"Allow": ", ".join(sorted(set(allowed)))},
        )
    raise not_found(f"No such endpoint: {method} {path}", "Check the API path and version.")


def _bind(route: Route, segments: list[str]) -> dict[str, str] | None:
    if len(segments) != len(route.segments):
        return None
    params: dict[str, str] = {}
    for pattern, segment in zip(route.segments, segments, strict=True):
        if pattern.startswith("{"):
            if not segment:
                return None
            params[pattern[1:-1]] = unquote(segment)
        elif pattern != segment:
            return None
    return params


class Api:
    def __init__(
        self, traffic: Traffic, now_ms: Callable[[], int], faults: Callable[[], Faults]
    ) -> None:
        self.traffic = traffic
        self.renderer = Renderer(traffic)
        self.now_ms = now_ms
        self.faults = faults

    def handle(self, route: Route, params: dict[str, str], body: Any) -> Reply:
        now = self.now_ms()
        self.traffic.advance(now)
        if route.name == "logs.list":
            return Reply(200, self._list(body, now))
        if route.name == "logs.get":
            return Reply(200, self.renderer.detail(self._index(params["id"])))
        if route.name == "trace":
            return Reply(200, build_trace(self.renderer, self._index(params["id"])))
        if route.name == "tools.execute":
            return Reply(200, self._execute(params["tool_slug"], body, now))
        if route.name == "usage.summary":
            return Reply(200, usage.summary(self.traffic.store, body, now))
        if route.name == "usage.breakdown":
            store = self.traffic.store
            return Reply(200, usage.breakdown(store, params["entity_type"], body, now))
        raise not_found(f"No handler for {route.name}")

    def _index(self, log_id: str) -> int:
        index = self.traffic.store.by_id.get(log_id)
        hidden = self._hidden(self.now_ms())
        if index is None or (hidden is not None and hidden(index)):
            raise not_found(
                f"Log {log_id!r} not found",
                "Use an id from the list endpoint; ids are case-sensitive.",
            )
        return index

    def _hidden(self, now: int) -> Callable[[int], bool] | None:
        """The fault seam's "not visible yet" test, or None when nothing is delayed."""
        faults = self.faults()
        if not faults.delays_visibility:
            return None
        ts = self.traffic.store.ts
        return lambda index: ts[index] + faults.visibility_delay_ms(index, ts[index]) > now

    def _list(self, body: Any, now: int) -> dict[str, Any]:
        request = query.parse_list_request(body)
        page, next_page = query.select(self.traffic.store, request, self._hidden(now))
        return {
            "logs": [self.renderer.item(i) for i in page],
            "next_cursor": None if next_page is None else query.encode_cursor(next_page),
        }

    def visible_count(self) -> int:
        now = self.now_ms()
        self.traffic.advance(now)
        store = self.traffic.store
        hidden = self._hidden(now)
        if hidden is None:
            return len(store)
        return sum(1 for i in range(len(store)) if not hidden(i))

    def _execute(self, slug: str, body: Any, now: int) -> dict[str, Any]:
        tool = catalog.TOOLS.get(slug)
        if tool is None:
            raise not_found(
                f"Tool {slug} not found",
                "Check the tool slug; slugs are upper-case, e.g. GMAIL_SEND_EMAIL.",
            )
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object")
        arguments, text = body.get("arguments"), body.get("text")
        if arguments is not None and text is not None:
            raise bad_request("arguments and text are mutually exclusive; send one of them")
        if arguments is not None and not isinstance(arguments, dict):
            raise bad_request("arguments must be a JSON object")
        strings = {}
        for key in ("text", "user_id", "entity_id", "connected_account_id", "version"):
            value = body.get(key)
            if value is not None and not isinstance(value, str):
                raise bad_request(f"{key} must be a string")
            strings[key] = value or ""
        if arguments is None:
            # Standing in for the LLM that turns `text` into arguments.
            arguments = tool.args(stream(self.traffic.seed, "text", slug, strings["text"]))
        version = strings["version"] or constants.BASE_TOOL_VERSION
        if version == "latest":
            version = catalog.TOOLKITS[tool.toolkit].version
        index = self.traffic.execute(
            now,
            tool,
            user_id=strings["user_id"] or strings["entity_id"] or "default",
            account=strings["connected_account_id"],
            version=version,
            arguments=arguments,
        )
        row = self.traffic.store.row(index)
        response = self.renderer.response(row)
        return {
            "data": response.get("data", {}),
            "error": response.get("error"),
            "successful": bool(response.get("successful")),
            "log_id": row.log_id,
            "session_info": None,
        }
