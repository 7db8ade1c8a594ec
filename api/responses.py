"""Shared answers: errors as plain text with the right status, RDF by content negotiation."""

from fastapi import Request
from fastapi.responses import PlainTextResponse, Response
from pyoxigraph import Triple, serialize

from migkg.api.conneg import OFFERS, ResultKind, acceptable_list, choose, rdf_format
from migkg.api.internal import PREFIXES
from migkg.api.worker import used_prefixes


def error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def not_acceptable(kind: ResultKind) -> PlainTextResponse:
    return error(406, f"None of the formats in Accept is available here; available: {acceptable_list(kind)}",
                 {"Vary": "Accept"})


def rdf_response(request: Request, triples: list[Triple]) -> Response:
    """Serialize triples in the negotiated RDF format (pyoxigraph's writers)."""
    offer = choose(OFFERS[ResultKind.GRAPH], request.headers.get("accept"))
    if offer is None:
        return not_acceptable(ResultKind.GRAPH)
    body = serialize(triples, format=rdf_format(offer), prefixes=used_prefixes(triples, PREFIXES))
    return Response(body, media_type=offer.content_type, headers={"Vary": "Accept"})
