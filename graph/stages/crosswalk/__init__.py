"""Crosswalk stage: how the frameworks meet (docs/crosswalk.md).

After linking, every item (MiGOF elements and recommendations, table rows, GFMD indicators,
challenges and opportunities, GCM objectives and actions, SDG targets) is compared with the items
of the kinds graph/reference/crosswalk/pairs.toml maps it to. Links the texts state come first
(confidence 1, the passage as evidence). Every other pair gets features (features.py) and one
confidence from a model fitted on the tuning half of the evaluation set (model.py); a pair at or
above the model's threshold becomes a mapping (at most five per subject and kind), its SKOS
relation following from the two items' granularity. The build report prints the held-out figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from migkg.graph.core.namespaces import OA
from migkg.graph.core.report import BuildReport
from migkg.graph.stages.crosswalk.embeddings import item_vector, load_cache
from migkg.graph.stages.crosswalk.evaluation import JudgementError, held_out_figures, load_judgements
from migkg.graph.stages.crosswalk.features import FEATURES, features
from migkg.graph.stages.crosswalk.items import Item, PairTypes, load_items, load_pair_types, load_signals
from migkg.graph.stages.crosswalk.lexical import TfIdf, load_stopwords
from migkg.graph.stages.crosswalk.mappings import COMPUTED, STATED, Mapping, to_rdf, to_sssom
from migkg.graph.stages.crosswalk.model import Model, fit
from migkg.queries import load_query

__all__ = ["Crosswalk", "JudgementError", "crosswalk"]

MAPPINGS_PER_SUBJECT = 5
SSSOM_FILE = "crosswalk.sssom.tsv"


@dataclass(frozen=True)
class Crosswalk:
    graph: Graph  # the named graph graph/crosswalk
    sssom: str  # the same mappings as an SSSOM/TSV file


def crosswalk(graph: Graph, reference_dir: Path, mapping_set_id: str, report: BuildReport) -> Crosswalk:
    directory = reference_dir / "crosswalk"
    pair_types = load_pair_types(directory)
    items = load_items(graph)
    scored, kinds = _candidates(items, pair_types, graph, directory, report)
    judgements = load_judgements(directory)
    unscored = [j for j in judgements if (j.subject, j.object) not in scored]
    if unscored:
        raise JudgementError(f"{len(unscored)} judged pairs are not pairs the crosswalk compares, e.g. {unscored[0]}")
    tuning = [j for j in judgements if j.split == "tuning"]
    model = fit([(scored[(j.subject, j.object)], j.is_link, kinds[(j.subject, j.object)]) for j in tuning])
    confidence = {pair: model.confidence(values) for pair, values in scored.items()}
    stated = _stated(graph)
    mappings = stated + _computed(items, scored, kinds, confidence, model, pair_types, graph, stated)
    report.counts["crosswalk model"] = {
        "weights": {name: round(w, 3) for name, w in zip(FEATURES, model.weights, strict=True)},
        "bias": round(model.bias, 3),
        "threshold": model.threshold,
        "thresholds": model.thresholds,
    }
    report.counts["crosswalk held-out"] = held_out_figures(judgements, confidence, model, kinds)
    report.counts["crosswalk mappings"] = {"stated": len(stated), "computed": len(mappings) - len(stated)}
    labels = {iri: item.label for iri, item in items.items()}
    return Crosswalk(to_rdf(mappings, labels), to_sssom(mappings, labels, mapping_set_id))


def _candidates(items: dict[URIRef, Item], pair_types: PairTypes, graph: Graph, directory: Path, report: BuildReport):
    """The features of every pair the crosswalk compares, and each pair's type."""
    tfidf = TfIdf({iri: item.text for iri, item in items.items()}, load_stopwords(directory))
    cache = load_cache(directory)
    vectors = {iri: item_vector(item.texts, cache) for iri, item in items.items()}
    report.counts["crosswalk items without a cached embedding"] = sum(1 for v in vectors.values() if v is None)
    signals = load_signals(graph)
    by_kind: dict[str, list[Item]] = defaultdict(list)
    for item in items.values():
        by_kind[item.kind].append(item)
    scored, kinds = {}, {}
    for subject in items.values():
        for object_kind in pair_types.pairs.get(subject.kind, ()):
            for object_, values in features(subject, by_kind[object_kind], items, tfidf, vectors, signals).items():
                scored[(subject.iri, object_)] = values
                kinds[(subject.iri, object_)] = f"{subject.kind}-{object_kind}"
    return scored, kinds


def _stated(graph: Graph) -> list[Mapping]:
    """The links the texts state (queries/crosswalk/stated.rq), one mapping per pair with every
    passage that states it as evidence."""
    evidence: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    documents: dict[tuple[URIRef, URIRef], set[str]] = defaultdict(set)
    for row in graph.query(load_query("crosswalk", "stated")):
        evidence[(row.subject, row.object)].add(row.evidence)
        documents[(row.subject, row.object)].add(str(row.document).rsplit("/", 1)[-1])
    return [
        Mapping(
            s,
            SKOS.relatedMatch,
            o,
            STATED,
            1.0,
            tuple(sorted(evidence[(s, o)])),
            comment=f"stated by {', '.join(sorted(documents[(s, o)]))}",
        )
        for s, o in sorted(evidence)
    ]


def _computed(
    items, scored, kinds, confidence, model: Model, pair_types: PairTypes, graph: Graph, stated
) -> list[Mapping]:
    """The pairs at or above the threshold, at most five per subject and kind, that no text states."""
    taken = {(m.subject, m.object) for m in stated}
    ranked: dict[tuple[URIRef, str], list[tuple[float, str, URIRef]]] = defaultdict(list)
    for (subject, object_), value in confidence.items():
        if value >= model.threshold_for(kinds[(subject, object_)]) and (subject, object_) not in taken:
            ranked[(subject, kinds[(subject, object_)])].append((-value, str(object_), object_))
    mappings = []
    for (subject, _), candidates in sorted(ranked.items()):
        for negative, _, object_ in sorted(candidates)[:MAPPINGS_PER_SUBJECT]:
            relation = _relation(items[subject], items[object_], pair_types)
            evidence = tuple(e for e in (_provenance(graph, subject), _provenance(graph, object_)) if e is not None)
            mappings.append(
                Mapping(
                    subject,
                    relation,
                    object_,
                    COMPUTED,
                    -negative,
                    evidence,
                    score=scored[(subject, object_)]["lexical"],
                    measure="TF-IDF cosine over word stems",
                )
            )
    return mappings


def _relation(subject: Item, object_: Item, pair_types: PairTypes) -> URIRef:
    """Across granularity the finer item is the narrower; at the same granularity, related."""
    mine, theirs = pair_types.level[subject.kind], pair_types.level[object_.kind]
    if mine < theirs:
        return SKOS.narrowMatch
    if mine > theirs:
        return SKOS.broadMatch
    return SKOS.relatedMatch


def _provenance(graph: Graph, iri: URIRef) -> URIRef | None:
    annotation = URIRef(f"{iri}#provenance")
    return annotation if (annotation, OA.motivatedBy, OA.describing) in graph else None
