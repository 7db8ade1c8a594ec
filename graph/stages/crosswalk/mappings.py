"""The crosswalk's mappings as RDF (the SKOS triple, and the mapping as a resource with its
confidence, justification, scores and evidence) and as an SSSOM table."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from migkg.graph.core.literals import decimal_literal
from migkg.graph.core.namespaces import ID, MIG, PREFIX_IRIS, SEMAPV, curie

TOOL = "migkg crosswalk (graph/stages/crosswalk)"
SSSOM_COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "confidence",
    "similarity_score",
    "similarity_measure",
    "comment",
)
CURIE_MAP = ("id", "sdg", "skos", "semapv")


@dataclass(frozen=True)
class Mapping:
    subject: URIRef
    predicate: URIRef
    object: URIRef
    justification: URIRef
    confidence: float
    evidence: tuple[URIRef, ...]
    score: float | None = None
    measure: str | None = None
    comment: str = ""

    @property
    def iri(self) -> URIRef:
        key = "|".join((self.subject, self.predicate, self.object)).encode()
        return ID[f"crosswalk/{hashlib.sha256(key).hexdigest()[:16]}"]


def to_rdf(mappings: list[Mapping], labels: dict[URIRef, str]) -> Graph:
    graph = Graph()
    for mapping in mappings:
        iri = mapping.iri
        graph.add((mapping.subject, mapping.predicate, mapping.object))
        graph.add((iri, RDF.type, MIG.Mapping))
        graph.add(
            (
                iri,
                RDFS.label,
                Literal(f"{_label(mapping.subject, labels)} → {_label(mapping.object, labels)}", lang="en"),
            )
        )
        graph.add((iri, MIG.mappingSubject, mapping.subject))
        graph.add((iri, MIG.mappingPredicate, mapping.predicate))
        graph.add((iri, MIG.mappingObject, mapping.object))
        graph.add((iri, MIG.mappingJustification, mapping.justification))
        graph.add((iri, MIG.confidence, _decimal(mapping.confidence)))
        if mapping.score is not None:
            graph.add((iri, MIG.similarityScore, _decimal(mapping.score)))
            graph.add((iri, MIG.similarityMeasure, Literal(mapping.measure)))
        for annotation in mapping.evidence:
            graph.add((iri, MIG.evidence, annotation))
    return graph


def to_sssom(mappings: list[Mapping], labels: dict[URIRef, str], mapping_set_id: str) -> str:
    """An SSSOM/TSV mapping set: the YAML metadata block as `#` lines, then one row per mapping."""
    header = ["curie_map:"] + [f"  {prefix}: {PREFIX_IRIS[prefix]}" for prefix in CURIE_MAP]
    header += [
        f"mapping_set_id: {mapping_set_id}",
        "mapping_set_title: migkg crosswalk between the GCM, MiGOF, the New Urban Agenda table, GFMD and the SDGs",
        "license: https://spdx.org/licenses/MIT.html",
        f"mapping_tool: {TOOL}",
    ]
    lines = ["#" + line for line in header] + ["\t".join(SSSOM_COLUMNS)]
    for m in sorted(mappings, key=lambda m: (str(m.subject), str(m.object), str(m.predicate))):
        row = (
            curie(m.subject),
            _label(m.subject, labels),
            curie(m.predicate),
            curie(m.object),
            _label(m.object, labels),
            curie(m.justification),
            f"{m.confidence:.4f}",
            "" if m.score is None else f"{m.score:.4f}",
            m.measure or "",
            m.comment,
        )
        lines.append("\t".join(value.replace("\t", " ").replace("\n", " ") for value in row))
    return "\n".join(lines) + "\n"


def _decimal(value: float) -> Literal:
    return decimal_literal(f"{value:.4f}")  # the figure the SSSOM file gives, as the store keeps it


def _label(iri: URIRef, labels: dict[URIRef, str]) -> str:
    return labels.get(iri, str(iri))


STATED = SEMAPV.ManualMappingCuration
COMPUTED = SEMAPV.CompositeMatching
