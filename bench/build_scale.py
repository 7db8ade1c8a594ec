"""`make bench-build-scale`: the build's time and peak memory on 1×, 4× and 16× copies of the sources.

    .venv/bin/python bench/build_scale.py [--copies 1,4,16] [--work DIR] [--timeout SECONDS]

For each number of copies k, a sources directory holds the real manifest's sources k times (but
`NOT_COPIED`, once): copy 0 with the real ids, copy i (1 ≤ i < k) with ids of its own (`<id>-copy-i`, document
`<document>-copy-i`) and `ids_under = "copy-i"`, so that its resources are minted under
`https://w3id.org/migkg/id/copy-i/` (graph/core/source.py). The files are the real ones, linked.
Each build runs as `migkg build --sources DIR` in a process of its own. Writes
bench/results/build-scale.md and .json and prints the tables; bench/README.md explains the method.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import psutil
import report
from servers import tree_memory

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SOURCES = ROOT / "graph" / "sources"
MIGKG = ROOT / ".venv" / "bin" / "migkg"
STAGES = ("sources", "extract", "link", "crosswalk", "reason", "validate", "publish")
STAGE_LINE = re.compile(r"^\[\d+/\d+\] (\S+) (…|done in ([0-9.]+) s)")
TRIPLES_LINE = re.compile(r"migkg build: (\d+) triples")
# growth worse than linear: the stage's time grows by more than this factor times the copies' ratio,
# so that noise on a shared machine (and a stage of a few hundredths of a second) is not flagged
WORSE_THAN_LINEAR = 1.25
SHORT_STAGE_S = 0.5  # too short at 1× for a ratio to mean anything
# what a copy of a document shares with copy 0, with why: the production checks it must pass
SHARED = {
    "migof-toolbox": (
        ["migof"],
        "shapes/migof.ttl (EssentialElementShape) requires every essential element to be mig:partOf "
        "id/migof, so a copy of the toolbox describes the one MiGOF (id/migof is shared; its elements, "
        "recommendations and the rest are the copy's own). The GCM booklet's copies have a GCM of their "
        "own: queries/checks/objective-number-invalid.rq requires an objective to be "
        "<framework>/objective/<n>, its number unique within the framework",
    )
}
# documents copy 0 alone has, with why: a copy, a document of its own, cannot pass these production checks
NOT_COPIED = {
    "nua-table": "shapes/nua.ttl (TableRowShape) requires every table row to have dcterms:source in "
    "(id/doc/nua-table-tsv, id/doc/nua-table-ocr) and mig:partOf id/doc/nua-table, the real table's "
    "renderings, which a copy with documents of its own cannot satisfy; its 3 rows are 0.3% of the graph",
}


def copies_manifest(copies: int) -> str:
    """The real manifest's sources `copies` times, copy 0 as it is, the others with fresh ids."""
    entries = tomllib.loads((SOURCES / "manifest.toml").read_text(encoding="utf-8"))["source"]
    blocks = []
    for copy in range(copies):
        for entry in entries:
            document = entry["document"]
            if copy and document in NOT_COPIED:
                continue
            if copy:
                entry = {
                    **entry,
                    "id": f"{entry['id']}-copy-{copy}",
                    "document": f"{document}-copy-{copy}",
                    "label": f"{entry['label']} — copy {copy}",
                    "ids_under": f"copy-{copy}",
                }
                if document in SHARED:
                    entry["shares_ids"] = SHARED[document][0]
            blocks.append("[[source]]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in entry.items()))
    return f"# {copies} copies of graph/sources/manifest.toml, written by bench/build_scale.py\n\n" + "\n".join(blocks)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)  # a JSON string (or list of strings) is TOML too


