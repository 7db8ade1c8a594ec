"""What a parser returns: its document's graph, the names it read for the link stage to resolve,
and its notes for the build report. Parsers are pure: this is their whole output."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from rdflib import Graph, URIRef

from migkg.graph.core.report import Notes


class NameKind(StrEnum):
    """How the link stage resolves a mention's text (against graph/reference/ and pycountry)."""

    ACTOR = "actor"  # the text is an actor's name in the registry; anything else stops the build
    COUNTRY = "country"  # the text is a country's name; anything else stops the build
    COUNTRY_IF_ANY = "country-if-any"  # the text may be a country's name; if it is not, no link
    ORGANISATIONS_IN = "organisations-in"  # every organisation of the registry the text names


@dataclass(frozen=True)
class Mention:
    """The text names, as `predicate` of `subject`, what `text` resolves to (see NameKind)."""

    subject: URIRef
    predicate: URIRef
    text: str
    kind: NameKind


@dataclass(frozen=True)
class Extraction:
    graph: Graph
    mentions: tuple[Mention, ...]
    notes: Notes
