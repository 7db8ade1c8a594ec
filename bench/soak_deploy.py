"""The soak of bench/soak.py through the deployments: two replicas behind HAProxy, and a release
published in the middle of the soak, on one server and through the replicas.

    .venv/bin/python bench/soak_deploy.py [--work DIR] [--label deploy] [--seconds 60] [--workers N]
                                          [--only replicas,switch,replicas-switch]

The same clients, mix, figures and tables as soak.py's scenario 1, against migkg only. The replicas
are the topology `migkg replicas` runs (migkg.deploy.replicas), each replica with the settings soak.py
gives its one server. Every server serves the pointer WORK/build, built on the first run; a switch
scenario first builds the next release (WORK/next), then halfway through the soak a process of its
own runs the build's last step on it (graph.build.publish_release: its diff and catalogue, then the
atomic switch of the pointer), and the servers follow the pointer by themselves. Writes
bench/results/soak-LABEL.md and .json; nothing is asserted. bench/README.md ("Soak through the
deployments") says what runs and what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil
import servers as srv
import soak
from loadgen import ClientsResult, Outcome, run_clients

from migkg.api.buildinfo import load_build_info
from migkg.api.settings import Settings
from migkg.deploy.replicas import PROXY_ADDRESS, REPLICA_HOST, Replicas, Topology
from migkg.graph.stages import releases

REPLICAS = 2


@dataclass(frozen=True)
class Scenario:
    topology: str
    replicas: bool  # through REPLICAS replicas behind HAProxy, else one server
    switch: bool  # a new release published halfway through the soak


SCENARIOS = {
    "replicas": Scenario(f"{REPLICAS} replicas behind HAProxy", replicas=True, switch=False),
    "switch": Scenario("one server, a release published halfway", replicas=False, switch=True),
    "replicas-switch": Scenario(f"{REPLICAS} replicas behind HAProxy, a release published halfway", True, True),
}
# Which release answered: each answer's Last-Modified is its release's build time. The ETag and
# /readyz name the release's version, the hash of its quads, which two builds of the same sources share.
RELEASE_HEADER = "last-modified"
NO_RELEASE = "no Last-Modified"
PHASES = ("before", "during", "after")
# The build's own last step, in a process of its own as in a build, imported before the soak so
# that only the publishing itself falls in it: on "go" it publishes and prints the release's path;
# on anything else (this process ended early, closing the pipe) it publishes nothing.
PUBLISH = """
import sys
from pathlib import Path
from migkg.graph.build import publish_release
print("ready", flush=True)
if sys.stdin.readline().strip() == "go":
    print(publish_release(Path(sys.argv[1]), Path(sys.argv[2])), flush=True)
"""


@dataclass(frozen=True)
class Serving:
    """A topology running: where the soak's clients connect, each server's own address (for the
    warm-up, which must reach every one) and a watch on each process tree measured, by name."""

    url: str
    servers: tuple[str, ...]
    watches: dict[str, srv.TreeWatch]


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports: every socket is held until all are bound."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((srv.HOST, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """``values`` in this process's environment, which the replicas' launcher reads and passes on."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value


@contextmanager
def one_server(spec: srv.ServerSpec) -> Iterator[Serving]:
    server, watch = soak.start(spec)
    try:
        yield Serving(server.url, (server.url,), {"migkg": watch})
    finally:
        watch.stop()
        server.stop()


@contextmanager
def behind_haproxy(spec: srv.ServerSpec) -> Iterator[Serving]:
    """migkg replicas' own topology; the launcher adds its balancer's address to each replica's
    MIGKG_TRUSTED_PROXIES, so the replicas take the client from X-Forwarded-For."""
    balancer, *ports = free_ports(REPLICAS + 1)
    logs = soak.LOGS / f"replicas-{balancer}"
    logs.mkdir(parents=True, exist_ok=True)
    with environment(spec.env), Replicas(Topology(srv.HOST, balancer, tuple(ports)), logs=logs) as replicas:
        roots = {f"replica{n}": p.pid for n, p in enumerate(replicas.replicas, 1)} | {"haproxy": replicas.balancer.pid}
        watches = {name: srv.TreeWatch(pid) for name, pid in roots.items()}
        for watch in watches.values():
            watch.start()
        try:
            yield Serving(replicas.topology.url, tuple(f"http://{REPLICA_HOST}:{p}" for p in ports), watches)
        finally:
            for watch in watches.values():
                watch.stop()


