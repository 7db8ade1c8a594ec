"""`make bench`: migkg against rdflib-endpoint and the Oxigraph server, on the same data, in the same run.

    .venv/bin/python bench/run.py [--label NAME] [--quick] [--skip-build] [--skip-scaled]

Writes bench/results/NAME.json and NAME.md (NAME defaults to "latest") and prints the mix table
and the targets. bench/README.md explains the method.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import report
import servers as srv
from loadgen import Operation, run_load, summarise
from scale import scaled_build
from workload import SPARQL_JSON, load_queries, query_operation, rest_views

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TMP = RESULTS / "tmp"
CONCURRENCY = (1, 8, 32)
REPEATED = "mix-repeated"  # the mix without Cache-Control: no-cache: migkg answers from its result cache
REPEATED_CONCURRENCY = (8, 32)
REPEATED_SERVERS = ("migkg", "oxigraph")
MIGKG_WORKERS = int(os.environ.get("BENCH_MIGKG_WORKERS", "2"))


@dataclass(frozen=True)
class Plan:
    rounds: int = 3  # interleaved rounds on the 1x data
    mix_c8_extra_rounds: int = 6  # the headline cell gets more pairs
    query_seconds: float = 0.6  # duration bound of one per-query run
    query_cap: int = 1500  # request bound of one per-query run
    mix_seconds: float = 1.5
    mix_cap: int = 6000
    rdflib_mix_cap: int = 64
    rdflib_query_cap: int = 40
    scales: tuple[int, ...] = (10, 100)  # how the figures grow with the data
    scaled_rounds: int = 2
    scaled_query_seconds: float = 0.3
    scaled_query_cap: int = 20
    scaled_slow_seconds: float = 3.0  # a query this slow on scaled data is measured in the first round only
    scaled_timeout: float = 120.0  # MIGKG_QUERY_TIMEOUT on scaled data (the peers have none)
    cold_starts: int = 5


QUICK = Plan(
    rounds=2, mix_c8_extra_rounds=0, query_seconds=0.2, mix_seconds=0.6, scales=(10,), scaled_rounds=1, cold_starts=1
)


class Bench:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.records: list[dict] = []
        self.notes: list[str] = []
        self._next_user = 0

    def cell(
        self,
        dataset: str,
        workload: str,
        concurrency: int,
        round_no: int,
        runs: list[tuple[str, str, list[Operation], float, int]],
    ) -> None:
        """One cell of one round: each (server, url, operations, seconds, cap) in turn, order rotated by round.

        Each cell has simulated users of its own (API keys the cells before did not use): migkg's scheduler
        puts a client that used the workers much in the last seconds behind the others, so users carried
        over from the cell before would wait out that cell's use, not this cell's load."""
        shift = round_no % len(runs)
        first_user, self._next_user = self._next_user, self._next_user + concurrency
        for server, url, operations, seconds, cap in runs[shift:] + runs[:shift]:
            result = run_load(url, operations, concurrency, seconds, cap, offset=round_no * 3, first_user=first_user)
            figures = summarise(result.outcomes, result.elapsed)
            self.records.append(
                {
                    "dataset": dataset,
                    "server": server,
                    "workload": workload,
                    "concurrency": concurrency,
                    "round": round_no,
                    **figures,
                }
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="latest", help="results go to bench/results/LABEL.{json,md}")
    parser.add_argument("--quick", action="store_true", help="a short smoke run (fewer rounds, 10x data)")
    parser.add_argument("--skip-build", action="store_true", help="use build/ as it is; stage times from its report")
    parser.add_argument("--skip-scaled", action="store_true", help="no scaled data set")
    parser.add_argument("--skip-rdflib", action="store_true", help="leave rdflib-endpoint out")
    args = parser.parse_args()
    plan = QUICK if args.quick else Plan()
    bench = Bench(plan)
    began = time.perf_counter()
    TMP.mkdir(parents=True, exist_ok=True)

    build_dir, build = timed_build(args.skip_build)
    print(f"build: {build['total_seconds']:.1f} s ({build['source']})", flush=True)
    queries = load_queries()
    results: dict = {"plan": plan.__dict__, "build": build, "phases": {}, "migkg_workers": MIGKG_WORKERS}
    results["phases"]["1x"] = run_phase(bench, "1x", build_dir, queries, with_rdflib=not args.skip_rdflib)
    results["scaled"] = {}
    for factor in () if args.skip_scaled else plan.scales:
        print(f"scaled data set: {factor}x …", flush=True)
        scaled_dir, meta = scaled_build(build_dir, TMP, factor)
        results["scaled"][f"{factor}x"] = meta
        results["phases"][f"{factor}x"] = run_scaled_phase(bench, f"{factor}x", scaled_dir, queries)
    results["records"] = bench.records
    results["notes"] = bench.notes
    results["machine"] = report.machine()
    results["versions"] = report.versions()
    results["git"] = report.git_state(ROOT)
    results["wall_seconds"] = round(time.perf_counter() - began, 1)
    results["summary"] = report.summarise_records(bench.records)
    results["targets"] = report.targets(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.label}.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    markdown = report.markdown(results, args.label)
    (RESULTS / f"{args.label}.md").write_text(markdown, encoding="utf-8")
    print(report.console(results))
    print(f"\nwrote bench/results/{args.label}.md and .json in {results['wall_seconds']:.0f} s")
    return 0


def timed_build(skip: bool) -> tuple[Path, dict]:
    """A full build into bench/results/tmp/build, timed stage by stage (the build prints its stages)."""
    if skip:
        build_dir = ROOT / "build"
        stages = json.loads((build_dir / "build-report.json").read_text(encoding="utf-8")).get("stages_seconds", {})
        return build_dir, {
            "source": "build/build-report.json (not rebuilt; the total is the sum of the stages, "
            "an upper bound: validate runs beside publish)",
            "stages": stages,
            "total_seconds": sum(stages.values()),
        }
    output = TMP / "build"
    started = time.perf_counter()
    process = subprocess.run(
        [str(srv.BIN / "migkg"), "build", "--output", str(output)], capture_output=True, text=True, cwd=ROOT
    )
    total = time.perf_counter() - started
    if process.returncode != 0:
        sys.stderr.write(process.stdout + process.stderr)
        raise SystemExit("the build failed; no benchmark")
    stages = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r"^\[\d+/\d+\] (\S+) done in ([0-9.]+) s", process.stderr, re.MULTILINE)
    }
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return output, {
        "source": "migkg build, run by the benchmark",
        "stages": stages,
        "total_seconds": round(total, 2),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "summary_line": process.stdout.strip(),
    }


def stop_and_record_memory(running: dict, phase: dict) -> None:
    """Stop every server, then keep each one's peak memory in the phase's results."""
    stop_all(running)
    for name, server in running.items():
        phase["memory"][name] = {
            "peak_rss_mib": round(server.memory.peak_rss / 2**20, 1),
            "peak_pss_mib": round(server.memory.peak_pss / 2**20, 1),
            "processes": server.memory.processes,
        }


def run_phase(bench: Bench, dataset: str, build_dir: Path, queries: list, with_rdflib: bool) -> dict:
    plan = bench.plan
    logs = TMP / "logs"
    specs = {"migkg": srv.migkg(build_dir, MIGKG_WORKERS), "oxigraph": srv.oxigraph(build_dir)}
    if with_rdflib:
        specs["rdflib-endpoint"] = srv.rdflib_endpoint(build_dir)
    phase: dict = {"servers": {n: s.note for n, s in specs.items()}, "cold_start": {}, "memory": {}}
    for name in ("migkg", "oxigraph"):
        print(f"[{dataset}] cold starts: {name}", flush=True)
        phase["cold_start"][name] = srv.cold_starts(specs[name], logs, plan.cold_starts)
    running = {}
    try:
        for name, spec in specs.items():
            print(f"[{dataset}] starting {name}", flush=True)
            running[name] = srv.Server(spec, logs)
            if name == "rdflib-endpoint":
                phase["cold_start"][name] = [running[name].cold_start]
        phase["memory_at_start"] = srv.settled_memory(running)
        phase["answers"] = check_answers(running, queries)
        views, view_notes = usable_views(running["migkg"])
        bench.notes += view_notes
        phase["views"] = [{"name": v.name, "target": v.target, "twin": v.twin_note} for v in views]
        ops = {name: [query_operation(q, s.spec.sparql_path) for q in queries] for name, s in running.items()}
        for name, server in running.items():  # warm-up: every query once, on every server
            run_load(server.url, ops[name], 1, 60.0, len(queries))
        repeated = {
            n: [query_operation(q, running[n].spec.sparql_path, cached=True) for q in queries] for n in REPEATED_SERVERS
        }
        run_load(running["migkg"].url, repeated["migkg"], 1, 60.0, len(queries))  # fills migkg's result cache
        phase["repeated_cache"] = cache_status(running["migkg"], queries)
        rounds = plan.rounds + plan.mix_c8_extra_rounds
        for round_no in range(rounds):
            extra = round_no >= plan.rounds  # the extra rounds measure only the mix at concurrency 8
            print(f"[{dataset}] round {round_no + 1}/{rounds}{' (mix, c=8 only)' if extra else ''}", flush=True)
            for c in (8,) if extra else CONCURRENCY:
                if not extra:
                    for i, q in enumerate(queries):
                        runs = [
                            (n, running[n].url, [ops[n][i]], plan.query_seconds, plan.query_cap)
                            for n in ("migkg", "oxigraph")
                        ]
                        if c == 1 and "rdflib-endpoint" in running:
                            runs.append(
                                (
                                    "rdflib-endpoint",
                                    running["rdflib-endpoint"].url,
                                    [ops["rdflib-endpoint"][i]],
                                    plan.query_seconds,
                                    plan.rdflib_query_cap,
                                )
                            )
                        bench.cell(dataset, q.name, c, round_no, runs)
                runs = [
                    (
                        n,
                        s.url,
                        ops[n],
                        plan.mix_seconds,
                        plan.rdflib_mix_cap if n == "rdflib-endpoint" else plan.mix_cap,
                    )
                    for n, s in running.items()
                ]
                bench.cell(dataset, "mix", c, round_no, runs)
                if not extra and c in REPEATED_CONCURRENCY:
                    runs = [(n, running[n].url, repeated[n], plan.mix_seconds, plan.mix_cap) for n in REPEATED_SERVERS]
                    bench.cell(dataset, REPEATED, c, round_no, runs)
                if not extra:
                    view_cells(bench, dataset, running["migkg"], views, queries, c, round_no)
    finally:
        stop_and_record_memory(running, phase)
    if not with_rdflib:
        bench.notes.append("rdflib-endpoint was left out (--skip-rdflib).")
    bench.notes.append(repeated_note(dataset, plan, phase["repeated_cache"]))
    bench.notes.append(
        f"[{dataset}] rdflib-endpoint: per-query runs at concurrency 1 only (capped at "
        f"{plan.rdflib_query_cap} requests), the mix at 1, 8 and 32 (capped at {plan.rdflib_mix_cap} "
        "requests a run): it answers one query at a time, so more load only lengthens its queue."
    )
    return phase


def view_cells(
    bench: Bench, dataset: str, migkg: srv.Server, views: list, queries: list, c: int, round_no: int
) -> None:
    plan = bench.plan
    text_filter = next((q for q in queries if q.name.startswith("06-")), None)
    for view in views:
        twin = view.twin_operation(migkg.spec.sparql_path)
        if twin is None and text_filter is not None:
            twin = query_operation(text_filter, migkg.spec.sparql_path)
        runs = [("migkg REST", migkg.url, [view.operation()], plan.query_seconds, plan.query_cap)]
        if twin is not None:
            runs.append(("migkg SPARQL twin", migkg.url, [twin], plan.query_seconds, plan.query_cap))
        bench.cell(dataset, f"view:{view.name}", c, round_no, runs)


def run_scaled_phase(bench: Bench, dataset: str, build_dir: Path, queries: list) -> dict:
    plan = bench.plan
    logs = TMP / "logs"
    specs = {
        "migkg": srv.migkg(build_dir, MIGKG_WORKERS, query_timeout=plan.scaled_timeout),
        "oxigraph": srv.oxigraph(build_dir),
    }
    phase: dict = {"servers": {n: s.note for n, s in specs.items()}, "cold_start": {}, "memory": {}, "slow": []}
    running = {}
    try:
        for name, spec in specs.items():
            print(f"[{dataset}] starting {name}", flush=True)
            running[name] = srv.Server(spec, logs)
            phase["cold_start"][name] = [running[name].cold_start]
        phase["answers"] = check_answers(running, queries)
        ops = {name: [query_operation(q, s.spec.sparql_path) for q in queries] for name, s in running.items()}
        slow: set[str] = set()
        for round_no in range(plan.scaled_rounds):
            print(f"[{dataset}] round {round_no + 1}/{plan.scaled_rounds}: queries at concurrency 1", flush=True)
            for i, q in enumerate(queries):
                if q.name in slow:
                    continue
                runs = [
                    (n, running[n].url, [ops[n][i]], plan.scaled_query_seconds, plan.scaled_query_cap) for n in running
                ]
                bench.cell(dataset, q.name, 1, round_no, runs)
                latest = list(bench.records[-len(runs) :])
                if any(r["p50_ms"] > plan.scaled_slow_seconds * 1000 for r in latest):
                    slow.add(q.name)
        phase["slow"] = sorted(slow)
        fast = [i for i, q in enumerate(queries) if q.name not in slow]
        for round_no in range(plan.scaled_rounds):
            print(f"[{dataset}] round {round_no + 1}/{plan.scaled_rounds}: mix at concurrency 8", flush=True)
            runs = [(n, s.url, [ops[n][i] for i in fast], plan.mix_seconds, plan.mix_cap) for n, s in running.items()]
            bench.cell(dataset, "mix", 8, round_no, runs)
    finally:
        stop_and_record_memory(running, phase)
    if slow:
        bench.notes.append(
            f"[{dataset}] queries slower than {plan.scaled_slow_seconds:g} s at this size were "
            f"measured in the first round only and left out of its mix: {', '.join(sorted(slow))}."
        )
    bench.notes.append(
        f"[{dataset}] migkg and the Oxigraph server only (rdflib-endpoint would need minutes and "
        f"gigabytes to parse {dataset} the N-Quads into memory); per-query runs at concurrency 1, "
        f"the mix at 8; MIGKG_QUERY_TIMEOUT={plan.scaled_timeout:g} (the peers have no timeout)."
    )
    return phase


def stop_all(running: dict) -> None:
    """Stop every server, even if stopping one of them fails."""
    failures = []
    for server in running.values():
        try:
            server.stop()
        except Exception as error:
            failures.append(error)
    if failures:
        raise failures[0]


def check_answers(running: dict, queries: list) -> dict:
    """Each query once on each server: status and the number of rows (or triples), side by side."""
    answers: dict = {}
    for q in queries:
        answers[q.name] = {}
        for name, server in running.items():
            url = f"{server.sparql_url}?{urllib.parse.urlencode({'query': q.text})}"
            try:
                with urllib.request.urlopen(
                    urllib.request.Request(url, headers={"Accept": q.accept}), timeout=300
                ) as response:
                    body = response.read()
                if q.accept == SPARQL_JSON:
                    count = len(json.loads(body)["results"]["bindings"])
                else:
                    count = sum(1 for line in body.splitlines() if line.strip())
                answers[q.name][name] = count
            except Exception as error:
                answers[q.name][name] = f"error: {error}"
    return answers


def cache_status(migkg: srv.Server, queries: list) -> dict[str, str]:
    """Each query once more without no-cache, after the warm-up: migkg's MIGKG-Cache header (hit or miss)."""
    status = {}
    for q in queries:
        url = f"{migkg.sparql_url}?{urllib.parse.urlencode({'query': q.text})}"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": q.accept}), timeout=60) as r:
                r.read()
                status[q.name] = r.headers.get("MIGKG-Cache", "no header")
        except OSError as error:
            status[q.name] = f"error: {error}"
    return status


