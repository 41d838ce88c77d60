"""A redirect is an error that says where it pointed, never with the key in it."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from tests.unit.test_client import KEY, assert_no_key, client_for
from tui.errors import ApiError
from tui.query import LogQuery


@pytest.mark.parametrize(
    "location",
    [
        f"https://login.elsewhere.test/logs?api_key={KEY}",
        f"https://login.elsewhere.test/logs?api_key={quote(KEY + '/=', safe='')}",
        f"https://user:{KEY}@login.elsewhere.test/logs",
        f"/elsewhere/{KEY}",
    ],
    ids=["query", "url-encoded", "userinfo", "relative"],
)
async def test_a_redirect_holding_the_key_is_reported_without_it(location: str) -> None:
    client, recorder = client_for(httpx.Response(302, headers={"location": location}))
    async with client:
        with pytest.raises(ApiError) as caught:
            await client.list_logs(LogQuery())
    error = caught.value
    assert len(recorder.requests) == 1  # not followed
    assert error.status == 302 and error.retryable
    assert_no_key(error)
    assert KEY not in error.explain() and quote(KEY, safe="") not in error.explain()
    assert "elsewhere" in error.explain()  # where it pointed
