"""A VoID description of the built dataset: size, classes, properties, named graphs, dumps."""

from __future__ import annotations

from collections import Counter

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from migkg.graph.core.namespaces import BASE, ID, VOID, bind_prefixes, curie

DATASET = URIRef(BASE + "dataset")
DUMPS = ("migkg.nq", "migkg.trig", "migkg.ttl", "migkg.jsonld")


def describe(dataset: Dataset, title: str, graph_names: dict[URIRef, str]) -> Graph:
    """VoID for the dataset, with one subset per named graph (`void#graph-<name>`)."""
    void = Graph()
    bind_prefixes(void)
    quads = list(dataset.quads((None, None, None, None)))
    void.add((DATASET, RDF.type, VOID.Dataset))
    void.add((DATASET, DCTERMS.title, Literal(title, lang="en")))
    void.add((DATASET, VOID.triples, Literal(len(quads), datatype=XSD.integer)))
    void.add((DATASET, VOID.uriSpace, Literal(str(ID))))
    void.add((DATASET, VOID.sparqlEndpoint, URIRef(BASE + "sparql")))
    void.add((DATASET, VOID.vocabulary, URIRef(BASE + "ontology#")))
    for dump in DUMPS:
        void.add((DATASET, VOID.dataDump, URIRef(BASE + "downloads/" + dump)))
    entities = {s for s, _, _, _ in quads if isinstance(s, URIRef) and str(s).startswith(str(ID)) and "#" not in s}
    void.add((DATASET, VOID.entities, Literal(len(entities), datatype=XSD.integer)))
    _partitions(void, quads)
    for context in sorted(dataset.contexts(), key=lambda g: str(g.identifier)):
        if len(context) == 0:
            continue
        subset = URIRef(f"{BASE}void#graph-{graph_names[context.identifier]}")
        void.add((DATASET, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        void.add((subset, URIRef("http://www.w3.org/ns/sparql-service-description#name"), context.identifier))
        void.add((subset, VOID.triples, Literal(len(context), datatype=XSD.integer)))
    return void


def _partitions(void: Graph, quads: list) -> None:
    classes = Counter(o for s, p, o, _ in {(s, p, o, None) for s, p, o, _ in quads} if p == RDF.type)
    properties = Counter(p for _, p, _, _ in quads)
    for cls, count in sorted(classes.items()):
        node = URIRef(f"{BASE}void#class-{_local(cls)}")
        void.add((DATASET, VOID.classPartition, node))
        void.add((node, VOID["class"], cls))
        void.add((node, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in sorted(properties.items()):
        node = URIRef(f"{BASE}void#property-{_local(prop)}")
        void.add((DATASET, VOID.propertyPartition, node))
        void.add((node, VOID.property, prop))
        void.add((node, VOID.triples, Literal(count, datatype=XSD.integer)))


def _local(iri: URIRef) -> str:
    """A fragment-safe name for a class or property partition (prefix-qualified, e.g. mig-Objective,
    sdgo-hasTarget)."""
    return "".join(ch if ch.isalnum() else "-" for ch in curie(str(iri)))
