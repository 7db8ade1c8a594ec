"""What a parser returns: its document's graph, the names it read for the link stage to resolve,
and its notes for the build report. Parsers are pure: this is their whole output."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from enum import StrEnum

from rdflib import Graph, URIRef

from migkg.graph.core.namespaces import ID
from migkg.graph.core.report import Note, Notes


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

    def moved_under(self, segment: str, keep: Collection[URIRef], shared: Collection[URIRef] = ()) -> Extraction:
        """The same extraction with its resources moved to `ID/<segment>/…`: another copy of a
        text gets resources of its own. Every IRI under `ID` moves, with its `#` parts, but those of
        `keep` (the document's own, which the manifest's ids make distinct) and of `shared` (what
        the copy shares with copy 0: it points at them, and what it says of them, copy 0 says, so
        it is left out). A parser writes no other IRI under `ID`: actors, places and frameworks no
        text describes are the link stage's, shared by every copy, and SDG targets are the UN's."""
        left_out = {str(iri) for iri in shared}
        move = _Move(segment, frozenset(left_out | {str(iri) for iri in keep}))
        graph = Graph()
        for s, p, o in self.graph:
            if _base(s) not in left_out:
                graph.add((move(s), move(p), move(o)))
        mentions = tuple(
            replace(mention, subject=move(mention.subject))
            for mention in self.mentions
            if _base(mention.subject) not in left_out
        )
        notes = Notes(
            repairs=[move.note(note) for note in self.notes.repairs],
            warnings=[move.note(note) for note in self.notes.warnings],
            ignored=[move.note(note) for note in self.notes.ignored],
        )
        return Extraction(graph, mentions, notes)


def _base(term) -> str:
    """The IRI without its `#` part."""
    return str(term).split("#", 1)[0]


@dataclass(frozen=True)
class _Move:
    """An IRI under `ID`, unless kept, moved under `ID/<segment>/` in lower case; any other term as
    it is."""

    segment: str
    keep: frozenset[str]

    def __call__(self, term):
        if not isinstance(term, URIRef) or not term.startswith(ID) or _base(term) in self.keep:
            return term
        # lower case: the identifier scheme (queries/checks/iri-malformed.rq) keeps upper case
        # for the printed section numerals at their own place, id/gfmd-2017/section/IV, only
        return URIRef(f"{ID}{self.segment}/{term[len(ID) :].lower()}")

    def note(self, note: Note) -> Note:
        return replace(note, resource=str(self(URIRef(note.resource)))) if note.resource else note
