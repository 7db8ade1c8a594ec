"""The server process's own CPU per /sparql request, in-process (no HTTP, no load generator).

    .venv/bin/python bench/request_cost.py [--build DIR] [--requests 1500] [--rounds 4]

Opens the app on the build as `migkg serve` would (its lifespan: the release, two query workers),
then sends one light query (bench/queries/01-iri-lookup.rq) straight to the ASGI app over and over
and reports the process CPU time (time.process_time: this process only, so the worker's share of
an uncached query is not in it) per request, the minimum over the rounds, on uvloop (the event
loop uvicorn serves on): answered from the result cache, and run again (`Cache-Control: no-cache`,
one hop to a worker). The same figures with the app's own middleware removed show what that
middleware costs. A figure of this process alone, measured without contention: the live server's
cost per request is larger (HTTP parsing, the event loop, the machine shared with its workers and
the client), the ratios hold.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from urllib.parse import urlencode

import uvloop

ROOT = Path(__file__).resolve().parent.parent
QUERY = ROOT / "bench" / "queries" / "01-iri-lookup.rq"


def _scope(query_string: bytes, fresh: bool) -> dict:
    headers = [(b"host", b"127.0.0.1:8000"), (b"accept", b"application/sparql-results+json")]
    if fresh:
        headers.append((b"cache-control", b"no-cache"))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/sparql",
        "raw_path": b"/sparql",
        "root_path": "",
        "query_string": query_string,
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _cost(app, fresh: bool, requests: int, rounds: int) -> float:
    """Microseconds of this process's CPU per request, the least of ``rounds``."""
    query_string = urlencode({"query": QUERY.read_text(encoding="utf-8")}).encode()
    statuses = set()

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.add(message["status"])

    for _ in range(requests // 10):  # warm-up: the cache filled, the guard's verdict kept
        await app(_scope(query_string, fresh), receive, send)
    least = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(requests):
            await app(_scope(query_string, fresh), receive, send)
        least = min(least, (time.process_time() - started) / requests)
    if statuses != {200}:
        raise RuntimeError(f"the app answered {sorted(statuses)}, not only 200")
    return least * 1e6


async def _measure(without_middleware: bool, requests: int, rounds: int) -> tuple[float, float]:
    from migkg.api.app import create_app
    from migkg.api.settings import Settings

    app = create_app(Settings())
    if without_middleware:  # the endpoint itself stays: it is what answers /sparql (named, so that
        # the script also measures a checkout from before the endpoint was a middleware)
        app.user_middleware = [m for m in app.user_middleware if m.cls.__name__ == "SparqlEndpoint"]
    async with app.router.lifespan_context(app):
        return await _cost(app, False, requests, rounds), await _cost(app, True, requests, rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    os.environ["MIGKG_BUILD_DIR"] = str(args.build)
    os.environ.setdefault("MIGKG_MAX_CONCURRENT_QUERIES", "2")
    print("| app | cache hit, µs CPU / request | run again (no-cache), µs CPU / request |")
    print("|---|---:|---:|")
    for label, without in (("as served", False), ("without its middleware", True)):
        hit, fresh = uvloop.run(_measure(without, args.requests, args.rounds))
        print(f"| {label} | {hit:.0f} | {fresh:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
