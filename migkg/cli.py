"""The `migkg` command: `migkg build`, `migkg serve`, `migkg load-virtuoso` (a release into the remote
store, docs/remote-store.md), and `migkg embeddings` (the cached sentence
embeddings of the crosswalk's items and of the search index's resources; needs the optional extra `embed`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="migkg", description="The Migration Governance Knowledge Graph.")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="extract, link, reason, validate and publish the graph into build/")
    build_cmd.add_argument(
        "--output", type=Path, default=None, help="build directory (default: $MIGKG_BUILD_DIR, else build/)"
    )
    build_cmd.add_argument("--sources", type=Path, default=None, help="sources directory with manifest.toml")
    embed_cmd = commands.add_parser(
        "embeddings", help="recompute the crosswalk's cached sentence embeddings from a build (extra `embed`)"
    )
    embed_cmd.add_argument("--build", type=Path, default=Path("build"), help="the build whose items to embed")
    serve_cmd = commands.add_parser("serve", help="serve the built graph (SPARQL, linked data, REST views)")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    replicas_cmd = commands.add_parser(
        "replicas", help="serve N replicas on loopback behind HAProxy (docs/deploy.md); the replicas use the next ports"
    )
    replicas_cmd.add_argument("--replicas", type=int, default=2, help="how many `migkg serve` processes")
    replicas_cmd.add_argument("--host", default="127.0.0.1", help="where HAProxy listens")
    replicas_cmd.add_argument("--port", type=int, default=8000, help="HAProxy's port; replica n listens on port + n")
    load_cmd = commands.add_parser(
        "load-virtuoso", help="load a release into a running Virtuoso, replacing the one it holds (the remote store)"
    )
    load_cmd.add_argument(
        "--release", type=Path, default=None, help="the release to load (default: $MIGKG_BUILD_DIR, else build/)"
    )
    load_cmd.add_argument("--isql-port", type=int, default=1111, help="Virtuoso's SQL port (its ServerPort)")
    load_cmd.add_argument("--user", default="dba", help="a Virtuoso DBA account")
    load_cmd.add_argument("--password", default="dba", help="its password")
    args = parser.parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "embeddings":
        return _embeddings(args)
    if args.command == "replicas":
        return _replicas(args)
    if args.command == "load-virtuoso":
        return _load_virtuoso(args)
    from migkg.api import serve

    serve(host=args.host, port=args.port)
    return 0


def _build(args: argparse.Namespace) -> int:
    from migkg.graph.build import BuildError, build

    output = args.output or Path(os.environ.get("MIGKG_BUILD_DIR", "build"))
    try:
        report = build(output=output, sources_dir=args.sources)
    except BuildError as error:
        print(f"migkg build failed: {error}\nThe previous build in {output} is untouched.", file=sys.stderr)
        return 1
    print(
        f"migkg build: {report.counts['triples']} triples, {report.counts['repairs']} repairs, "
        f"{report.counts['warnings']} warnings → {output} (see build-report.md)"
    )
    return 0


def _replicas(args: argparse.Namespace) -> int:
    from migkg.deploy.replicas import Topology, TopologyError, run

    try:
        return run(Topology.after(args.host, args.port, args.replicas))
    except TopologyError as error:
        print(f"migkg replicas: {error}", file=sys.stderr)
        return 1


def _load_virtuoso(args: argparse.Namespace) -> int:
    from migkg.api.settings import Settings
    from migkg.api.virtuoso import Isql, LoadFailed, load_release

    settings = Settings()
    release = args.release or settings.build_dir
    try:
        quads = load_release(release, Isql(args.isql_port, args.user, args.password), settings.base_iri)
    except LoadFailed as error:
        print(f"migkg load-virtuoso failed: {error}", file=sys.stderr)
        return 1
    print(f"migkg load-virtuoso: {quads} quads of {release.resolve()} → Virtuoso on port {args.isql_port}")
    return 0


def _embeddings(args: argparse.Namespace) -> int:
    import pyoxigraph
    from rdflib import Dataset, Graph

    from migkg import resources
    from migkg.graph.stages.crosswalk.embeddings import write_cache
    from migkg.graph.stages.crosswalk.items import load_items
    from migkg.graph.stages.search_index import documents, semantic_text

    dataset = Dataset()
    dataset.parse(args.build / "migkg.nq", format="nquads")
    graph = Graph()
    for subject, predicate, value, _ in dataset.quads():
        graph.add((subject, predicate, value))
    texts = [text for item in load_items(graph).values() for text in item.texts]
    texts += [semantic_text(document) for document in documents(pyoxigraph.Store.read_only(str(args.build / "store")))]
    count, embedded = write_cache(resources.reference_dir() / "crosswalk", texts)
    print(f"migkg embeddings: {count} vectors ({embedded} newly embedded) → graph/reference/crosswalk/embeddings.cache")
    return 0


if __name__ == "__main__":
    sys.exit(main())
