"""Pages of a list answer (the views' lists and search): `limit`/`offset` links in the body and in
an RFC 8288 Link header."""

from typing import Any

from fastapi import Request


def page_links(request: Request, limit: int, offset: int, more: bool) -> dict[str, str | None]:
    """URLs of the first, previous and next pages (None where there is none)."""
    return {
        "first": str(request.url.include_query_params(offset=0)),
        "prev": str(request.url.include_query_params(offset=max(offset - limit, 0))) if offset else None,
        "next": str(request.url.include_query_params(offset=offset + limit)) if more else None,
    }


def link_header(links: dict[str, str | None]) -> str:
    """An RFC 8288 Link header naming each page that exists."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)


def page_body(items: list[Any], limit: int, offset: int, links: dict[str, str | None]) -> dict[str, Any]:
    """The JSON body of one page: its items, where it starts, and the next and previous pages."""
    return {"items": items, "limit": limit, "offset": offset, "next": links["next"], "prev": links["prev"]}
