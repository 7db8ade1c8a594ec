"""What handing a message to another process costs, apart from the work it carries.

    .venv/bin/python bench/wakeup_cost.py [--round-trips 20000]

Two processes bounce one byte over a Unix socket pair, as the server and a query worker do once per
query (api/store.py), first each free to run on any core, then both pinned to one core. Printed: the
round trip, and the CPU each side spends on it (getrusage), medians of five runs. Across cores a
round trip wakes a sleeping process twice, and on a virtual machine each wakeup is an interrupt to
another virtual CPU; on one core it is a plain context switch. The difference is a floor under the
cost of the worker hop that no change in our code removes (docs/engine.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import time

RUNS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--round-trips", type=int, default=20000)
    args = parser.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    print(f"{len(cores)} cores; {args.round_trips} round trips a run, median of {RUNS} runs")
    print(f"{'placement':<16} {'round trip µs':>14} {'sender CPU µs':>14} {'echo CPU µs':>12}")
    for placement, pinned in (("any core", None), ("one core", {cores[0]})):
        runs = [_ping_pong(args.round_trips, pinned) for _ in range(RUNS)]
        medians = [statistics.median(run[i] for run in runs) for i in range(3)]
        print(f"{placement:<16} {medians[0]:>14.1f} {medians[1]:>14.1f} {medians[2]:>12.1f}")
    return 0


def _ping_pong(round_trips: int, pinned: set[int] | None) -> tuple[float, float, float]:
    """Microseconds a round trip: wall time, the sender's CPU, the echoing child's CPU."""
    everywhere = os.sched_getaffinity(0)
    if pinned:
        os.sched_setaffinity(0, pinned)
    sender, echo = socket.socketpair()
    child = os.fork()
    if child == 0:
        sender.close()
        while data := echo.recv(64):
            echo.send(data)
        os._exit(0)
    echo.close()
    before = _cpu(resource.RUSAGE_SELF)
    started = time.perf_counter()
    for _ in range(round_trips):
        sender.send(b"x")
        sender.recv(64)
    wall = time.perf_counter() - started
    sent = _cpu(resource.RUSAGE_SELF) - before
    echoed_before = _cpu(resource.RUSAGE_CHILDREN)
    sender.close()
    os.waitpid(child, 0)
    echoed = _cpu(resource.RUSAGE_CHILDREN) - echoed_before
    os.sched_setaffinity(0, everywhere)
    return tuple(seconds / round_trips * 1e6 for seconds in (wall, sent, echoed))


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    raise SystemExit(main())
