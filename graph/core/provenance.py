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
    graph.add((position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    graph.add((position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
    return annotation
