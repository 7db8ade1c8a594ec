"""Figures from the raw runs: medians over rounds, medians of paired ratios, targets, Markdown."""

from __future__ import annotations

import platform
import statistics
import subprocess
from collections import defaultdict
from importlib import metadata
from pathlib import Path

PEERS = ("oxigraph", "rdflib-endpoint")
MIXES = ("mix", "mix-repeated")  # workloads of every query in turn; mix-repeated lets migkg use its result cache
LIGHT = ("01-", "02-", "03-", "11-")  # iri lookup, describe, objective with actions, provenance
VIEW, TWIN = "migkg REST", "migkg SPARQL twin"
PACKAGES = (
    "migkg",
    "pyoxigraph",
    "oxigraph",
    "rdflib",
    "rdflib-endpoint",
    "fastapi",
    "starlette",
    "uvicorn",
    "httptools",
    "pyshacl",
    "owlready2",
    "pyparsing",
    "psutil",
)


def summarise_records(records: list[dict]) -> list[dict]:
    """One row per (dataset, workload, concurrency, server): medians over rounds; migkg rows carry the
    medians of the round-by-round ratios migkg/peer (req/s), REST rows the medians of twin/view."""
    cells: dict[tuple, dict[str, dict[int, dict]]] = defaultdict(lambda: defaultdict(dict))
    for r in records:
        cells[(r["dataset"], r["workload"], r["concurrency"])][r["server"]][r["round"]] = r
    rows = []
    for (dataset, workload, concurrency), by_server in cells.items():
        for server, by_round in by_server.items():
            runs = list(by_round.values())
            row = {
                "dataset": dataset,
                "workload": workload,
                "concurrency": concurrency,
                "server": server,
                "rounds": len(runs),
                "requests": sum(r["requests"] for r in runs),
                "errors": sum(r["errors"] for r in runs),
                "rps": statistics.median(r["rps"] for r in runs),
                "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                "p99_ms": statistics.median(r["p99_ms"] for r in runs),
            }
            if server == "migkg":
                row["ratios"] = {peer: _paired(by_round, by_server[peer]) for peer in PEERS if peer in by_server}
            if server == VIEW and TWIN in by_server:
                row["twin_over_view"] = _paired(by_server[TWIN], by_round)  # >1: the view is slower
            rows.append(row)
    return rows


def _paired(numerator: dict[int, dict], denominator: dict[int, dict]) -> float | None:
    ratios = [
        numerator[k]["rps"] / denominator[k]["rps"] for k in numerator if k in denominator and denominator[k]["rps"] > 0
    ]
    return statistics.median(ratios) if ratios else None


def paired_ratio(records: list[dict], dataset: str, workload: str, concurrency: int, a: str, b: str) -> float | None:
    """Median over rounds of a's req/s ÷ b's req/s in one cell."""
    runs: dict[str, dict[int, dict]] = defaultdict(dict)
    for r in records:
        if (r["dataset"], r["workload"], r["concurrency"]) == (dataset, workload, concurrency):
            runs[r["server"]][r["round"]] = r
    return _paired(runs[a], runs[b]) if runs[a] and runs[b] else None


def find(rows: list[dict], **keys) -> dict | None:
    return next((r for r in rows if all(r.get(k) == v for k, v in keys.items())), None)


def is_query(workload: str) -> bool:
    """A per-query workload (not a mix, not a REST view)."""
    return workload not in MIXES and not workload.startswith("view:")


def targets(results: dict) -> list[dict]:
    rows = results["summary"]
    engine = paired_ratio(results["records"], "1x", "mix", 8, "oxigraph", "rdflib-endpoint")
    build = results["build"]["total_seconds"]
    cold = statistics.median(results["phases"]["1x"]["cold_start"]["migkg"])
    return [
        _ratio_target(rows, "mix", 8, "oxigraph", 1.0, "migkg"),
        _ratio_target(rows, "mix", 32, "oxigraph", 1.0, "migkg"),
        _worst_query_target(rows, "every light query (01, 02, 03, 11)", 0.5, lambda w: w.startswith(LIGHT)),
        _worst_query_target(rows, "every query", 0.4, lambda w: True),
        _spread_target(rows),
        _ratio_target(
            rows,
            "mix",
            8,
            "rdflib-endpoint",
            20.0,
            "migkg",
            f" (the Oxigraph server itself: {engine:.3g}×)" if engine is not None else "",
        ),
        _ratio_target(rows, "mix-repeated", 8, "oxigraph", 3.0, "repeated queries"),
        _ratio_target(rows, "mix-repeated", 32, "oxigraph", 3.0, "repeated queries"),
        _view_target(rows),
        _target("full build ≤ 10 s", build, 10.0, "≤", f"{build:.1f} s"),
        _target("cold start to first answer ≤ 1.5 s (migkg, built store)", cold, 1.5, "≤", f"{cold:.2f} s"),
        _memory_target(results["phases"]["1x"], "at_start", "after start", 150.0),
        _memory_target(results["phases"]["1x"], "peak", "at its peak under the load", 200.0),
        _errors_target(rows),
    ]


