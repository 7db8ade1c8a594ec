"""/api/search: ranked full-text search over every resource's labels and texts (SQLite FTS5)."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from migkg.api.deps import Search
from migkg.api.paging import link_header, page_body, page_links
from migkg.api.problems import error_for, problem_responses
from migkg.api.search import SearchQueryInvalid

router = APIRouter(prefix="/api")


class Hit(BaseModel):
    id: str = Field(description="the resource's IRI")
    label: str
    types: list[str] = Field(description="its classes in the migkg ontology (Action, Practice, Country, …)")
    document: str | None = Field(description="the document it was extracted from")
    snippet: str = Field(description="an HTML fragment of its text with the matches in <mark>…</mark>")
    score: float = Field(description="BM25 relevance, higher is better; labels weigh ten times the text")


class SearchResults(BaseModel):
    q: str
    items: list[Hit]
    limit: int
    offset: int
    next: str | None
    prev: str | None


@router.get(
    "/search",
    tags=["search"],
    summary="Search the labels and texts of every resource",
    response_model=SearchResults,
    responses=problem_responses(422, 503),
)
@router.head("/search", include_in_schema=False)
async def search(
    request: Request,
    index: Search,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            openapi_examples={"phrase": {"value": "birth registration"}},
            description='words to find; "quoted words" must stand together; the last word also matches as a prefix',
        ),
    ],
    types: Annotated[
        list[str] | None,
        Query(
            alias="type",
            description="only resources of these classes (repeatable), e.g. Practice, Action, Objective, Country",
            openapi_examples={"practices": {"value": ["Practice"]}},
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="hits per page")] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000, description="hits to skip")] = 0,
) -> Response:
    """Ranked by BM25 over an FTS5 index the build writes (`build/search.sqlite`): words are stemmed
    (Porter) and accents folded, so *migrants* finds *migrant*; labels weigh ten times the text."""
    try:
        page = await asyncio.to_thread(index.search, q, types, limit, offset)
    except SearchQueryInvalid as invalid:
        return error_for(
            request,
            422,
            f"Cannot search for this: {invalid.reason}.",
            errors=[{"parameter": f"query.{invalid.parameter}", "reason": invalid.reason}],
        )
    links = page_links(request, limit, offset, page.has_more)
    items = [
        {
            "id": hit.iri,
            "label": hit.label,
            "types": hit.types,
            "document": hit.document,
            "snippet": hit.snippet,
            "score": hit.score,
        }
        for hit in page.items
    ]
    return JSONResponse({"q": q, **page_body(items, limit, offset, links)}, headers={"Link": link_header(links)})
