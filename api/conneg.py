"""Content negotiation: Accept header q-values against the formats each result kind offers."""

from dataclasses import dataclass
from enum import StrEnum

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


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        main, _, sub = media.lower().partition("/")
        if not main or not sub:
            continue
        ranges.append(MediaRange(main, sub, _quality(params)))
    return ranges


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def quality_of(media_type: str, ranges: list[MediaRange]) -> float:
    """The q-value of the most specific range that matches (RFC 9110 §12.5.1)."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def choose(offers: list[Offer], accept: str | None) -> Offer | None:
    """The offer with the highest q-value (ties go to the server's order), or None: 406."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = quality_of(offer.media_type, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def prefers_html(accept: str | None) -> bool:
    """A browser: text/html explicitly accepted at least as much as any RDF or results type."""
    ranges = parse_accept(accept)
    html_q = max((r.q for r in ranges if r.type == "text" and r.subtype == "html"), default=0.0)
    return html_q > 0 and all(r.q <= html_q for r in ranges)


def rdf_format(offer: Offer) -> RdfFormat:
    return getattr(RdfFormat, offer.format_name)


def results_format(offer: Offer) -> QueryResultsFormat:
    return getattr(QueryResultsFormat, offer.format_name)


def acceptable_list(kind: ResultKind) -> str:
    return ", ".join(dict.fromkeys(o.media_type for o in OFFERS[kind]))
