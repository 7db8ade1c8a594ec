"""The pages for people that are not one resource's: the home page, search, the frameworks (the
resource pages are in linked_data, the SDGs' in sdg, the sources' in sources)."""

import asyncio
import tomllib
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from migkg.api.deps import Built
from migkg.api.links import linker
from migkg.api.querying import select
from migkg.api.resource_page import page_query
from migkg.api.routing import Router
from migkg.api.search import MAX_QUERY_LENGTH, SearchQueryInvalid
from migkg.queries import QUERIES_DIR

router = Router(include_in_schema=False)
QUESTIONS = tomllib.loads((QUERIES_DIR / "pages" / "questions.toml").read_text(encoding="utf-8"))["question"]
SEARCH_PAGE = 20


@router.get("/")
async def home(request: Request, state: Built) -> Response:
    """What migkg is and holds, a search box, the documents and frameworks, the SDGs, questions to start from."""
    counts, documents, goals = await asyncio.gather(
        page_query(state, "home-counts"),
        page_query(state, "home-documents"),
        select(state.store, state.settings, "sdg-goals"),
    )
    context = {
        "counts": counts,
        "documents": documents,
        "goals": _english_goals(goals),
        "questions": QUESTIONS,
        "build": state.build_info,
        "triples": state.build_report()["counts"]["triples"],
        "link": linker(state.settings.base_iri),
    }
    return state.templates.TemplateResponse(request, "home.html", context)


@router.get("/search")
async def search_page(
    request: Request,
    state: Built,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    types: Annotated[list[str] | None, Query(alias="type")] = None,
    page: Annotated[int, Query(ge=1, le=500)] = 1,
) -> Response:
    """Full-text search for people: the same index as /api/search, a page of hits at a time."""
    index = state.search_index()
    link = linker(state.settings.base_iri)
    context = {"q": q, "types": types or [], "known_types": index.known_types(), "page": page, "link": link}
    status = 200
    if q.strip():
        try:
            found = await asyncio.to_thread(index.search, q, types, SEARCH_PAGE, (page - 1) * SEARCH_PAGE)
            context.update(hits=found.items, has_more=found.has_more)
        except SearchQueryInvalid as invalid:
            context["problem"], status = invalid.reason, 422
    return state.templates.TemplateResponse(request, "search.html", context, status_code=status)


@router.get("/frameworks")
async def frameworks(request: Request, state: Built) -> Response:
    """The frameworks the documents describe, and every framework and legal instrument the texts name."""
    documents, named = await asyncio.gather(page_query(state, "home-documents"), page_query(state, "frameworks"))
    groups: dict[str, list] = {}
    for row in named:
        groups.setdefault(row["kind"]["value"], []).append(row)
    context = {"documents": documents, "groups": groups, "link": linker(state.settings.base_iri)}
    return state.templates.TemplateResponse(request, "frameworks.html", context)


def _english_goals(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["title"].get("xml:lang") == "en"]
