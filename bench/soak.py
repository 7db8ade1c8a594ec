"""Soak and faults: migkg and the Oxigraph server under long mixed load, a greedy client, unfinishable
queries and clients that hang up, measured one server after the other in the same run.

    .venv/bin/python bench/soak.py [--build build] [--label latest] [--seconds 60] [--workers N]
                                   [--only soak,starvation,slow,hangups,cold]

Every scenario starts its own server on 127.0.0.1 (so no leftover work of one scenario slows the
next), runs, and stops it. Prints a table per scenario and writes bench/results/soak-LABEL.md and
.json. Nothing is asserted; the goals are printed beside the figures. bench/README.md ("Soak and
faults") says what runs and what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import report
import servers as srv
from loadgen import HUNG_UP, Client, Operation, Outcome, Step, percentile, run_clients, sparql_get
from workload import SPARQL_JSON, load_queries

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LOGS = RESULTS / "tmp" / "soak-logs"
SCENARIOS = ("soak", "starvation", "slow", "hangups", "cold")
UNFINISHABLE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SOAK_CLIENTS = 32
HEAVY = ("06-text-filter", "07-optional-heavy", "10-select-10k-rows")
STARVATION_HEAVY = "10-select-10k-rows"
STARVATION_COPIES = 16
STARVATION_SECONDS = 30.0
SLOW_CLIENTS = 4
SLOW_SECONDS = 20.0
HANGUP_SECONDS = 10.0
HANGUP_AFTER = 1.0
CPU_IDLE = 10.0  # % of one core: below this for CPU_IDLE_FOR seconds, the server is taken as idle
CPU_IDLE_FOR = 1.0
CPU_WAIT = 40.0  # seconds watched after the last hang-up
HEAD_START = 0.5  # the greedy or slow clients start this much before the light client
COLD_STARTS = 3
LIGHT_P99_GOAL_MS = 100.0
OXIGRAPH_TIMEOUT = 30  # the Oxigraph server's --timeout-s, migkg's default MIGKG_QUERY_TIMEOUT
NO_CACHE = (("Cache-Control", "no-cache"),)
HTML = (("Accept", "text/html"),)
JSON_ACCEPT = (("Accept", "application/json"),)
CLASSES = {"01-iri-lookup": "light", "11-provenance": "light", "02-describe": "describe"}


@dataclass(frozen=True)
class Setup:
    build: Path
    workers: int
    oxigraph_timeout: int
    fresh: bool  # send Cache-Control: no-cache with every SPARQL query (migkg then runs each one)


def api_keys() -> list[str]:
    keys = ["light", "heavy", *(f"soak-{i:02d}" for i in range(1, SOAK_CLIENTS + 1))]
    keys += [f"slow-{i}" for i in range(1, SLOW_CLIENTS + 1)] + [f"hangup-{i}" for i in range(1, SLOW_CLIENTS + 1)]
    return keys


def migkg_spec(setup: Setup) -> srv.ServerSpec:
    migkg = srv.migkg(setup.build, setup.workers)
    migkg.env["MIGKG_API_KEYS"] = json.dumps(api_keys())
    migkg.note += "; MIGKG_API_KEYS lists every simulated client's key"
    return migkg


def specs(setup: Setup) -> dict[str, srv.ServerSpec]:
    return {"migkg": migkg_spec(setup), "oxigraph": srv.oxigraph(setup.build, setup.oxigraph_timeout)}


def key(name: str) -> tuple[tuple[str, str], ...]:
    return (("X-API-Key", name),)


class Ops:
    """The operations, per server: SPARQL for both, REST views and HTML pages for migkg only."""

    def __init__(self, setup: Setup) -> None:
        self.queries = {q.name: q for q in load_queries()}
        self.fresh = setup.fresh

    def sparql(self, server: str, name: str, label: str | None = None, always_fresh: bool = False) -> Operation:
        q = self.queries[name]
        return self.text(server, q.text, q.accept, label or name, always_fresh)

    def text(self, server: str, text: str, accept: str, label: str, always_fresh: bool = False) -> Operation:
        step = sparql_get(specs_path(server), text, accept)
        if self.fresh or always_fresh:
            step = Step(step.method, step.target, step.headers + NO_CACHE)
        return Operation(label, (step,))

    def mix(self, server: str) -> tuple[Operation, ...]:
        """30 operations, one in ten heavy (the three heavy queries in turn)."""
        light = [self.sparql(server, "01-iri-lookup"), self.sparql(server, "11-provenance")]
        describe = self.sparql(server, "02-describe")
        if server == "migkg":
            extra = [
                Operation("view:objective", (Step("GET", "/api/objectives/4", JSON_ACCEPT),)),
                Operation("view:practices", (Step("GET", "/api/practices?sdg_target=10.7", JSON_ACCEPT),)),
                Operation("page:objective-4", (Step("GET", "/id/gcm/objective/4", HTML),)),
                Operation("page:sdg-10.7", (Step("GET", "/sdg/10.7", HTML),)),
            ]
            base = [*light, describe, *extra, *light]
        else:  # the same share of heavy queries; the views' and pages' places go to SPARQL
            base = [*light, describe, *light, describe, *light, describe]
        cycle: list[Operation] = []
        for heavy in HEAVY:
            cycle += [*base, self.sparql(server, heavy, f"heavy:{heavy}", always_fresh=True)]
        return tuple(cycle)


def specs_path(server: str) -> str:
    return "/sparql" if server == "migkg" else "/query"


def op_class(label: str) -> str:
    if label.startswith("heavy:"):
        return "heavy"
    if label.startswith("view:"):
        return "REST view"
    if label.startswith("page:"):
        return "HTML page"
    return CLASSES.get(label, label)


def figures(outcomes: list[Outcome], elapsed: float | None = None) -> dict:
    """Answers, errors (by status; 0: transport error or client timeout), p50 and p99 in ms."""
    latencies = sorted(o.seconds for o in outcomes if 200 <= o.status < 300)
    statuses = Counter(
        "hung up" if o.status == HUNG_UP else str(o.status) for o in outcomes if not 200 <= o.status < 300
    )
    found = {
        "requests": len(outcomes),
        "answers": len(latencies),
        "errors": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
    }
    if elapsed:
        found["answers_per_s"] = round(len(latencies) / elapsed, 1)
    return found


def mib(value: float) -> float:
    return round(value / 2**20, 1)


def start(spec: srv.ServerSpec) -> tuple[srv.Server, srv.TreeWatch]:
    server = srv.Server(spec, LOGS, watch_memory=False)
    watch = srv.TreeWatch(server.process.pid)
    watch.start()
    return server, watch


def warm(url: str, operations: tuple[Operation, ...]) -> dict[str, int]:
    """Each distinct operation once; the statuses, so a view the build does not serve shows."""
    distinct = list({o.label: o for o in operations}.values())
    result = run_clients(url, [Client("warm-up", tuple(distinct), max_requests=len(distinct), duration=120)])
    return {o.label: o.status for o in result.outcomes}


def soak_clients(mix: tuple[Operation, ...], seconds: float, keep_header: str | None = None) -> list[Client]:
    """The soak's clients, each with its own key, each starting at a different place in the mix."""
    return [
        Client(
            f"soak-{i:02d}",
            mix,
            headers=key(f"soak-{i:02d}"),
            duration=seconds,
            offset=(i * 7) % len(mix),
            keep_header=keep_header,
        )
        for i in range(1, SOAK_CLIENTS + 1)
    ]


