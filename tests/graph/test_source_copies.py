"""A second copy of a source under `ids_under` (graph/core/source.py): the real parser on the real
text, through the build's own extract step, gives resources of its own, none of them copy 0's."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import URIRef

from migkg import resources
from migkg.graph.build import extract
from migkg.graph.core.namespaces import ID, MIG
from migkg.graph.core.source import SourceError, load_documents
from migkg.graph.parsers import PARSERS

SOURCES = resources.sources_dir()
MANIFEST = tomllib.loads((SOURCES / "manifest.toml").read_text(encoding="utf-8"))["source"]
COPY = "copy-2"


def write_manifest(directory: Path, entries: list[dict]) -> Path:
    lines = []
    for entry in entries:
        lines.append("[[source]]")
        lines += [f"{key} = {_toml(value)}" for key, value in entry.items()]
        (directory / entry["file"]).unlink(missing_ok=True)
        (directory / entry["file"]).symlink_to(SOURCES / entry["file"])
    (directory / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def _toml(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def with_copy(source_id: str, **more) -> list[dict]:
    real = next(entry for entry in MANIFEST if entry["id"] == source_id)
    copy = {**real, "id": f"{source_id}-{COPY}", "document": f"{real['document']}-{COPY}", "ids_under": COPY}
    return [real, {**copy, **more}]


def iris(terms) -> set[str]:
    return {str(t) for t in terms if isinstance(t, URIRef) and t.startswith(ID)}


@pytest.mark.parametrize(
    ("source_id", "shares"), [("migof-toolbox", []), ("migof-toolbox", ["migof"]), ("gfmd-2017-rt32", [])]
)
def test_a_copy_under_ids_under_has_resources_of_its_own(tmp_path: Path, source_id: str, shares: list) -> None:
    original, copy = load_documents(write_manifest(tmp_path, with_copy(source_id, shares_ids=shares)))
    assert (original.ids_under, copy.ids_under) == (None, COPY)
    first = extract(original, PARSERS[original.parser])
    second = extract(copy, PARSERS[copy.parser])

    first_iris = iris(term for triple in first.graph for term in triple)
    second_iris = iris(term for triple in second.graph for term in triple)
    own = {str(iri) for iri in copy.own_iris}
    original_own = {str(iri) for iri in original.own_iris}
    frameworks = {str(iri) for iri in copy.shared_iris}
    moved = {iri for iri in second_iris if iri.split("#")[0] not in own | frameworks}
    assert moved, "the copy minted no resources"
    assert all(iri.startswith(f"{ID}{COPY}/") for iri in moved)
    assert second_iris & first_iris <= frameworks, "the copy shares IRIs with copy 0 it was not told to"
    # the same text read twice: the same resources, one for one, and the same triples, but for
    # what it says of what it shares, which copy 0 says
    about_frameworks = [t for t in first.graph if str(t[0]).split("#")[0] in frameworks]
    assert len(second.graph) == len(first.graph) - len(about_frameworks)
    minted = {iri for iri in first_iris if iri.split("#")[0] not in original_own | frameworks}
    assert len(moved) == len(minted)

    assert all(str(m.subject).startswith(f"{ID}{COPY}/") or str(m.subject) in own for m in second.mentions)
    assert not {m.subject for m in second.mentions} & {m.subject for m in first.mentions}
    noted = [note.resource for note in second.notes.repairs + second.notes.warnings if note.resource]
    assert all(resource.startswith(f"{ID}{COPY}/") or resource.split("#")[0] in own for resource in noted)


def test_a_copy_that_shares_the_framework(tmp_path: Path) -> None:
    """A copy of the MiGOF toolbox with shares_ids = ["migof"]: its essential elements belong to the
    one MiGOF (shapes/migof.ttl), which the copy says nothing of."""
    _, copy = load_documents(write_manifest(tmp_path, with_copy("migof-toolbox", shares_ids=["migof"])))
    graph = extract(copy, PARSERS[copy.parser]).graph
    assert (ID[f"{COPY}/migof/element/1"], MIG.partOf, ID["migof"]) in graph
    assert not set(graph.predicate_objects(ID["migof"]))
    assert not set(graph.predicate_objects(ID[f"{COPY}/migof"]))


def test_the_section_numerals_of_a_copy_are_lower_case(tmp_path: Path) -> None:
    """The identifier scheme keeps the printed numeral, id/gfmd-2017/section/IV, for copy 0 only."""
    _, copy = load_documents(write_manifest(tmp_path, with_copy("gfmd-2017-rt32")))
    subjects = iris(extract(copy, PARSERS[copy.parser]).graph.subjects())
    assert f"{ID}{COPY}/gfmd-2017/section/iv" in subjects
    assert not any("/section/I" in iri for iri in subjects)


def test_ids_under_must_be_one_path_segment(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="ids_under"):
        load_documents(write_manifest(tmp_path, with_copy("migof-toolbox", ids_under="copy/2")))


def test_only_a_copy_shares_ids(tmp_path: Path) -> None:
    real, _ = with_copy("migof-toolbox")
    with pytest.raises(SourceError, match="shares_ids but no ids_under"):
        load_documents(write_manifest(tmp_path, [{**real, "shares_ids": ["migof"]}]))