def _memory_target(phase: dict, when: str, words: str, goal: float) -> dict:
    """migkg's memory, every process of the server together: the PSS sum (a page shared by n processes
    counts 1/n in each, so shared libraries count once), beside the RSS sum (which counts them n times)."""
    memory = phase.get("memory_at_start" if when == "at_start" else "memory", {}).get("migkg", {})
    prefix = "" if when == "at_start" else "peak_"
    pss, rss = memory.get(f"{prefix}pss_mib"), memory.get(f"{prefix}rss_mib")
    figure = f"{pss:.0f} MiB PSS ({rss:.0f} MiB RSS), {memory.get('processes')} processes" if pss is not None else ""
    return _target(f"memory {words} ≤ {goal:g} MiB (migkg, all its processes, PSS)", pss, goal, "≤", figure)


def _errors_target(rows: list[dict]) -> dict:
    """Errors (status ≠ 2xx, or no answer) in every migkg run of the 1x data: queries, mixes, views."""
    runs = [r for r in rows if r["dataset"] == "1x" and r["server"] in ("migkg", VIEW, TWIN)]
    errors = sum(r["errors"] for r in runs)
    requests = sum(r["requests"] for r in runs)
    return _target("no error under load (migkg, 1x data)", errors, 0, "≤", f"{errors} errors in {requests} requests")


def _ratio_target(
    rows: list[dict], workload: str, concurrency: int, peer: str, goal: float, who: str, note: str = ""
) -> dict:
    """migkg's median paired req/s ratio to ``peer`` in one cell of the 1x data."""
    row = find(rows, dataset="1x", workload=workload, concurrency=concurrency, server="migkg") or {}
    ratio = (row.get("ratios") or {}).get(peer)
    name = f"{who} ≥ {goal:g}× {peer} req/s, {workload} at concurrency {concurrency}"
    return _target(name, ratio, goal, "≥", f"{ratio:.3g}×{note}" if ratio is not None else "")


def _worst_query_target(rows: list[dict], which: str, goal: float, select) -> dict:
    """The lowest migkg/oxigraph ratio over the selected queries, at every concurrency measured (1x data)."""
    cells = [
        (r["workload"], r["concurrency"], r["ratios"]["oxigraph"])
        for r in rows
        if r["dataset"] == "1x"
        and r["server"] == "migkg"
        and is_query(r["workload"])
        and select(r["workload"])
        and (r.get("ratios") or {}).get("oxigraph") is not None
    ]
    name = f"{which} ≥ {goal:g}× oxigraph req/s, at every concurrency"
    if not cells:
        return _target(name, None, goal, "≥", "")
    worst = min(cells, key=lambda c: c[2])
    within = sum(1 for c in cells if c[2] >= goal)
    return _target(
        name,
        worst[2],
        goal,
        "≥",
        f"{within}/{len(cells)} cells within; worst {worst[0]} at c={worst[1]}: {worst[2]:.2f}×",
    )


def _spread_target(rows: list[dict]) -> dict:
    spreads = [
        (r["workload"], r["p99_ms"] / r["p50_ms"])
        for r in rows
        if r["dataset"] == "1x"
        and r["server"] == "migkg"
        and r["concurrency"] == 8
        and is_query(r["workload"])
        and r["p50_ms"] > 0
    ]
    name = "p99 ≤ 3× p50 under load (migkg, each query at concurrency 8)"
    if not spreads:
        return _target(name, None, 3.0, "≤", "")
    worst = max(spreads, key=lambda s: s[1])
    within = sum(1 for _, s in spreads if s <= 3)
    return _target(
        name, worst[1], 3.0, "≤", f"{within}/{len(spreads)} queries within; worst {worst[0]} {worst[1]:.1f}×"
    )


def _view_target(rows: list[dict]) -> dict:
    views = [
        (r["workload"], r["concurrency"], r["twin_over_view"])
        for r in rows
        if r["server"] == VIEW and r.get("twin_over_view") is not None and r["workload"] != "view:search"
    ]
    name = "REST views within 1.5× the SPARQL they wrap (twin req/s ÷ view req/s)"
    if not views:
        return _target(name, None, 1.5, "≤", "no view with a twin served")
    worst = max(views, key=lambda v: v[2])
    return _target(name, worst[2], 1.5, "≤", f"worst {worst[0]} at c={worst[1]}: {worst[2]:.2f}×")


