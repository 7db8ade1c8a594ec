"""What light queries would gain if the server process answered them itself, with no worker hop.

    .venv/bin/python bench/in_process_ceiling.py [--build DIR] [--seconds 4] [--rounds 3]
                                                 [--concurrency 8,32] [--label in-process-ceiling]

Runs each light query (bench/queries 01, 02, 03, 11; uncached) on three servers, one after
another in an order rotated from round to round: migkg as served (each query handed to a worker
process), the same migkg with its store's ``execute`` replaced by the worker's own code run in the
server process on a copy of the release held there (no hop to a worker, no scheduler, no deadline),
and the Oxigraph server on the same store. It prints, and writes to bench/results/LABEL.md, each
one's requests per second and the median of its paired ratios to the Oxigraph server's.

The second server is a counterfactual, not a configuration: nothing could stop a query it runs
(docs/engine.md, the decision). What it measures is the ceiling of the light-query goal on this
machine once the hop is gone, leaving the HTTP handling in the server process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import servers as srv
from report import git_state, paired_ratio
from run import Bench, Plan
from workload import load_queries, query_operation

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LIGHT = ("01-iri-lookup", "02-describe", "03-objective-actions-practices", "11-provenance")
SERVED, IN_PROCESS, PEER = "migkg", "migkg in-process", "oxigraph"
DATASET = "1x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", default="8,32")
    parser.add_argument("--label", default="in-process-ceiling")
    parser.add_argument("--serve", nargs=2, metavar=("HOST", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve_in_process(args.serve[0], int(args.serve[1]))
        return 0
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    queries = [q for q in load_queries() if q.name in LIGHT]
    logs = RESULTS / "tmp" / "logs"
    served = srv.migkg(args.build, 2)
    in_process = srv.ServerSpec(
        IN_PROCESS,
        "/sparql",
        [sys.executable, __file__, "--serve", srv.HOST, "{port}"],
        served.env,
        "migkg as served, but its store's execute runs the worker's code in the server process",
    )
    lines = [
        "# Light queries with no worker hop: the ceiling on this machine",
        "",
        f"Run by `bench/in_process_ceiling.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"git {git_state(ROOT)}, "
        f"{args.rounds} rounds of {args.seconds:g} s per cell, servers rotated; ratios are medians of paired "
        "ratios to the Oxigraph server. The in-process server is a counterfactual (the module's docstring).",
        "",
        f"| query | concurrency | {SERVED} req/s | {IN_PROCESS} req/s | {PEER} req/s "
        f"| {SERVED}/{PEER} | {IN_PROCESS}/{PEER} |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    with (
        srv.Server(served, logs) as first,
        srv.Server(in_process, logs) as second,
        srv.Server(srv.oxigraph(args.build), logs) as peer,
    ):
        running = [first, second, peer]
        bench = Bench(Plan(rounds=args.rounds))
        for query in queries:
            for concurrency in concurrencies:
                lines.append(_cell(bench, running, query, concurrency, args.seconds, args.rounds))
                print(lines[-1], flush=True)
    (RESULTS / f"{args.label}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def _cell(bench: Bench, running: list[srv.Server], query, concurrency: int, seconds: float, rounds: int) -> str:
    """One table row: each server's median req/s over the rounds, and the paired ratios to the peer."""
    for round_number in range(rounds):
        runs = [(s.spec.name, s.url, [query_operation(query, s.spec.sparql_path)], seconds, 10**7) for s in running]
        bench.cell(DATASET, query.name, concurrency, round_number, runs)
    cell = [r for r in bench.records if (r["workload"], r["concurrency"]) == (query.name, concurrency)]
    if errors := sum(r["errors"] for r in cell):
        raise RuntimeError(f"{errors} errors answering {query.name} at concurrency {concurrency}")
    rate = {s.spec.name: statistics.median(r["rps"] for r in cell if r["server"] == s.spec.name) for s in running}

    def ratio(name: str) -> float:
        return paired_ratio(bench.records, DATASET, query.name, concurrency, name, PEER)

    return (
        f"| {query.name} | {concurrency} | {rate[SERVED]:.0f} | {rate[IN_PROCESS]:.0f} | {rate[PEER]:.0f} "
        f"| {ratio(SERVED):.2f}× | {ratio(IN_PROCESS):.2f}× |"
    )


def _serve_in_process(host: str, port: int) -> None:
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


if __name__ == "__main__":
    raise SystemExit(main())
