"""Validate stage: the published graph must conform to the SHACL shapes in shapes/*.ttl.

Violations stop the build; warnings are kept in the build report. Both are written to the
SHACL report.

pySHACL evaluates a SPARQL-based constraint (sh:sparql) once per focus node, handing rdflib
the same query text each time with $this bound; rdflib parses and translates the text again on
every call, which was half of the whole build (2,374 text position selectors). The data graph
pySHACL gets is therefore the same graph (same store, no copy) whose ``query`` parses each text
once and reuses the prepared query, as rdflib's ``prepareQuery`` is meant to be used.

`in_background` runs the check in a forked process, so that the build publishes while it
validates (two cores: validation no longer adds to the build's time). The child inherits the
graph with the rest of the parent's memory; only the outcome comes back, the report as Turtle."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from migkg import resources


@dataclass
class ValidationOutcome:
    report_graph: Graph
    violations: list[dict]
    warnings: list[dict]
    seconds: float = 0.0  # how long the check took


_inherited_data: Callable[[], Graph] | None = None  # what the forked child validates


def load_shapes(directory: Path | None = None) -> Graph:
    shapes = Graph()
    for path in sorted((directory or resources.shapes_dir()).glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


class _PreparedQueries(Graph):
    """``graph`` itself (its store, identifier and prefixes), with each SPARQL text parsed once."""

    def __init__(self, graph: Graph) -> None:
        super().__init__(store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager)
        self._prepared: dict[tuple, Any] = {}

    def query(
        self,
        query_object,
        processor="sparql",
        result="sparql",
        initNs=None,
        initBindings=None,
        use_store_provided=True,
        **kwargs,
    ):
        if isinstance(query_object, str) and processor == "sparql" and not kwargs:
            key = (query_object, tuple(sorted((initNs or {}).items())))
            if key not in self._prepared:  # what rdflib's processor does with a text, done once
                self._prepared[key] = translateQuery(parseQuery(query_object), None, initNs or dict(self.namespaces()))
            query_object = self._prepared[key]
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


def check(data: Graph, shapes: Graph) -> ValidationOutcome:
    # inplace: pySHACL does not copy the data graph first; with no inference and no SHACL rules
    # (advanced=True would apply sh:rule) it adds nothing to it
    _conforms, report_graph, _text = validate(
        _PreparedQueries(data), shacl_graph=shapes, inference="none", inplace=True, advanced=True, allow_warnings=True
    )
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

    def key(e):
        return (e["focus"], e["path"], e["message"])

    return ValidationOutcome(report_graph, sorted(violations, key=key), sorted(warnings, key=key))


def in_background(data: Callable[[], Graph]) -> Callable[[], ValidationOutcome]:
    """Start ``check(data(), load_shapes())`` in a forked process; call the result to wait for it."""
    global _inherited_data
    _inherited_data = data
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    future = executor.submit(_check_inherited)
    executor.shutdown(wait=False)

    def outcome() -> ValidationOutcome:
        report_turtle, violations, warnings, seconds = future.result()
        return ValidationOutcome(Graph().parse(data=report_turtle, format="turtle"), violations, warnings, seconds)

    return outcome


def _check_inherited() -> tuple[str, list[dict], list[dict], float]:
    started = time.perf_counter()
    outcome = check(_inherited_data(), load_shapes())
    return (
        outcome.report_graph.serialize(format="turtle"),
        outcome.violations,
        outcome.warnings,
        round(time.perf_counter() - started, 3),
    )
