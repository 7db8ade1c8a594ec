"""Quality checks: SPARQL queries in queries/checks/ that must return no rows.

Each `NAME.rq` states one rule in its `#` header (the first sentence is the rule) and SELECTs
the resources that break it, `?resource` first. The queries run over the whole dataset with
the default graph as the union of all graphs, and use `GRAPH ?g { … }` where a rule is about
which graph holds a triple. A check that returns rows fails; the build stops with `describe`.

Only pyoxigraph and the query loader, so the checks run wherever the store opens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from migkg.queries import QUERIES_DIR, header_lines, query_files, read_query

FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)")
SHOWN_ROWS = 5  # rows per failed check in `describe`; the rest are counted


@dataclass(frozen=True)
class Check:
    name: str  # the file name without .rq
    rule: str  # the first sentence of the header
    text: str  # the query, header included


@dataclass(frozen=True)
class CheckFailure:
    name: str
    rule: str
    rows: list[dict[str, str]]  # variable → term in N-Triples form, bound variables only


def load_checks(directory: Path = QUERIES_DIR / "checks") -> list[Check]:
    """Every `*.rq` of `directory` (`queries/checks/`), sorted by name: the folder is the list."""
    if not directory.is_dir():  # no folder must not pass as "no check failed"
        raise FileNotFoundError(f"no checks directory {directory}")
    return [_load(path) for path in query_files(directory)]


def _load(path: Path) -> Check:
    text = read_query(path)
    paragraph = []
    for line in header_lines(text):
        if not line:
            break
        paragraph.append(line)
    if not paragraph:
        raise ValueError(f"{path}: a check starts with a '#' header whose first sentence is its rule")
    statement = " ".join(paragraph)
    match = FIRST_SENTENCE.match(statement)
    return Check(path.stem, match.group(1) if match else statement, text)


def run_checks(store: pyoxigraph.Store, checks: list[Check]) -> list[CheckFailure]:
    """The checks that return rows, in the order given, with all their rows."""
    failures = []
    for check in checks:
        try:
            result = store.query(check.text, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise ValueError(f"check {check.name}: {error}") from error
        if not isinstance(result, pyoxigraph.QuerySolutions):
            raise ValueError(f"check {check.name} is not a SELECT query")
        variables = [variable.value for variable in result.variables]
        if not variables or variables[0] != "resource":
            raise ValueError(f"check {check.name}: the first variable must be ?resource, not {variables[:1]}")
        rows = [
            {name: str(term) for name, term in zip(variables, solution, strict=True) if term is not None}
            for solution in result
        ]
        if rows:
            failures.append(CheckFailure(check.name, check.rule, rows))
    return failures


def describe(failures: list[CheckFailure]) -> str:
    """A message for the build log: each failed check, its rule and its first offending rows."""
    if not failures:
        return "every quality check passed"
    lines = [f"{len(failures)} quality check{'s' if len(failures) > 1 else ''} failed (queries/checks/):"]
    for failure in failures:
        count = len(failure.rows)
        lines.append(f"- {failure.name} ({count} row{'s' if count > 1 else ''}): {failure.rule}")
        for row in failure.rows[:SHOWN_ROWS]:
            lines.append("    " + "  ".join(f"{name}={value}" for name, value in row.items()))
        if count > SHOWN_ROWS:
            lines.append(f"    … and {count - SHOWN_ROWS} more")
    return "\n".join(lines)
