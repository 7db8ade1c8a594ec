"""Cross-document links that the texts state: the frameworks each document names (those whose
manifest entry says `framework_links`): the table draws on MiGOF and the New Urban Agenda, the GFMD
paper names the GCM and the 2030 Agenda, the booklet's actions name the protocols of the Palermo
Convention.

A name links to one IRI whichever document introduced it. First come the frameworks the graph
already holds (mig:Framework and mig:LegalInstrument resources, with their labels, titles and
acronyms); the spellings the sources use that no label has are listed in
graph/reference/framework-names.toml, and recorded as skos:altLabel where a text uses them. The
frameworks that the sources name but none describes are graph/reference/frameworks.tsv: an entry
that shares a name with one the graph holds is that one; any other is described here, the first
time a text names it, by its type and its label, and its mentions are its evidence. Each mention
is recorded as the link stage records actors and places: an oa:Annotation motivated by
oa:identifying whose body is the framework, on the exact span of the name in the resource's
provenance quote.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from migkg.graph.core.frameworks import FrameworkNames, NamedFramework, framework_names, own_names
from migkg.graph.core.namespaces import ID, MIG
from migkg.graph.core.provenance import add_mention, extracted_spans
from migkg.graph.core.report import BuildReport
from migkg.graph.core.source import Document
from migkg.graph.core.text import Span, names_pattern


def link_documents(
    dataset_graph: Graph, documents: list[Document], spellings: FrameworkNames, report: BuildReport
) -> Graph:
    """mig:mentionsFramework links (with their mention annotations) from the resources of the
    documents whose manifest entry says `framework_links` to the frameworks and instruments the
    graph holds or the registry names; a variant spelling a text uses becomes the framework's
    skos:altLabel."""
    own = own_names(dataset_graph)
    names = framework_names(own, spellings)
    pattern = names_pattern(names)
    registry = {framework.iri: framework for framework in spellings.registry if framework.iri in names.values()}
    own |= {iri: {framework.label} for iri, framework in registry.items()}
    texts = {
        source.iri: source.text
        for document in documents
        if document.states_framework_links
        for source in document.renderings
    }
    links = Graph()
    counter: dict[tuple[URIRef, URIRef], int] = {}
    for extracted in extracted_spans(dataset_graph):
        resource, document, start = extracted.resource, extracted.document, extracted.start
        if document not in texts:
            continue
        quote = texts[document][start : extracted.end]
        for match in pattern.finditer(quote):
            name = re.sub(r"\s+", " ", match.group())
            framework = names.get(name)
            if framework == resource:
                continue
            key = (resource, framework)
            counter[key] = counter.get(key, 0) + 1
            links.add((resource, MIG.mentionsFramework, framework))
            if framework in registry:
                _describe(links, registry[framework])
            if name not in own[framework]:
                links.add((framework, SKOS.altLabel, Literal(name, lang="en")))
            span = Span(start + match.start(), start + match.end())
            annotation = f"mention-framework-{_local(framework)}-{counter[key]}"
            add_mention(links, resource, document, texts[document], span, annotation, framework)
    report.counts["framework mentions"] = sum(counter.values())
    return links


def _describe(links: Graph, framework: NamedFramework) -> None:
    """A framework no source describes: what the registry says of it (its mentions are its
    evidence, not an extraction: it has no dcterms:source)."""
    links.add((framework.iri, RDF.type, framework.rdf_type))
    for label in (RDFS.label, SKOS.prefLabel, DCTERMS.title):
        links.add((framework.iri, label, Literal(framework.label, lang="en")))


def _local(iri: URIRef) -> str:
    return str(iri).removeprefix(str(ID)).replace("/", "-").lower()
