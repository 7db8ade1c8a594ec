"""What the document parsers share: a graph writer, and layout helpers (paragraphs, bullets, sentence ends)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from migkg.graph.core.extraction import Extraction, Mention, NameKind
from migkg.graph.core.provenance import add_provenance
from migkg.graph.core.report import Notes
from migkg.graph.core.source import Document, Source
from migkg.graph.core.text import Line, Span, clean_inline

BULLET = re.compile(r"^\s*[-•▪■]\s+")
TERMINAL = (".", ")", '"', "”", "!", "?", ":", ";")


@dataclass
class GraphWriter:
    """Writes one document's triples, mentions and notes: each parser subclasses it with a method
    per kind of resource, and returns `extraction()`."""

    document: Document
    source: Source  # the rendering that provenance points into unless told otherwise
    graph: Graph = field(default_factory=Graph)
    notes: Notes = field(default_factory=Notes)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.source.text

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def provenance(self, resource: URIRef, span: Span, source: Source | None = None, name: str = "provenance") -> None:
        """Record that ``resource`` was extracted from ``span`` of a rendering's text."""
        source = source or self.source
        add_provenance(self.graph, resource, source.iri, source.text, span, name=name)

    def provenances(
        self, resource: URIRef, spans: list[Span], source: Source | None = None, name: str = "provenance"
    ) -> list[Span]:
        """Record that ``resource`` was extracted from ``spans`` of a rendering's text, one
        annotation per stretch of its own text (``own_stretches``): ``R#<name>`` for the first,
        ``R#<name>-2``, … for the following ones. Returns the stretches."""
        source = source or self.source
        stretches = own_stretches(source.text, spans)
        for number, stretch in enumerate(stretches, start=1):
            self.provenance(resource, stretch, source, name if number == 1 else f"{name}-{number}")
        return stretches

    def resource(self, iri: URIRef, rdf_type: URIRef, span: Span, label: str) -> URIRef:
        """A typed resource with an English label and its provenance."""
        self.add(iri, RDF.type, rdf_type)
        self.add(iri, RDFS.label, Literal(label, lang="en"))
        self.provenance(iri, span)
        return iri

    def document_title(self, span: Span) -> None:
        """The document's title as its text prints it (markup and line breaks aside), with the
        title's own provenance; the manifest gives only the display label."""
        title = clean_inline(self.text[span.start : span.end])
        self.add(self.source.iri, DCTERMS.title, Literal(title, lang="en"))
        self.provenance(self.source.iri, span, name="provenance-title")

    def keep_earlier_iri(self, earlier: URIRef, current: URIRef, name: str) -> None:
        """Where earlier releases named ``current`` by another IRI (a name cut after a few words,
        or a dash dropped), that IRI stays as nothing but ``owl:sameAs`` the current one, so that
        links from outside still resolve; recorded as a repair."""
        if earlier == current:
            return
        self.add(earlier, OWL.sameAs, current)
        self.notes.repair(
            self.source.id,
            "iri-whole-name",
            f"{name!r}: its IRI is made from its whole name; the IRI earlier releases gave it, "
            f"<{earlier}>, is kept as owl:sameAs it",
            resource=str(current),
        )

    def mention(self, subject: URIRef, predicate: URIRef, text: str, kind: NameKind) -> None:
        """A name for the link stage to resolve into ``subject predicate <its IRI>``."""
        self.mentions.append(Mention(subject, predicate, text, kind))

    def extraction(self) -> Extraction:
        return Extraction(self.graph, tuple(self.mentions), self.notes)


@dataclass
class Paragraph:
    """Consecutive non-blank lines of a source text."""

    lines: list[Line]

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    @property
    def span(self) -> Span:
        first, last = self.lines[0], self.lines[-1]
        lead = len(first.text) - len(first.text.lstrip())
        trail = len(last.text) - len(last.text.rstrip())
        return Span(first.start + lead, last.end - trail)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines).strip()

    @property
    def is_single_line(self) -> bool:
        return len(self.lines) == 1


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group lines into paragraphs separated by blank lines."""
    groups: list[Paragraph] = []
    current: list[Line] = []
    for line in lines:
        if line.is_blank:
            if current:
                groups.append(Paragraph(current))
            current = []
        else:
            current.append(line)
    if current:
        groups.append(Paragraph(current))
    return groups


def is_bullet(text: str) -> bool:
    return bool(BULLET.match(text))


def ends_sentence(text: str) -> bool:
    """Whether a paragraph ends where a sentence may end (otherwise a page break cut it)."""
    return text.rstrip().rstrip("*").endswith(TERMINAL)


def looks_like_title(text: str, max_length: int = 160) -> bool:
    """A short line that does not end like a sentence or clause: a title (it may end with ')')."""
    text = text.rstrip()
    return 0 < len(text) <= max_length and not is_bullet(text) and not text.endswith((".", ":", ";", ","))


def is_all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def merge_spans(spans: list[Span]) -> Span:
    return Span(min(s.start for s in spans), max(s.end for s in spans))


def own_stretches(text: str, spans: list[Span]) -> list[Span]:
    """The stretches of a resource's own text: its spans in order, merged where only whitespace
    lies between them. Where anything else lies between two spans (footnotes printed inside a
    passage, the other cells of a table), the stretches stay apart, so that no provenance quote
    claims text that is not the resource's own."""
    stretches: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if stretches and not text[stretches[-1].end : span.start].strip():
            stretches[-1] = Span(stretches[-1].start, max(stretches[-1].end, span.end))
        else:
            stretches.append(span)
    return stretches
