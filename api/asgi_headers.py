"""Reading and adding headers on raw ASGI messages, for the middleware that every request passes:
Starlette's Headers and MutableHeaders build an object and scan the list on each use, a cost paid
per request and per middleware (bench/results/README.md). Names are lower-case bytes, as ASGI
servers and Starlette's responses give them."""

from collections.abc import Iterable


def header(pairs: Iterable[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    """The first value of header ``name`` among a request's or a response's header pairs."""
    for key, value in pairs:
        if key == name:
            return value
    return None


def add_headers(message: dict, *pairs: tuple[bytes, bytes]) -> None:
    """Adds headers to an ``http.response.start`` message (its own list: another's may be shared)."""
    message["headers"] = [*message.get("headers", ()), *pairs]