def _target(name: str, value: float | None, goal: float, sense: str, figure: str) -> dict:
    """With no ``value`` (not measured) ``met`` is None and the figure says so."""
    met = None if value is None else (value >= goal if sense == "≥" else value <= goal)
    return {"target": name, "figure": figure or "not measured", "value": value, "goal": goal, "met": met}


def _mark(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "n/a"}[met]


def _f(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.{digits}f}"


def mix_table(rows: list[dict], dataset: str, workload: str = "mix") -> list[str]:
    lines = [
        "| concurrency | server | req/s | p50 ms | p99 ms | errors | migkg/peer (median of paired ratios) |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(
        (r for r in rows if r["dataset"] == dataset and r["workload"] == workload),
        key=lambda r: (r["concurrency"], _server_order(r["server"])),
    ):
        ratio = ""
        migkg = find(rows, dataset=dataset, workload=workload, concurrency=r["concurrency"], server="migkg")
        if r["server"] != "migkg" and migkg and migkg.get("ratios", {}).get(r["server"]) is not None:
            ratio = f"{migkg['ratios'][r['server']]:.2f}×"
        lines.append(
            f"| {r['concurrency']} | {r['server']} | {_f(r['rps'])} | {_f(r['p50_ms'])} | {_f(r['p99_ms'])} "
            f"| {r['errors']} | {ratio} |"
        )
    return lines


def _server_order(name: str) -> int:
    return {"migkg": 0, "oxigraph": 1, "rdflib-endpoint": 2}.get(name, 3)


def query_table(rows: list[dict], dataset: str, concurrency: int) -> list[str]:
    servers = sorted(
        {
            r["server"]
            for r in rows
            if r["dataset"] == dataset and r["concurrency"] == concurrency and is_query(r["workload"])
        },
        key=_server_order,
    )
    if not servers:
        return []
    head = "| query | " + " | ".join(f"{s} req/s · p50 · p99 ms · err" for s in servers)
    peers = [s for s in servers if s != "migkg"]
    head += "".join(f" | migkg/{p}" for p in peers) + " |"
    lines = [head, "|---|" + "---:|" * (len(servers) + len(peers))]
    names = sorted(
        {
            r["workload"]
            for r in rows
            if r["dataset"] == dataset and r["concurrency"] == concurrency and is_query(r["workload"])
        }
    )
    for name in names:
        cells = []
        for s in servers:
            r = find(rows, dataset=dataset, workload=name, concurrency=concurrency, server=s)
            cells.append(f"{_f(r['rps'])} · {_f(r['p50_ms'])} · {_f(r['p99_ms'])} · {r['errors']}" if r else "–")
        migkg = find(rows, dataset=dataset, workload=name, concurrency=concurrency, server="migkg") or {}
        for p in peers:
            ratio = (migkg.get("ratios") or {}).get(p)
            cells.append(f"{ratio:.2f}×" if ratio is not None else "–")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def view_table(rows: list[dict], dataset: str) -> list[str]:
    lines = [
        "| view | concurrency | REST req/s · p50 · p99 ms · err | SPARQL twin req/s · p50 · p99 ms · err "
        "| twin ÷ view (req/s) |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in sorted(
        (r for r in rows if r["dataset"] == dataset and r["server"] == VIEW),
        key=lambda r: (r["workload"], r["concurrency"]),
    ):
        twin = find(rows, dataset=dataset, workload=r["workload"], concurrency=r["concurrency"], server=TWIN)
        twin_cell = (
            f"{_f(twin['rps'])} · {_f(twin['p50_ms'])} · {_f(twin['p99_ms'])} · {twin['errors']}" if twin else "–"
        )
        ratio = r.get("twin_over_view")
        lines.append(
            f"| {r['workload'][5:]} | {r['concurrency']} | {_f(r['rps'])} · {_f(r['p50_ms'])} · "
            f"{_f(r['p99_ms'])} · {r['errors']} | {twin_cell} | {f'{ratio:.2f}×' if ratio else '–'} |"
        )
    return lines


def _scaled(results: dict, dataset: str) -> dict | None:
    """How the scaled data set ``dataset`` was made; results written before there were two keep
    the one they had unkeyed."""
    scaled = results.get("scaled") or {}
    if "factor" in scaled:
        return scaled if dataset == f"{scaled['factor']}x" else None
    return scaled.get(dataset)


