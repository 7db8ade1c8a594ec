"""RDF documents answered by content negotiation (the service description, VoID, the examples)."""

from fastapi import Request
from fastapi.responses import Response
from pyoxigraph import Triple

from migkg.api.conneg import choose
from migkg.api.formats import OFFERS, ResultKind, write_rdf
from migkg.api.prefixes import PREFIXES
from migkg.api.problems import not_acceptable


def rdf_response(request: Request, triples: list[Triple]) -> Response:
    """Serialize triples in the negotiated RDF format (pyoxigraph's writers)."""
    offer = choose(OFFERS[ResultKind.GRAPH], request.headers.get("accept"))
    if offer is None:
        return not_acceptable(request, OFFERS[ResultKind.GRAPH])
    return Response(write_rdf(triples, offer, PREFIXES), media_type=offer.content_type, headers={"Vary": "Accept"})
