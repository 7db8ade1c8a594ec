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
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from migkg.graph.core.namespaces import ID, MIG
from migkg.graph.core.provenance import add_mention, extracted_spans
from migkg.graph.core.report import BuildReport
from migkg.graph.core.source import Document, SourceError
from migkg.graph.core.text import Span, names_pattern


@dataclass(frozen=True)
class FrameworkNames:
    """The spellings of `graph/reference/framework-names.toml`."""

    variants: tuple[frozenset[str], ...]  # each a group of names of one framework
    not_mentions: tuple[str, ...]  # names that contain a framework's name but name something else
    other_names: tuple[str, ...] = ()  # names that contain an actor's or a place's name but name something else


def load_framework_names(reference_dir: Path) -> FrameworkNames:
    path = reference_dir / "framework-names.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return FrameworkNames(
            tuple(frozenset(group["names"]) for group in data["variants"]),
            tuple(data["not_mentions"]),
            tuple(data.get("other_names", ())),
        )
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"cannot read {path}: {error!r}") from error


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


def own_names(graph: Graph) -> dict[URIRef, set[str]]:
    """Every framework or instrument with the names the graph gives it (labels, titles, acronyms)."""
    frameworks = set(graph.subjects(RDF.type, MIG.Framework)) | set(graph.subjects(RDF.type, MIG.LegalInstrument))
    return {
        framework: {
            str(o)
            for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, MIG.acronym)
            for o in graph.objects(framework, p)
            if isinstance(o, Literal)
        }
        for framework in frameworks
    }


def framework_names(own: dict[URIRef, set[str]], spellings: FrameworkNames) -> dict[str, URIRef]:
    """Every name of each framework, its own and the variants of a group it shares a name with; a
    name two frameworks share goes to the first in IRI order."""
    names: dict[str, URIRef] = {}
    for framework in sorted(own):
        known = set(own[framework])
        for group in spellings.variants:
            if known & group:
                known |= group
        for name in sorted(known):
            names.setdefault(name, framework)
    return names


def _local(iri: URIRef) -> str:
    return str(iri).removeprefix(str(ID)).replace("/", "-").lower()
