"""/id/…: every resource IRI resolves, as an HTML page for browsers and as RDF for machines."""

from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.responses import RedirectResponse, Response
from pyoxigraph import NamedNode

from migkg.api.conneg import choose, prefers_html
from migkg.api.deps import Built
from migkg.api.formats import OFFERS, ResultKind
from migkg.api.links import linker
from migkg.api.problems import error_for, not_acceptable
from migkg.api.querying import ask, construct, select
from migkg.api.resource_page import incoming_page, page_context, term_label, term_labels
from migkg.api.routing import Router
from migkg.api.state import AppState

router = Router()


# ?format= picks a format by link, for people (a page's "Turtle" link); machines send Accept.
FORMATS = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "nq": "application/n-quads",
    "trig": "application/trig",
}
# Declared by every page that offers its data by link (here and the SDG pages): an unknown name is a 422.
FormatChoice = Annotated[Literal[tuple(FORMATS)] | None, Query(description="a format, instead of Accept")]


def asked_for(request: Request, format: str | None) -> tuple[str | None, bool]:
    """The Accept to answer (the media type a ?format= link names, else the request's own) and
    whether it asks for the HTML page: a ?format= link always asks for the data."""
    accept = FORMATS[format] if format else request.headers.get("accept")
    return accept, format is None and prefers_html(accept)


@router.get("/id/{path:path}", name="resource")
@router.head("/id/{path:path}", include_in_schema=False)
async def resource(
    request: Request,
    state: Built,
    path: str,
    format: FormatChoice = None,
    inverse: Annotated[str | None, Query(description="list what points at it by this property")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    iri = f"{state.settings.base_iri}id/{path}"
    accept, html = asked_for(request, format)
    if not html and choose(OFFERS[ResultKind.GRAPH], accept) is None:
        return not_acceptable(request, OFFERS[ResultKind.GRAPH])
    if not await ask(state.store, state.settings, "resource-exists", resource=iri):
        return await _not_found(request, state, iri, html)
    replaced_by = await select(state.store, state.settings, "resource-replaced-by", resource=iri)
    if replaced_by:
        return _moved(state, replaced_by[0]["current"]["value"])
    if html and inverse is not None:
        if not _is_iri(inverse):
            return error_for(request, 400, f"inverse must be the IRI of a property, not {inverse[:100]!r}.")
        return await _incoming_page(request, state, iri, inverse, page)
    if html:
        context = await page_context(state, iri)
        return state.templates.TemplateResponse(request, "resource.html", context, headers={"Vary": "Accept"})
    answer = await construct(state.store, state.settings, "resource", accept, resource=iri)
    return Response(answer.body, media_type=answer.content_type, headers={"Vary": "Accept"})


def _is_iri(text: str) -> bool:
    try:
        NamedNode(text)
    except ValueError:
        return False
    return ":" in text


def _moved(state: AppState, current: str) -> Response:
    """A permanent redirect from an IRI of earlier releases to the resource's current page."""
    location = "/id/" + current.removeprefix(f"{state.settings.base_iri}id/")
    return RedirectResponse(location, status_code=301, headers={"Vary": "Accept"})


async def _incoming_page(request: Request, state: AppState, iri: str, property_iri: str, page: int) -> Response:
    """Everything that points at the resource through one property, a page at a time."""
    items, has_more = await incoming_page(state, iri, property_iri, page)
    labels = await term_labels(state)
    context = {
        "iri": iri,
        "label": state.search.label(iri) if state.search else iri,
        "property": term_label(property_iri, labels),
        "property_iri": property_iri,
        "items": items,
        "page": page,
        "has_more": has_more,
        "link": linker(state.settings.base_iri),
    }
    return state.templates.TemplateResponse(request, "incoming.html", context, headers={"Vary": "Accept"})


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
