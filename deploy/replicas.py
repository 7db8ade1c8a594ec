"""N `migkg serve` replicas on loopback behind HAProxy, on one machine (`migkg replicas`).

Each replica is a process of its own that opens the release MIGKG_BUILD_DIR points at and follows
the pointer by itself (migkg.api.releases): a release switch rolls across the replicas as each
looks, every response answered from one release. HAProxy, configured from haproxy.cfg.in, sends
each request to the replica with the fewest connections, checks each on /readyz, and reaches them
from PROXY_ADDRESS, the address their MIGKG_TRUSTED_PROXIES gains: the client a replica sees is the
one the balancer's X-Forwarded-For names, so the fair share still tells clients apart.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template

from migkg.api.settings import Settings

REPLICA_HOST = "127.0.0.1"
# HAProxy's source address towards the replicas (Linux routes all of 127/8 to lo): a process on
# this machine that connects from 127.0.0.1 is not taken for the balancer.
PROXY_ADDRESS = "127.0.2.1"
STARTUP_TIMEOUT = 60.0  # seconds a replica or the balancer may take to answer /readyz
TIMEOUT_MARGIN = 10  # seconds the balancer waits beyond the replicas' own time limits
# Probes bypass any HTTP proxy of the environment: they go to loopback.
_PROBE = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class TopologyError(RuntimeError):
    """A replica or the balancer did not start, or HAProxy is not installed."""


@dataclass(frozen=True)
class Topology:
    """Where the balancer listens, and the loopback port of each replica."""

    host: str
    port: int
    replica_ports: tuple[int, ...]

    @classmethod
    def after(cls, host: str, port: int, replicas: int) -> Topology:
        """The balancer on ``port``, its replicas on the ports that follow it."""
        return cls(host, port, tuple(range(port + 1, port + 1 + replicas)))

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def haproxy_config(topology: Topology, settings: Settings, stats_socket: Path) -> str:
    """haproxy.cfg.in filled in: the topology, and timeouts above the replicas' own."""
    template = Template((files(__package__) / "haproxy.cfg.in").read_text(encoding="utf-8"))
    servers = (f"    server replica{n} {REPLICA_HOST}:{port}" for n, port in enumerate(topology.replica_ports, 1))
    return template.substitute(
        host=topology.host,
        port=topology.port,
        servers="\n".join(servers),
        source=PROXY_ADDRESS,
        stats_socket=stats_socket,
        timeout=request_timeout(settings),
        check_timeout=math.ceil(settings.ready_timeout) + 1,
    )


def request_timeout(settings: Settings) -> int:
    """Seconds the balancer gives a request, above MIGKG_QUERY_TIMEOUT, which bounds a query's wait
    and run: the replica's own 503 reaches the client, never a balancer's 504."""
    return math.ceil(settings.query_timeout) + TIMEOUT_MARGIN


class Replicas:
    """The topology running: ``start`` brings every replica up, then the balancer; ``stop`` stops the
    balancer gracefully first (it takes no new request, finishes those in flight), then every replica,
    each draining its own. Settings come from the environment, which the replicas inherit."""

    def __init__(self, topology: Topology, logs: Path | None = None) -> None:
        self.topology = topology
        self.settings = Settings()
        self.logs = logs  # a directory for one log file per process; else they share this one's stderr
        self.run_dir = Path(tempfile.mkdtemp(prefix="migkg-replicas-"))
        self.replicas: list[subprocess.Popen | None] = [None] * len(topology.replica_ports)
        self.balancer: subprocess.Popen | None = None

    @property
    def stats_socket(self) -> Path:
        return self.run_dir / "haproxy.sock"

    def __enter__(self) -> Replicas:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        haproxy = shutil.which("haproxy")
        if haproxy is None:
            raise TopologyError("HAProxy is not installed: run `make install` (or `make haproxy`).")
        try:
            for index in range(len(self.replicas)):
                self.start_replica(index)
            for index in range(len(self.replicas)):
                self.wait_until_ready(index)
            self._start_balancer(haproxy)
        except BaseException:
            self.stop()
            raise

    def start_replica(self, index: int) -> None:
        port = self.topology.replica_ports[index]
        command = [sys.executable, "-m", "migkg.cli", "serve", "--host", REPLICA_HOST, "--port", str(port)]
        self.replicas[index] = self._spawn(command, f"replica{index + 1}", self._replica_environment())

    def wait_until_ready(self, index: int) -> None:
        port = self.topology.replica_ports[index]
        _wait_until_ready(f"http://{REPLICA_HOST}:{port}/readyz", self.replicas[index], f"replica {index + 1}")

    def stop(self) -> None:
        if self.balancer is not None:
            _stop(self.balancer, signal.SIGUSR1, request_timeout(self.settings) + TIMEOUT_MARGIN)
        grace = self.settings.shutdown_grace + TIMEOUT_MARGIN
        running = [replica for replica in self.replicas if replica is not None and replica.poll() is None]
        threads = [threading.Thread(target=_stop, args=(replica, signal.SIGTERM, grace)) for replica in running]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def _replica_environment(self) -> dict[str, str]:
        trusted = [str(network) for network in self.settings.trusted_proxies] + [PROXY_ADDRESS]
        return os.environ | {"MIGKG_TRUSTED_PROXIES": json.dumps(trusted)}

    def _start_balancer(self, haproxy: str) -> None:
        config = self.run_dir / "haproxy.cfg"
        config.write_text(haproxy_config(self.topology, self.settings, self.stats_socket), encoding="utf-8")
        self.balancer = self._spawn([haproxy, "-db", "-f", str(config)], "haproxy")
        _wait_until_ready(f"{self.topology.url}/readyz", self.balancer, "HAProxy")

    def _spawn(self, command: list[str], name: str, environment: dict[str, str] | None = None) -> subprocess.Popen:
        """A process in a session of its own: a Ctrl-C in this terminal reaches this process alone, which
        stops the others in order, and a signal to a replica reaches it, not its query workers."""
        if self.logs is None:
            return subprocess.Popen(command, env=environment, start_new_session=True)
        with open(self.logs / f"{name}.log", "ab") as log:
            return subprocess.Popen(
                command, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )


def run(topology: Topology) -> int:
    """Serve until SIGINT or SIGTERM, then stop gracefully: 0; 1 if the balancer ends by itself."""
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: stop.set())
    with Replicas(topology) as replicas:
        ports = ", ".join(str(port) for port in topology.replica_ports)
        print(
            f"migkg replicas: {len(replicas.replicas)} replicas (127.0.0.1: {ports}) behind HAProxy on "
            f"{topology.url}; its stats socket: {replicas.stats_socket}",
            file=sys.stderr,
        )
        while not stop.wait(1):
            if replicas.balancer.poll() is not None:
                print(f"migkg replicas: HAProxy exited ({replicas.balancer.returncode})", file=sys.stderr)
                return 1
    return 0


def _wait_until_ready(url: str, process: subprocess.Popen, name: str) -> None:
    give_up = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < give_up:
        if process.poll() is not None:
            raise TopologyError(f"{name} exited ({process.returncode}) before it answered {url}")
        try:
            with _PROBE.open(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:  # not listening yet, or 503 while its workers start
            pass
        time.sleep(0.1)
    raise TopologyError(f"{name} did not answer {url} within {STARTUP_TIMEOUT:.0f} s")


def _stop(process: subprocess.Popen, signum: int, grace: float) -> None:
    """Ask the process to stop; past ``grace`` seconds, kill it with its whole session."""
    if process.poll() is None:
        process.send_signal(signum)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
