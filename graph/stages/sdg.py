"""The UN SDG KOS as reference data: the goals and targets under the UN's IRIs, and the check of
what the sources print against it.

The KOS is a witness, not gospel: its own defects (a concept with two English labels, say) are
reported, and a printed target whose text belongs to another target is kept as printed and
flagged (mig:matchesUNText false, mig:textBelongsTo the target whose text it is).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from migkg.graph.core.namespaces import MIG, SDG, SDGO
from migkg.graph.core.report import BuildReport
from migkg.graph.core.source import Document

KOS_FILE = Path("sdg") / "sdg-kos-goals-targets-indicators.ttl"  # under the reference directory
SOURCE_ID = "sdg-kos"  # what the build report calls the KOS
SAME_TEXT = 0.9  # similarity above which two normalised texts are the same target text
OTHER_TARGET = 0.8  # similarity above which printed text is recognised as another target's


def load_kos(reference_dir: Path) -> Graph:
    graph = Graph()
    graph.parse(reference_dir / KOS_FILE, format="turtle")
    return graph


def goals_and_targets(kos: Graph, report: BuildReport) -> Graph:
    """The goals and targets of the KOS (indicators left out), with their labels and links."""
    concepts = set(kos.subjects(RDF.type, SDGO.Goal)) | set(kos.subjects(RDF.type, SDGO.Target))
    graph = Graph()
    for concept in concepts:
        for predicate, obj in kos.predicate_objects(concept):
            if predicate == SDGO.hasIndicator or (isinstance(obj, URIRef) and obj.startswith(SDG["C"])):
                continue
            graph.add((concept, predicate, obj))
    _report_label_defects(graph, concepts, report)
    return graph


def _report_label_defects(graph: Graph, concepts: set, report: BuildReport) -> None:
    for concept in sorted(concepts):
        by_language: dict[str, list[str]] = {}
        for label in graph.objects(concept, SKOS.prefLabel):
            by_language.setdefault(label.language or "", []).append(str(label))
        for language, labels in sorted(by_language.items()):
            if len(labels) > 1:
                report.warn(
                    SOURCE_ID,
                    "reference-data-defect",
                    f"{concept} has {len(labels)} skos:prefLabel values in {language!r} "
                    f"(shortest: {min(labels, key=len)!r}); kept as published, reported here",
                    resource=str(concept),
                )


def english_labels(kos: Graph) -> dict[URIRef, list[str]]:
    labels: dict[URIRef, list[str]] = {}
    for target in kos.subjects(RDF.type, SDGO.Target):
        labels[target] = [str(label) for label in kos.objects(target, SKOS.prefLabel) if label.language == "en"]
    return labels


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _similarity(printed: str, label: str, at_least: float = 0.0) -> float:
    """How alike the two texts are, 0 to 1 (1 when one begins the other); 0.0 when difflib's
    cheap upper bounds already show it is below ``at_least``."""
    printed, label = _normalise(printed), _normalise(label)
    if printed.startswith(label) or label.startswith(printed):
        return 1.0
    matcher = SequenceMatcher(None, printed, label, autojunk=False)
    if matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least:
        return 0.0
    return matcher.ratio()


def _closest_target(printed: str, labels: dict[URIRef, list[str]]) -> tuple[URIRef | None, float]:
    """The target whose UN text is most like ``printed`` (of equals, the greatest IRI), and how alike."""
    best, best_score = None, -1.0
    for target, texts in labels.items():
        for label in texts:
            score = _similarity(printed, label, at_least=best_score)
            if (score, str(target)) > (best_score, str(best)):
                best, best_score = target, score
    return best, best_score


def check_citations(document: Document, data: Graph, kos: Graph, report: BuildReport) -> Graph:
    """Compare every printed SDG target citation of a document's graph with the UN's text;
    returns the check's triples, for that graph."""
    labels = english_labels(kos)
    checked = Graph()
    for citation in sorted(data.subjects(RDF.type, MIG.SDGTargetCitation)):
        target = data.value(citation, MIG.citesTarget)
        printed = str(data.value(citation, MIG.printedText))
        if target not in labels:
            report.warn(
                document.id,
                "unknown-sdg-target",
                f"{citation} cites {target}, which the UN SDG KOS does not have",
                resource=str(citation),
            )
            continue
        score = max(_similarity(printed, label) for label in labels[target])
        matches = score >= SAME_TEXT
        checked.add((citation, MIG.matchesUNText, Literal(matches)))
        if matches:
            continue
        best, best_score = _closest_target(printed, labels)
        owner = f"; the text is that of {best}" if best_score >= OTHER_TARGET and best != target else ""
        if owner:
            checked.add((citation, MIG.textBelongsTo, best))
        report.warn(
            document.id,
            "sdg-target-text-mismatch",
            f"{citation}: printed as {data.value(citation, MIG.printedNotation)} with text "
            f"{printed[:80]!r}…, which is not the UN text of {target}{owner}; kept as printed",
            resource=str(citation),
        )
    return checked
