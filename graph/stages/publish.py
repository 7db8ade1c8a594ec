"""Publish stage: write the build artefacts into a fresh directory, which becomes a release.

A failed build leaves the previous `build/` untouched: everything is written to a temporary
directory in `build.releases/`, which becomes a release, and `build` points at it, only once every
artefact and the store are done (`releases.py`)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from migkg.graph.core.namespaces import PREFIX_IRIS, bind_prefixes, curie
from migkg.graph.core.report import BuildReport
from migkg.graph.stages.releases import release_id

ARTEFACTS = (
    "migkg.trig",
    "migkg.nq",
    "migkg.ttl",
    "migkg.jsonld",
    "void.ttl",
    "shacl-report.ttl",
    "crosswalk.sssom.tsv",
    "build-report.json",
    "build-report.md",
)


def sorted_nquads(dataset: Dataset) -> str:
    """N-Quads with lines sorted: the same input gives byte-identical output."""
    text = dataset.serialize(format="nquads")
    return "".join(sorted(line + "\n" for line in text.splitlines() if line.strip()))


def write_text(directory: Path, name: str, text: str) -> None:
    """A text file of the build (the SSSOM mapping set), beside the dumps."""
    (directory / name).write_text(text, encoding="utf-8")


def write_dumps(directory: Path, dataset: Dataset, void: Graph) -> pyoxigraph.Store:
    """The dumps, the store and VoID; returns an in-memory copy of the store, for the checks and the
    search index (their full scans run five times faster there than on RocksDB). The sorted N-Quads
    are the canonical form: the store is bulk-loaded from them and writes TriG, Turtle and JSON-LD
    itself, ten times faster than rdflib."""
    bind_prefixes(dataset)
    nquads = directory / "migkg.nq"
    nquads.write_text(sorted_nquads(dataset), encoding="utf-8")
    store = _bulk_loaded(nquads, pyoxigraph.Store(str(directory / "store")))
    store.optimize()
    store.flush()
    # Written from the RocksDB store, whose index order depends on the data only.
    store.dump(directory / "migkg.trig", format=pyoxigraph.RdfFormat.TRIG, prefixes=PREFIX_IRIS)
    store.dump(directory / "migkg.jsonld", format=pyoxigraph.RdfFormat.JSON_LD)
    union = dict.fromkeys(pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store)  # each triple once
    pyoxigraph.serialize(union, directory / "migkg.ttl", format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIX_IRIS)
    void.serialize(directory / "void.ttl", format="turtle")
    return _bulk_loaded(nquads, pyoxigraph.Store())


def write_reports(directory: Path, report: BuildReport) -> None:
    """The build report, as JSON and Markdown (once validation's warnings are in it)."""
    (directory / "build-report.json").write_text(
        json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (directory / "build-report.md").write_text(markdown_report(report), encoding="utf-8")


def _bulk_loaded(nquads: Path, store: pyoxigraph.Store) -> pyoxigraph.Store:
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def write_build_info(directory: Path) -> dict:
    """build-info.json: `version` (sha256 of the N-Quads), `built`, the `release` id they make, and
    the size and sha256 of every artefact."""
    files = {name: _file_entry(directory / name) for name in ARTEFACTS}
    built = datetime.now(UTC).replace(microsecond=0)
    version = files["migkg.nq"]["sha256"]
    info = {"version": version, "built": built.isoformat(), "release": release_id(built, version), "files": files}
    _write_json(directory / "build-info.json", info)
    return info


def add_to_build_info(directory: Path, names: list[str]) -> dict:
    """List more files of the release (the diff, the catalogue) in its build-info.json."""
    path = directory / "build-info.json"
    info = json.loads(path.read_text(encoding="utf-8"))
    info["files"] |= {name: _file_entry(directory / name) for name in names if (directory / name).is_file()}
    _write_json(path, info)
    return info


def _file_entry(path: Path) -> dict:
    data = path.read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _write_json(path: Path, body: dict) -> None:
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")


def count_types(dataset: Dataset) -> dict[str, dict[str, int]]:
    """Instances per class in each named graph (the build report's counts)."""
    counts: dict[str, dict[str, int]] = {}
    for context in sorted(dataset.contexts(), key=lambda g: str(g.identifier)):
        per_class = Counter(str(o) for o in context.objects(None, RDF.type))
        if per_class:
            counts[str(context.identifier)] = dict(sorted(per_class.items()))
    return counts


def markdown_report(report: BuildReport) -> str:
    lines = ["# migkg build report", ""]
    lines += ["## Counts", "", "| graph | class | instances |", "|---|---|---:|"]
    for graph_name, per_class in report.counts.get("classes", {}).items():
        for cls, count in per_class.items():
            lines.append(f"| {graph_name.rsplit('/', 1)[-1]} | {curie(cls)} | {count} |")
    lines += ["", f"Triples: {report.counts.get('triples', 0)}; mentions linked: {report.counts.get('mentions', 0)}."]
    for title, notes in (("Repairs", report.repairs), ("Warnings", report.warnings)):
        lines += ["", f"## {title} ({len(notes)})", "", "| source | kind | what | resource |", "|---|---|---|---|"]
        for note in notes:
            message = note.message.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {note.source} | {note.kind} | {message} | {note.resource or ''} |")
    ignored = Counter((n.source, n.kind) for n in report.ignored)
    lines += [
        "",
        f"## Text deliberately not extracted ({len(report.ignored)})",
        "",
        "| source | kind | count |",
        "|---|---|---:|",
    ]
    lines += [f"| {source} | {kind} | {count} |" for (source, kind), count in sorted(ignored.items())]
    lines += ["", "## Stage times (s)", ""] + [f"- {stage}: {seconds:.2f}" for stage, seconds in report.stages.items()]
    return "\n".join(lines) + "\n"
