"""Profile migkg under the benchmark's load with py-spy (sampling; the server runs unmodified).

    .venv/bin/python bench/profile.py [--label NAME] [--seconds 20] [--concurrency 8] [--build DIR]
                                      [--only 01-iri-lookup,02-describe]

Starts `migkg serve` on the build, runs the query mix from bench/queries (or only the queries
named by --only) at the given concurrency while `py-spy record` samples the server and its query
workers, and writes bench/results/profiles/NAME.txt: the functions with the most samples (own
and inclusive), for the server's main process and for the workers, plus the collapsed stacks
(NAME.folded) for a flame graph (e.g. speedscope).

    .venv/bin/python bench/profile.py --folded FILE --label NAME

summarises collapsed stacks recorded elsewhere, e.g. of the build:
`py-spy record --format raw -o FILE -- .venv/bin/migkg build --output /tmp/b`.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import time
from pathlib import Path

import servers as srv
from loadgen import run_load, summarise
from workload import load_queries, query_operation

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "results" / "profiles"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--label", default="migkg")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="comma-separated query names (bench/queries stems) instead of the mix")
    parser.add_argument("--folded", type=Path, help="summarise this py-spy raw output instead of running the load")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.folded:
        text = summary(args.folded, None, args)
        (OUT / f"{args.label}.txt").write_text(text, encoding="utf-8")
        print(text)
        return 0
    folded = OUT / f"{args.label}.folded"
    queries = load_queries()
    if args.only:
        wanted = args.only.split(",")
        unknown = sorted(set(wanted) - {q.name for q in queries})
        if unknown:
            parser.error(f"--only names no query in bench/queries: {', '.join(unknown)}")
        queries = [q for q in queries if q.name in wanted]
    with srv.Server(srv.migkg(args.build, args.workers), ROOT / "bench" / "results" / "tmp" / "logs") as server:
        ops = [query_operation(q, server.spec.sparql_path) for q in queries]
        run_load(server.url, ops, 1, 30.0, len(ops))  # warm-up
        spy = subprocess.Popen(
            [
                str(srv.BIN / "py-spy"),
                "record",
                "--pid",
                str(server.process.pid),
                "--subprocesses",
                "--rate",
                "200",
                "--duration",
                str(int(args.seconds) + 2),
                "--format",
                "raw",
                "--output",
                str(folded),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.0)
        result = run_load(server.url, ops, args.concurrency, args.seconds, 10**6)
        figures = summarise(result.outcomes, result.elapsed)
        _, err = spy.communicate(timeout=120)
    if not folded.is_file():
        sys.stderr.write(err.decode(errors="replace"))
        return 1
    text = summary(folded, figures, args)
    (OUT / f"{args.label}.txt").write_text(text, encoding="utf-8")
    print(text)
    return 0


def summary(folded: Path, figures: dict | None, args: argparse.Namespace, top: int = 25) -> str:
    """Own and inclusive sample counts per function, separately for the server and the workers."""
    own: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    inclusive: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    totals: collections.Counter = collections.Counter()
    for line in folded.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")
        role = "worker" if any("migkg.api.worker" in f or "worker_main" in f for f in frames) else "main"
        n = int(count)
        totals[role] += n
        frames = [f for f in frames if not f.startswith("process ") and not f.startswith("thread ")]
        if frames:
            own[role][_short(frames[-1])] += n
        for f in {_short(f) for f in frames}:
            inclusive[role][f] += n
    if figures is None:
        lines = [f"py-spy samples from {folded.name}", ""]
    else:
        lines = [
            f"py-spy, {args.seconds:g} s of {args.only or 'the query mix'} at concurrency {args.concurrency}, "
            f"{args.workers} workers: {figures['requests']} requests, {figures['rps']:.1f} req/s, "
            f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, {figures['errors']} errors",
            "",
        ]
    for role in ("main", "worker"):
        if not totals[role]:
            continue
        lines += [f"== {role} processes: {totals[role]} samples (on-CPU only) ==", "", "-- own --"]
        lines += [f"{n / totals[role]:6.1%}  {f}" for f, n in own[role].most_common(top)]
        lines += ["", "-- inclusive --"]
        lines += [f"{n / totals[role]:6.1%}  {f}" for f, n in inclusive[role].most_common(top)]
        lines.append("")
    return "\n".join(lines)


def _short(frame: str) -> str:
    """py-spy's "function (path/to/file.py:123)" without the site-packages prefix and the line."""
    name, _, where = frame.partition(" (")
    where = where.rstrip(")")
    path, _, _line = where.rpartition(":")
    for marker in ("site-packages/", "/lib/python3"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})" if path else name


if __name__ == "__main__":
    sys.exit(main())