def soak_figures(outcomes: list[Outcome], elapsed: float) -> dict:
    """The soak's figures: per class, per operation, and over all."""
    by_class: dict[str, list[Outcome]] = {}
    by_label: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_class.setdefault(op_class(o.label), []).append(o)
        by_label.setdefault(o.label, []).append(o)
    return {
        "classes": {c: figures(v, elapsed) for c, v in by_class.items()},
        "operations": {label: figures(v) for label, v in sorted(by_label.items())},
        "all": figures(outcomes, elapsed),
    }


def load_figures(watch: srv.TreeWatch, before: tuple, after: tuple) -> dict:
    """Memory (start, peak, end) and mean CPU of one process tree between two of its samples."""
    during = watch.between(before[0], after[0])
    return {
        "memory_mib": {
            "start": mib(before[1]),
            "peak": mib(max(s[1] for s in during)),
            "end": mib(after[1]),
            "processes_peak": max(s[3] for s in during),
        },
        "cpu_mean_pct": round(statistics.fmean(s[2] for s in during[1:]), 0) if len(during) > 1 else None,
    }


# ---- the scenarios, each on one server ----


def soak(name: str, spec: srv.ServerSpec, ops: Ops, seconds: float) -> dict:
    server, watch = start(spec)
    try:
        mix = ops.mix(name)
        warm_statuses = warm(server.url, mix)
        before = watch.sample()
        result = run_clients(server.url, soak_clients(mix, seconds))
        after = watch.sample()
    finally:
        watch.stop()
        server.stop()
    return {
        "clients": SOAK_CLIENTS,
        "seconds": seconds,
        "elapsed_s": round(result.elapsed, 1),
        "warm_up_statuses": warm_statuses,
        **soak_figures(result.outcomes, result.elapsed),
        **load_figures(watch, before, after),
    }


