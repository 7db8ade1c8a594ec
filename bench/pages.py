"""Pages against the SPARQL they run: for one page of each kind, the time to serve the page beside
the time to run its own queries through /sparql, on the same migkg server, in the same rounds.

    .venv/bin/python bench/pages.py [--build build] [--rounds 15]

The queries of a page are recorded, not listed here: the page is rendered once in-process with a
store that keeps every query text it is handed (the IRIs already bound), and those texts are then
sent to the live server's /sparql as the page sends them, all at once. Each round times one page
request and one such burst, in alternating order; the figure is the median of the rounds'
page/SPARQL ratios (these machines are noisy). The target, 1.5× at most, is printed beside each.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from servers import Server, migkg

from migkg.api.app import create_app
from migkg.api.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "GCM objective": "/id/gcm/objective/4",
    "action": "/id/gcm/objective/4/action/a",
    "practice": "/id/practice/mexico-s-matricula-consular",
    "MiGOF element": "/id/migof/element/4",
    "GFMD indicator": "/id/gfmd-2017/indicator/1",
    "table row": "/id/nua-table/row/1",
    "instrument": "/id/instrument/crc",
    "country": "/id/place/country/MX",
    "city": "/id/place/city/quito",
    "actor (a hub)": "/id/actor/iom",
    "SDG target": "/sdg/10.7",
    "home": "/",
}
HTML = {"Accept": "text/html"}
TARGET = 1.5


def recorded_queries(build_dir: Path, path: str) -> list[str]:
    """The query texts the page hands the store, in-process (cached documents warmed first)."""
    with TestClient(create_app(Settings(build_dir=build_dir))) as client:
        client.get(path, headers=HTML)  # per-build documents (labels, source texts) are read once
        store = client.app.state.migkg.store
        texts: list[str] = []
        execute = store.execute

        async def recording(job):
            texts.append(job.text)
            return await execute(job)

        store.execute = recording
        assert client.get(path, headers=HTML).status_code == 200, path
    return texts


async def timed_page(client: httpx.AsyncClient, path: str) -> float:
    started = time.perf_counter()
    response = await client.get(path, headers=HTML)
    assert response.status_code == 200, (path, response.status_code)
    return time.perf_counter() - started


async def timed_queries(client: httpx.AsyncClient, texts: list[str]) -> float:
    started = time.perf_counter()
    accept = {"Accept": "application/sparql-results+json"}
    answers = await asyncio.gather(*(client.post("/sparql", data={"query": text}, headers=accept) for text in texts))
    assert all(answer.status_code == 200 for answer in answers), [a.text[:200] for a in answers if a.status_code != 200]
    return time.perf_counter() - started


async def measure(url: str, queries: dict[str, list[str]], rounds: int) -> dict[str, dict]:
    figures = {}
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for kind, path in PAGES.items():
            pages, sparql, ratios = [], [], []
            for round_number in range(rounds + 1):
                first_page = round_number % 2 == 0
                page = await timed_page(client, path) if first_page else None
                burst = await timed_queries(client, queries[kind])
                page = page if first_page else await timed_page(client, path)
                if round_number:  # the first round warms up
                    pages.append(page)
                    sparql.append(burst)
                    ratios.append(page / burst)
            figures[kind] = {
                "path": path,
                "queries": len(queries[kind]),
                "page_ms": statistics.median(pages) * 1000,
                "sparql_ms": statistics.median(sparql) * 1000,
                "ratio": statistics.median(ratios),
            }
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    queries = {kind: recorded_queries(args.build, path) for kind, path in PAGES.items()}
    with Server(migkg(args.build, workers=2), ROOT / "bench" / "results" / "tmp" / "logs") as server:
        figures = asyncio.run(measure(server.url, queries, args.rounds))
    ratio = f"page/SPARQL (median of {args.rounds} paired rounds)"
    print(f"| page | path | queries | page ms | its SPARQL ms | {ratio} | ≤ {TARGET}× |")
    print("|---|---|---:|---:|---:|---:|---|")
    for kind, figure in figures.items():
        met = "yes" if figure["ratio"] <= TARGET else "no"
        print(
            f"| {kind} | `{figure['path']}` | {figure['queries']} | {figure['page_ms']:.1f} | "
            f"{figure['sparql_ms']:.1f} | {figure['ratio']:.2f} | {met} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
