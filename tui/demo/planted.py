"""Bodies a client must survive: values JSON allows but no model expects, and secrets in
every shape a log can carry them.

`deep`, `bigint` and `nonfinite` put into some of a 200's logs what Python's `json` can
read but a careless client cannot hold: an array nested 10,000 deep, an integer of 5,000
digits, `NaN`, `Infinity` and `1e400`. They are spliced into the encoded body as raw
text (`json.dumps` would refuse or rewrite them), so the damage returns bytes.
`secrets` plants credentials in every shape the redaction policy must catch; each
planted value starts with `PLANTED`, so a test can look for that one word in any output.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

from tui.demo.httpd import encode_json
from tui.demo.ids import HEX, token

DEEP_LEVELS = 10_000
BIGINT_DIGITS = 5_000
RAW_VALUES: dict[str, tuple[str, ...]] = {
    "deep": ("[" * DEEP_LEVELS + "]" * DEEP_LEVELS, '{"a":' * 3_000 + "1" + "}" * 3_000),
    "bigint": ("7" * BIGINT_DIGITS, "-" + "9" * BIGINT_DIGITS),
    "nonfinite": ("NaN", "Infinity", "-Infinity", "1e400"),
}
# Where a raw number goes in a log: the field whose odd values crashed clients (else a
# new field of its own).
_NUMBER_FIELD = "duration_ms"
_PLACEHOLDER = "__toolwatch_raw_{}__"
PLANTED = "PLANTEDsecret"


def raw_damage(kind: str, rng: Random) -> Callable[[Any], Any]:
    """The damage of fault `kind` (deep, bigint, nonfinite): the body as bytes with raw
    values spliced into some of its logs (a list page) or into it (a detail, a trace)."""
    choices = RAW_VALUES[kind]

    def damage(body: Any) -> Any:
        if not isinstance(body, dict):
            return body
        spliced: list[str] = []

        def place(target: dict[str, Any]) -> None:
            raw = rng.choice(choices)
            placeholder = _PLACEHOLDER.format(len(spliced))
            spliced.append(raw)
            metrics = target.get("metrics")
            if kind != "deep" and isinstance(metrics, dict) and rng.random() < 0.5:
                target["metrics"] = {**metrics, _NUMBER_FIELD: placeholder}
            else:
                target[f"odd_{kind}"] = placeholder

        copy = dict(body)
        logs = copy.get("logs")
        if isinstance(logs, list) and logs:
            items = [dict(item) if isinstance(item, dict) else item for item in logs]
            for position in rng.sample(range(len(items)), rng.randint(1, max(1, len(items) // 3))):
                if isinstance(items[position], dict):
                    place(items[position])
            copy["logs"] = items
        else:
            place(copy)
        text = encode_json(copy).decode("utf-8")
        for number, raw in enumerate(spliced):
            text = text.replace(f'"{_PLACEHOLDER.format(number)}"', raw, 1)
        return text.encode("utf-8")

    return damage


def secret(rng: Random, what: str) -> str:
    return f"{PLANTED}_{what}_{token(rng, 20, HEX)}"


def secrets_damage(rng: Random) -> Callable[[Any], Any]:
    """Credentials in every shape, planted into a list page's logs, a detail or a trace."""

    def damage(body: Any) -> Any:
        if not isinstance(body, dict):
            return body
        copy = dict(body)
        logs = copy.get("logs")
        if isinstance(logs, list):
            copy["logs"] = [_plant_item(item, rng) for item in logs]
            return copy
        if isinstance(copy.get("steps"), list):
            copy["steps"] = [_plant_step(step, rng) for step in copy["steps"]]
            return copy
        copy = _plant_item(copy, rng)
        data = copy.get("data")
        if isinstance(data, dict):
            copy["data"] = {**data, "input": {**_as_dict(data.get("input")), **_fields(rng)}}
        return copy

    return damage


def _as_dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {"value": value}


def _message(rng: Random) -> str:
    return (
        f"GET https://api.example.com/v1/items?access_token={secret(rng, 'url')}&limit=5 "
        f"failed; sent Authorization: Bearer {secret(rng, 'bearer')} and "
        f'api_key={secret(rng, "apikey")} and {{"password": "{secret(rng, "json")}"}}'
    )


def _fields(rng: Random) -> dict[str, Any]:
    """Secret names in every case style, nested values, a number, and key/value pairs."""
    return {
        "githubToken": secret(rng, "camel"),
        "aws_secret_access_key": secret(rng, "aws"),
        "private_key": secret(rng, "private"),
        "client-secret": secret(rng, "kebab"),
        "password": {"value": secret(rng, "nested")},
        "credentials": {"value": secret(rng, "cred"), "more": [secret(rng, "deeper")]},
        "api_key": int("9" * 12 + str(rng.randrange(10**6))),
        "variables": [
            {"key": "API_TOKEN", "value": secret(rng, "pair")},
            {"name": "db-password", "value": secret(rng, "namepair")},
        ],
        "note": f"retry with Authorization: Bearer {secret(rng, 'text')} please",
    }


def _plant_item(item: Any, rng: Random) -> Any:
    if not isinstance(item, dict) or rng.random() < 0.5:
        return item
    return {**item, "message": _message(rng)}


def _plant_step(step: Any, rng: Random) -> Any:
    if not isinstance(step, dict):
        return step
    planted = {**step, "message": f"upstream said: {_message(rng)}"}
    logs = step.get("logs")
    if isinstance(logs, list):
        planted["logs"] = [_plant_network(entry, rng) for entry in logs]
    return planted


def _plant_network(entry: Any, rng: Random) -> Any:
    if not isinstance(entry, dict) or not isinstance(entry.get("request"), dict):
        return entry
    request = dict(entry["request"])
    url = str(request.get("url", "https://www.googleapis.com/drive/v3/files"))
    joiner = "&" if "?" in url else "?"
    request["url"] = f"{url}{joiner}key={secret(rng, 'urlkey')}"
    request["headers"] = {
        **_as_dict(request.get("headers")),
        "X-Goog-Api-Key": secret(rng, "goog"),
        "Private-Token": secret(rng, "gitlab"),
        "X-Amz-Security-Token": secret(rng, "amz"),
    }
    request["params"] = {**_as_dict(request.get("params")), "key": secret(rng, "params")}
    cookie = f"sid={secret(rng, 'cookie')}; HttpOnly"
    response = {**_as_dict(entry.get("response")), "headers": {"Set-Cookie": cookie}}
    return {**entry, "request": request, "response": response}