def light_client(ops: Ops, name: str, duration: float, delay: float) -> Client:
    return Client(
        "light", (ops.sparql(name, "01-iri-lookup"),), headers=key("light"), duration=duration, start_delay=delay
    )


def starvation(name: str, spec: srv.ServerSpec, ops: Ops) -> dict:
    server, watch = start(spec)
    try:
        warm(server.url, (ops.sparql(name, "01-iri-lookup"), ops.sparql(name, STARVATION_HEAVY)))
        alone = run_clients(server.url, [light_client(ops, name, STARVATION_SECONDS, 0)])
        heavy = Client(
            "heavy",
            (ops.sparql(name, STARVATION_HEAVY, always_fresh=True),),
            connections=STARVATION_COPIES,
            headers=key("heavy"),
            duration=STARVATION_SECONDS + HEAD_START,
            background=True,
        )
        shared = run_clients(server.url, [heavy, light_client(ops, name, STARVATION_SECONDS, HEAD_START)])
    finally:
        watch.stop()
        server.stop()
    light = [o for o in shared.outcomes if o.client == "light"]
    return {
        "heavy_query": STARVATION_HEAVY,
        "heavy_copies": STARVATION_COPIES,
        "seconds": STARVATION_SECONDS,
        "light_alone": figures(alone.outcomes, STARVATION_SECONDS),
        "light_beside_heavy": figures(light, STARVATION_SECONDS),
        "heavy": figures([o for o in shared.outcomes if o.client == "heavy"], STARVATION_SECONDS),
    }


def slow(name: str, spec: srv.ServerSpec, ops: Ops) -> dict:
    server, watch = start(spec)
    try:
        warm(server.url, (ops.sparql(name, "01-iri-lookup"),))
        unfinishable = ops.text(name, UNFINISHABLE, SPARQL_JSON, "unfinishable", always_fresh=True)
        clients = [
            Client(f"slow-{i}", (unfinishable,), headers=key(f"slow-{i}"), duration=3600, background=True)
            for i in range(1, SLOW_CLIENTS + 1)
        ]
        result = run_clients(server.url, [*clients, light_client(ops, name, SLOW_SECONDS, HEAD_START)])
        end = time.perf_counter()
        during = watch.between(result.started, end)
    finally:
        watch.stop()
        server.stop()
    return {
        "slow_clients": SLOW_CLIENTS,
        "seconds": SLOW_SECONDS,
        "light": figures([o for o in result.outcomes if o.client == "light"], SLOW_SECONDS),
        "unfinishable_answered": figures([o for o in result.outcomes if o.client != "light"]),
        "cpu_mean_pct": round(statistics.fmean(s[2] for s in during[1:]), 0) if len(during) > 1 else None,
    }


def hangups(name: str, spec: srv.ServerSpec, ops: Ops) -> dict:
    server, watch = start(spec)
    try:
        warm(server.url, (ops.sparql(name, "01-iri-lookup"),))
        unfinishable = ops.text(name, UNFINISHABLE, SPARQL_JSON, "unfinishable", always_fresh=True)
        clients = [
            Client(
                f"hangup-{i}",
                (unfinishable,),
                headers=key(f"hangup-{i}"),
                duration=HANGUP_SECONDS,
                hang_up_after=HANGUP_AFTER,
            )
            for i in range(1, SLOW_CLIENTS + 1)
        ]
        result = run_clients(server.url, [*clients, light_client(ops, name, HANGUP_SECONDS, HEAD_START)])
        sent = [o for o in result.outcomes if o.client != "light"]
        last = result.started + max((o.started + o.seconds for o in sent), default=0.0)
        drop = wait_for_idle(watch, last)
        during = watch.between(result.started, last)
        after = [s for s in watch.samples if s[0] > last]
    finally:
        watch.stop()
        server.stop()
    return {
        "hangup_clients": SLOW_CLIENTS,
        "hang_up_after_s": HANGUP_AFTER,
        "seconds": HANGUP_SECONDS,
        "light": figures([o for o in result.outcomes if o.client == "light"], HANGUP_SECONDS),
        "hung_up": sum(1 for o in sent if o.status == HUNG_UP),
        "unfinishable_answered": figures([o for o in sent if o.status != HUNG_UP]),
        "cpu_mean_pct_during": round(statistics.fmean(s[2] for s in during[1:]), 0) if len(during) > 1 else None,
        "cpu_drop_s": drop,
        "cpu_after_pct": [(round(s[0] - last, 2), round(s[2])) for s in after],
        "processes_after": after[-1][3] if after else None,
    }


