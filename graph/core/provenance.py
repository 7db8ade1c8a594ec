"""Provenance in the W3C Web Annotation model: which text of which document a resource came from.

For a resource R extracted from [start, end) of a source document D the graph holds::

    R dcterms:source D .
    R#provenance a oa:Annotation ; oa:hasBody R ; oa:motivatedBy oa:describing ; oa:hasTarget R#target .
    R#target a oa:SpecificResource ; oa:hasSource D ; oa:hasSelector R#quote , R#position .
    R#quote a oa:TextQuoteSelector ; oa:exact "…the exact source text…" .
    R#position a oa:TextPositionSelector ; oa:start start ; oa:end end .

Hash IRIs instead of blank nodes keep the N-Quads byte-identical from build to build, and
dereference to R's own page.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from migkg.graph.core.namespaces import OA
from migkg.graph.core.text import Span


def part(resource: URIRef, fragment: str) -> URIRef:
    return URIRef(f"{resource}#{fragment}")


def add_provenance(
    graph: Graph,
    resource: URIRef,
    document: URIRef,
    text: str,
    span: Span,
    motivation: URIRef = OA.describing,
    name: str = "provenance",
    body: URIRef | None = None,
) -> URIRef:
    """Record that `resource` was extracted from `text[span.start:span.end]` of `document`.

    With `body`, the annotation (still named under `resource`) says instead that the span
    identifies `body` — how the link stage records a mention of an actor or place."""
    if not 0 <= span.start < span.end <= len(text):
        raise ValueError(f"empty or out-of-range span {span} for {resource}")
    annotation = part(resource, name)
    target = part(resource, f"{name}-target")
    quote = part(resource, f"{name}-quote")
    position = part(resource, f"{name}-position")
    if body is None:
        graph.add((resource, DCTERMS.source, document))
    graph.add((annotation, RDF.type, OA.Annotation))
    graph.add((annotation, OA.hasBody, body if body is not None else resource))
    graph.add((annotation, OA.motivatedBy, motivation))
    graph.add((annotation, OA.hasTarget, target))
    graph.add((target, RDF.type, OA.SpecificResource))
    graph.add((target, OA.hasSource, document))
    graph.add((target, OA.hasSelector, quote))
    graph.add((target, OA.hasSelector, position))
    graph.add((quote, RDF.type, OA.TextQuoteSelector))
    graph.add((quote, OA.exact, Literal(text[span.start : span.end])))
    graph.add((position, RDF.type, OA.TextPositionSelector))
    # xsd:integer, not the Web Annotation range xsd:nonNegativeInteger: Oxigraph stores every
    # integer as xsd:integer, and the endpoint, the store and every dump must say the same
    graph.add((position, OA.start, Literal(span.start, datatype=XSD.integer)))
    graph.add((position, OA.end, Literal(span.end, datatype=XSD.integer)))
    return annotation


def add_mention(
    graph: Graph, resource: URIRef, document: URIRef, text: str, span: Span, name: str, body: URIRef
) -> URIRef:
    """Record that ``text[span]``, within the text of ``resource``, names or cites ``body``: the
    annotation ``resource#<name>``, motivated by oa:identifying."""
    return add_provenance(graph, resource, document, text, span, motivation=OA.identifying, name=name, body=body)


@dataclass(frozen=True)
class ExtractedSpan:
    """Where a resource was extracted from: its document and the span of its provenance quote."""

    resource: URIRef
    document: URIRef
    start: int
    end: int


def extracted_spans(graph: Graph) -> list[ExtractedSpan]:
    """The span of every extraction annotation (oa:describing) in ``graph``, in annotation order."""
    spans = []
    for annotation in sorted(graph.subjects(OA.motivatedBy, OA.describing)):
        target = graph.value(annotation, OA.hasTarget)
        for selector in graph.objects(target, OA.hasSelector):
            start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
            if start is not None and end is not None:
                resource, document = graph.value(annotation, OA.hasBody), graph.value(target, OA.hasSource)
                spans.append(ExtractedSpan(resource, document, int(start), int(end)))
    return spans
