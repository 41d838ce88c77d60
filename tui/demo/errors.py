"""The A.1 error envelope, raised from anywhere in the demo server and rendered once."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

# Numeric `code`s are not documented; these keep one stable value per kind of problem so a
# client can at least tell them apart, the way the real API's codes would let it.
_CODES: dict[int, int] = {400: 10400, 401: 10401, 404: 10404, 405: 10405, 413: 10413, 500: 10500}
_DEFAULT_FIXES: dict[int, str] = {
    400: "Fix the request body and send it again.",
    401: "Send exactly one credential header: x-api-key with your project API key.",
    404: "Check the identifier or path.",
    405: "Use the HTTP method listed in the Allow header.",
    413: "Send a smaller request body.",
}


@dataclass(slots=True)
class ApiError(Exception):
    """An HTTP error response in the A.1 envelope."""

    status: int
    message: str
    suggested_fix: str = ""
    slug: str = ""
    errors: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        Exception.__init__(self, self.message)
        if not self.slug:
            # The 401 slug was observed in production as "HTTP_Unauthorized"; the others
            # follow the same pattern.
            try:
                phrase = HTTPStatus(self.status).phrase
            except ValueError:
                phrase = "Error"
            self.slug = "HTTP_" + phrase.title().replace(" ", "").replace("-", "")

    def envelope(self, request_id: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message": self.message,
            "code": _CODES.get(self.status, 10000 + self.status),
            "slug": self.slug,
            "status": self.status,
            "request_id": request_id,
        }
        body["suggested_fix"] = self.suggested_fix or _DEFAULT_FIXES.get(
            self.status, "Retry the request; if it keeps failing, report the request_id."
        )
        if self.errors:
            body["errors"] = list(self.errors)
        return {"error": body}


def bad_request(message: str, suggested_fix: str = "") -> ApiError:
    return ApiError(400, message, suggested_fix)


def not_found(message: str, suggested_fix: str = "") -> ApiError:
    return ApiError(404, message, suggested_fix)