def wait_for_idle(watch: srv.TreeWatch, since: float) -> float | None:
    """Seconds from ``since`` to the first sample from which the tree stays under CPU_IDLE % for
    CPU_IDLE_FOR s; None if that did not happen within CPU_WAIT s."""
    while time.perf_counter() - since < CPU_WAIT:
        time.sleep(watch.interval)
        samples = [s for s in watch.samples if s[0] > since]
        for i, s in enumerate(samples):
            if s[2] >= CPU_IDLE:
                continue
            window = [t for t in samples[i:] if t[0] - s[0] <= CPU_IDLE_FOR]
            if samples[-1][0] - s[0] >= CPU_IDLE_FOR and all(t[2] < CPU_IDLE for t in window):
                return round(s[0] - since, 2)
    return None


def cold(name: str, spec: srv.ServerSpec) -> dict:
    starts, pss, processes = [], [], []
    for _ in range(COLD_STARTS):
        with srv.Server(spec, LOGS, watch_memory=False) as server:
            starts.append(round(server.cold_start, 3))
            time.sleep(1.0)  # idle, after its first answer
            _, summed, count = srv.tree_memory(server.process.pid)
            pss.append(mib(summed))
            processes.append(count)
    return {"cold_start_s": starts, "idle_pss_mib": pss, "processes": processes}


# ---- tables ----


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def statuses_text(found: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in found["statuses"].items()) or "–"


def _row(cells: list) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def table(head: list[str], rows: list[list]) -> list[str]:
    return [_row(head), _row(["---"] * len(head)), *(_row(r) for r in rows)]


def _light_row(server: str, what: str, f: dict) -> list:
    return [
        server,
        what,
        f["answers"],
        f.get("answers_per_s", "–"),
        f["errors"],
        statuses_text(f),
        number(f["p50_ms"]),
        number(f["p99_ms"]),
    ]


LIGHT_HEAD = ["server", "light client", "answers", "answers/s", "errors", "errors by status", "p50 ms", "p99 ms"]
SOAK_CLASSES = ("light", "describe", "REST view", "HTML page", "heavy")
CLASS_COLUMNS = ["class", "requests", "errors", "errors by status", "p50 ms", "p99 ms"]
GOAL_COLUMN = f"goal: 0 errors, light p99 ≤ {LIGHT_P99_GOAL_MS:g} ms"


def class_rows(label: str, classes: dict) -> list[list]:
    """One row per class of the soak's mix, under ``label`` (a server, a scenario, a phase)."""
    return [
        [label, c, f["requests"], f["errors"], statuses_text(f), number(f["p50_ms"]), number(f["p99_ms"])]
        for c in SOAK_CLASSES
        if (f := classes.get(c))
    ]


def soak_goal(found: dict) -> str:
    """Whether a soak's figures (``all`` and ``classes``) meet its goal."""
    light = found["classes"].get("light", {})
    met = found["all"]["errors"] == 0 and (light.get("p99_ms") or 1e9) <= LIGHT_P99_GOAL_MS
    return "met" if met else "missed"


