"""Light queries under the two alternatives left to the server's design, beside it and the Oxigraph server.

    .venv/bin/python bench/light_alternatives.py [--build DIR] [--seconds 4] [--rounds 3]
                                                 [--concurrency 8,32] [--label light-alternatives]

Runs each light query (bench/queries 01, 02, 03, 11; uncached) on four servers, one after another
in an order rotated from round to round (bench/run.py's cells), and prints, and writes to
bench/results/LABEL.md, each one's requests per second and the median of its paired ratios to the
Oxigraph server's:

- migkg as served (`migkg serve`: uvicorn, each query handed to a worker process);
- migkg without the hop: the same server with its store's ``execute`` replaced by the worker's own
  code, run in the server process on a copy of the release held there (no hop, no scheduler, no
  deadline). A counterfactual, not a configuration: nothing could stop a query it runs
  (docs/engine.md, the decision);
- migkg under granian: the same app, workers and hop, served by granian (HTTP in Rust, one process,
  uvloop) instead of uvicorn;
- the Oxigraph server on the same store.
"""

from __future__ import annotations

import argparse
import logging.config
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import servers as srv
from report import git_state, paired_ratio
from run import Bench, Plan
from workload import load_queries, query_operation

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LIGHT = ("01-iri-lookup", "02-describe", "03-objective-actions-practices", "11-provenance")
WITHOUT_THE_HOP, UNDER_GRANIAN, PEER = "migkg without the hop", "migkg under granian", "oxigraph"
DATASET = "1x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", default="8,32")
    parser.add_argument("--label", default="light-alternatives")
    parser.add_argument("--serve", nargs=2, metavar=("HOST", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve_without_the_hop(args.serve[0], int(args.serve[1]))
        return 0
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    queries = [q for q in load_queries() if q.name in LIGHT]
    logs = RESULTS / "tmp" / "logs"
    served = srv.migkg(args.build, 2)
    specs = [served, _without_the_hop(served), _under_granian(served), srv.oxigraph(args.build)]
    lines = [
        "# Light queries under the alternatives to the server's design",
        "",
        f"Run by `bench/light_alternatives.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"git {git_state(ROOT)}, {args.rounds} rounds of {args.seconds:g} s per cell, servers rotated; ratios "
        "are medians of paired ratios to the Oxigraph server. The servers are the module docstring's.",
        "",
        "| query | concurrency | "
        + " | ".join(f"{spec.name} req/s" for spec in specs)
        + " | "
        + " | ".join(f"{spec.name} ÷ {PEER}" for spec in specs if spec.name != PEER)
        + " |",
        "|---|---:|" + "---:|" * (2 * len(specs) - 1),
    ]
    bench = Bench(Plan(rounds=args.rounds))
    with ExitStack() as servers:
        running = [servers.enter_context(srv.Server(spec, logs)) for spec in specs]
        for query in queries:
            for concurrency in concurrencies:
                lines.append(_cell(bench, running, query, concurrency, args.seconds, args.rounds))
                print(lines[-1], flush=True)
    (RESULTS / f"{args.label}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _without_the_hop(served: srv.ServerSpec) -> srv.ServerSpec:
    command = [sys.executable, __file__, "--serve", srv.HOST, "{port}"]
    note = "its store's execute runs in the server process"
    return srv.ServerSpec(WITHOUT_THE_HOP, "/sparql", command, served.env, note)


def _under_granian(served: srv.ServerSpec) -> srv.ServerSpec:
    command = [
        str(srv.BIN / "granian"),
        *("--interface", "asgi", "--host", srv.HOST, "--port", "{port}", "--workers", "1", "--loop", "uvloop"),
        *("--factory", "light_alternatives:granian_app"),
    ]
    env = {**served.env, "PYTHONPATH": str(Path(__file__).parent)}
    return srv.ServerSpec(UNDER_GRANIAN, "/sparql", command, env, "the app served by granian instead of uvicorn")


def _cell(bench: Bench, running: list[srv.Server], query, concurrency: int, seconds: float, rounds: int) -> str:
    """One table row: each server's median req/s over the rounds, and the paired ratios to the peer."""
    for round_number in range(rounds):
        runs = [(s.spec.name, s.url, [query_operation(query, s.spec.sparql_path)], seconds, 10**7) for s in running]
        bench.cell(DATASET, query.name, concurrency, round_number, runs)
    cell = [r for r in bench.records if (r["workload"], r["concurrency"]) == (query.name, concurrency)]
    if errors := sum(r["errors"] for r in cell):
        raise RuntimeError(f"{errors} errors answering {query.name} at concurrency {concurrency}")
    names = [s.spec.name for s in running]
    rates = [statistics.median(r["rps"] for r in cell if r["server"] == name) for name in names]
    compared = [name for name in names if name != PEER]
    ratios = [paired_ratio(bench.records, DATASET, query.name, concurrency, name, PEER) for name in compared]
    return (
        f"| {query.name} | {concurrency} | "
        + " | ".join(f"{rate:.0f}" for rate in rates)
        + " | "
        + " | ".join(f"{ratio:.2f}×" for ratio in ratios)
        + " |"
    )


def _serve_without_the_hop(host: str, port: int) -> None:
    """`migkg serve`, with every query answered in this process from a copy of the release held here."""
    from migkg.api import serve
    from migkg.api.store import OxigraphStore
    from migkg.api.worker import open_store, run_job

    held = {}

    async def execute(store: OxigraphStore, job):
        if store.data not in held:
            held[store.data] = open_store(str(store.data))
        return run_job(held[store.data], job)

    OxigraphStore.execute = execute
    serve(host, port)


def granian_app():
    """The app as `migkg serve` makes it (its logging, what is loaded frozen), for granian's `--factory`."""
    from migkg.api import _freeze_what_is_loaded
    from migkg.api.app import create_app
    from migkg.api.request_ids import LOGGING
    from migkg.api.settings import Settings

    logging.config.dictConfig(LOGGING)
    app = create_app(Settings())
    _freeze_what_is_loaded()
    return app


if __name__ == "__main__":
    raise SystemExit(main())
