"""The build: sources → extract → link → crosswalk → reason → validate → publish, into a new release
that the build directory then points at, atomically. Each stage gets the same `Document`s, read and
verified once from the manifest."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph

from migkg import resources
from migkg.graph.core.extraction import Extraction
from migkg.graph.core.namespaces import GRAPH, bind_prefixes
from migkg.graph.core.report import BuildReport
from migkg.graph.core.source import Document, SourceError, describe_document, load_documents
from migkg.graph.parsers import PARSERS, Parser
from migkg.graph.stages import (
    catalog,
    checks,
    crosslinks,
    link,
    publish,
    reason,
    releases,
    sdg,
    search_index,
    validate,
    void,
)
from migkg.graph.stages.citations import link_citations
from migkg.graph.stages.crosswalk import SSSOM_FILE, JudgementError, crosswalk
from migkg.graph.stages.crosswalk.embeddings import load_cache
from migkg.graph.stages.crosswalk.lexical import load_stopwords
from migkg.graph.stages.implementation import implementation_places

SSSOM_SET_ID = "https://w3id.org/migkg/" + SSSOM_FILE  # served under /downloads
TITLE = "migkg: the Migration Governance Knowledge Graph"
STAGES = ("sources", "extract", "link", "crosswalk", "reason", "validate", "publish")
SHARED_GRAPHS = {
    GRAPH["ontology"]: "ontology",
    GRAPH["sdg"]: "sdg",
    GRAPH["links"]: "links",
    GRAPH["crosswalk"]: "crosswalk",
}


class BuildError(Exception):
    """The build stopped; the pointer and every release are untouched."""


class Progress:
    """Stage-by-stage progress on the terminal, with timings kept for the report."""

    def __init__(self, report: BuildReport, out=sys.stderr):
        self.report = report
        self.out = out

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.started(name)
        started = time.perf_counter()
        yield
        self.finished(name, round(time.perf_counter() - started, 3))

    def started(self, name: str, note: str = "") -> None:
        print(f"[{self._number(name)}] {name} …" + (f" ({note})" if note else ""), file=self.out, flush=True)

    def finished(self, name: str, seconds: float) -> None:
        self.report.stages[name] = seconds
        print(f"[{self._number(name)}] {name} done in {seconds:.2f} s", file=self.out, flush=True)

    @staticmethod
    def _number(name: str) -> str:
        return f"{STAGES.index(name) + 1}/{len(STAGES)}"


def build(output: Path, sources_dir: Path | None = None, out=sys.stderr) -> BuildReport:
    """Run the whole pipeline into a new release in `output.releases/` and point `output` at it;
    raises BuildError (the pointer and every release untouched) on failure."""
    report = BuildReport()
    progress = Progress(report, out)
    output = output.absolute()
    output = output.parent.resolve() / output.name  # `output` itself is the pointer: not followed
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = releases.staging_dir(output)
    try:
        _run(staging, sources_dir or resources.sources_dir(), report, progress)
        target = publish_release(staging, output)
    except (SourceError, JudgementError, reason.InconsistentOntology, BuildError) as error:
        releases.discard(staging, output)
        raise BuildError(str(error)) from error
    except BaseException:
        releases.discard(staging, output)
        raise
    print(f"      release {target.name}: {output} → {os.readlink(output)}", file=out)
    return report


def publish_release(staging: Path, output: Path) -> Path:
    """The finished build becomes a release: its diff from the current one and the catalogue of the
    releases kept are written into it, then it is renamed to its id and pointed at."""
    plan = releases.plan(staging, output)
    previous = (plan.previous.id, plan.previous.path) if plan.previous else None
    catalog.write_diff(staging, plan.new.id, previous)
    catalog.write_catalog(staging, [(r.id, r.info()) for r in plan.kept], void.DATASET, TITLE)
    publish.add_to_build_info(staging, [*catalog.DIFF_FILES, catalog.CATALOG_FILE])
    return releases.switch(plan, output)


def _run(staging: Path, sources_dir: Path, report: BuildReport, progress: Progress) -> None:
    with progress.stage("sources"):
        documents = load_documents(sources_dir)
        parsers = [_parser(document) for document in documents]
    dataset = Dataset()
    bind_prefixes(dataset)
    with progress.stage("extract"):
        ontology = dataset.graph(GRAPH["ontology"])
        ontology.parse(resources.ontology_file(), format="turtle")
        extractions = []
        for document, parser in zip(documents, parsers, strict=True):
            extraction = extract(document, parser)
            _add(dataset.graph(document.graph), describe_document(document), extraction.graph)
            report.extend(extraction.notes)
            extractions.append(extraction)
    with progress.stage("link"):
        _link(dataset, documents, extractions, report)
    with progress.stage("crosswalk"):
        mapped = crosswalk(
            _union(dataset, exclude={GRAPH["ontology"]}), resources.reference_dir(), SSSOM_SET_ID, report
        )
        _add(dataset.graph(GRAPH["crosswalk"]), mapped.graph)
    with progress.stage("reason"):
        classes = reason.check_consistency(ontology)
        closure = reason.superclasses(ontology)
        inferred = sum(
            reason.materialise_types(dataset.graph(g.identifier), closure)
            for g in list(dataset.contexts())
            if g.identifier != GRAPH["ontology"]
        )
        print(
            f"      HermiT: ontology consistent ({classes} classes); {inferred} inferred types added", file=progress.out
        )
    # Validation runs in a forked process while publish writes into the staging directory; nothing
    # becomes a release before it passes.
    validation = validate.in_background(lambda: _union(dataset, exclude=set()))
    progress.started("validate", "in its own process, beside publish")
    with progress.stage("publish"):
        report.counts["classes"] = publish.count_types(dataset)
        report.counts["triples"] = len(dataset)
        graph_names = {**SHARED_GRAPHS, **{document.graph: document.id for document in documents}}
        void_graph = void.describe(dataset, TITLE, graph_names)
        store = publish.write_dumps(staging, dataset, void_graph)
        failures = checks.run_checks(store, checks.load_checks())
        if failures:
            raise BuildError(checks.describe(failures))
        reference = resources.reference_dir() / "crosswalk"
        indexed, without_vector = search_index.write(
            staging, store, load_stopwords(reference), load_cache(reference), out=progress.out
        )
        report.counts["search_index_resources"] = indexed
        report.counts["search_index_without_vector"] = without_vector
        publish.write_text(staging, SSSOM_FILE, mapped.sssom)
    outcome = validation()
    progress.finished("validate", outcome.seconds)
    for warning in outcome.warnings:
        report.warn("shacl", "shacl-warning", f"{warning['message']} ({warning['path']})", resource=warning["focus"])
    outcome.report_graph.serialize(staging / "shacl-report.ttl", format="turtle")
    if outcome.violations:
        first = "; ".join(f"{v['focus']} {v['path']}: {v['message']}" for v in outcome.violations[:5])
        raise BuildError(f"SHACL: {len(outcome.violations)} violation(s), e.g. {first}")
    report.counts["repairs"] = len(report.repairs)
    report.counts["warnings"] = len(report.warnings)
    publish.write_reports(staging, report)
    publish.write_build_info(staging)


def extract(document: Document, parser: Parser) -> Extraction:
    """What the parser reads from the document; a copy that the manifest puts under `ids_under`
    gets resources of its own."""
    extraction = parser(document)
    if document.ids_under:
        return extraction.moved_under(document.ids_under, keep=document.own_iris, shared=document.shared_iris)
    return extraction


def _link(dataset: Dataset, documents: list[Document], extractions: list[Extraction], report: BuildReport) -> None:
    """The link stage: SDG goals and targets, names resolved to actors and places, frameworks the
    texts name, citations resolved to reference lists."""
    reference_dir = resources.reference_dir()
    registry = link.load_registry(reference_dir)
    kos = sdg.load_kos(reference_dir)
    _add(dataset.graph(GRAPH["sdg"]), sdg.goals_and_targets(kos, report))
    for document, extraction in zip(documents, extractions, strict=True):
        graph = dataset.graph(document.graph)
        _add(
            graph,
            sdg.check_citations(document, graph, kos, report),
            link.resolve_mentions(document, extraction.mentions, registry),
        )
    texts = {source.iri: source.text for document in documents for source in document.renderings}
    linked = _union(dataset, exclude=set(SHARED_GRAPHS))  # the documents' graphs, then with each step's links
    links = dataset.graph(GRAPH["links"])
    mentions = link.link_mentions(linked, texts, registry, report)
    _add(links, mentions)
    _add(linked, mentions)
    places = implementation_places(linked, texts, report)
    _add(links, places)
    _add(linked, places)
    _add(links, crosslinks.link_documents(linked, documents, registry.spellings, report))
    for document in documents:
        graph = dataset.graph(document.graph)
        _add(graph, link_citations(graph, texts, report))


def _parser(document: Document) -> Parser:
    try:
        return PARSERS[document.parser]
    except KeyError:
        raise SourceError(
            f"the manifest names parser {document.parser!r} for {document.id!r}; "
            f"graph/parsers/__init__.py knows {sorted(PARSERS)}"
        ) from None


def _add(target: Graph, *graphs: Graph) -> None:
    for graph in graphs:
        for triple in graph:
            target.add(triple)


def _union(dataset: Dataset, exclude: set) -> Graph:
    union = Graph()
    for context in dataset.contexts():
        if context.identifier not in exclude:
            _add(union, context)
    return union