def write_sources(directory: Path, copies: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for path in SOURCES.iterdir():
        if path.is_file() and path.name != "manifest.toml":
            link = directory / path.name
            link.unlink(missing_ok=True)
            link.symlink_to(path)
    (directory / "manifest.toml").write_text(copies_manifest(copies), encoding="utf-8")
    return directory


@dataclass
class Watch:
    """Samples the build process and the processes it forked (validate) every `interval` s: the
    summed RSS, and the summed PSS, which counts the pages the fork shares with its parent once."""

    pid: int
    interval: float = 0.25
    samples: list[tuple[float, int, int, int]] = field(default_factory=list)  # time, RSS, PSS, processes
    halt: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.halt.is_set():
            now = time.perf_counter()
            found = tree_memory(self.pid)
            if found is None:
                return
            self.samples.append((now, *found))
            self.halt.wait(self.interval)

    def peak(self, start: float, end: float, column: int) -> int:
        return max((s[column] for s in self.samples if start <= s[0] <= end), default=0)


def stop_tree(pid: int) -> None:
    """The build and the processes it forked (validate), which would outlive it."""
    try:
        build = psutil.Process(pid)
        processes = [*build.children(recursive=True), build]
    except psutil.Error:
        return
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()


def mib(n: int) -> float:
    return round(n / 2**20, 1)


def run_build(copies: int, work: Path, timeout: float) -> dict:
    """One build of `copies` copies in a child process: its time, its stages' times and peak memory."""
    sources = write_sources(work / f"sources-{copies}x", copies)
    log = work / f"build-{copies}x.log"
    command = [str(MIGKG), "build", "--output", str(work / f"build-{copies}x"), "--sources", str(sources)]
    print(f"{copies}×: {' '.join(command)}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watch = Watch(process.pid)
    sampler = threading.Thread(target=watch.run, daemon=True)
    sampler.start()
    killer = threading.Timer(timeout, stop_tree, (process.pid,))
    killer.start()
    marks: dict[str, list[float]] = {}  # stage → [started, finished] on the perf_counter clock
    seconds: dict[str, float] = {}
    lines = []
    with log.open("w", encoding="utf-8") as kept:
        for line in process.stdout:
            now = time.perf_counter()
            kept.write(line)
            kept.flush()
            lines.append(line)
            print(f"  {line.rstrip()}", flush=True)
            if found := STAGE_LINE.match(line):
                marks.setdefault(found.group(1), []).append(now)
                if found.group(3):
                    seconds[found.group(1)] = float(found.group(3))
    # wait4 gives the child's own resource use, with that of the processes it waited for (the
    # validate fork): ru_maxrss is the largest RSS any one of them reached, exactly, not sampled
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    total = time.perf_counter() - started
    killer.cancel()
    watch.halt.set()
    sampler.join()
    triples = next((int(m.group(1)) for line in lines if (m := TRIPLES_LINE.search(line))), None)
    result = {
        "copies": copies,
        "date": report.machine()["date"],
        "exit_code": process.returncode,
        "timed_out": process.returncode == -9 and total >= timeout,
        "total_seconds": round(total, 2),
        "stages_seconds": seconds,
        # a stage the timeout stopped: how long it had run
        "unfinished_seconds": {
            stage: round(time.perf_counter() - times[0], 1) for stage, times in marks.items() if stage not in seconds
        },
        "triples": triples,
        "peak_rss_one_process_mib": mib(usage.ru_maxrss * 1024),
        "peak_rss_tree_mib": mib(watch.peak(started, time.perf_counter(), 1)),
        "peak_pss_tree_mib": mib(watch.peak(started, time.perf_counter(), 2)),
        "stages_peak_rss_tree_mib": {
            stage: mib(watch.peak(times[0], times[-1], 1)) for stage, times in marks.items() if len(times) == 2
        },
        "log": str(log.relative_to(ROOT) if log.is_relative_to(ROOT) else log),
    }
    if process.returncode != 0:
        result["failure"] = "".join(lines[-15:])
    return result


def growth(builds: list[dict]) -> list[dict]:
    """For each stage (and the total), each step from one number of copies to the next: the time's
    ratio, that ratio ÷ the copies' ratio (1 = linear), and whether it is worse than linear."""
    done = [b for b in builds if b["exit_code"] == 0]
    rows = []
    for stage in (*STAGES, "total"):
        for smaller, larger in pairwise(done):
            before, after = stage_seconds(smaller, stage), stage_seconds(larger, stage)
            if before is None or after is None:
                continue
            factor = larger["copies"] / smaller["copies"]
            ratio = after / before if before > 0 else None
            per_copy = ratio / factor if ratio is not None else None
            rows.append(
                {
                    "stage": stage,
                    "from": smaller["copies"],
                    "to": larger["copies"],
                    "seconds": [before, after],
                    "ratio": round(ratio, 2) if ratio is not None else None,
                    "ratio_over_linear": round(per_copy, 2) if per_copy is not None else None,
                    "worse_than_linear": per_copy is not None
                    and before >= SHORT_STAGE_S
                    and per_copy > WORSE_THAN_LINEAR,
                }
            )
    return rows


def stage_seconds(build: dict, stage: str) -> float | None:
    return build["total_seconds"] if stage == "total" else build["stages_seconds"].get(stage)


def markdown(results: dict) -> str:
    builds = results["builds"]
    heads = [f"{b['copies']}×" for b in builds]
    out = [
        "# The build on copies of the sources",
        "",
        f"Run by `make bench-build-scale` (`bench/build_scale.py --copies "
        f"{','.join(str(b['copies']) for b in builds)}`) on {results['machine']['date']}, git {results['git']}; "
        f"{results['wall_seconds']:.0f} s. Copy 0 has the real ids, every other copy ids of its own "
        "(`ids_under`). Method: `bench/README.md`.",
        "",
        "## Seconds per stage",
        "",
        "validate runs in its own process beside publish, so the total is less than the sum.",
        "",
        "| stage | " + " | ".join(heads) + " |",
        "|---|" + "---:|" * len(builds),
    ]
    for stage in (*STAGES, "total"):
        out.append(f"| {stage} | " + " | ".join(_seconds(b, stage) for b in builds) + " |")
    out += [
        "",
        "## Size and peak memory",
        "",
        "| | " + " | ".join(heads) + " |",
        "|---|" + "---:|" * len(builds),
        "| outcome | " + " | ".join(_outcome(b) for b in builds) + " |",
        "| triples | " + " | ".join(f"{b['triples']:,}" if b["triples"] else "–" for b in builds) + " |",
        "| peak RSS of one process (MiB, exact) | "
        + " | ".join(f"{b['peak_rss_one_process_mib']:,.0f}" for b in builds)
        + " |",
        "| peak RSS, build + validate fork (MiB, sampled) | "
        + " | ".join(f"{b['peak_rss_tree_mib']:,.0f}" for b in builds)
        + " |",
        "| peak PSS, build + validate fork (MiB, sampled) | "
        + " | ".join(f"{b['peak_pss_tree_mib']:,.0f}" for b in builds)
        + " |",
    ]
    for stage in STAGES:
        cells = [b["stages_peak_rss_tree_mib"].get(stage) for b in builds]
        out.append(
            f"| peak RSS during {stage} (MiB) | "
            + " | ".join(f"{c:,.0f}" if c is not None else "–" for c in cells)
            + " |"
        )
    out += [
        "",
        "## Growth against linear",
        "",
        f"ratio = the stage's seconds at the larger copies ÷ at the smaller; ÷ linear = that ratio ÷ the "
        f"copies' ratio (1.0 is linear, 4.0 on a 4× step is quadratic). **worse** marks a stage above "
        f"{WORSE_THAN_LINEAR} × linear (and at least {SHORT_STAGE_S} s at the smaller copies).",
        "",
        "| stage | step | seconds | ratio | ÷ linear | |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in results["growth"]:
        out.append(
            f"| {row['stage']} | {row['from']}× → {row['to']}× | {row['seconds'][0]:.2f} → {row['seconds'][1]:.2f} | "
            f"{_f(row['ratio'])} | {_f(row['ratio_over_linear'])} | {'**worse**' if row['worse_than_linear'] else ''} |"
        )
    for b in builds:
        if b.get("failure"):
            out += ["", f"## {b['copies']}×: {_outcome(b)}", "", "```", b["failure"].rstrip(), "```"]
    out += ["", "## Shared by the copies", ""] + [
        f"- `{doc}`: {', '.join(f'id/{i}' for i in shared['ids'])}. {shared['why']}."
        for doc, shared in results["shared"].items()
    ]
    out += ["", "## Not copied", ""] + [f"- `{doc}`: {why}." for doc, why in results["not_copied"].items()]
    if results.get("notes"):
        out += ["", "## Notes", ""] + [f"- {note}" for note in results["notes"]]
    m = results["machine"]
    out += [
        "",
        "## Machine",
        "",
        f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; Python {m['python']}; {m['java']}. "
        "The machine is shared with other work, which adds noise.",
    ]
    return "\n".join(out) + "\n"


def _seconds(build: dict, stage: str) -> str:
    value = stage_seconds(build, stage)
    if value is None and stage in build.get("unfinished_seconds", {}):
        return f"> {build['unfinished_seconds'][stage]:.0f} (stopped)"
    return "–" if value is None or (stage == "total" and build["exit_code"] != 0) else f"{value:.2f}"


def _outcome(build: dict) -> str:
    if build["exit_code"] == 0:
        return "built"
    return f"stopped after {build['total_seconds']:.0f} s (timeout)" if build["timed_out"] else "failed"


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", default="1,4,16", help="numbers of copies, comma-separated (default 1,4,16)")
    parser.add_argument("--work", type=Path, default=RESULTS / "tmp" / "build-scale", help="sources and builds")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a build may take before it is stopped")
    parser.add_argument("--label", default="build-scale", help="results go to bench/results/LABEL.{json,md}")
    parser.add_argument("--note", action="append", default=[], help="a note for the results (repeatable)")
    parser.add_argument(
        "--add", action="store_true", help="keep the builds of other copies from the results file already there"
    )
    args = parser.parse_args()
    copies = sorted({int(n) for n in args.copies.split(",")})
    results_file = RESULTS / f"{args.label}.json"
    earlier = json.loads(results_file.read_text(encoding="utf-8")) if args.add and results_file.exists() else {}
    began = time.perf_counter()
    built = {b["copies"]: b for b in earlier.get("builds", [])}
    built.update({k: run_build(k, args.work.absolute(), args.timeout) for k in copies})
    builds = [built[k] for k in sorted(built)]
    results = {
        "builds": builds,
        "growth": growth(builds),
        "shared": {document: {"ids": ids, "why": why} for document, (ids, why) in SHARED.items()},
        "not_copied": NOT_COPIED,
        "notes": [*earlier.get("notes", []), *args.note],
        "machine": report.machine(),
        "git": report.git_state(ROOT),
        "wall_seconds": round(earlier.get("wall_seconds", 0) + time.perf_counter() - began, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    results_file.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    text = markdown(results)
    (RESULTS / f"{args.label}.md").write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"wrote bench/results/{args.label}.md and .json in {results['wall_seconds']:.0f} s")
    return 0 if all(b["exit_code"] == 0 for b in builds) else 1


if __name__ == "__main__":
    sys.exit(main())
