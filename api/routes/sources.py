"""/sources/{id}: each vendored source text, with the passage a provenance link points at."""

from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from migkg.api.conneg import prefers_html
from migkg.api.deps import Built, SiteRoot
from migkg.api.jsonio import JSONResponse
from migkg.api.problems import error_for
from migkg.api.querying import select
from migkg.api.routing import Router
from migkg.api.sources import (
    SOURCES_PATH,
    Passage,
    PassageInvalid,
    SourceText,
    passage_url,
    pieces,
    source_id,
)
from migkg.api.state import AppState
from migkg.api.ui import STATIC_URL

router = Router()

PASSAGE_SCRIPT = f"{STATIC_URL}/sources/passage.js"
CHAR = Query(
    description="the passage to mark, as the RFC 5147 range START,END: offsets in characters (code points) "
    "of the text, START inclusive, END exclusive, as a provenance record's oa:start and oa:end",
    examples=["24284,24290"],
)


@router.get(SOURCES_PATH, summary="The source texts the graph is built from", tags=["sources"])
@router.head(SOURCES_PATH, include_in_schema=False)
async def sources(request: Request, state: Built, site: SiteRoot) -> Response:
    """Each vendored text with its label, title as printed, publisher, date and where to read it:
    an HTML list for browsers, JSON otherwise."""
    listing = await _listing(state)
    if prefers_html(request.headers.get("accept")):
        return state.templates.TemplateResponse(
            request, "sources.html", {"sources": listing, "missing": None}, headers={"Vary": "Accept"}
        )
    return JSONResponse({"sources": [{**s, "url": site + s["url"]} for s in listing]}, headers={"Vary": "Accept"})


@router.get(SOURCES_PATH + "/{source}", summary="One source text, a passage marked", tags=["sources"])
@router.head(SOURCES_PATH + "/{source}", include_in_schema=False)
async def source(request: Request, state: Built, source: str, char: Annotated[str | None, CHAR] = None) -> Response:
    """The text as vendored: an HTML page for browsers (the passage ``char`` marked, with its pages
    where the text's contents give them), the file itself otherwise."""
    html = prefers_html(request.headers.get("accept"))
    texts = state.source_texts()
    if source not in texts:
        return await _unknown(request, state, source, html)
    text = texts[source]
    if stale := await _stale(state, text):
        return error_for(request, 503, stale, hint="Run `make build`, then restart the server.")
    try:
        passage = text.passage(char) if char is not None else None
    except PassageInvalid as invalid:
        if html:
            return _page(request, state, text, None, status=400, error=str(invalid))
        return error_for(request, 400, str(invalid))
    if html:
        return _page(request, state, text, passage)
    headers = {"Vary": "Accept", "X-Content-Type-Options": "nosniff"}
    return Response(text.text, media_type=f"{text.media_type}; charset=utf-8", headers=headers)


def _page(
    request: Request, state: AppState, text: SourceText, passage: Passage | None, status: int = 200, error: str = ""
) -> Response:
    context = {
        "source": text,
        "passage": passage,
        "pieces": pieces(text, passage),
        "passage_link": passage and passage_url(text.id, passage.start, passage.end),
        "error": error,
        "script": PASSAGE_SCRIPT,
        "resource_page": f"/id/doc/{text.id}",  # the rendering's linked-data page (routes/linked_data.py)
    }
    return state.templates.TemplateResponse(
        request, "source.html", context, status_code=status, headers={"Vary": "Accept"}
    )


async def _unknown(request: Request, state: AppState, source: str, html: bool) -> Response:
    listing = await _listing(state)
    if html:
        context = {"sources": listing, "missing": source}
        return state.templates.TemplateResponse(request, "sources.html", context, status_code=404)
    known = ", ".join(s["id"] for s in listing)
    return error_for(
        request, 404, f"No source {source!r}; the sources are {known}.", hint=f"{SOURCES_PATH} lists them."
    )


async def _built_from(state: AppState) -> dict[str, dict[str, Any]]:
    """The graph's record of each source it was built from: sha256 and title as printed, by id."""
    if "source-documents" not in state.cache:
        rows = await select(state.store, state.settings, "source-documents")
        state.cache["source-documents"] = {
            source_id(row["document"]["value"]): {
                "sha256": row["sha256"]["value"],
                "title": row["title"]["value"] if "title" in row else None,
            }
            for row in rows
        }
    return state.cache["source-documents"]


async def _stale(state: AppState, text: SourceText) -> str | None:
    """Why the graph's offsets would not count in this text, if they would not: it was built from another."""
    built = (await _built_from(state)).get(text.id)
    if built is None:
        return f"The build holds no source {text.id!r}: it was made from other sources than these."
    if built["sha256"] != text.sha256:
        return (
            f"The build was made from another version of {text.file} (sha256 {built['sha256'][:12]}…, "
            f"this one {text.sha256[:12]}…), so its offsets do not count in this text."
        )
    return None


async def _listing(state: AppState) -> list[dict[str, Any]]:
    built = await _built_from(state)
    return [
        {
            "id": text.id,
            "label": text.label,
            "title": built.get(text.id, {}).get("title"),
            "publisher": text.publisher,
            "date": text.date,
            "file": text.file,
            "media_type": text.media_type,
            "characters": len(text.text),
            "original": text.original,
            "document": text.iri,
            "url": f"{SOURCES_PATH}/{text.id}",
        }
        for text in state.source_texts().values()
    ]
