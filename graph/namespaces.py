"""IRIs and namespaces used across the pipeline (see docs/architecture.md)."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/migkg/"
MIG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
GEOAREA = Namespace("http://metadata.un.org/sdg/codes/geoArea/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
FABIO = Namespace("http://purl.org/spar/fabio/")
SCHEMA = Namespace("http://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")

ONTOLOGY_IRI = URIRef(BASE + "ontology")

PREFIXES: dict[str, Namespace] = {
    "mig": MIG,
    "id": ID,
    "sdg": SDG,
    "sdgo": SDGO,
    "oa": OA,
    "org": ORG,
    "fabio": FABIO,
    "schema": SCHEMA,
    "void": VOID,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)


def source_graph(source_id: str) -> URIRef:
    """The named graph that holds what was extracted from one source document."""
    return GRAPH[source_id]


def sdg_iri(notation: str) -> URIRef:
    """The UN's IRI for an SDG goal ('10') or target ('10.7')."""
    return SDG[notation]
