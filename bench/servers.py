"""The three servers under test: started by the benchmark on 127.0.0.1, timed to their first answer,
and watched for memory (resident set size of the server and every process it started)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from loadgen import USER_KEYS, user_key

from migkg.api.settings import Settings
from migkg.api.store import embedded_data

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("BENCH_BIN", ROOT / ".venv" / "bin"))
HOST = "127.0.0.1"
FIRST_QUERY = "ASK { ?s ?p ?o }"


@dataclass
class ServerSpec:
    name: str
    sparql_path: str  # where the SPARQL 1.1 Protocol endpoint answers
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""


def migkg(build_dir: Path, workers: int, query_timeout: float | None = None) -> ServerSpec:
    """migkg with ``workers`` worker processes; every user the load generator simulates has its
    own API key (loadgen.user_key), so migkg shares its workers between them as between clients."""
    env = {
        "MIGKG_BUILD_DIR": str(build_dir),
        "MIGKG_MAX_CONCURRENT_QUERIES": str(workers),
        "MIGKG_API_KEYS": json.dumps([user_key(n) for n in range(USER_KEYS)]),
    }
    note = f"one uvicorn process, {workers} query worker processes (MIGKG_MAX_CONCURRENT_QUERIES) {_holding(build_dir)}"
    if query_timeout:
        # the long queries of scaled data are what is measured: none is stopped for running long
        env |= {"MIGKG_QUERY_TIMEOUT": str(query_timeout), "MIGKG_SHORT_LANE_WORKERS": "0"}
        note += f", MIGKG_QUERY_TIMEOUT={query_timeout:g}, MIGKG_SHORT_LANE_WORKERS=0"
    return ServerSpec("migkg", "/sparql", [str(BIN / "migkg"), "serve", "--host", HOST, "--port", "{port}"], env, note)


def _holding(build_dir: Path) -> str:
    """How migkg's workers hold this build (api/store.py decides)."""
    data = embedded_data(build_dir, Settings().memory_store_max_bytes)
    if data is not None and data.is_file():
        return f"each holding the release in memory ({data.stat().st_size / 2**20:.1f} MiB of N-Quads)"
    return "each reading the RocksDB store (no N-Quads within MIGKG_MEMORY_STORE_MAX_BYTES)"


def oxigraph(build_dir: Path, timeout_s: int | None = None) -> ServerSpec:
    if timeout_s is not None:  # `--timeout-s N`: the server's own limit on a request's processing
        spec = oxigraph(build_dir)
        spec.command += ["--timeout-s", str(timeout_s)]
        spec.note += f"; --timeout-s {timeout_s}"
        return spec
    return ServerSpec(
        "oxigraph",
        "/query",
        [
            str(BIN / "oxigraph"),
            "serve-read-only",
            "--location",
            str(build_dir / "store"),
            "--bind",
            f"{HOST}:{{port}}",
            "--union-default-graph",
        ],
        note="one process, the same store opened read-only, union default graph like migkg",
    )


