"""The evaluation set (graph/reference/crosswalk/*.tsv, judged by reading) and the figures the
build report prints for the held-out half: per pair type, precision and recall of the mappings
the crosswalk keeps, their F1, and recall@5 of its ranking."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from migkg.graph.core.namespaces import ID
from migkg.graph.stages.crosswalk.model import Model

RELATIONS = ("closeMatch", "narrowMatch", "broadMatch", "relatedMatch", "none")
SPLITS = ("tuning", "held-out")


class JudgementError(ValueError):
    """A line of the evaluation set that the crosswalk cannot use; the build stops."""


@dataclass(frozen=True)
class Judgement:
    subject: URIRef
    object: URIRef
    relation: str
    split: str

    @property
    def is_link(self) -> bool:
        return self.relation != "none"


def load_judgements(directory: Path) -> list[Judgement]:
    judgements = []
    for path in sorted(directory.glob("*.tsv")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        for number, row in enumerate(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
            if row["relation"] not in RELATIONS or row["split"] not in SPLITS:
                raise JudgementError(f"{path.name}: judgement {number}: {row['relation']!r}, {row['split']!r}")
            judgements.append(Judgement(ID[row["subject"]], ID[row["object"]], row["relation"], row["split"]))
    return judgements


def held_out_figures(
    judgements: list[Judgement],
    confidence: dict[tuple[URIRef, URIRef], float],
    model: Model,
    pair_type: dict[tuple[URIRef, URIRef], str],
) -> dict[str, dict[str, float]]:
    """Per pair type, on the held-out judgements: precision, recall, F1 of the pairs at or above
    the model's threshold for the type, and recall@5 (a judged link among the subject's five most confident objects of
    that kind)."""
    figures = {}
    held_out = [j for j in judgements if j.split == "held-out" and (j.subject, j.object) in confidence]
    top_five = _top_five(confidence, pair_type, {j.subject for j in held_out})
    for kind in sorted({pair_type[(j.subject, j.object)] for j in held_out}):
        mine = [j for j in held_out if pair_type[(j.subject, j.object)] == kind]
        kept = [j for j in mine if confidence[(j.subject, j.object)] >= model.threshold_for(kind)]
        links = [j for j in mine if j.is_link]
        hits = sum(1 for j in kept if j.is_link)
        precision = hits / len(kept) if kept else 0.0
        recall = hits / len(links) if links else 0.0
        ranked = sum(1 for j in links if j.object in top_five[(j.subject, kind)])
        figures[kind] = {
            "judged pairs": len(mine),
            "judged links": len(links),
            "kept": len(kept),
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
            "recall@5": round(ranked / len(links), 3) if links else 0.0,
        }
    return figures


def _top_five(confidence, pair_type, subjects) -> dict[tuple[URIRef, str], set[URIRef]]:
    """Each subject's five most confident objects of each kind (ties broken by IRI)."""
    ranked: dict[tuple[URIRef, str], list[tuple[float, str]]] = {}
    for (subject, object_), value in confidence.items():
        if subject in subjects:
            ranked.setdefault((subject, pair_type[(subject, object_)]), []).append((-value, str(object_)))
    return {key: {URIRef(o) for _, o in sorted(values)[:5]} for key, values in ranked.items()}