def tables(results: dict) -> str:
    out: list[str] = []
    sc = results["scenarios"]
    if "soak" in sc:
        any_soak = next(iter(sc["soak"].values()))
        out += [f"## 1. Soak: {SOAK_CLIENTS} clients × {any_soak['seconds']:g} s, mixed, one heavy query in ten", ""]
        rows = [row for server, s in sc["soak"].items() for row in class_rows(server, s["classes"])]
        out += table(["server", *CLASS_COLUMNS], rows)
        out += [""]
        rows = []
        for server, s in sc["soak"].items():
            m, light = s["memory_mib"], s["classes"].get("light", {})
            rows.append(
                [
                    server,
                    s["all"]["requests"],
                    s["all"].get("answers_per_s", "–"),
                    s["all"]["errors"],
                    number(light.get("p99_ms")),
                    m["start"],
                    m["peak"],
                    m["end"],
                    m["processes_peak"],
                    number(s["cpu_mean_pct"], 0),
                    soak_goal(s),
                ]
            )
        out += table(
            [
                "server",
                "requests",
                "answers/s",
                "errors",
                "light p99 ms",
                "PSS start MiB",
                "PSS peak MiB",
                "PSS end MiB",
                "processes",
                "CPU % (mean)",
                GOAL_COLUMN,
            ],
            rows,
        )
        out += [""]
    if "starvation" in sc:
        out += [
            f"## 2. Starvation: {STARVATION_COPIES} concurrent `{STARVATION_HEAVY}` from one client beside one "
            f"light client (`01-iri-lookup`, 1 connection, {STARVATION_SECONDS:g} s)",
            "",
        ]
        rows = []
        for server, s in sc["starvation"].items():
            rows.append(_light_row(server, "alone (baseline)", s["light_alone"]))
            rows.append(_light_row(server, "beside the heavy client", s["light_beside_heavy"]))
        out += table(LIGHT_HEAD, rows)
        out += [
            "",
            "The heavy client meanwhile: "
            + "; ".join(
                f"{server}: {s['heavy']['answers']} answers, {s['heavy']['errors']} errors "
                f"({statuses_text(s['heavy'])}), "
                f"p50 {number(s['heavy']['p50_ms'])} ms"
                for server, s in sc["starvation"].items()
            ),
            "",
        ]
    if "slow" in sc:
        out += [
            f"## 3. Four unfinishable queries (re-sent when answered) beside a light client for {SLOW_SECONDS:g} s",
            "",
            f"`{UNFINISHABLE}`",
            "",
        ]
        rows = [_light_row(server, "beside 4 unfinishable", s["light"]) for server, s in sc["slow"].items()]
        out += table(LIGHT_HEAD, rows)
        out += [
            "",
            "Unfinishable queries answered within the run: "
            + "; ".join(
                f"{server}: {s['unfinishable_answered']['requests']} ({statuses_text(s['unfinishable_answered'])}), "
                f"server CPU {number(s['cpu_mean_pct'], 0)} % of one core"
                for server, s in sc["slow"].items()
            ),
            "",
        ]
    if "hangups" in sc:
        out += [
            f"## 4. Hang-ups: {SLOW_CLIENTS} clients send the unfinishable query and close the connection after "
            f"{HANGUP_AFTER:g} s, for {HANGUP_SECONDS:g} s, beside a light client",
            "",
        ]
        rows = [_light_row(server, "during the hang-ups", s["light"]) for server, s in sc["hangups"].items()]
        out += table(LIGHT_HEAD, rows)
        out += [""]
        rows = []
        for server, s in sc["hangups"].items():
            drop = number(s["cpu_drop_s"], 2) if s["cpu_drop_s"] is not None else f"not within {CPU_WAIT:g} s"
            tail = s["cpu_after_pct"][-1][1] if s["cpu_after_pct"] else None
            rows.append(
                [
                    server,
                    s["hung_up"],
                    s["unfinishable_answered"]["requests"],
                    number(s["cpu_mean_pct_during"], 0),
                    drop,
                    number(tail, 0),
                    s["processes_after"],
                ]
            )
        out += table(
            [
                "server",
                "hang-ups",
                "answered",
                "CPU % during",
                f"CPU < {CPU_IDLE:g} % after (s)",
                "CPU % at the last sample",
                "processes after",
            ],
            rows,
        )
        out += [""]
    if "cold" in sc:
        out += [f"## 5. Cold start (spawn → first 200 to ASK) and idle memory, {COLD_STARTS} times", ""]
        rows = [
            [
                server,
                ", ".join(f"{x:.2f}" for x in s["cold_start_s"]),
                number(statistics.median(s["cold_start_s"]), 2),
                ", ".join(f"{x:g}" for x in s["idle_pss_mib"]),
                s["processes"][-1],
            ]
            for server, s in sc["cold"].items()
        ]
        out += table(
            ["server", "cold starts s", "median s", "idle PSS MiB (all processes, 1 s after)", "processes"], rows
        )
        out += [""]
    return "\n".join(out)


