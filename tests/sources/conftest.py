"""Shared helpers for the source-document tests: run one parser on the vendored texts (with the
names it read resolved, as the link stage resolves them), check provenance quotes against the
files, validate against the shapes."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF

from migkg import resources
from migkg.graph.core.namespaces import MIG, OA
from migkg.graph.core.report import Notes
from migkg.graph.core.source import load_documents
from migkg.graph.parsers import PARSERS
from migkg.graph.stages import link

DOCUMENTS = {document.id: document for document in load_documents(resources.sources_dir())}
REGISTRY = link.load_registry(resources.reference_dir())
SHAPES = resources.shapes_dir()
ONTOLOGY = resources.ontology_file()


def run_parser(document_id: str) -> tuple[Graph, Notes, dict[URIRef, str]]:
    """Extract one document from all its renderings; also return each rendering's text by IRI."""
    document = DOCUMENTS[document_id]
    extraction = PARSERS[document.parser](document)
    graph = extraction.graph + link.resolve_mentions(document, extraction.mentions, REGISTRY)
    return graph, extraction.notes, {s.iri: s.text for s in document.renderings}


def parse_all() -> tuple[Graph, dict[URIRef, str]]:
    """Every document's parser output in one graph, with every rendering's text."""
    union, texts = Graph(), {}
    for document_id in DOCUMENTS:
        graph, _, document_texts = run_parser(document_id)
        union += graph
        texts.update(document_texts)
    return union, texts


def provenance_mismatches(graph: Graph, texts: dict[URIRef, str]) -> list[str]:
    """Every annotation whose quote is not the source text at its offsets."""
    problems = []
    for target in graph.subjects(RDF.type, OA.SpecificResource):
        text = texts[graph.value(target, OA.hasSource)]
        selectors = list(graph.objects(target, OA.hasSelector))
        exact = next(graph.value(s, OA.exact) for s in selectors if (s, OA.exact, None) in graph)
        position = next(s for s in selectors if (s, OA.start, None) in graph)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        if text[start:end] != str(exact):
            problems.append(f"{target}: [{start}:{end}] is {text[start:end][:40]!r}")
    return problems


def blank_nodes(graph: Graph) -> list:
    return [t for triple in graph for t in triple if isinstance(t, BNode)]


PARSER_SHAPES = ("core.ttl", "nua.ttl", "gfmd.ttl", "migof.ttl")
ALL_SHAPES = (*PARSER_SHAPES, "actors-places.ttl")  # these need the link stage's output too


def shacl_results(data: Graph, shape_files: tuple[str, ...] = PARSER_SHAPES) -> list[tuple[str, str]]:
    """(severity local name, message) of every validation result against the core shapes and
    the documents' shapes, with the ontology for the class hierarchy and the source renderings
    typed as the build types them."""
    from pyshacl import validate

    shapes = Graph()
    for name in shape_files:
        shapes.parse(SHAPES / name)
    data = data + Graph()
    documents = {source.iri for document in DOCUMENTS.values() for source in document.renderings}
    for document in documents:
        data.add((document, RDF.type, MIG.Document))
    _, report_graph, _ = validate(
        data, shacl_graph=shapes, ont_graph=Graph().parse(ONTOLOGY), inference="none", allow_warnings=True
    )
    sh = "http://www.w3.org/ns/shacl#"
    results = []
    for result in report_graph.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        severity = str(report_graph.value(result, URIRef(sh + "resultSeverity"))).rsplit("#", 1)[-1]
        message = str(report_graph.value(result, URIRef(sh + "resultMessage")))
        focus = report_graph.value(result, URIRef(sh + "focusNode"))
        if focus not in documents:  # the build describes the documents, not the parsers
            results.append((severity, message))
    return results


def violations(data: Graph, shape_files: tuple[str, ...] = PARSER_SHAPES) -> list[str]:
    return [message for severity, message in shacl_results(data, shape_files) if severity == "Violation"]


@pytest.fixture(scope="session")
def nua():
    return run_parser("nua-table")


@pytest.fixture(scope="session")
def gfmd():
    return run_parser("gfmd-2017-rt32")


@pytest.fixture(scope="session")
def migof():
    return run_parser("migof-toolbox")
