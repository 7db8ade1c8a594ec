"""Releases: each build is a directory of `DIR.releases/`, `DIR` a symlink to the current one; the
catalogue and the diff published with each. One real build; the rest on small synthetic releases."""

from __future__ import annotations

import io
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from migkg import resources
from migkg.graph import build as build_module
from migkg.graph.build import BuildError, build
from migkg.graph.stages import catalog, publish, releases

DCAT, SPDX = catalog.DCAT, catalog.SPDX
BASE = "https://w3id.org/migkg/"
T0 = datetime(2026, 12, 2, 10, 3, 10, tzinfo=UTC)
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """One real build into a fresh directory: the pointer `…/build`."""
    output = tmp_path_factory.mktemp("real") / "build"
    build(output=output, out=io.StringIO())
    return output


def _fake_run(nq: str, built: datetime, copy_of: Path | None = None):
    """A stand-in for the pipeline: writes the artefacts (copied from `copy_of`, else tiny ones with
    `nq` as the N-Quads) and a build-info.json built at `built`."""

    def run(staging: Path, sources_dir, report, progress) -> None:
        for name in publish.ARTEFACTS:
            if copy_of is not None:
                shutil.copyfile(copy_of / name, staging / name)
            else:
                (staging / name).write_text(nq if name == "migkg.nq" else f"{name} of {built}\n", encoding="utf-8")
        (staging / "store").mkdir()
        info = publish.write_build_info(staging)
        info |= {"built": built.isoformat(), "release": releases.release_id(built, info["version"])}
        (staging / "build-info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")

    return run


def _publish(monkeypatch, output: Path, n: int, copy_of: Path | None = None, after: datetime = T0) -> str:
    """Build number `n` (`n` hours after `after`) with the fake pipeline; returns its release id."""
    nq = f'<urn:x:s> <urn:x:p> "{n}" <urn:x:g> .\n'
    monkeypatch.setattr(build_module, "_run", _fake_run(nq, after + timedelta(hours=n), copy_of))
    build(output=output, out=io.StringIO())
    return os.readlink(output).rsplit("/", 1)[-1]


def _info(directory: Path) -> dict:
    return json.loads((directory / "build-info.json").read_text(encoding="utf-8"))


def _release_names(output: Path) -> list[str]:
    return sorted(p.name for p in releases.releases_dir(output).iterdir())


def _checksums(directory: Path) -> dict[str, tuple[int, str]]:
    """Every distribution of the catalogue in `directory`: file → (byte size, sha256), per release."""
    graph = Graph().parse(directory / "catalog.ttl", format="turtle")
    found = {}
    for release in graph.objects(None, DCAT.hasVersion):
        for dist in graph.objects(release, DCAT.distribution):
            checksum = graph.value(dist, SPDX.checksum)
            assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
            value = graph.value(checksum, SPDX.checksumValue)
            size = graph.value(dist, DCAT.byteSize)
            assert size.datatype == XSD.nonNegativeInteger and value.datatype == XSD.hexBinary
            found[(str(graph.value(release, DCTERMS.identifier)), str(graph.value(dist, DCTERMS.title)))] = (
                int(size),
                str(value),
            )
    return found


def test_a_build_is_a_release_the_build_directory_points_at(released):
    assert released.is_symlink()
    link = os.readlink(released)
    info = _info(released)
    assert link == f"build.releases/{info['release']}"
    assert info["release"] == releases.release_id(datetime.fromisoformat(info["built"]), info["version"])
    assert info["release"][:16].endswith("Z") and info["release"][17:] == info["version"][:12]
    names = {p.name for p in released.iterdir()}
    assert {*publish.ARTEFACTS, "build-info.json", "store", "search.sqlite", "catalog.ttl", "diff.json"} <= names
    assert "diff.md" not in names  # the first release: nothing to compare with
    assert json.loads((released / "diff.json").read_text())["previous"] is None
    assert _release_names(released) == [info["release"]]  # no staging directory left behind


