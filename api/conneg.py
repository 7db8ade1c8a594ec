"""Content negotiation: Accept header q-values against the formats each result kind offers."""

import re
from dataclasses import dataclass
from functools import lru_cache

from migkg.api.formats import OFFERS, Offer, ResultKind

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
# A graph result for a client that names only SPARQL results formats (rdflib's SPARQLStore sends
# just application/sparql-results+json): the RDF format of the same syntax family, not a 406.
_GRAPH_STANDS_IN = {
    "application/sparql-results+json": "application/ld+json",
    "application/sparql-results+xml": "application/rdf+xml",
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


ANYTHING = (MediaRange("*", "*", 1.0),)
_REMEMBERED_HEADERS = 256  # clients send few distinct Accept headers; negotiating one costs ~80 µs


@lru_cache(maxsize=_REMEMBERED_HEADERS)
def parse_accept(header: str | None) -> tuple[MediaRange, ...]:
    """Parse an Accept header; a missing, empty or malformed one accepts anything.

    A malformed header says nothing the server can honour, so it is answered as if absent (RFC 9110
    §12.5.1 lets a server disregard Accept) rather than with a 406 the client could not act on."""
    if not header or not header.strip():
        return ANYTHING
    ranges = tuple(_media_range(part) for part in header.split(",") if part.strip())
    if not ranges or None in ranges:
        return ANYTHING
    return ranges


def _media_range(part: str) -> MediaRange | None:
    media, *params = (p.strip() for p in part.split(";"))
    main, slash, sub = media.lower().partition("/")
    if not slash or not _TOKEN.fullmatch(main) or not _TOKEN.fullmatch(sub) or (main == "*" and sub != "*"):
        return None
    q = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            if not _QVALUE.fullmatch(value.strip()):
                return None
            q = float(value)
    return MediaRange(main, sub, q)


def quality_of(media_type: str, ranges: tuple[MediaRange, ...]) -> float:
    """The q-value of the most specific range that matches (RFC 9110 §12.5.1)."""
    matching = [r for r in ranges if r.matches(media_type)]
    if not matching:
        return 0.0
    return max(matching, key=lambda r: r.specificity).q


def choose(offers: list[Offer], accept: str | None) -> Offer | None:
    """The offer with the highest q-value (ties go to the server's order), or None: 406."""
    return _best(offers, parse_accept(accept))


@lru_cache(maxsize=_REMEMBERED_HEADERS)
def negotiate(accept: str | None) -> dict[ResultKind, Offer | None]:
    """The offer each kind of result is written in for this Accept header (None: 406); the same
    dict for the same header, not to be changed.

    A query's kind is known only once it runs, so the worker is handed all three choices."""
    ranges = parse_accept(accept)
    chosen = {kind: _best(offers, ranges) for kind, offers in OFFERS.items()}
    if chosen[ResultKind.GRAPH] is None:
        chosen[ResultKind.GRAPH] = _best(OFFERS[ResultKind.GRAPH], _graph_stand_ins(ranges))
    return chosen


def _graph_stand_ins(ranges: tuple[MediaRange, ...]) -> tuple[MediaRange, ...]:
    """The RDF formats standing in for the SPARQL results formats ``ranges`` name, at their q-values."""
    stand_ins = []
    for r in ranges:
        if stand_in := _GRAPH_STANDS_IN.get(f"{r.type}/{r.subtype}"):
            main, _, sub = stand_in.partition("/")
            stand_ins.append(MediaRange(main, sub, r.q))
    return tuple(stand_ins)


def _best(offers: list[Offer], ranges: tuple[MediaRange, ...]) -> Offer | None:
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
