"""The server's Prometheus metrics, served at /metrics: requests and their latency by route, queries
timed out or cut at the row cap, query workers restarted and idle, and the release being served.

The metrics live in prometheus-client's default registry, beside its process and Python collectors
(CPU, memory, open files, garbage collection), and count for this process only: each replica is
scraped on its own.
"""

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest

from migkg.api.buildinfo import BuildInfo

UNMATCHED_ROUTE = "unmatched"  # the route label of a path no route serves: one label, whatever the path
# Seconds; up to the default query timeout (MIGKG_QUERY_TIMEOUT), past which queries are stopped.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MEDIA_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter("migkg_http_requests", "HTTP requests answered, by route template and status", ["route", "status"])
LATENCY = Histogram(
    "migkg_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template",
    ["route"],
    buckets=LATENCY_BUCKETS,
)
TIMEOUTS = Counter("migkg_query_timeouts", "Queries stopped at MIGKG_QUERY_TIMEOUT (the wait for a worker included)")
TRUNCATIONS = Counter("migkg_query_results_truncated", "Query results cut at MIGKG_MAX_RESULT_ROWS")
WORKER_RESTARTS = Counter("migkg_worker_restarts", "Query worker processes replaced (killed at a deadline, or died)")
IDLE_WORKERS = Gauge(
    "migkg_query_workers_idle", "Query workers of the release being served waiting for a query (embedded store)"
)
RELEASE = Gauge(
    "migkg_release_info", "The release being served (1), by build-info.json's version and time", ["version", "built"]
)


_ANSWERED: dict[tuple[str, int], tuple] = {}  # (route, status) → its counter and histogram: labels() takes a lock


def request_answered(route: str, status: int, seconds: float) -> None:
    if (children := _ANSWERED.get((route, status))) is None:
        children = _ANSWERED[route, status] = (
            REQUESTS.labels(route=route, status=str(status)),
            LATENCY.labels(route=route),
        )
    requests, latency = children
    requests.inc()
    latency.observe(seconds)


def query_timed_out() -> None:
    TIMEOUTS.inc()


def results_truncated() -> None:
    TRUNCATIONS.inc()


def worker_restarted() -> None:
    """Count one query worker replaced by a fresh process (called by the store)."""
    WORKER_RESTARTS.inc()


def exposition(build: BuildInfo | None, idle_workers: int | None) -> bytes:
    """Every metric in Prometheus' text format, with the release and its idle workers as they are now
    (none: no build open, or no workers of our own: a remote store)."""
    IDLE_WORKERS.set(idle_workers or 0)
    RELEASE.clear()
    if build is not None:
        RELEASE.labels(version=build.version, built=build.built.isoformat()).set(1)
    return generate_latest(REGISTRY)