def build_release(pointer: Path) -> releases.Release:
    """`migkg build --output pointer`, as `make build` runs it: a new release that pointer points at."""
    log = soak.LOGS / f"build-{pointer.name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    with open(log, "wb") as out:
        subprocess.run([str(srv.BIN / "migkg"), "build", "--output", str(pointer)], stdout=out, stderr=out, check=True)
    release = releases.current(pointer)
    print(f"  built release {release.id} in {time.perf_counter() - began:.0f} s ({log})", flush=True)
    return release


class Publisher:
    """The next release, built, and the process that publishes it into ``pointer`` when told to."""

    def __init__(self, staged: releases.Release, pointer: Path) -> None:
        self.staged = staged
        self.process = subprocess.Popen(
            [sys.executable, "-c", PUBLISH, str(staged.path), str(pointer)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the publishing process did not start")
        self.started: float | None = None  # time.perf_counter() when told to publish
        self.moved: float | None = None  # … and when it had: the pointer is switched last

    def publish(self) -> None:
        self.started = time.perf_counter()
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        if self.process.stdout.readline().strip():
            self.moved = time.perf_counter()
        self.process.wait()


def release_names(*directories: Path) -> dict[str, str]:
    """Release id by the Last-Modified its answers carry (formatted as the server formats it)."""
    infos = [load_build_info(d / "build-info.json") for d in directories]
    return {info.last_modified: info.release for info in infos}


def cpu_seconds() -> tuple[float, float]:
    """CPU seconds used so far by the whole machine (every core, every process) and by this process,
    the load generator: what the measured processes leave of the machine's use is other work's."""
    machine = psutil.cpu_times()
    own = psutil.Process().cpu_times()
    return sum(machine) - machine.idle - getattr(machine, "iowait", 0.0), own.user + own.system


def cpu_shares(before: tuple, after: tuple, began: float, processes: dict) -> dict:
    """Mean CPU during the load, in % of one core: the machine, the load generator, and the rest once
    the measured processes are taken out (other work on the machine, the publishing process)."""
    elapsed = time.perf_counter() - began
    machine, client = (100 * (a - b) / elapsed for a, b in zip(after, before, strict=True))
    measured = sum(p["cpu_mean_pct"] or 0 for p in processes.values())
    return {"machine": round(machine), "load_generator": round(client), "other": round(machine - client - measured)}


def soak_through(
    serving: Serving, ops: soak.Ops, seconds: float, publisher: Publisher | None = None
) -> tuple[dict, ClientsResult]:
    """soak.py's soak against ``serving``, its figures and outcomes; with a publisher, the next
    release is published halfway."""
    mix = ops.mix("migkg")
    warm_statuses = {url: soak.warm(url, mix) for url in serving.servers}
    timer = threading.Timer(seconds / 2, publisher.publish) if publisher else None
    before = {name: watch.sample() for name, watch in serving.watches.items()}
    began, cpu_before = time.perf_counter(), cpu_seconds()
    if timer:
        timer.start()
    result = run_clients(serving.url, soak.soak_clients(mix, seconds, keep_header=RELEASE_HEADER))
    cpu_after = cpu_seconds()
    after = {name: watch.sample() for name, watch in serving.watches.items()}
    if timer:
        timer.join()
    found = {
        "clients": soak.SOAK_CLIENTS,
        "seconds": seconds,
        "elapsed_s": round(result.elapsed, 1),
        "warm_up_statuses": warm_statuses,
        **soak.soak_figures(result.outcomes, result.elapsed),
        "processes": {n: soak.load_figures(w, before[n], after[n]) for n, w in serving.watches.items()},
    }
    found["cpu_pct"] = cpu_shares(cpu_before, cpu_after, began, found["processes"])
    return found, result


def switch_figures(result: ClientsResult, publisher: Publisher, names: dict[str, str], old: str) -> dict:
    """The soak cut, by when each request was sent, at the pointer's move and at the old release's last
    answer: before, during, after, each with its figures and how many answers each release gave."""
    if publisher.moved is None:
        raise RuntimeError(f"the release was not published (exit status {publisher.process.returncode})")
    moved = publisher.moved - result.started
    settled = max([moved, *(o.started + o.seconds for o in result.outcomes if names.get(o.header) == old)])
    new_answers = [o.started for o in result.outcomes if names.get(o.header) == publisher.staged.id]
    bounds = {"before": (0.0, moved), "during": (moved, settled), "after": (settled, result.elapsed)}
    by_phase: dict[str, list[Outcome]] = {phase: [] for phase in PHASES}
    for o in result.outcomes:
        by_phase["before" if o.started < moved else "during" if o.started < settled else "after"].append(o)
    phases = {
        phase: {
            "from_s": round(start, 2),
            "to_s": round(end, 2),
            **soak.soak_figures(by_phase[phase], end - start),
            "answers_by_release": answers_by_release(by_phase[phase], names),
        }
        for phase, (start, end) in bounds.items()
    }
    return {
        "old_release": old,
        "new_release": publisher.staged.id,
        "publish_started_s": round(publisher.started - result.started, 2),
        "pointer_moved_s": round(moved, 2),
        "first_new_answer_sent_s": round(min(new_answers), 2) if new_answers else None,
        "last_old_answer_s": round(settled, 2),
        "phases": phases,
    }


def answers_by_release(outcomes: list[Outcome], names: dict[str, str]) -> dict[str, int]:
    answered = Counter(names.get(o.header, NO_RELEASE) for o in outcomes if 200 <= o.status < 300)
    return dict(sorted(answered.items()))


def run_scenario(scenario: Scenario, spec: srv.ServerSpec, ops: soak.Ops, seconds: float, work: Path) -> dict:
    serve = behind_haproxy if scenario.replicas else one_server
    found = {"topology": scenario.topology}
    if not scenario.switch:
        with serve(spec) as serving:
            return found | soak_through(serving, ops, seconds)[0]
    pointer = Path(spec.env["MIGKG_BUILD_DIR"])
    old = releases.current(pointer)
    next_pointer = work / "next"
    next_pointer.unlink(missing_ok=True)  # the last switch's, left pointing at the release it moved
    publisher = Publisher(build_release(next_pointer), pointer)
    names = release_names(old.path, publisher.staged.path)
    with serve(spec) as serving:
        figures, result = soak_through(serving, ops, seconds, publisher)
    return found | figures | {"switch": switch_figures(result, publisher, names, old.id)}


# ---- tables ----


def tables(results: dict) -> str:
    sc = results["scenarios"]
    any_soak = next(iter(sc.values()))
    out = [f"## Soak: {soak.SOAK_CLIENTS} clients × {any_soak['seconds']:g} s, mixed, one heavy query in ten", ""]
    out += [f"- `{name}`: {s['topology']}" for name, s in sc.items()] + [""]
    rows = [row for name, s in sc.items() for row in soak.class_rows(name, s["classes"])]
    out += [*soak.table(["scenario", *soak.CLASS_COLUMNS], rows), ""]
    rows = [
        [
            name,
            s["all"]["requests"],
            s["all"].get("answers_per_s", "–"),
            s["all"]["errors"],
            soak.statuses_text(s["all"]),
            soak.number(s["classes"].get("light", {}).get("p99_ms")),
            soak.soak_goal(s),
            s["cpu_pct"]["machine"],
            s["cpu_pct"]["load_generator"],
            s["cpu_pct"]["other"],
        ]
        for name, s in sc.items()
    ]
    head = [
        "scenario",
        "requests",
        "answers/s",
        "errors",
        "errors by status",
        "light p99 ms",
        soak.GOAL_COLUMN,
        "machine CPU %",
        "load generator CPU %",
        "other work CPU %",
    ]
    out += [*soak.table(head, rows), ""]
    out += ["## Memory and CPU of each process (with the processes it started)", ""]
    rows = [
        [name, process, m["start"], m["peak"], m["end"], m["processes_peak"], soak.number(p["cpu_mean_pct"], 0)]
        for name, s in sc.items()
        for process, p in s["processes"].items()
        if (m := p["memory_mib"])
    ]
    head = ["scenario", "process", "PSS start MiB", "PSS peak MiB", "PSS end MiB", "processes", "CPU % (mean)"]
    out += [*soak.table(head, rows), ""]
    for name, s in sc.items():
        if "switch" in s:
            out += switch_tables(name, s["switch"])
    return "\n".join(out)


def switch_tables(name: str, switch: dict) -> list[str]:
    first_new = switch["first_new_answer_sent_s"]
    out = [
        f"## Release switch (`{name}`): {switch['old_release']} → {switch['new_release']}",
        "",
        f"Seconds into the soak: publishing began at {switch['publish_started_s']:g}, the pointer had moved at "
        f"{switch['pointer_moved_s']:g}, the first answer from the new release was sent at "
        f"{soak.number(first_new, 2)}, the old release's last answer came at {switch['last_old_answer_s']:g}. "
        "Before: sent before the pointer moved; during: from then to the old release's last answer; after: the rest.",
        "",
    ]
    phases = switch["phases"]
    rows = [
        [
            phase,
            f"{p['from_s']:g}–{p['to_s']:g}",
            p["all"]["requests"],
            p["all"]["errors"],
            soak.statuses_text(p["all"]),
            soak.number(p["classes"].get("light", {}).get("p99_ms")),
            ", ".join(f"{release}: {n}" for release, n in p["answers_by_release"].items()) or "–",
        ]
        for phase, p in phases.items()
    ]
    head = ["phase", "s", "requests", "errors", "errors by status", "light p99 ms", "answers by release"]
    out += [*soak.table(head, rows), ""]
    rows = [row for phase, p in phases.items() for row in soak.class_rows(phase, p["classes"])]
    out += [*soak.table(["phase", *soak.CLASS_COLUMNS], rows), ""]
    return out


def markdown(results: dict, label: str) -> str:
    s = results["setup"]
    lines = [
        f"# Soak through the deployments: {label}",
        "",
        f"bench/soak_deploy.py on {results['machine'].get('cpu', '?')} ({os.cpu_count()} cores), the pointer "
        f"`{s['pointer']}`, {results['wall_seconds']:.0f} s. Every migkg server (the one server, each replica): "
        f"{s['workers']} workers (MIGKG_MAX_CONCURRENT_QUERIES), MIGKG_API_KEYS = every simulated client's key, "
        f"other settings default (MIGKG_RELEASE_CHECK {s['release_check']:g} s); the replicas trust the balancer's "
        f"address {s['balancer_address']} (MIGKG_TRUSTED_PROXIES, added by the launcher). SPARQL sent with "
        "`Cache-Control: no-cache`. Errors: status ≠ 2xx; 0 = transport error or no answer within the client's "
        "60 s. bench/README.md explains.",
        "",
        tables(results),
        f"Versions: {json.dumps(results['versions'])}; git: {results['git']}",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--work",
        type=Path,
        default=soak.RESULTS / "tmp" / "soak-deploy",
        help="where the pointer `build` and its releases live (built on the first run)",
    )
    parser.add_argument("--label", default="deploy", help="results go to bench/results/soak-LABEL.{md,json}")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each soak, default 60")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("BENCH_MIGKG_WORKERS", os.cpu_count() or 2)),
        help="MIGKG_MAX_CONCURRENT_QUERIES of each server (default: one per core, as soak.py)",
    )
    parser.add_argument("--only", default=",".join(SCENARIOS), help=f"comma-separated subset of {','.join(SCENARIOS)}")
    args = parser.parse_args()
    chosen = soak.chosen_scenarios(parser, args.only, SCENARIOS)
    work = args.work.absolute()
    pointer = work / "build"  # never resolved: the servers must follow the pointer, not one release
    if not (pointer / "store").is_dir():
        print(f"building the first release into {pointer} …", flush=True)
        build_release(pointer)
    setup = soak.Setup(pointer, args.workers, soak.OXIGRAPH_TIMEOUT, fresh=True)
    spec = soak.migkg_spec(setup)
    ops = soak.Ops(setup)
    began = time.perf_counter()
    results: dict = {
        "setup": {
            "pointer": str(pointer),
            "workers": args.workers,
            "replicas": REPLICAS,
            "balancer_address": PROXY_ADDRESS,
            "release_check": Settings().release_check,  # the servers read the same environment
            "release_header": RELEASE_HEADER,
        },
        "server": spec.note,
        "scenarios": {},
    }
    for name, scenario in SCENARIOS.items():
        if name in chosen:
            print(f"[{name}] {scenario.topology} …", flush=True)
            results["scenarios"][name] = run_scenario(scenario, spec, ops, args.seconds, work)
    soak.write_results(results, args.label, began, markdown, tables)
    return 0


if __name__ == "__main__":
    sys.exit(main())
