"""Validate stage: the published graph must conform to the SHACL shapes in shapes/*.ttl.

Violations stop the build; warnings are kept in the build report. Both are written to the
SHACL report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import RDF, SH

SHAPES_DIR = Path(__file__).resolve().parent.parent / "shapes"


@dataclass
class ValidationOutcome:
    report_graph: Graph
    violations: list[dict]
    warnings: list[dict]


def load_shapes(directory: Path = SHAPES_DIR) -> Graph:
    shapes = Graph()
    for path in sorted(directory.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def check(data: Graph, shapes: Graph) -> ValidationOutcome:
    _conforms, report_graph, _text = validate(data, shacl_graph=shapes, inference="none",
                                              advanced=True, allow_warnings=True)
    violations, warnings = [], []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        entry = {
            "focus": str(report_graph.value(result, SH.focusNode)),
            "path": str(report_graph.value(result, SH.resultPath)),
            "message": str(report_graph.value(result, SH.resultMessage)),
            "shape": str(report_graph.value(result, SH.sourceShape)),
        }
        severity = report_graph.value(result, SH.resultSeverity)
        (violations if severity == SH.Violation else warnings).append(entry)
    key = lambda e: (e["focus"], e["path"], e["message"])
    return ValidationOutcome(report_graph, sorted(violations, key=key), sorted(warnings, key=key))
