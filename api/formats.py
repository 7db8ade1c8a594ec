"""The formats each kind of result is written in, and writing RDF in them with pyoxigraph.

Nothing here reads a request: `conneg` picks one of these offers for an Accept header, and the
query worker and `responses` write results in the offer picked.
"""

from dataclasses import dataclass
from enum import StrEnum

import pyoxigraph as ox
from pyoxigraph import QueryResultsFormat, RdfFormat


class ResultKind(StrEnum):
    SOLUTIONS = "solutions"  # SELECT
    BOOLEAN = "boolean"  # ASK
    GRAPH = "graph"  # CONSTRUCT, DESCRIBE, and RDF documents


@dataclass(frozen=True)
class Offer:
    media_type: str  # what the client may ask for
    content_type: str  # what the answer says it is
    format_name: str  # name of the pyoxigraph QueryResultsFormat / RdfFormat member


def _offer(media_type: str, format_name: str, content_type: str | None = None) -> Offer:
    return Offer(media_type, content_type or media_type, format_name)


_JSON = _offer("application/sparql-results+json", "JSON")
_XML = _offer("application/sparql-results+xml", "XML")

# The first offer of each kind is the default when the client accepts anything.
OFFERS: dict[ResultKind, list[Offer]] = {
    ResultKind.SOLUTIONS: [
        _JSON,
        _XML,
        _offer("text/csv", "CSV", "text/csv; charset=utf-8"),
        _offer("text/tab-separated-values", "TSV", "text/tab-separated-values; charset=utf-8"),
        _offer("application/json", "JSON", _JSON.content_type),
        _offer("application/xml", "XML", _XML.content_type),
        _offer("text/xml", "XML", _XML.content_type),
    ],
    ResultKind.BOOLEAN: [
        _JSON,
        _XML,
        _offer("application/json", "JSON", _JSON.content_type),
        _offer("application/xml", "XML", _XML.content_type),
        _offer("text/xml", "XML", _XML.content_type),
    ],
    ResultKind.GRAPH: [
        _offer("text/turtle", "TURTLE", "text/turtle; charset=utf-8"),
        _offer("application/ld+json", "JSON_LD"),
        _offer("application/n-triples", "N_TRIPLES"),
        _offer("application/rdf+xml", "RDF_XML"),
        _offer("application/n-quads", "N_QUADS"),
        _offer("application/trig", "TRIG"),
        _offer("application/x-turtle", "TURTLE", "text/turtle; charset=utf-8"),
        _offer("application/json", "JSON_LD", "application/ld+json"),
        _offer("text/plain", "N_TRIPLES", "application/n-triples"),
    ],
}


def rdf_format(offer: Offer) -> RdfFormat:
    return getattr(RdfFormat, offer.format_name)


def results_format(offer: Offer) -> QueryResultsFormat:
    return getattr(QueryResultsFormat, offer.format_name)


def acceptable_list(offers: list[Offer]) -> str:
    """The media types of ``offers``, each once, for an error message."""
    return ", ".join(dict.fromkeys(o.media_type for o in offers))


_WITHOUT_PREFIXES = frozenset({RdfFormat.N_TRIPLES, RdfFormat.N_QUADS})


def write_rdf(triples: list[ox.Triple], offer: Offer, prefixes: dict[str, str]) -> bytes:
    """Triples in the offer's RDF format, declaring only the prefixes they use."""
    fmt = rdf_format(offer)
    if not prefixes or fmt in _WITHOUT_PREFIXES:  # nothing to declare: the terms need not be read (2.5 µs a triple)
        return ox.serialize(triples, format=fmt)
    return ox.serialize(triples, format=fmt, prefixes=used_prefixes(triples, prefixes))


def used_prefixes(triples: list[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes some IRI in ``triples`` uses, so documents declare no unused ones."""
    iris = {
        term.value for t in triples for term in (t.subject, t.predicate, t.object) if isinstance(term, ox.NamedNode)
    }
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    return {p: ns for p, ns in prefixes.items() if any(iri.startswith(ns) for iri in iris)}
