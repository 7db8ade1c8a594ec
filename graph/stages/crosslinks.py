"""Cross-document links that the texts state: frameworks named in the MiGOF toolbox, the GFMD
paper and the recommendations table (the table draws on MiGOF and the New Urban Agenda; the GFMD
paper names the GCM and the 2030 Agenda).

The frameworks are the ones the graph already holds (mig:Framework and mig:LegalInstrument
resources, with their labels, titles and acronyms), so a name links to the same IRI whichever
document introduced it. A few spellings the sources use that no label has are listed in
NAME_VARIANTS. Each mention is recorded as the link stage records actors and places: an
oa:Annotation motivated by oa:identifying whose body is the framework, on the exact span of the
name in the resource's provenance quote.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from migkg.graph.core.namespaces import ID, MIG, OA
from migkg.graph.core.provenance import add_provenance
from migkg.graph.core.report import BuildReport
from migkg.graph.core.source import Document
from migkg.graph.core.text import Span

NAME_VARIANTS = (  # groups of names for one framework; a group joins the framework with any of them
    ("Global Compact for Safe, Orderly and Regular Migration", "Global Compact on Migration", "GCM"),
    ("2030 Agenda for Sustainable Development", "2030 Agenda of Sustainable Development Goals", "2030 Agenda"),
    (
        "Sendai Framework for Disaster Risk Reduction 2015-2030",
        "Sendai Framework for Disaster Risk Reduction 2015–2030",
        "Sendai Framework for Disaster Risk Reduction (2015–2030)",
        "Sendai Framework",
    ),
    ("Migration Governance Framework", "MiGOF"),
)
NOT_A_MENTION = ("Urban Migration Governance Framework",)  # IOM's urban framework, built on MiGOF


def link_documents(dataset_graph: Graph, documents: list[Document], report: BuildReport) -> Graph:
    """mig:mentionsFramework links (with their mention annotations) from the resources of the
    documents whose manifest entry says `framework_links` to the frameworks and instruments the
    graph holds."""
    names = framework_names(dataset_graph)
    pattern = _pattern([*names, *NOT_A_MENTION])
    texts = {
        source.iri: source.text
        for document in documents
        if document.states_framework_links
        for source in document.renderings
    }
    links = Graph()
    counter: dict[tuple[URIRef, URIRef], int] = {}
    for resource, document, start, end in _quotes(dataset_graph, set(texts)):
        quote = texts[document][start:end]
        for match in pattern.finditer(quote):
            framework = names.get(re.sub(r"\s+", " ", match.group()))
            if framework is None or framework == resource:
                continue
            key = (resource, framework)
            counter[key] = counter.get(key, 0) + 1
            links.add((resource, MIG.mentionsFramework, framework))
            add_provenance(
                links,
                resource,
                document,
                texts[document],
                Span(start + match.start(), start + match.end()),
                motivation=OA.identifying,
                name=f"mention-framework-{_local(framework)}-{counter[key]}",
                body=framework,
            )
    report.counts["framework mentions"] = sum(counter.values())
    return links


def framework_names(graph: Graph) -> dict[str, URIRef]:
    """Every name (label, title, acronym, listed variant) of each framework or instrument."""
    names: dict[str, URIRef] = {}
    frameworks = sorted(
        set(graph.subjects(RDF.type, MIG.Framework)) | set(graph.subjects(RDF.type, MIG.LegalInstrument))
    )
    for framework in frameworks:
        own = {
            str(o)
            for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, MIG.acronym)
            for o in graph.objects(framework, p)
            if isinstance(o, Literal)
        }
        for group in NAME_VARIANTS:
            if own & set(group):
                own |= set(group)
        for name in sorted(own):
            names.setdefault(name, framework)
    return names


def _quotes(graph: Graph, documents: set[URIRef]):
    """(resource, document, start, end) of every extraction annotation into these documents."""
    for annotation in sorted(graph.subjects(OA.motivatedBy, OA.describing)):
        target = graph.value(annotation, OA.hasTarget)
        document = graph.value(target, OA.hasSource)
        if document not in documents:
            continue
        for selector in graph.objects(target, OA.hasSelector):
            start, end = graph.value(selector, OA.start), graph.value(selector, OA.end)
            if start is not None and end is not None:
                yield graph.value(annotation, OA.hasBody), document, int(start), int(end)


def _pattern(names: list[str]) -> re.Pattern:
    """Longest names first, so that 'Urban Migration Governance Framework' wins over its tail."""
    body = "|".join(r"\s+".join(map(re.escape, name.split())) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


def _local(iri: URIRef) -> str:
    return str(iri).removeprefix(str(ID)).replace("/", "-").lower()
