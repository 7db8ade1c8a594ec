"""Server settings, read from environment variables prefixed ``MIGKG_``."""

from pathlib import Path

from pydantic import Field, IPvAnyNetwork
from pydantic_settings import BaseSettings, SettingsConfigDict

from migkg import resources
from migkg.queries import QUERIES_DIR


class Settings(BaseSettings):
    """Everything an operator may tune; every field maps to ``MIGKG_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="MIGKG_", frozen=True)

    build_dir: Path = Field(Path("build"), description="the build directory (holds store/ and build-info.json)")
    base_iri: str = Field("https://w3id.org/migkg/", description="IRI base the server answers for")
    store_url: str = Field(
        "", description="a SPARQL 1.1 endpoint to query instead of the release's own store (docs/remote-store.md)"
    )
    query_timeout: float = Field(30.0, gt=0, description="seconds before a query is stopped")
    max_result_rows: int = Field(100_000, gt=0, description="rows (or triples) beyond which results are cut")
    max_concurrent_queries: int = Field(4, gt=0, description="queries running at once (one worker process each)")
    memory_store_max_bytes: int = Field(
        64 * 1024 * 1024,
        ge=0,
        description="N-Quads size up to which the query workers hold the release in memory, where scans run "
        "2–11× faster than on RocksDB: about twice the file's size, loaded once by the template process that "
        "forks the workers and shared with them (0: always RocksDB)",
    )
    client_share: int = Field(
        2, gt=0, description="queries one client runs at once (at most all workers but one); the rest wait"
    )
    client_waiting: int = Field(16, ge=0, description="queries one client may have waiting; one more is 429")
    max_waiting_queries: int = Field(256, ge=0, description="queries all clients may have waiting; one more is 503")
    long_query_after: float = Field(1.0, gt=0, description="seconds after which a running query counts as long")
    short_lane_workers: int = Field(
        1, ge=0, description="workers that long queries leave free for short ones (one query may always run long)"
    )
    api_keys: list[str] = Field(
        default_factory=list, description="keys a client may send in X-API-Key to be told apart from its address"
    )
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="addresses or networks (CIDR) of proxies whose X-Forwarded-For names the client; none by default",
    )
    retry_after: int = Field(5, gt=0, description="seconds advertised in Retry-After on 503 and 429")
    max_query_bytes: int = Field(65_536, gt=0, description="largest accepted query text, in UTF-8 bytes")
    max_query_depth: int = Field(
        100, gt=0, le=1000, description="deepest nesting of brackets in a query (the engine crashes near 2,000)"
    )
    service_allowlist: list[str] = Field(
        default_factory=list, description="SERVICE endpoint IRIs queries may call (exact match)"
    )
    release_check: float = Field(
        1.0, gt=0, description="seconds between looks at the build pointer for a new release to switch to"
    )
    cache_max_age: int = Field(300, ge=0, description="Cache-Control max-age for GET answers, seconds")
    ready_timeout: float = Field(
        2.0, gt=0, description="seconds /readyz waits for a worker to answer its trivial query"
    )
    shutdown_grace: int = Field(
        30, ge=0, description="seconds in-flight requests may still run after SIGTERM; the rest are then cut"
    )
    result_cache_bytes: int = Field(
        32 * 1024 * 1024,
        ge=0,
        description="bytes of /sparql answers kept for repeated queries (0: none kept); an answer may take an eighth",
    )
    examples_dir: Path = Field(QUERIES_DIR / "examples", description="example queries (*.rq)")
    views_dir: Path = Field(QUERIES_DIR / "views", description="curated views (*.rq) served under /api")
    static_dir: Path = Field(
        default_factory=resources.static_dir, description="YASGUI and Swagger UI, installed from npm into node_modules/"
    )

    @property
    def share_per_client(self) -> int:
        """Queries one client may run at once: ``client_share``, leaving one worker to others where there are two."""
        return min(self.client_share, max(1, self.max_concurrent_queries - 1))

    @property
    def long_lane_size(self) -> int:
        """Queries that may run past ``long_query_after`` at once."""
        return max(1, self.max_concurrent_queries - self.short_lane_workers)

    @property
    def store_dir(self) -> Path:
        return self.build_dir / "store"

    @property
    def search_index_path(self) -> Path:
        return self.build_dir / "search.sqlite"

    @property
    def build_info_path(self) -> Path:
        return self.build_dir / "build-info.json"
