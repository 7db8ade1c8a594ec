"""Telling clients apart, for the fair share of the query workers (api/fairness.py).

A client is its network address, or the API key it sends in ``X-API-Key`` when that key is one
the operator listed (MIGKG_API_KEYS): a federating service behind one address can be given a key,
and so can each user of a shared gateway. An unlisted key is refused (401) rather than ignored,
so a typo in a key does not go unnoticed.

The address is the request's ``client``: the TCP peer's, or behind a proxy listed in
MIGKG_TRUSTED_PROXIES the one its X-Forwarded-For names, as ``migkg serve`` has uvicorn read it
(``migkg.api.forwarded_client``).
"""

from starlette.requests import Request

from migkg.api.asgi_headers import header
from migkg.api.disconnect import App, Receive, Send
from migkg.api.fairness import current_client
from migkg.api.problems import error_for

API_KEY_HEADER = b"x-api-key"


class IdentifyClient:
    """ASGI middleware: runs each request with ``current_client`` set to the client it comes from."""

    def __init__(self, app: App, api_keys: list[str]) -> None:
        self.app = app
        self.api_keys = frozenset(api_keys)

    async def __call__(self, scope: dict, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_key = header(scope["headers"], API_KEY_HEADER)
        key = None if raw_key is None else raw_key.decode("latin-1")
        if key is not None and key not in self.api_keys:
            refusal = error_for(
                Request(scope),
                401,
                "The API key sent in X-API-Key is not one this server knows.",
                hint="Send no X-API-Key header, or one the operator gave you.",
                headers={"WWW-Authenticate": 'ApiKey header="X-API-Key"'},
            )
            await refusal(scope, receive, send)
            return
        token = current_client.set(f"key {key}" if key is not None else _address(scope))
        try:
            await self.app(scope, receive, send)
        finally:
            current_client.reset(token)


def _address(scope: dict) -> str:
    client = scope.get("client")
    return f"address {client[0]}" if client else "address unknown"