def repeated_note(dataset: str, plan: Plan, cache: dict[str, str]) -> str:
    misses = sorted(name for name, status in cache.items() if status != "hit")
    return (
        f"[{dataset}] {REPEATED}: the mix without Cache-Control: no-cache, on "
        f"{' and '.join(REPEATED_SERVERS)} at concurrency {' and '.join(map(str, REPEATED_CONCURRENCY))}, "
        f"in the {plan.rounds} normal rounds; every query was sent once to migkg first (filling its result "
        "cache); after that, "
        + (f"these were not cache hits: {', '.join(misses)}." if misses else "every query was a cache hit.")
    )


def usable_views(migkg: srv.Server) -> tuple[list, list[str]]:
    views, notes = [], []
    for view in rest_views():
        try:
            with urllib.request.urlopen(
                urllib.request.Request(migkg.url + view.target, headers={"Accept": "application/json"}), timeout=60
            ) as response:
                response.read()
            views.append(view)
            if view.twin is None and view.name != "search":
                notes.append(f"REST view {view.target}: its query file is missing; compared with no twin.")
        except urllib.error.HTTPError as error:
            notes.append(f"REST view {view.target} answered {error.code}: skipped (not served by this build).")
        except OSError as error:
            notes.append(f"REST view {view.target} failed ({error}): skipped.")
    return views, notes


if __name__ == "__main__":
    sys.exit(main())
