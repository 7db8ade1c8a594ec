"""/id/…: every resource IRI resolves, as an HTML page for browsers and as RDF for machines."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from migkg.api.conneg import choose, prefers_html
from migkg.api.deps import Built
from migkg.api.formats import OFFERS, ResultKind
from migkg.api.links import linker
from migkg.api.prefixes import PREFIXES, curie
from migkg.api.problems import error_for, not_acceptable
from migkg.api.querying import Binding, ask, construct, select
from migkg.api.state import AppState

router = APIRouter()

RDF_TYPE = PREFIXES["rdf"] + "type"
LABELS = (PREFIXES["skos"] + "prefLabel", PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title")


@router.get("/id/{path:path}", name="resource")
@router.head("/id/{path:path}", include_in_schema=False)
async def resource(request: Request, state: Built, path: str) -> Response:
    iri = f"{state.settings.base_iri}id/{path}"
    html = prefers_html(request.headers.get("accept"))
    if not html and choose(OFFERS[ResultKind.GRAPH], request.headers.get("accept")) is None:
        return not_acceptable(request, OFFERS[ResultKind.GRAPH])
    if not await ask(state.store, state.settings, "resource-exists", resource=iri):
        return await _not_found(request, state, iri, html)
    replaced_by = await select(state.store, state.settings, "resource-replaced-by", resource=iri)
    if replaced_by:
        return _moved(state, replaced_by[0]["current"]["value"])
    if html:
        return await _html_page(request, state, iri)
    answer = await construct(state.store, state.settings, "resource", request.headers.get("accept"), resource=iri)
    return Response(answer.body, media_type=answer.content_type, headers={"Vary": "Accept"})


def _moved(state: AppState, current: str) -> Response:
    """A permanent redirect from an IRI of earlier releases to the resource's current page."""
    location = "/id/" + current.removeprefix(f"{state.settings.base_iri}id/")
    return RedirectResponse(location, status_code=301, headers={"Vary": "Accept"})


async def _html_page(request: Request, state: AppState, iri: str) -> Response:
    properties = await select(state.store, state.settings, "resource-properties", resource=iri)
    incoming = await select(state.store, state.settings, "resource-incoming", resource=iri)
    provenance = await select(state.store, state.settings, "resource-provenance", resource=iri)
    context = {
        "iri": iri,
        "label": _label(properties) or iri,
        "types": [row["value"] for row in properties if row["property"]["value"] == RDF_TYPE],
        "properties": properties,
        "incoming": incoming,
        "provenance": provenance,
        "link": linker(state.settings.base_iri),
        "curie": curie,
    }
    return state.templates.TemplateResponse(request, "resource.html", context, headers={"Vary": "Accept"})


async def _not_found(request: Request, state: AppState, iri: str, html: bool) -> Response:
    """404 that says what exists nearby: resources under the closest parent path."""
    parent = iri.rstrip("/").rsplit("/", 1)[0] + "/"
    nearby = await select(state.store, state.settings, "resources-under", prefix=parent)
    suggestions = [row["resource"]["value"] for row in nearby]
    if html:
        context = {"iri": iri, "suggestions": suggestions, "link": linker(state.settings.base_iri)}
        return state.templates.TemplateResponse(request, "not-found.html", context, status_code=404)
    lines = [f"No resource <{iri}> in the migkg graph."]
    if suggestions:
        lines += [f"Resources under <{parent}>:"] + [f"  <{s}>" for s in suggestions]
    lines.append("Find resources with SPARQL at /sparql.")
    return error_for(request, 404, "\n".join(lines))


def _label(properties: list[Binding]) -> str | None:
    for predicate in LABELS:
        for row in properties:
            if row["property"]["value"] == predicate:
                return row["value"]["value"]
    return None