def test_build_info_lists_the_catalogue_and_the_catalogue_the_sizes_and_checksums_of_build_info(released):
    info = _info(released)
    assert info["files"]["catalog.ttl"]["bytes"] == (released / "catalog.ttl").stat().st_size
    assert info["files"]["diff.json"]["bytes"] == (released / "diff.json").stat().st_size
    listed = _checksums(released)
    expected = {
        (info["release"], name): (meta["bytes"], meta["sha256"])
        for name, meta in info["files"].items()
        if name in catalog.DISTRIBUTIONS
    }
    assert listed == expected and len(listed) == len(catalog.DISTRIBUTIONS)
    graph = Graph().parse(released / "catalog.ttl", format="turtle")
    release = catalog.release_iri(info["release"])
    dataset = URIRef(BASE + "dataset")
    assert (dataset, RDF.type, DCAT.Dataset) in graph and (release, RDF.type, DCAT.Dataset) in graph
    assert (dataset, DCAT.hasCurrentVersion, release) in graph
    assert (release, DCTERMS.isVersionOf, dataset) in graph
    assert graph.value(release, DCTERMS.issued) == Literal(info["built"], datatype=XSD.dateTime)
    turtle = URIRef(f"{release}/migkg.ttl")
    assert graph.value(turtle, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/turtle")
    assert graph.value(turtle, DCAT.downloadURL) == URIRef(f"{BASE}downloads/{info['release']}/migkg.ttl")
    assert graph.value(turtle, DCAT.accessURL) == URIRef(f"{BASE}downloads/migkg.ttl")
    assert "catalog.ttl" not in (released / "catalog.ttl").read_text(encoding="utf-8")  # never lists itself


def test_a_failed_build_leaves_the_pointer_and_the_release_untouched(released, tmp_path):
    sources = tmp_path / "sources"
    shutil.copytree(resources.sources_dir(), sources)
    booklet = sources / "gcm-implementation-booklet-2022.txt"
    booklet.write_bytes(booklet.read_bytes()[:1000])
    link, names, info = os.readlink(released), _release_names(released), _info(released)
    with pytest.raises(BuildError, match="changed or corrupted"):
        build(output=released, sources_dir=sources, out=io.StringIO())
    assert (os.readlink(released), _release_names(released), _info(released)) == (link, names, info)


def test_the_same_graph_again_is_a_second_release_with_an_empty_diff(released, monkeypatch, tmp_path):
    output = tmp_path / "build"
    shutil.copytree(released.resolve(), output)  # an old-layout build directory: the real release as it was
    built = datetime.fromisoformat(_info(released)["built"])
    second = _publish(monkeypatch, output, 1, copy_of=released, after=built)
    body = json.loads((output / "diff.json").read_text(encoding="utf-8"))
    assert body["previous"] == _info(released)["release"] and body["release"] == second
    assert _release_names(output) == [_info(released)["release"], second]
    assert (body["added"], body["removed"], body["graphs"], body["classes"]) == (0, 0, {}, {})
    assert "The two releases hold the same quads." in (output / "diff.md").read_text(encoding="utf-8")


def test_two_builds_in_a_row_give_two_releases_the_newest_pointed_at(monkeypatch, tmp_path):
    output = tmp_path / "build"
    first = _publish(monkeypatch, output, 1)
    older = {p.name: p.read_bytes() for p in (output.resolve()).iterdir() if p.is_file()}
    second = _publish(monkeypatch, output, 2)
    assert first < second and _release_names(output) == [first, second]
    assert os.readlink(output) == f"build.releases/{second}" and _info(output)["release"] == second
    kept = releases.releases_dir(output) / first
    assert {p.name: p.read_bytes() for p in kept.iterdir() if p.is_file()} == older  # the older one complete
    assert json.loads((output / "diff.json").read_text())["previous"] == first
    assert set(_checksums(output)) == {(r, name) for r in (first, second) for name in catalog.DISTRIBUTIONS}
    graph = Graph().parse(output / "catalog.ttl", format="turtle")
    assert graph.value(catalog.release_iri(second), DCAT.previousVersion) == catalog.release_iri(first)
    assert graph.value(URIRef(f"{catalog.release_iri(first)}/migkg.ttl"), DCAT.accessURL) is None
    assert graph.value(URIRef(f"{catalog.release_iri(second)}/migkg.ttl"), DCAT.accessURL) is not None


def test_a_failed_publish_leaves_the_pointer_and_every_release_untouched(monkeypatch, tmp_path):
    output = tmp_path / "build"
    first = _publish(monkeypatch, output, 1)

    def broken(*args, **kwargs):
        raise BuildError("the catalogue could not be written")

    monkeypatch.setattr(catalog, "write_catalog", broken)
    with pytest.raises(BuildError, match="catalogue"):
        _publish(monkeypatch, output, 2)
    assert os.readlink(output) == f"build.releases/{first}"
    assert _release_names(output) == [first]  # the staging directory is gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "build.releases"]


def test_a_failed_first_build_leaves_no_releases_directory(monkeypatch, tmp_path):
    def broken(staging, *args):
        raise BuildError("broken on purpose")

    monkeypatch.setattr(build_module, "_run", broken)
    with pytest.raises(BuildError, match="on purpose"):
        build(output=tmp_path / "build", out=io.StringIO())
    assert list(tmp_path.iterdir()) == []


def test_an_old_layout_build_directory_becomes_a_release_of_its_own(monkeypatch, tmp_path):
    output = tmp_path / "build"
    output.mkdir()
    (output / "build-info.json").write_text('{"version": "previous"}', encoding="utf-8")
    (output / "migkg.nq").write_text('<urn:x:s> <urn:x:p> "old" <urn:x:g> .\n', encoding="utf-8")
    stamp = datetime.fromtimestamp(output.stat().st_mtime, UTC).strftime("%Y%m%dT%H%M%SZ")
    new = _publish(monkeypatch, output, 1)
    assert output.is_symlink() and os.readlink(output) == f"build.releases/{new}"
    legacy = releases.releases_dir(output) / f"legacy-{stamp}"
    assert (legacy / "build-info.json").read_text(encoding="utf-8") == '{"version": "previous"}'
    body = json.loads((output / "diff.json").read_text(encoding="utf-8"))
    assert (body["previous"], body["added"], body["removed"]) == (f"legacy-{stamp}", 1, 1)


def test_an_old_layout_build_is_named_by_its_build_info(tmp_path):
    old = tmp_path / "build"
    old.mkdir()
    version = "ab" * 32
    (old / "build-info.json").write_text(json.dumps({"version": version, "built": T0.isoformat()}))
    assert releases.legacy_id(old) == "20261202T100310Z-abababababab"


def test_only_the_last_three_releases_are_kept(monkeypatch, tmp_path):
    output = tmp_path / "build"
    ids = [_publish(monkeypatch, output, n) for n in range(1, 6)]
    assert _release_names(output) == ids[-3:] == ids[2:]
    assert os.readlink(output) == f"build.releases/{ids[-1]}"
    assert {release for release, _ in _checksums(output)} == set(ids[-3:])


def test_the_current_release_is_never_pruned_even_when_older(monkeypatch, tmp_path):
    output = tmp_path / "build"
    ids = [_publish(monkeypatch, output, n) for n in range(1, 4)]
    releases.point(output, releases.releases_dir(output) / ids[0])  # an operator rolled back
    for n in range(4, 6):
        (releases.releases_dir(output) / f"2026{n}").mkdir()  # later ids, not pointed at
    assert releases.prune(output) == [ids[1]]  # the newest three stay, and the current one
    assert _release_names(output) == [ids[0], ids[2], "20264", "20265"]


def test_the_diff_counts_quads_by_graph_and_class(tmp_path):
    old = [
        f"<urn:a> {TYPE} <urn:C> <urn:g1> .",
        '<urn:a> <urn:p> "x" <urn:g1> .',
        f"<urn:b> {TYPE} <urn:C> <urn:g1> .",
        '<urn:b> <urn:p> "y" <urn:g2> .',
        f"<urn:c> {TYPE} <urn:D> <urn:g2> .",
    ]
    new = [
        f"<urn:a> {TYPE} <urn:C> <urn:g1> .",
        '<urn:a> <urn:p> "x2" <urn:g1> .',
        f"<urn:c> {TYPE} <urn:D> <urn:g2> .",
        f"<urn:c> {TYPE} <urn:C> <urn:g2> .",
        '<urn:c> <urn:p> "z" <urn:g2> .',
        f"<urn:d> {TYPE} <urn:D> <urn:g1> .",
    ]
    (tmp_path / "old.nq").write_text("".join(f"{line}\n" for line in sorted(old)), encoding="utf-8")
    (tmp_path / "new.nq").write_text("".join(f"{line}\n" for line in sorted(new)), encoding="utf-8")
    assert catalog.diff(tmp_path / "old.nq", tmp_path / "new.nq") == {
        "added": 4,  # a p "x2", c a C, c p "z", d a D
        "removed": 3,  # a p "x", b a C, b p "y"
        "graphs": {"urn:g1": {"added": 2, "removed": 2}, "urn:g2": {"added": 2, "removed": 1}},
        "classes": {
            # c became a C, b is none; added quads of a and c (C in the new), removed ones of a and b
            "urn:C": {"subjects_added": 1, "subjects_removed": 1, "quads_added": 3, "quads_removed": 3},
            # d is a new D; added quads of c and d; c was a D before, but none of its quads went
            "urn:D": {"subjects_added": 1, "subjects_removed": 0, "quads_added": 3, "quads_removed": 0},
        },
    }
    body = catalog.write_diff(tmp_path, "r2", ("r1", tmp_path / "prev"))
    assert body["note"] == "release r1 has no migkg.nq to compare with"
