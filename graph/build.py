"""The build: sources → extract → link → reason → validate → publish, into `build/` atomically."""

from __future__ import annotations

import importlib
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Dataset, Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS

from . import crosslinks, link, publish, reason, sdg, search_index, validate, void
from .citations import link_citations
from .namespaces import GRAPH, MIG, bind_prefixes, source_graph
from .report import BuildReport
from .sources import SOURCES_DIR, Source, SourceError, load_manifest

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "migkg.ttl"
DEFAULT_OUTPUT = ROOT / "build"
STAGES = ("sources", "extract", "link", "reason", "validate", "publish")


class BuildError(Exception):
    """The build stopped; the previous build is untouched."""


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


def build(output: Path = DEFAULT_OUTPUT, sources_dir: Path = SOURCES_DIR,
          out=sys.stderr) -> BuildReport:
    """Run the whole pipeline; raises BuildError (with the previous build intact) on failure."""
    report = BuildReport()
    progress = Progress(report, out)
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{output.name}.tmp-", dir=output.parent))
    try:
        _run(staging, sources_dir, report, progress)
        publish.swap_in(staging, output)
    except (SourceError, reason.InconsistentOntology, BuildError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(str(error)) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def _run(staging: Path, sources_dir: Path, report: BuildReport, progress: Progress) -> None:
    with progress.stage("sources"):
        sources = load_manifest(sources_dir)
        texts = {source.iri: source.read() for source in sources}
    dataset = Dataset()
    bind_prefixes(dataset)
    with progress.stage("extract"):
        ontology = dataset.graph(GRAPH["ontology"])
        ontology.parse(ONTOLOGY_FILE, format="turtle")
        for document_id, renderings in _by_document(sources).items():
            graph = dataset.graph(source_graph(document_id))
            _describe_sources(graph, renderings)
            for triple in _parser(renderings[0].parser)(renderings, report):
                graph.add(triple)
    with progress.stage("link"):
        kos = sdg.load_kos()
        sdg_graph = dataset.graph(GRAPH["sdg"])
        for triple in sdg.goals_and_targets(kos, report):
            sdg_graph.add(triple)
        documents = _union(dataset, exclude={GRAPH["ontology"], GRAPH["sdg"]})
        for triple in sdg.check_citations(documents, kos, report):
            dataset.graph(source_graph("gcm-booklet")).add(triple)
        links = dataset.graph(GRAPH["links"])
        for triple in link.link_mentions(documents, texts, report):
            links.add(triple)
        for triple in crosslinks.link_documents(documents + links, report):
            links.add(triple)
        for document_id in _by_document(sources):
            graph = dataset.graph(source_graph(document_id))
            for triple in link_citations(graph, texts, report):
                graph.add(triple)
    with progress.stage("reason"):
        classes = reason.check_consistency(ontology)
        closure = reason.superclasses(ontology)
        inferred = sum(reason.materialise_types(dataset.graph(g.identifier), closure)
                       for g in list(dataset.contexts()) if g.identifier != GRAPH["ontology"])
        print(f"      HermiT: ontology consistent ({classes} classes); {inferred} inferred types added",
              file=progress.out)
    # Validation runs in a forked process while publish writes into the staging directory; nothing
    # is swapped in before it passes.
    validation = validate.in_background(lambda: _union(dataset, exclude=set()))
    progress.started("validate", "in its own process, beside publish")
    with progress.stage("publish"):
        report.counts["classes"] = publish.count_types(dataset)
        report.counts["triples"] = len(dataset)
        void_graph = void.describe(dataset, "migkg: the Migration Governance Knowledge Graph")
        publish.write_dumps(staging, dataset, void_graph)
        report.counts["search_index_resources"] = search_index.write(staging, out=progress.out)
    outcome = validation()
    progress.finished("validate", outcome.seconds)
    for warning in outcome.warnings:
        report.warn("shacl", "shacl-warning", f"{warning['message']} ({warning['path']})",
                    resource=warning["focus"])
    outcome.report_graph.serialize(staging / "shacl-report.ttl", format="turtle")
    if outcome.violations:
        first = "; ".join(f"{v['focus']} {v['path']}: {v['message']}" for v in outcome.violations[:5])
        raise BuildError(f"SHACL: {len(outcome.violations)} violation(s), e.g. {first}")
    report.counts["repairs"] = len(report.repairs)
    report.counts["warnings"] = len(report.warnings)
    publish.write_reports(staging, report)
    publish.write_build_info(staging)

def _by_document(sources: list[Source]) -> dict[str, list[Source]]:
    documents: dict[str, list[Source]] = {}
    for source in sources:
        documents.setdefault(source.document_id, []).append(source)
    return documents


def _parser(name: str) -> Callable[[list[Source], BuildReport], Graph]:
    try:
        module = importlib.import_module(f"migkg.graph.parsers.{name}")
    except ModuleNotFoundError as error:
        raise SourceError(f"the manifest names parser {name!r}, but graph/parsers/{name}.py does not exist") from error
    return module.extract


def _describe_sources(graph: Graph, renderings: list[Source]) -> None:
    """The document and its renderings, from the manifest."""
    document = renderings[0].document_iri
    for source in renderings:
        graph.add((source.iri, RDF.type, MIG.Document))
        graph.add((source.iri, DCTERMS.title, Literal(source.title, lang="en")))
        graph.add((source.iri, RDFS.label, Literal(source.title, lang="en")))
        graph.add((source.iri, DCTERMS.publisher, Literal(source.publisher)))
        graph.add((source.iri, DCTERMS.issued, Literal(source.date)))
        graph.add((source.iri, DCTERMS.format, Literal(source.media_type)))
        graph.add((source.iri, MIG.sourceId, Literal(source.id)))
        graph.add((source.iri, MIG.fileName, Literal(source.file)))
        graph.add((source.iri, MIG.sha256, Literal(source.sha256)))
        if source.iri != document:
            graph.add((source.iri, DCTERMS.isFormatOf, document))
            graph.add((document, MIG.rendering, source.iri))
    if len(renderings) > 1:
        graph.add((document, RDF.type, MIG.Document))
        graph.add((document, RDFS.label, Literal(renderings[0].title.split(" (")[0], lang="en")))
        graph.add((document, DCTERMS.title, Literal(renderings[0].title.split(" (")[0], lang="en")))
        graph.add((document, DCTERMS.publisher, Literal(renderings[0].publisher)))


def _union(dataset: Dataset, exclude: set) -> Graph:
    union = Graph()
    for context in dataset.contexts():
        if context.identifier not in exclude:
            for triple in context:
                union.add(triple)
    return union


