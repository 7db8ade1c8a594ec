"""Publish stage: what each release says about the releases, a DCAT catalogue (`catalog.ttl`), and
how it differs from the release before it (`diff.json`, `diff.md`).

The catalogue describes the dataset with one `dcat:Dataset` per kept release and a
`dcat:Distribution` per dump, with the media type, byte size and sha256 that release's
build-info.json lists; it never lists itself. The diff is a set difference of the two releases'
sorted N-Quads lines, exact because each line is one quad written canonically; only the lines that
differ (and the `rdf:type` lines of their subjects) are parsed, to count them by graph and class."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, XSD

from migkg.graph.core.namespaces import BASE, bind_prefixes, curie

CATALOG_FILE = "catalog.ttl"
DIFF_FILES = ("diff.json", "diff.md")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (rdflib's DCAT lacks its versioning terms)
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
CATALOG = URIRef(BASE + "catalog")
# The dumps: every other file of a release (reports, diff, build-info) is about it, not a form of it.
DISTRIBUTIONS = {
    "migkg.trig": "application/trig",
    "migkg.nq": "application/n-quads",
    "migkg.ttl": "text/turtle",
    "migkg.jsonld": "application/ld+json",
    "void.ttl": "text/turtle",
    "crosswalk.sssom.tsv": "text/tab-separated-values",
}
_TYPE = f"<{RDF.type}>"
_DEFAULT_GRAPH = "(default graph)"


def release_iri(release_id: str) -> URIRef:
    return URIRef(f"{BASE}release/{release_id}")


def describe(releases: Sequence[tuple[str, dict]], dataset: URIRef, title: str) -> Graph:
    """The catalogue of `releases` (id and build-info, oldest first; the last is the one being
    published, and the current one while it is): the dataset, each release a version of it that
    follows the one before, each dump a distribution with size and checksum."""
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("dcat", DCAT)
    graph.bind("spdx", SPDX)
    graph.add((CATALOG, RDF.type, DCAT.Catalog))
    graph.add((CATALOG, DCTERMS.title, Literal(f"{title}: releases", lang="en")))
    graph.add((CATALOG, DCAT.dataset, dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal(title, lang="en")))
    previous = None
    for release_id, info in releases:
        release = release_iri(release_id)
        graph.add((dataset, DCAT.hasVersion, release))
        graph.add((release, RDF.type, DCAT.Dataset))
        graph.add((release, DCTERMS.title, Literal(f"{title}, release {release_id}", lang="en")))
        graph.add((release, DCTERMS.identifier, Literal(release_id)))
        graph.add((release, DCAT.version, Literal(release_id)))
        graph.add((release, OWL.versionInfo, Literal(release_id)))
        graph.add((release, DCTERMS.isVersionOf, dataset))
        if info.get("built"):
            graph.add((release, DCTERMS.issued, Literal(info["built"], datatype=XSD.dateTime)))
        if previous is not None:
            graph.add((release, DCAT.previousVersion, previous))
            graph.add((release, PROV.wasRevisionOf, previous))
        is_current = release_id == releases[-1][0]
        for name, meta in sorted(info.get("files", {}).items()):
            if name in DISTRIBUTIONS:
                graph.add((release, DCAT.distribution, _distribution(graph, release_id, name, meta, is_current)))
        previous = release
    if releases:
        graph.add((dataset, DCAT.hasCurrentVersion, release_iri(releases[-1][0])))
    return graph


def _distribution(graph: Graph, release_id: str, name: str, meta: dict, is_current: bool) -> URIRef:
    node = URIRef(f"{release_iri(release_id)}/{name}")
    checksum = BNode()
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(name)))
    graph.add((node, DCAT.mediaType, URIRef(IANA + DISTRIBUTIONS[name])))
    graph.add((node, DCAT.byteSize, Literal(int(meta["bytes"]), datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCAT.downloadURL, URIRef(f"{BASE}downloads/{release_id}/{name}")))
    if is_current:  # the server's /downloads/<file> serves the release the build directory points at
        graph.add((node, DCAT.accessURL, URIRef(f"{BASE}downloads/{name}")))
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(meta["sha256"], datatype=XSD.hexBinary)))
    return node


def write_catalog(directory: Path, releases: Sequence[tuple[str, dict]], dataset: URIRef, title: str) -> None:
    describe(releases, dataset, title).serialize(directory / CATALOG_FILE, format="turtle")


def diff(old: Path, new: Path) -> dict:
    """Quads added and removed from the sorted N-Quads `old` to `new`: in all, per named graph, and
    per class (`subjects_added`/`_removed`: subjects that gained or lost the type; `quads_added`/
    `_removed`: quads whose subject has the type, in the new release for added quads, in the old
    for removed ones)."""
    before, after = _lines(old), _lines(new)
    added, removed = _parse(sorted(after - before)), _parse(sorted(before - after))
    subjects = {str(q.subject) for q in added + removed}
    types_before, types_after = _types(before, subjects), _types(after, subjects)
    graphs: dict[str, dict[str, int]] = defaultdict(lambda: {"added": 0, "removed": 0})
    classes: dict[str, dict[str, int]] = defaultdict(
        lambda: {"subjects_added": 0, "subjects_removed": 0, "quads_added": 0, "quads_removed": 0}
    )
    for quads, key, types in ((added, "added", types_after), (removed, "removed", types_before)):
        for quad in quads:
            graphs[_graph_name(quad)][key] += 1
            for cls in types.get(str(quad.subject), ()):
                classes[cls][f"quads_{key}"] += 1
    for subject in subjects:
        for cls in types_after.get(subject, set()) - types_before.get(subject, set()):
            classes[cls]["subjects_added"] += 1
        for cls in types_before.get(subject, set()) - types_after.get(subject, set()):
            classes[cls]["subjects_removed"] += 1
    return {
        "added": len(added),
        "removed": len(removed),
        "graphs": dict(sorted(graphs.items())),
        "classes": dict(sorted(classes.items())),
    }


def write_diff(directory: Path, release_id: str, previous: tuple[str, Path] | None) -> dict:
    """`diff.json` (and `diff.md`) from the release `previous` (id and directory) to this one, in
    `directory`; for the first release only `diff.json`, saying there is none before it."""
    body: dict = {"release": release_id, "previous": previous[0] if previous else None}
    if previous is None:
        body["note"] = "the first release: there is no previous release to compare with"
    elif not (previous[1] / "migkg.nq").is_file():
        body["note"] = f"release {previous[0]} has no migkg.nq to compare with"
    else:
        body |= diff(previous[1] / "migkg.nq", directory / "migkg.nq")
        (directory / "diff.md").write_text(markdown(body), encoding="utf-8")
    (directory / "diff.json").write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    return body


def markdown(body: dict) -> str:
    """The diff for people: totals, then the tables per graph and per class."""
    lines = [
        f"# migkg release {body['release']}: changes since {body['previous']}",
        "",
        f"Quads added: {body['added']}; removed: {body['removed']}.",
    ]
    if not body["added"] and not body["removed"]:
        return "\n".join([*lines, "", "The two releases hold the same quads."]) + "\n"
    lines += ["", "## Per named graph", "", "| graph | added | removed |", "|---|---:|---:|"]
    lines += [f"| {curie(g)} | {n['added']} | {n['removed']} |" for g, n in body["graphs"].items()]
    lines += [
        "",
        "## Per class",
        "",
        "Subjects that gained or lost the type, and quads whose subject has it.",
        "",
        "| class | subjects added | subjects removed | quads added | quads removed |",
        "|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {curie(c)} | {n['subjects_added']} | {n['subjects_removed']} | {n['quads_added']} | {n['quads_removed']} |"
        for c, n in body["classes"].items()
    ]
    return "\n".join(lines) + "\n"


def _lines(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as lines:
        return {line.rstrip("\n") for line in lines if line.strip()}


def _parse(lines: Iterable[str]) -> list[pyoxigraph.Quad]:
    text = "".join(line + "\n" for line in lines)
    return list(pyoxigraph.parse(input=text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_QUADS)) if text else []


def _types(lines: set[str], subjects: set[str]) -> dict[str, set[str]]:
    """The classes of each of `subjects`, from the `rdf:type` lines (in any graph) among `lines`;
    a line's subject and predicate are its first two terms, which hold no space in N-Quads."""
    typed = [line for line in lines if (parts := line.split(" ", 2))[1:2] == [_TYPE] and parts[0] in subjects]
    types: dict[str, set[str]] = defaultdict(set)
    for quad in _parse(typed):
        types[str(quad.subject)].add(quad.object.value)
    return types


def _graph_name(quad: pyoxigraph.Quad) -> str:
    return _DEFAULT_GRAPH if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) else quad.graph_name.value