def markdown(results: dict, label: str) -> str:
    s = results["setup"]
    caching = (
        "`Cache-Control: no-cache` (migkg runs every query)"
        if s["fresh"]
        else "no Cache-Control (heavy and unfinishable queries: no-cache)"
    )
    lines = [
        f"# Soak and faults: {label}",
        "",
        f"bench/soak.py on {results['machine'].get('cpu', '?')} ({os.cpu_count()} cores), build `{s['build']}`, "
        f"{results['wall_seconds']:.0f} s. migkg: {s['workers']} workers (MIGKG_MAX_CONCURRENT_QUERIES), other "
        f"settings default, MIGKG_API_KEYS = every simulated client's key. Oxigraph server: "
        f"`--union-default-graph --timeout-s {s['oxigraph_timeout']}`. SPARQL sent with "
        f"{caching}. "
        "Errors: status ≠ 2xx; 0 = transport error or no answer within the client's 60 s. bench/README.md explains.",
        "",
        tables(results),
        "## Servers",
        "",
        *(f"- {n}: {note}" for n, note in results["servers"].items()),
        "",
        f"Versions: {json.dumps(results['versions'])}; git: {results['git']}",
        "",
    ]
    return "\n".join(lines)


def chosen_scenarios(parser: argparse.ArgumentParser, only: str, scenarios: tuple[str, ...] | list[str]) -> list[str]:
    """The scenarios ``--only`` names (comma-separated), in its order; a parser error for an unknown one."""
    chosen = [name.strip() for name in only.split(",") if name.strip()]
    if unknown := set(chosen) - set(scenarios):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return chosen


def write_results(
    results: dict, label: str, began: float, markdown: Callable[[dict, str], str], tables: Callable[[dict], str]
) -> None:
    """Adds the machine, versions, git state and wall time to ``results``, writes
    bench/results/soak-LABEL.json and .md (by ``markdown``), and prints ``tables``."""
    results["machine"] = report.machine()
    results["versions"] = report.versions()
    results["git"] = report.git_state(ROOT)
    results["wall_seconds"] = round(time.perf_counter() - began, 1)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"soak-{label}.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (RESULTS / f"soak-{label}.md").write_text(markdown(results, label), encoding="utf-8")
    print()
    print(tables(results))
    print(f"wrote bench/results/soak-{label}.md and .json in {results['wall_seconds']:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="the build to serve (default build/)")
    parser.add_argument("--label", default="latest", help="results go to bench/results/soak-LABEL.{md,json}")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the soak (scenario 1), default 60")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("BENCH_MIGKG_WORKERS", os.cpu_count() or 2)),
        help="MIGKG_MAX_CONCURRENT_QUERIES (default: one per core, as bench/run.py)",
    )
    parser.add_argument(
        "--oxigraph-timeout", type=int, default=OXIGRAPH_TIMEOUT, help="the Oxigraph server's --timeout-s"
    )
    parser.add_argument(
        "--allow-cache",
        action="store_true",
        help="light SPARQL without Cache-Control: no-cache (migkg may answer it from its result cache)",
    )
    parser.add_argument("--only", default=",".join(SCENARIOS), help=f"comma-separated subset of {','.join(SCENARIOS)}")
    args = parser.parse_args()
    chosen = chosen_scenarios(parser, args.only, SCENARIOS)
    build = args.build.resolve()
    if not (build / "store").is_dir():
        parser.error(f"no store in {build}; run `make build` or `migkg build --output DIR`")
    setup = Setup(build, args.workers, args.oxigraph_timeout, fresh=not args.allow_cache)
    server_specs = specs(setup)
    ops = Ops(setup)
    began = time.perf_counter()
    results: dict = {
        "setup": {**setup.__dict__, "build": str(build)},
        "servers": {n: s.note for n, s in server_specs.items()},
        "unfinishable": UNFINISHABLE,
        "scenarios": {},
    }
    runners = {
        "soak": lambda n, s: soak(n, s, ops, args.seconds),
        "starvation": lambda n, s: starvation(n, s, ops),
        "slow": lambda n, s: slow(n, s, ops),
        "hangups": lambda n, s: hangups(n, s, ops),
        "cold": cold,
    }
    for scenario in SCENARIOS:
        if scenario not in chosen:
            continue
        results["scenarios"][scenario] = {}
        for name, spec in server_specs.items():
            print(f"[{scenario}] {name} …", flush=True)
            results["scenarios"][scenario][name] = runners[scenario](name, spec)
    write_results(results, args.label, began, markdown, tables)
    return 0


if __name__ == "__main__":
    sys.exit(main())