def rdflib_endpoint(build_dir: Path) -> ServerSpec:
    return ServerSpec(
        "rdflib-endpoint",
        "/",
        [str(BIN / "rdflib-endpoint"), "serve", "--host", HOST, "--port", "{port}", str(build_dir / "migkg.nq")],
        note="one uvicorn process; rdflib Dataset (memory store, default_union) parsed from migkg.nq",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def tree_memory(pid: int) -> tuple[int, int, int] | None:
    """The summed RSS and PSS (bytes) of process ``pid`` and every process it started, and how many
    they are; None once the process is gone."""
    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.Error:
        return None
    rss = pss = 0
    for proc in tree:
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss, len(tree)


def settled_memory(running: dict[str, Server], settle: float = 1.0) -> dict[str, dict]:
    """Each server's summed RSS and PSS (MiB) ``settle`` seconds after the last one first answered,
    before any load: what it holds once started."""
    time.sleep(settle)
    memory = {}
    for name, server in running.items():
        found = tree_memory(server.process.pid)
        if found:
            rss, pss, processes = found
            memory[name] = {"rss_mib": round(rss / 2**20, 1), "pss_mib": round(pss / 2**20, 1), "processes": processes}
    return memory


class MemoryWatch(threading.Thread):
    """Samples the summed RSS and PSS of a process tree until stopped; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.processes = 0
        self._halt = threading.Event()

    def sample(self) -> None:
        found = tree_memory(self.pid)
        if found is None:
            return
        rss, pss, processes = found
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
        self.processes = max(self.processes, processes)

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()
        self.sample()


class TreeWatch(threading.Thread):
    """Samples a process tree (the server and every process it started) until stopped: the summed
    PSS (pages shared between the processes, e.g. forked workers', count once) and the CPU it used
    since the previous sample, in % of one core (from each process's CPU times, so processes started
    between samples count in full and none needs a warm-up call).
    ``samples`` holds (time.perf_counter(), PSS bytes, CPU %, processes)."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int, float, int]] = []
        self._cpu: dict[tuple[int, float], float] = {}
        self._last: float | None = None
        self._halt = threading.Event()

    def sample(self) -> tuple[float, int, float, int] | None:
        now = time.perf_counter()
        try:
            root = psutil.Process(self.pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return None
        pss, used, seen = 0, 0.0, {}
        for proc in tree:
            try:
                with proc.oneshot():
                    pss += proc.memory_full_info().pss
                    times = proc.cpu_times()
                    key = (proc.pid, proc.create_time())
            except psutil.Error:
                continue
            total = times.user + times.system
            seen[key] = total
            used += total - self._cpu.get(key, total if self._last is None else 0.0)
        cpu = 100 * used / (now - self._last) if self._last is not None and now > self._last else 0.0
        self._cpu, self._last = seen, now
        found = (now, pss, cpu, len(tree))
        self.samples.append(found)
        return found

    def run(self) -> None:
        self.sample()
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()

    def between(self, start: float, end: float) -> list[tuple[float, int, float, int]]:
        return [s for s in self.samples if start <= s[0] <= end]


class Server:
    """A running server: ``url`` is its root, ``sparql_url`` its SPARQL endpoint."""

    def __init__(self, spec: ServerSpec, log_dir: Path, watch_memory: bool = True) -> None:
        self.spec = spec
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.sparql_url = self.url + spec.sparql_path
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / f"{spec.name}-{self.port}.log"
        command = [part.replace("{port}", str(self.port)) for part in spec.command]
        started = time.perf_counter()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                env={**os.environ, **spec.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.memory = MemoryWatch(self.process.pid)
        if watch_memory:
            self.memory.start()
        self.cold_start = self._wait_for_first_answer(started)

    def _wait_for_first_answer(self, started: float, limit: float = 300.0) -> float:
        """Seconds from spawning the process to the first successful SPARQL answer."""
        request_url = f"{self.sparql_url}?{urllib.parse.urlencode({'query': FIRST_QUERY})}"
        while time.perf_counter() - started < limit:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.spec.name} exited with {self.process.returncode}; see {self.log_path}")
            try:
                request = urllib.request.Request(request_url, headers={"Accept": "application/sparql-results+json"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        response.read()
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.01)
        self.stop()
        raise RuntimeError(f"{self.spec.name} gave no answer within {limit:g} s; see {self.log_path}")

    def stop(self) -> None:
        try:
            if self.memory.is_alive():
                self.memory.stop()
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the server and its workers
                try:
                    self.process.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def cold_starts(spec: ServerSpec, log_dir: Path, times: int) -> list[float]:
    """Start and stop the server ``times`` times; seconds to the first answer, each time."""
    found = []
    for _ in range(times):
        with Server(spec, log_dir, watch_memory=False) as server:
            found.append(server.cold_start)
    return found
