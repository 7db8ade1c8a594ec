"""Cross-document links that the texts state: frameworks named in the MiGOF toolbox, the GFMD
paper and the recommendations table (the table draws on MiGOF and the New Urban Agenda; the GFMD
paper names the GCM and the 2030 Agenda).

The frameworks are the ones the graph already holds (mig:Framework and mig:LegalInstrument
resources, with their labels, titles and acronyms), so a name links to the same IRI whichever
document introduced it. The spellings the sources use that no label has are listed in
graph/reference/framework-names.toml, and recorded as skos:altLabel where a text uses them. Each
mention is recorded as the link stage records actors and places: an oa:Annotation motivated by
oa:identifying whose body is the framework, on the exact span of the name in the resource's
provenance quote.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from migkg.graph.core.frameworks import FrameworkNames, framework_names, own_names
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
    graph holds; a variant spelling a text uses becomes the framework's skos:altLabel."""
    own = own_names(dataset_graph)
    names = framework_names(own, spellings)
    pattern = names_pattern([*names, *spellings.not_mentions])
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
            if framework is None or framework == resource:
                continue
            key = (resource, framework)
            counter[key] = counter.get(key, 0) + 1
            links.add((resource, MIG.mentionsFramework, framework))
            if name not in own[framework]:
                links.add((framework, SKOS.altLabel, Literal(name, lang="en")))
            span = Span(start + match.start(), start + match.end())
            annotation = f"mention-framework-{_local(framework)}-{counter[key]}"
            add_mention(links, resource, document, texts[document], span, annotation, framework)
    report.counts["framework mentions"] = sum(counter.values())
    return links


def _local(iri: URIRef) -> str:
    return str(iri).removeprefix(str(ID)).replace("/", "-").lower()
