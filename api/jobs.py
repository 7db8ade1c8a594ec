"""What the server hands a query worker and what it hands back (pickled over the worker's socket)."""

from dataclasses import dataclass, field

from migkg.api.formats import Offer, ResultKind


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
