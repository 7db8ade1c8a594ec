"""IRIs and namespaces used across the project (see docs/architecture.md), and its one prefix
table."""

import pyoxigraph
from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

from migkg import resources

BASE = "https://w3id.org/migkg/"


def _ontology_terms(namespace: str) -> list[str]:
    """The local names the ontology declares (every subject in its namespace)."""
    quads = pyoxigraph.parse(path=resources.ontology_file(), format=pyoxigraph.RdfFormat.TURTLE)
    return sorted(
        {
            q.subject.value.removeprefix(namespace)
            for q in quads
            if isinstance(q.subject, pyoxigraph.NamedNode) and q.subject.value.startswith(namespace)
        }
    )


# Closed over the ontology's own terms, so that a misspelt `MIG.Objectve` fails where it is written.
MIG = ClosedNamespace(BASE + "ontology#", _ontology_terms(BASE + "ontology#"))
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
GEOAREA = Namespace("http://metadata.un.org/sdg/codes/geoArea/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
FABIO = Namespace("http://purl.org/spar/fabio/")
# The data says http://schema.org/, as the vocabulary's RDF does; the SIB sparql-examples
# description the server publishes (api/description.py) uses https://schema.org/ on purpose,
# because that convention writes it so.
SCHEMA = Namespace("http://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")  # how a mapping was justified (SSSOM)
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")  # W3C Basic Geo: a place's WGS84 point
SEARCH = Namespace(BASE + "search#")  # the terms of the server's own SERVICE <https://w3id.org/migkg/search>

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
    "sd": SD,
    "sh": SH,
    "semapv": SEMAPV,
    "geo": GEO,
    "search": SEARCH,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}


# The same table as plain strings, for pyoxigraph's parsers and writers.
PREFIX_IRIS: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
_LONGEST_FIRST = sorted(PREFIX_IRIS.items(), key=lambda item: -len(item[1]))  # sdgo: before sdg:


def curie(iri: str) -> str:
    """``prefix:local`` by the longest namespace that starts the IRI; the IRI itself if none does."""
    for prefix, namespace in _LONGEST_FIRST:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


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
