"""The build as a whole: deterministic, atomic, and clear about broken sources."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from migkg import resources
from migkg.graph.build import BuildError, build

SOURCES = resources.sources_dir()


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "sources"
    shutil.copytree(SOURCES, copy)
    return copy


@pytest.fixture
def previous_build(tmp_path: Path) -> Path:
    output = tmp_path / "build"
    output.mkdir()
    (output / "build-info.json").write_text('{"version": "previous"}', encoding="utf-8")
    return output


def assert_untouched(previous: Path) -> None:
    assert (previous / "build-info.json").read_text(encoding="utf-8") == '{"version": "previous"}'
    assert sorted(p.name for p in previous.parent.iterdir() if p.name.startswith("build")) == ["build"]


def test_a_changed_source_stops_the_build_with_the_previous_build_intact(sources_copy, previous_build):
    booklet = sources_copy / "gcm-implementation-booklet-2022.txt"
    booklet.write_bytes(booklet.read_bytes()[:50_000])
    result = subprocess.run(
        [sys.executable, "-m", "migkg.cli", "build", "--output", str(previous_build), "--sources", str(sources_copy)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "gcm-implementation-booklet-2022.txt has sha256" in result.stderr
    assert "changed or corrupted" in result.stderr
    assert_untouched(previous_build)


def test_a_source_that_lost_its_structure_stops_the_build(sources_copy, previous_build):
    booklet = sources_copy / "gcm-implementation-booklet-2022.txt"
    text = booklet.read_text(encoding="utf-8").replace("\nAssociated actions\n", "\nActions\n", 1)
    _replace_file(sources_copy, booklet, text)
    with pytest.raises(BuildError, match="found 22 'Associated actions' sections, expected 23"):
        build(output=previous_build, sources_dir=sources_copy, out=io.StringIO())
    assert_untouched(previous_build)


def test_the_same_input_gives_byte_identical_sorted_nquads(build_dir, tmp_path):
    progress = io.StringIO()
    build(output=tmp_path / "again", sources_dir=SOURCES, out=progress)
    assert (tmp_path / "again" / "migkg.nq").read_bytes() == (build_dir / "migkg.nq").read_bytes()
    assert "[7/7] publish done" in progress.getvalue()


def test_the_build_writes_every_artefact(build_dir):
    names = {p.name for p in build_dir.iterdir()}
    assert {
        "migkg.trig",
        "migkg.nq",
        "migkg.ttl",
        "migkg.jsonld",
        "void.ttl",
        "shacl-report.ttl",
        "crosswalk.sssom.tsv",
        "build-report.json",
        "build-report.md",
        "build-info.json",
        "store",
    } <= names
    lines = (build_dir / "migkg.nq").read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)


def _quads(path: Path, fmt: pyoxigraph.RdfFormat) -> set[pyoxigraph.Quad]:
    return set(pyoxigraph.parse(path=str(path), format=fmt))


def test_the_store_and_every_dump_hold_the_same_statements(build_dir, store):
    """Down to each literal's datatype: a term the store would rewrite (Oxigraph keeps only
    xsd:integer of the integer types) would make the endpoint contradict the dumps."""
    held = set(store)
    assert _quads(build_dir / "migkg.nq", pyoxigraph.RdfFormat.N_QUADS) == held
    assert _quads(build_dir / "migkg.trig", pyoxigraph.RdfFormat.TRIG) == held
    triples = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in held}
    ttl = _quads(build_dir / "migkg.ttl", pyoxigraph.RdfFormat.TURTLE)
    assert {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in ttl} == triples


def test_a_shacl_violation_stops_the_build_after_publish_started(previous_build, monkeypatch):
    """Validation runs in a forked process beside publish: its violation must still stop the build
    and leave neither a half-written build nor a staging directory behind."""
    from rdflib import Graph

    from migkg.graph.stages import validate

    strict = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix mig: <https://w3id.org/migkg/ontology#> .
    <urn:test:objective-needs-a-motto> a sh:NodeShape ; sh:targetClass mig:Objective ;
        sh:property [ sh:path mig:motto ; sh:minCount 1 ; sh:message "an objective needs a motto" ] ."""
    shapes = validate.load_shapes
    monkeypatch.setattr(validate, "load_shapes", lambda: shapes() + Graph().parse(data=strict, format="turtle"))
    with pytest.raises(BuildError, match=r"SHACL: 23 violation\(s\).*an objective needs a motto"):
        build(output=previous_build, out=io.StringIO())
    assert_untouched(previous_build)


def test_every_stage_reads_the_sources_it_is_given(sources_copy, tmp_path):
    """`--sources DIR` is the text of every stage: the GFMD paper edited in DIR (a space added
    before its first framework name) must be what every quote, the cross-document framework
    mentions included, is cut from."""
    paper = sources_copy / "gfmd-2017-rt3.2-civil-society-integration.txt"
    text = paper.read_text(encoding="utf-8").replace(
        "Within the context of the 2030 Agenda", "Within  the context of the 2030 Agenda", 1
    )
    _replace_file(sources_copy, paper, text)
    build(output=tmp_path / "edited", sources_dir=sources_copy, out=io.StringIO())

    store = pyoxigraph.Store.read_only(str(tmp_path / "edited" / "store"))
    quotes = store.query(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start ?end WHERE {
          ?target oa:hasSource <https://w3id.org/migkg/id/doc/gfmd-2017-rt32> ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }""",
        use_default_graph_as_union=True,
    )
    spans = [(row["exact"].value, int(row["start"].value), int(row["end"].value)) for row in quotes]
    assert len(spans) > 100
    assert [span for span in spans if text[span[1] : span[2]] != span[0]] == []
    name = "2030 Agenda for Sustainable Development"
    assert (name, text.index(name), text.index(name) + len(name)) in spans  # the framework mention


def _replace_file(sources: Path, path: Path, text: str) -> None:
    """Write an edited source and give the manifest its new checksum."""
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(text, encoding="utf-8")
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest = sources / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_failed_quality_check_stops_the_build_naming_it(previous_build, monkeypatch):
    from migkg.graph.stages import checks

    every_objective = checks.Check(
        "objective-listed",
        "No objective is ever listed (a rule broken on purpose).",
        "PREFIX mig: <https://w3id.org/migkg/ontology#> SELECT ?resource WHERE { ?resource a mig:Objective }",
    )
    real = checks.load_checks()
    monkeypatch.setattr(checks, "load_checks", lambda: [*real, every_objective])
    with pytest.raises(BuildError, match=r"(?s)1 quality check failed.*objective-listed \(23 rows\)"):
        build(output=previous_build, out=io.StringIO())
    assert_untouched(previous_build)
