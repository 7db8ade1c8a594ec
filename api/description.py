"""RDF the server says about itself: the SPARQL service description and the example queries."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode, QueryResultsFormat, RdfFormat, Triple

from migkg.api.prefixes import PREFIXES
from migkg.queries import header_lines, query_files, read_query

RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
RDFS = PREFIXES["rdfs"]
SD = PREFIXES["sd"]
SH = PREFIXES["sh"]
DCTERMS = PREFIXES["dcterms"]
VOID = PREFIXES["void"]
XSD_INTEGER = NamedNode(PREFIXES["xsd"] + "integer")
# Not PREFIXES["schema"] (http://schema.org/, the graph's): the SIB sparql-examples convention, which
# tools that read /.well-known/sparql-examples follow, writes schema:target with https://schema.org/.
SCHEMA_TARGET = NamedNode("https://schema.org/target")


def sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def service_description(
    endpoint: str, graphs: list[str], federation: bool, site: str, max_query_depth: int
) -> list[Triple]:
    """SPARQL 1.1 Service Description of this endpoint; ``site`` is the server root for links.

    The service's rdfs:comment states the nesting limit, which the vocabulary has no term for."""
    service, dataset, default_graph = (
        NamedNode(endpoint),
        NamedNode(f"{endpoint}#dataset"),
        NamedNode(f"{endpoint}#default-graph"),
    )
    triples = [
        Triple(service, RDF_TYPE, sd("Service")),
        Triple(service, sd("endpoint"), service),
        Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        Triple(service, NamedNode(DCTERMS + "title"), Literal("migkg SPARQL endpoint (read-only)")),
        Triple(service, NamedNode(RDFS + "comment"), Literal(nesting_limit_note(max_query_depth), language="en")),
        Triple(service, NamedNode(RDFS + "seeAlso"), NamedNode(f"{site}/.well-known/void")),
        Triple(service, NamedNode(RDFS + "seeAlso"), NamedNode(f"{site}/.well-known/sparql-examples")),
        Triple(service, sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, sd("Dataset")),
        Triple(dataset, sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, sd("Graph")),
        Triple(default_graph, NamedNode(RDFS + "comment"), Literal("The union of all named graphs.")),
    ]
    if federation:
        triples.append(Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    triples += [Triple(service, sd("resultFormat"), NamedNode(f.iri)) for f in _result_formats()]
    for graph in graphs:
        named = NamedNode(f"{endpoint}#graph-{graphs.index(graph)}")
        triples += [
            Triple(dataset, sd("namedGraph"), named),
            Triple(named, RDF_TYPE, sd("NamedGraph")),
            Triple(named, sd("name"), NamedNode(graph)),
        ]
    return triples


def nesting_limit_note(max_query_depth: int) -> str:
    return (
        f"Queries whose brackets ({{ }}, ( ), [ ]) nest deeper than {max_query_depth} levels are refused "
        "with 400 before they run (MIGKG_MAX_QUERY_DEPTH)."
    )


def _result_formats() -> list[QueryResultsFormat | RdfFormat]:
    return [
        QueryResultsFormat.JSON,
        QueryResultsFormat.XML,
        QueryResultsFormat.CSV,
        QueryResultsFormat.TSV,
        RdfFormat.TURTLE,
        RdfFormat.N_TRIPLES,
        RdfFormat.N_QUADS,
        RdfFormat.TRIG,
        RdfFormat.JSON_LD,
        RdfFormat.RDF_XML,
    ]


@dataclass(frozen=True)
class ExampleQuery:
    name: str  # file stem
    comment: str  # the header comment: what the query answers
    text: str

    @property
    def form(self) -> str:
        """select, construct, ask or describe: the first query keyword after the prologue."""
        body = re.sub(r"#[^\n]*", "", self.text)
        match = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body, re.IGNORECASE)
        return match.group(1).lower() if match else "select"


def load_examples(directory: Path) -> list[ExampleQuery]:
    return [_read_example(path) for path in query_files(directory)]


