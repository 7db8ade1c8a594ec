"""Each core shape has a passing fixture and, for each constraint, a failing one.

The passing fixture is fixtures/core-valid.ttl. Each failing fixture is that graph with one
property of one focus node removed (or broken); the shape that guards it must then report it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, SKOS, XSD

from migkg import resources
from migkg.graph.core.namespaces import ID, MIG, OA

SHAPES = Graph().parse(resources.shapes_dir() / "core.ttl", format="turtle")
VALID = Path(__file__).parent / "fixtures" / "core-valid.ttl"


def results(data: Graph) -> list[tuple[str, str, str]]:
    _, report, _ = validate(data, shacl_graph=SHAPES, inference="none", advanced=True)
    return [
        (
            str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultPath)),
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]


def test_the_valid_fixture_conforms():
    assert results(Graph().parse(VALID)) == []


BROKEN = [
    # (focus node, property removed, replacement or None, expected severity)
    ("fw", RDFS.label, None, "Violation"),
    ("fw", MIG.adoptionDate, Literal("10 December 2018"), "Violation"),
    ("ob", MIG.number, None, "Violation"),
    ("ob", MIG.objectiveOf, None, "Violation"),
    ("ob", SKOS.prefLabel, None, "Violation"),
    ("ob", MIG.commitmentTitle, None, "Violation"),
    ("ob", DCTERMS.source, None, "Violation"),
    ("ob", MIG.relevantSDGGoal, None, "Warning"),
    ("ac", MIG.letter, Literal("I"), "Violation"),
    ("ac", MIG.actionOf, None, "Violation"),
    ("ac", MIG.text, Literal("Too short"), "Violation"),
    ("pr", DCTERMS.title, None, "Violation"),
    ("pr", DCTERMS.description, None, "Violation"),
    ("pr", MIG.illustrates, None, "Violation"),
    ("ci", MIG.citesTarget, ID["not-a-target"], "Violation"),
    ("ci", MIG.printedNotation, None, "Violation"),
    ("ci", MIG.matchesUNText, Literal(False), "Warning"),
    ("in", MIG.year, Literal("1948"), "Violation"),
    ("in", MIG.acronym, Literal("udhr"), "Violation"),
    ("re", DCTERMS.title, None, "Violation"),
    ("fn", MIG.number, None, "Violation"),
    ("fn", MIG.text, None, "Violation"),
    ("se", DCTERMS.source, None, "Violation"),
    ("co", MIG.isoAlpha2, Literal("MEX"), "Violation"),
    ("co", MIG.m49, Literal("484x"), "Violation"),
    ("co", SKOS.exactMatch, None, "Violation"),
    ("ct", MIG.inCountry, None, "Violation"),
    ("q", OA.exact, None, "Violation"),
    ("p", OA.end, Literal(0), "Violation"),
    ("p", OA.start, Literal(-1), "Violation"),
    ("p", OA.start, Literal(0, datatype=XSD.nonNegativeInteger), "Violation"),
    ("t", OA.hasSource, None, "Violation"),
    ("doc/test", DCTERMS.publisher, None, "Violation"),
]


@pytest.mark.parametrize(
    "node, prop, replacement, severity", BROKEN, ids=lambda v: str(v).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
)
def test_each_constraint_reports_its_broken_fixture(node, prop, replacement, severity):
    data = Graph().parse(VALID)
    focus = ID[node]
    data.remove((focus, prop, None))
    if replacement is not None:
        data.add((focus, prop, replacement))
    found = results(data)
    assert (str(focus), str(prop), severity) in found, found


@pytest.mark.parametrize("body", ["fw", "ob", "ac", "pr", "ci", "in", "re", "fn", "se"])
def test_every_extracted_class_requires_its_provenance_annotation(body):
    data = Graph().parse(VALID)
    data.remove((URIRef(f"{ID[body]}#provenance"), None, None))
    assert any(f == str(ID[body]) and s == "Violation" for f, _, s in results(data))


@pytest.mark.parametrize("body", ["ac/actor", "ct"])
def test_actors_and_cities_require_a_mention(body):
    data = Graph().parse(VALID)
    for annotation in list(data.subjects(OA.hasBody, ID[body])):
        data.remove((annotation, None, None))
    assert any(f == str(ID[body]) and s == "Violation" for f, _, s in results(data))
