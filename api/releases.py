"""The release the server answers from, and the switch to a new one.

The build directory (``MIGKG_BUILD_DIR``) is a pointer: a symlink to the current release, switched
atomically by the build (graph/stages/releases.py). The server opens the release the pointer names
as a ``Release`` (its own store workers, search index, build info and caches) and looks at the
pointer every ``MIGKG_RELEASE_CHECK`` seconds. A new release is opened beside the old one, then
every part is switched at once; the requests already in flight finish on the old release, which
is closed after them. ``PinRelease`` pins each request to the release that was current when it
arrived, so no response mixes two.
"""

import asyncio
import logging
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from migkg.api.buildinfo import BuildInfo, load_build_info
from migkg.api.fairness import LongQueryLane, Shares
from migkg.api.querying import select
from migkg.api.result_cache import ResultCache
from migkg.api.search import SearchIndex
from migkg.api.settings import Settings
from migkg.api.store import OxigraphStore, embedded_data

DRAIN_GRACE = 30.0  # seconds beyond the query timeout that an old release waits for its requests
DRAIN_CHECK = 0.05  # seconds between looks at whether an old release's requests have finished

log = logging.getLogger("migkg.releases")


@dataclass(eq=False)
class Release:
    """One release, open: everything a response is made from."""

    directory: Path  # the release's own directory (the pointer resolved)
    store: OxigraphStore
    build_info: BuildInfo | None
    search: SearchIndex | None
    results: ResultCache
    graphs: list[str]
    cache: dict[str, object] = field(default_factory=dict)  # documents computed once (VoID, ontology HTML)
    in_flight: int = 0  # requests pinned to this release and not yet answered

    async def close(self) -> None:
        await self.store.close()
        if self.search is not None:
            self.search.close()


pinned_release: ContextVar[Release | None] = ContextVar("pinned_release", default=None)


def release_directory(settings: Settings) -> Path:
    """Where the pointer leads now (the build directory itself where it is a plain directory)."""
    return settings.build_dir.resolve()


def kept_release(current: Path, release_id: str) -> BuildInfo | None:
    """The build info of release ``release_id``, kept beside the ``current`` release's directory; None
    unless that directory is there and its build-info.json names it so (nothing else is served)."""
    directory = current.parent / release_id
    if release_id.startswith(".") or directory.parent != current.parent or not directory.is_dir():
        return None
    info = load_build_info(directory / "build-info.json")
    return info if info is not None and info.release == release_id else None


async def open_release(settings: Settings) -> Release | None:
    """The release the pointer names, open and answering; None when there is no store to open."""
    directory = release_directory(settings)
    if settings.store_url:  # the release's data is in the remote store; its other files are here
        if not (directory / "build-info.json").is_file():
            return None
        # imported here: its HTTP client (httpx) costs the embedded store's start-up 0.15 s and memory
        from migkg.api.remote_store import RemoteStore

        version = load_build_info(directory / "build-info.json").version
        store = RemoteStore(
            settings.store_url,
            version,
            _shares(settings),
            _long_lane(settings),
            settings.query_timeout,
            settings.base_iri,
        )
    elif (data := embedded_data(directory, settings.memory_store_max_bytes)) is not None:
        store = OxigraphStore(data, _shares(settings), _long_lane(settings), settings.query_timeout)
    else:
        return None
    try:
        await store.start()
        graphs = [row["graph"]["value"] for row in await select(store, settings, "named-graphs")]
    except BaseException:
        await store.close()
        raise
    search_path = directory / "search.sqlite"
    return Release(
        directory=directory,
        store=store,
        build_info=load_build_info(directory / "build-info.json"),
        search=SearchIndex(search_path) if search_path.is_file() else None,
        results=ResultCache(settings.result_cache_bytes),
        graphs=graphs,
    )


class ReleaseSwitch:
    """Holds the live release and follows the pointer to the next one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.live: Release | None = None
        self._retiring: set[asyncio.Task] = set()
        # a release that failed to open: not tried again until the pointer moves (over a remote store: tried
        # at each check, since loading the store with it makes it open)
        self._refused: Path | None = None

    async def follow(self) -> None:
        """Switches to each new release the pointer names, every ``release_check`` seconds, until cancelled."""
        while True:
            await asyncio.sleep(self.settings.release_check)
            await self.switch_if_moved()

    async def switch_if_moved(self) -> bool:
        """Opens and switches to the release the pointer names if it is a new one; whether it switched."""
        directory = release_directory(self.settings)
        if directory == (self.live and self.live.directory):
            return False
        if directory == self._refused and not self.settings.store_url:  # a remote store may be loaded with it yet
            return False
        try:
            new = await open_release(self.settings)
        except (OSError, RuntimeError, ValueError) as error:  # a broken release: keep serving the one we have
            if directory != self._refused:
                log.error("release %s could not be opened (%s); still serving the previous one", directory, error)
            self._refused = directory
            return False
        if new is None:
            return False
        old, self.live = self.live, new
        log.info("switched to release %s", new.directory)
        if old is not None:
            retiring = asyncio.ensure_future(self._retire(old))
            self._retiring.add(retiring)
            retiring.add_done_callback(self._retiring.discard)
        return True

    async def close(self) -> None:
        for retiring in list(self._retiring):
            retiring.cancel()
        await asyncio.gather(*self._retiring, return_exceptions=True)
        if self.live is not None:
            await self.live.close()

    async def _retire(self, old: Release) -> None:
        """Closes ``old`` once its requests have been answered (or after the query timeout and a grace)."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.settings.query_timeout + DRAIN_GRACE
        try:
            while old.in_flight and loop.time() < give_up:
                await asyncio.sleep(DRAIN_CHECK)
        finally:
            await old.close()


class PinRelease:
    """ASGI middleware (outermost): the request is answered from the release live when it arrived."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        release = scope["app"].state.migkg.releases.live if scope["type"] == "http" else None
        if release is None:
            await self.app(scope, receive, send)
            return
        token = pinned_release.set(release)
        release.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            release.in_flight -= 1
            pinned_release.reset(token)


def _shares(settings: Settings) -> Shares:
    return Shares(
        workers=settings.max_concurrent_queries,
        per_client=settings.share_per_client,
        waiting_per_client=settings.client_waiting,
        waiting=settings.max_waiting_queries,
    )


def _long_lane(settings: Settings) -> LongQueryLane:
    return LongQueryLane(settings.long_query_after, settings.long_lane_size)
