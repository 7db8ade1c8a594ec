"""What the server hands a query worker and what it hands back (pickled over the worker's socket).

A job goes over the socket once per query, so it pickles as plain values (``__reduce__``): through
the dataclass machinery, its offers and their kinds cost 33 µs of CPU to pickle and unpickle, as plain values 15 µs.
"""

from dataclasses import dataclass, field

from migkg.api.formats import OFFERS, Offer, ResultKind

_KINDS = tuple(ResultKind)
_OFFERED = {kind: {offer.media_type: offer for offer in offers} for kind, offers in OFFERS.items()}


@dataclass(frozen=True)
class QueryJob:
    text: str
    offers: dict[ResultKind, Offer | None]  # the format for each kind of result (conneg.negotiate); None: 406
    base_iri: str
    max_rows: int
    default_graphs: tuple[str, ...] | None = None  # None: the query's own dataset (or the union)
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = False
    prefixes: dict[str, str] = field(default_factory=dict)  # used when writing Turtle / TriG

    def __reduce__(self) -> tuple:
        offered = tuple(None if (offer := self.offers[kind]) is None else offer.media_type for kind in _KINDS)
        fields = (self.base_iri, self.max_rows, self.default_graphs, self.named_graphs, self.union_default_graph)
        return _job, (self.text, offered, *fields, self.prefixes)


def _job(text: str, offered: tuple[str | None, ...], *fields: object) -> QueryJob:
    offers = {
        kind: None if media_type is None else _OFFERED[kind][media_type]
        for kind, media_type in zip(_KINDS, offered, strict=True)
    }
    return QueryJob(text, offers, *fields)


@dataclass(frozen=True)
class QueryAnswer:
    kind: ResultKind
    content_type: str
    body: bytes
    truncated: bool = False
    cached: bool = False  # answered from the result cache (api/result_cache.py), not by a worker


@dataclass(frozen=True)
class QueryFailure:
    status: int
    message: str