def markdown(results: dict, label: str) -> str:
    rows = results["summary"]
    phases = results["phases"]
    out = [
        f"# migkg benchmark: {label}",
        "",
        f"Run by `make bench` (`bench/run.py --label {label}`) on {results['machine']['date']}, git "
        f"{results['git']}; {results['wall_seconds']:.0f} s. Method: `bench/README.md`.",
        "",
        "## Targets",
        "",
        "| target | figure | |",
        "|---|---|---|",
    ]
    out += [f"| {t['target']} | {t['figure']} | {_mark(t['met'])} |" for t in results["targets"]]
    for dataset, phase in phases.items():
        out += ["", f"## {dataset} data", ""]
        if s := _scaled(results, dataset):
            out += [
                f"{s['factor']} copies of the build with fresh IRIs: {s['quads']:,} quads "
                f"({s['quads'] / s['base_quads']:.1f}× the {s['base_quads']:,} of the build).",
                "",
            ]
        out += ["Servers: " + "; ".join(f"**{n}**: {note}" for n, note in phase["servers"].items()) + ".", ""]
        out += ["### The mix (every query in turn)", "", *mix_table(rows, dataset)]
        repeated = mix_table(rows, dataset, "mix-repeated")
        if len(repeated) > 2:
            out += ["", "### Repeated queries (migkg answers from its result cache)", "", *repeated]
        for c in (1, 8, 32):
            table = query_table(rows, dataset, c)
            if table:
                out += ["", f"### Each query at concurrency {c}", "", *table]
        views = view_table(rows, dataset)
        if len(views) > 2:
            out += ["", "### REST views against the SPARQL they wrap (migkg)", "", *views]
            out += [""] + [f"- `{v['target']}`: twin = {v['twin']}" for v in phase.get("views", [])]
        out += [
            "",
            "### Cold start, memory, answers",
            "",
            "| server | cold start to first answer, s | after start RSS MiB (PSS) | peak RSS MiB (PSS) | processes |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in phase["cold_start"]:
            starts = phase["cold_start"][name]
            mem = phase["memory"].get(name, {})
            start = phase.get("memory_at_start", {}).get(name, {})
            out.append(
                f"| {name} | {statistics.median(starts):.2f} (of {', '.join(f'{s:.2f}' for s in starts)}) | "
                f"{start.get('rss_mib', '–')} ({start.get('pss_mib', '–')}) | "
                f"{mem.get('peak_rss_mib', '–')} ({mem.get('peak_pss_mib', '–')}) | {mem.get('processes', '–')} |"
            )
        answers = phase.get("answers", {})
        if answers:
            names = list(next(iter(answers.values())).keys())
            out += [
                "",
                "Rows (or triples) each server returned, checked once before the load:",
                "",
                "| query | " + " | ".join(names) + " |",
                "|---|" + "---:|" * len(names),
            ]
            out += [f"| {q} | " + " | ".join(str(a.get(n, "–")) for n in names) + " |" for q, a in answers.items()]
    build = results["build"]
    out += [
        "",
        "## Build",
        "",
        f"{build['source']}: {build['total_seconds']:.1f} s wall"
        + (f", peak RSS {build['peak_rss_mib']} MiB" if "peak_rss_mib" in build else "")
        + ".",
        "",
        "| stage | seconds |",
        "|---|---:|",
    ]
    out += [f"| {stage} | {seconds:.2f} |" for stage, seconds in build["stages"].items()]
    if results["notes"]:
        out += ["", "## Notes", ""] + [f"- {n}" for n in results["notes"]]
    m = results["machine"]
    out += [
        "",
        "## Machine and versions",
        "",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; Python {m['python']}; {m['java']}. "
        f"The load generator runs on the same machine as the servers; other work on the machine adds noise.",
        "",
        "| package | version |",
        "|---|---|",
    ]
    out += [f"| {p} | {v} |" for p, v in results["versions"].items()]
    return "\n".join(out) + "\n"


def console(results: dict) -> str:
    rows = results["summary"]
    out = []
    for dataset in results["phases"]:
        out += ["", f"mix, {dataset} data", *mix_table(rows, dataset)]
        repeated = mix_table(rows, dataset, "mix-repeated")
        if len(repeated) > 2:
            out += [
                "",
                f"repeated queries (mix-repeated: migkg answers from its result cache), {dataset} data",
                *repeated,
            ]
    out += ["", "targets:"]
    out += [f"  [{_mark(t['met']):>6}] {t['target']}: {t['figure']}" for t in results["targets"]]
    return "\n".join(out)


def machine() -> dict:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    except (OSError, IndexError):
        java = "no java"
    import datetime
    import os

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "java": java,
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def versions() -> dict:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def git_state(root: Path) -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        return f"{head}{' (with uncommitted changes)' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":  # re-render NAME.md from NAME.json: python bench/report.py bench/results/NAME.json
    import json
    import sys

    source = Path(sys.argv[1])
    data = json.loads(source.read_text(encoding="utf-8"))
    data["summary"] = summarise_records(data["records"])
    data["targets"] = targets(data)
    source.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    source.with_suffix(".md").write_text(markdown(data, source.stem), encoding="utf-8")
    print(console(data))