def _read_example(path: Path) -> ExampleQuery:
    text = read_query(path)
    return ExampleQuery(path.stem, " ".join(line for line in header_lines(text) if line), text)


def sparql_examples(examples: list[ExampleQuery], endpoint: str, site: str) -> list[Triple]:
    """The examples in the SIB sparql-examples convention (SHACL SPARQLExecutable + schema:target)."""
    triples = []
    for example in examples:
        subject = NamedNode(f"{site}/.well-known/sparql-examples#{example.name}")
        executable = {
            "select": "SPARQLSelectExecutable",
            "construct": "SPARQLConstructExecutable",
            "ask": "SPARQLAskExecutable",
            "describe": "SPARQLExecutable",
        }[example.form]
        triples += [
            Triple(subject, RDF_TYPE, NamedNode(SH + "SPARQLExecutable")),
            Triple(subject, RDF_TYPE, NamedNode(SH + executable)),
            Triple(subject, NamedNode(RDFS + "label"), Literal(example.name)),
            Triple(subject, NamedNode(RDFS + "comment"), Literal(example.comment, language="en")),
            Triple(subject, NamedNode(SH + example.form), Literal(example.text)),  # sh:select, sh:ask…
            Triple(subject, SCHEMA_TARGET, NamedNode(endpoint)),
        ]
    return triples


@dataclass(frozen=True)
class VoidCounts:
    totals: dict[str, int]  # triples, subjects, objects, properties
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int]]
    graphs: list[tuple[str, int]]


def void_description(counts: VoidCounts, base_iri: str, site: str, dumps: list[str]) -> list[Triple]:
    """VoID: sizes, class and property partitions, named graphs, endpoint, dumps, IRI space."""
    dataset = NamedNode(f"{base_iri}dataset")

    def v(name: str) -> NamedNode:
        return NamedNode(VOID + name)

    def count(value: int) -> Literal:
        return Literal(str(value), datatype=XSD_INTEGER)

    triples = [
        Triple(dataset, RDF_TYPE, v("Dataset")),
        Triple(
            dataset,
            NamedNode(DCTERMS + "title"),
            Literal("Migration Governance Knowledge Graph (migkg)", language="en"),
        ),
        Triple(dataset, v("sparqlEndpoint"), NamedNode(f"{site}/sparql")),
        Triple(dataset, v("uriSpace"), Literal(f"{base_iri}id/")),
        Triple(dataset, v("vocabulary"), NamedNode(f"{base_iri}ontology#")),
        Triple(dataset, v("triples"), count(counts.totals["triples"])),
        Triple(dataset, v("distinctSubjects"), count(counts.totals["subjects"])),
        Triple(dataset, v("distinctObjects"), count(counts.totals["objects"])),
        Triple(dataset, v("properties"), count(counts.totals["properties"])),
        Triple(dataset, v("classes"), count(len(counts.classes))),
    ]
    triples += [Triple(dataset, v("dataDump"), NamedNode(f"{site}/downloads/{name}")) for name in dumps]
    for kind, rows, link, size in (
        ("class", counts.classes, "class", "entities"),
        ("property", counts.properties, "property", "triples"),
    ):
        for iri, n in rows:
            partition = NamedNode(f"{base_iri}dataset#{kind}-{_short_hash(iri)}")
            triples += [
                Triple(dataset, v(f"{kind}Partition"), partition),
                Triple(partition, v(link), NamedNode(iri)),
                Triple(partition, v(size), count(n)),
            ]
    for graph, n in counts.graphs:
        subset = NamedNode(graph)
        triples += [
            Triple(dataset, v("subset"), subset),
            Triple(subset, RDF_TYPE, v("Dataset")),
            Triple(subset, NamedNode(SD + "name"), subset),
            Triple(subset, v("triples"), count(n)),
            Triple(subset, v("sparqlEndpoint"), NamedNode(f"{site}/sparql")),
        ]
    return triples


def _short_hash(iri: str) -> str:
    return hashlib.sha256(iri.encode()).hexdigest()[:12]
