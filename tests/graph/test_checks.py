"""The quality checks in queries/checks/ (graph/stages/checks.py).

Each check has a failing fixture, fixtures/checks/NAME.trig, that breaks its rule; its first line,
`# expect: <iri>`, names a resource the check must report. The real build must pass every check."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph
import pytest

from migkg.graph.stages.checks import Check, CheckFailure, describe, load_checks, run_checks

ROOT = Path(__file__).resolve().parents[2]
CHECKS_DIR = ROOT / "queries" / "checks"
FIXTURES = Path(__file__).parent / "fixtures" / "checks"
BUILD = ROOT / os.environ.get("MIGKG_BUILD_DIR", "build")  # an absolute MIGKG_BUILD_DIR stays as it is
CHECKS = load_checks(CHECKS_DIR)


def expected_resource(fixture: Path) -> str:
    first = fixture.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: <") and first.endswith(">"), f"{fixture}: the first line is `# expect: <iri>`"
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
def test_the_failing_fixture_is_reported(check: Check):
    fixture = FIXTURES / f"{check.name}.trig"
    assert fixture.exists(), f"check {check.name} has no failing fixture {fixture.relative_to(ROOT)}"
    store = pyoxigraph.Store()
    store.load(path=str(fixture), format=pyoxigraph.RdfFormat.TRIG)
    failures = run_checks(store, [check])
    assert failures, f"{check.name} returns no row on its failing fixture"
    offending = [row["resource"] for row in failures[0].rows]
    assert expected_resource(fixture) in offending, describe(failures)


def test_every_check_file_has_a_parametrised_fixture_test():
    files = sorted(path.stem for path in CHECKS_DIR.glob("*.rq"))
    (mark,) = [m for m in test_the_failing_fixture_is_reported.pytestmark if m.name == "parametrize"]
    assert [check.name for check in mark.args[1]] == files
    assert files, "queries/checks/ holds no check"


def test_every_fixture_belongs_to_a_check():
    assert sorted(path.stem for path in FIXTURES.glob("*.trig")) == [check.name for check in CHECKS]


def build_store() -> pyoxigraph.Store:
    if not (BUILD / "store").is_dir():
        pytest.fail(f"{BUILD / 'store'} is missing: run `make build` first")
    return pyoxigraph.Store.read_only(str(BUILD / "store"))


@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
def test_the_real_build_passes(check: Check):
    failures = run_checks(build_store(), [check])
    assert failures == [], describe(failures)


def test_a_check_without_a_header_is_rejected(tmp_path: Path):
    (tmp_path / "a-good-one.rq").write_text("# Nothing is ever wrong.\nSELECT ?resource WHERE { }\n")
    (tmp_path / "no-header.rq").write_text("SELECT ?resource WHERE { ?resource ?p ?o }\n")
    with pytest.raises(ValueError, match=r"no-header\.rq"):
        load_checks(tmp_path)


def test_a_blank_first_header_line_is_rejected(tmp_path: Path):
    (tmp_path / "blank.rq").write_text("#\n# Nothing is ever wrong.\nSELECT ?resource WHERE { }\n")
    with pytest.raises(ValueError, match=r"blank\.rq"):
        load_checks(tmp_path)


def test_the_rule_is_the_first_sentence_of_the_header(tmp_path: Path):
    (tmp_path / "b.rq").write_text(
        "# Every thing has a name. A row is a thing\n# without one.\n\nSELECT ?resource {}\n"
    )
    (tmp_path / "a.rq").write_text("# Every thing has\n# a label.\n#\n# More.\nSELECT ?resource {}\n")
    assert [(c.name, c.rule) for c in load_checks(tmp_path)] == [
        ("a", "Every thing has a label."),
        ("b", "Every thing has a name."),
    ]


def test_the_first_variable_must_be_resource():
    store = pyoxigraph.Store()
    with pytest.raises(ValueError, match="first variable"):
        run_checks(store, [Check("odd", "Odd.", "SELECT ?thing WHERE { ?thing ?p ?o }")])


def test_describe_names_the_check_its_rule_and_five_rows():
    rows = [{"resource": f"<https://w3id.org/migkg/id/practice/{n}>"} for n in range(7)]
    message = describe([CheckFailure("quote-empty", "Every quote is non-empty.", rows)])
    assert "quote-empty (7 rows): Every quote is non-empty." in message
    assert "practice/4>" in message and "practice/5>" not in message
    assert "… and 2 more" in message
