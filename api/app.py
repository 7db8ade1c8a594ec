"""The app factory: routers, the store's lifetime, CORS and caching headers."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from migkg.api.buildinfo import load_build_info
from migkg.api.caching import CachingHeaders
from migkg.api.clients import IdentifyClient
from migkg.api.description import load_examples
from migkg.api.disconnect import CancelOnDisconnect
from migkg.api.fairness import LongQueryLane, Shares
from migkg.api.problems import add_error_handlers
from migkg.api.querying import select
from migkg.api.result_cache import ResultCache
from migkg.api.routes import linked_data, meta, pages, pictures, quality, sdg, search, sources, sparql
from migkg.api.routes.views import views_router
from migkg.api.search import SearchIndex
from migkg.api.semantic import QueryEncoder
from migkg.api.settings import Settings
from migkg.api.state import AppState
from migkg.api.store import OxigraphStore
from migkg.api.ui import STATIC_URL
from migkg.api.views import load_views


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    state = AppState(settings=settings)
    app = FastAPI(
        title="migkg",
        summary="The Migration Governance Knowledge Graph: SPARQL endpoint, linked data and curated REST views.",
        lifespan=_lifespan(state),
        docs_url=None,  # served by meta.docs from the project's own copy of Swagger UI
        redoc_url=None,
    )
    app.state.migkg = state
    app.include_router(sparql.router)
    app.include_router(meta.router)
    app.include_router(linked_data.router)
    app.include_router(quality.router)
    app.include_router(search.router)
    app.include_router(pages.router)
    app.include_router(sources.router)
    app.include_router(pictures.router)
    app.include_router(sdg.router)
    app.include_router(views_router(load_views(settings.views_dir)))
    add_error_handlers(app, settings)
    if settings.static_dir.is_dir():
        app.mount(STATIC_URL, StaticFiles(directory=settings.static_dir), name="static")
    app.add_middleware(CancelOnDisconnect, paths=sparql.PATHS, max_body_bytes=settings.max_query_bytes)
    app.add_middleware(IdentifyClient, api_keys=settings.api_keys)
    app.add_middleware(CachingHeaders)
    # No credentials: any site may query, none may send the user's cookies along.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST"],
        allow_headers=["*"],
        expose_headers=["ETag", "Last-Modified", "Retry-After", "MIGKG-Results-Truncated", "MIGKG-Cache"],
    )
    return app


def _lifespan(state: AppState) -> Callable[[FastAPI], AsyncIterator[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings = state.settings
        state.build_info = load_build_info(settings.build_info_path)
        state.examples = load_examples(settings.examples_dir)
        if settings.search_index_path.is_file():
            state.search = SearchIndex(settings.search_index_path)
        if QueryEncoder.installed():
            state.encoder = QueryEncoder()
        if settings.store_dir.is_dir():
            store = OxigraphStore(settings.store_dir, _shares(settings), _long_lane(settings), settings.query_timeout)
            await store.start()
            state.store = store
            state.results = ResultCache(settings.result_cache_bytes)
            state.graphs = [row["graph"]["value"] for row in await select(store, settings, "named-graphs")]
        try:
            yield
        finally:
            if state.store is not None:
                await state.store.close()
            if state.search is not None:
                state.search.close()

    return lifespan


def _shares(settings: Settings) -> Shares:
    return Shares(
        workers=settings.max_concurrent_queries,
        per_client=settings.share_per_client,
        waiting_per_client=settings.client_waiting,
        waiting=settings.max_waiting_queries,
    )


def _long_lane(settings: Settings) -> LongQueryLane:
    return LongQueryLane(settings.long_query_after, settings.long_lane_size)
