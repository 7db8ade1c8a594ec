"""Content negotiation: Accept header q-values against the formats each result kind offers."""

from dataclasses import dataclass

from migkg.api.formats import OFFERS, Offer, ResultKind


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
    return _best(offers, parse_accept(accept))


def negotiate(accept: str | None) -> dict[ResultKind, Offer | None]:
    """The offer each kind of result is written in for this Accept header (None: 406).

    A query's kind is known only once it runs, so the worker is handed all three choices."""
    ranges = parse_accept(accept)
    return {kind: _best(offers, ranges) for kind, offers in OFFERS.items()}


def _best(offers: list[Offer], ranges: list[MediaRange]) -> Offer | None:
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
