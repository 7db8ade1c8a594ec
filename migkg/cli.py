"""The `migkg` command: `migkg build`, `migkg serve`, and `migkg embeddings` (the cached sentence
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
    args = parser.parse_args(argv)
    if args.command == "build":
        return _build(args)
    if args.command == "embeddings":
        return _embeddings(args)
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
