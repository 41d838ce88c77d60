"""A.2 list items and A.3 details, derived on demand from a stored row and the seed."""

from __future__ import annotations

from typing import Any

from tui.demo import catalog, hostile, payloads
from tui.demo.failures import Culprit, Failure, Outcome, describe
from tui.demo.huge import huge_attachment
from tui.demo.ids import HEX, iso_ms, stream, token
from tui.demo.store import FLAG_HOSTILE, FLAG_NESTED, FLAG_NO_MESSAGE, Row
from tui.demo.traffic import Traffic

_GENERIC = catalog.Tool(
    slug="",
    toolkit="",
    weight=0,
    calls=(catalog.Call("POST", "https://api.example.com/v1/actions", "json"),),
    args=payloads.no_args,
    result=payloads.empty_result,
    scope="the required scope",
    invalid=("input", "is invalid", None),
)
_THOUGHTS = (
    "Run these independent steps in parallel to save a round trip.",
    "Gather the context first, then act on it.",
    "The user asked for all of these at once.",
)


class Renderer:
    def __init__(self, traffic: Traffic) -> None:
        self.seed = traffic.seed
        self.world = traffic.world
        self.store = traffic.store

    def spec(self, row: Row) -> catalog.Tool:
        tool = catalog.TOOLS.get(row.dims["tool_slug"])
        if tool is not None:
            return tool
        # A misspelled slug still belongs to a toolkit: show what the agent meant to call.
        toolkit = row.dims["toolkit_slug"]
        return next((t for t in catalog.WEIGHTED_TOOLS if t.toolkit == toolkit), _GENERIC)

    def failure(self, row: Row) -> Failure | None:
        if row.outcome == Outcome.OK:
            return None
        spec = self.spec(row)
        who = Culprit(
            tool_slug=row.dims["tool_slug"],
            toolkit=row.dims["toolkit_slug"],
            user_id=row.dims["user_id"],
            scope=spec.scope or _GENERIC.scope,
            field=spec.invalid[0],
            reason=spec.invalid[1],
        )
        return describe(Outcome(row.outcome), who, stream(self.seed, row.index, "fail"))

    def _hostile(self, row: Row, part: str, value: Any) -> Any:
        """`value` as a hostile log (see faults) serves it; unchanged for any other log."""
        if not row.flags & FLAG_HOSTILE:
            return value
        return hostile.poison(value, stream(self.seed, row.index, "hostile", part))

    def message(self, row: Row) -> str | None:
        message = self._message(row)
        return None if message is None else str(self._hostile(row, "message", message))

    def _message(self, row: Row) -> str | None:
        if "message" in row.extras:
            message = row.extras["message"]
            return None if message is None else str(message)
        if row.flags & FLAG_NO_MESSAGE:
            return None
        failure = self.failure(row)
        if failure is not None:
            return failure.message
        slug = row.dims["tool_slug"]
        if slug == catalog.META_TOOL:
            return f"{slug} ran {len(self.store.children(row.index))} tools"
        return f"{slug} executed successfully"

    def arguments(self, row: Row) -> dict[str, Any]:
        arguments: dict[str, Any] = self._hostile(row, "arguments", self._arguments(row))
        return arguments

    def _arguments(self, row: Row) -> dict[str, Any]:
        if "arguments" in row.extras:
            return dict(row.extras["arguments"])
        if row.dims["tool_slug"] == catalog.META_TOOL:
            calls = []
            for child in self.store.children(row.index):
                child_row = self.store.row(child)
                calls.append(
                    {
                        "tool_slug": child_row.dims["tool_slug"],
                        "arguments": self.arguments(child_row),
                    }
                )
            thought = stream(self.seed, row.index, "args").choice(_THOUGHTS)
            return {"tools": calls, "thought": thought, "sync_response_to_workbench": False}
        spec = self.spec(row)
        args = spec.args(stream(self.seed, row.index, "args"))
        if row.outcome == Outcome.INVALID_INPUT:
            field, _, bad_value = spec.invalid
            args[field] = bad_value
        return args

    def response(self, row: Row) -> dict[str, Any]:
        response: dict[str, Any] = self._hostile(row, "response", self._response(row))
        size = row.extras.get("huge_bytes")
        if size is not None:
            attachment = huge_attachment(self.seed, row.index, size)
            data = response.get("data")
            if isinstance(data, dict):
                response["data"] = {**data, "attachment": attachment}
            else:
                response["attachment"] = attachment
        return response

    def _response(self, row: Row) -> dict[str, Any]:
        if "response" in row.extras:
            return dict(row.extras["response"])
        failure = self.failure(row)
        if failure is not None:
            return {"successful": False, "error": failure.error, "data": failure.upstream_body}
        if row.dims["tool_slug"] == catalog.META_TOOL:
            results = []
            for child in self.store.children(row.index):
                child_row = self.store.row(child)
                child_failure = self.failure(child_row)
                results.append(
                    {
                        "tool_slug": child_row.dims["tool_slug"],
                        "log_id": child_row.log_id,
                        "successful": child_failure is None,
                        "error": child_failure.error if child_failure else None,
                    }
                )
            ok = sum(1 for r in results if r["successful"])
            data = {"results": results, "total_count": len(results), "success_count": ok}
            return {"successful": True, "error": None, "data": data}
        rng = stream(self.seed, row.index, "result")
        return {
            "successful": True,
            "error": None,
            # The arguments as the tool saw them: hostile keys would break its result.
            "data": self.spec(row).result(rng, self._arguments(row)),
        }

    def parent(self, row: Row) -> dict[str, Any] | None:
        if "parent" in row.extras:
            parent: dict[str, Any] | None = row.extras["parent"]
            return parent
        if row.parent < 0:
            return None
        return {
            "log_id": self.store.ids[row.parent],
            "tool_slug": self.store.row(row.parent).dims["tool_slug"],
        }

    def metadata(self, row: Row) -> dict[str, Any]:
        dims = row.dims
        meta: dict[str, Any]
        if row.flags & FLAG_NESTED:
            tool: dict[str, Any] = {"slug": dims["tool_slug"]}
            if row.version:
                tool["version"] = row.version
            meta = {"tool": tool, "toolkit": {"slug": dims["toolkit_slug"]}}
        else:
            meta = {"tool_slug": dims["tool_slug"], "toolkit_slug": dims["toolkit_slug"]}
        meta["user_id"] = dims["user_id"]
        for name in ("connected_account_id", "auth_config_id", "session_id", "sandbox_id"):
            if dims[name]:
                meta[name] = dims[name]
        if row.version and not row.flags & FLAG_NESTED:
            meta["version"] = row.version
        if row.charge:
            meta["instant_charge"] = row.charge
        return meta

    def item(self, index: int) -> dict[str, Any]:
        row = self.store.row(index)
        status = row.dims["status"]
        item: dict[str, Any] = {
            "id": row.log_id,
            "timestamp": iso_ms(row.timestamp_ms),
            "type": "tool.execution",
            "status": status,
            "level": row.extras.get("level", "error" if status == "failed" else "info"),
        }
        message = self.message(row)
        if message is not None:
            item["message"] = message
        item["metadata"] = self.metadata(row)
        item["metrics"] = {"duration_ms": row.duration_ms}
        item["parent"] = self.parent(row)
        return item

    def trace_id(self, row: Row) -> str:
        # Calls made under one meta tool share its trace.
        root = row.parent if row.parent >= 0 else row.index
        return token(stream(self.seed, root, "trace_id"), 32, HEX)

    def source(self, row: Row) -> dict[str, Any]:
        if "source" in row.extras:
            return dict(row.extras["source"])
        host, framework, language, _ = catalog.SOURCES[row.source]
        source = {"host": host, "framework": framework, "language": language}
        return {k: v for k, v in source.items() if v}

    def detail(self, index: int) -> dict[str, Any]:
        row = self.store.row(index)
        detail = self.item(index)
        detail["timings"] = {
            "start_time": row.timestamp_ms,
            "end_time": row.timestamp_ms + row.duration_ms,
        }
        context = {"trace_id": self.trace_id(row), "request_id": row.request_id}
        if row.dims["session_id"]:
            context = {"session_id": row.dims["session_id"], **context}
        detail["context"] = context
        detail["source"] = self.source(row)
        detail["data"] = {"input": self.arguments(row), "response": self.response(row)}
        return detail
