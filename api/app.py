"""The app factory: routers, the releases' lifetime, the middleware (CORS, caching headers, clients,
request ids, the /sparql endpoint)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from migkg.api.caching import CachingHeaders
from migkg.api.clients import IdentifyClient
from migkg.api.description import load_examples
from migkg.api.disconnect import CancelOnDisconnect
from migkg.api.problems import add_error_handlers
from migkg.api.releases import PinRelease
from migkg.api.request_ids import RequestIds
from migkg.api.routes import health, linked_data, meta, pages, pictures, quality, sdg, search, sources, sparql
from migkg.api.routes.views import views_router
from migkg.api.semantic import QueryEncoder
from migkg.api.settings import Settings
from migkg.api.state import AppState
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
        # The service exports its own metrics (/metrics) and no OpenTelemetry; left on, FastAPI asks
        # OpenTelemetry's global providers whether any is configured, on every request (7 µs).
        telemetry={"tracing": False, "metrics": False, "logs": False},
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
    app.include_router(health.router)
    app.include_router(views_router(load_views(settings.views_dir)))
    add_error_handlers(app, settings)
    if settings.static_dir.is_dir():
        app.mount(STATIC_URL, StaticFiles(directory=settings.static_dir), name="static")
    app.add_middleware(sparql.SparqlEndpoint, handlers=app.exception_handlers)  # innermost
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
        expose_headers=[
            "ETag",
            "Last-Modified",
            "Retry-After",
            "MIGKG-Results-Truncated",
            "MIGKG-Cache",
            "X-Request-ID",
        ],
    )
    app.add_middleware(RequestIds, quiet_paths=health.PATHS)  # every answer has an id, is logged and counted
    app.add_middleware(PinRelease)  # outermost: every part of an answer comes from one release
    return app


def _lifespan(state: AppState) -> Callable[[FastAPI], AsyncIterator[None]]:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state.examples = load_examples(state.settings.examples_dir)
        if QueryEncoder.installed():
            state.encoder = QueryEncoder()
        releases = state.releases
        await releases.switch_if_moved()  # the release the pointer names now, if there is one
        following = asyncio.create_task(releases.follow())
        try:
            yield
        finally:
            following.cancel()  # and waited for: a release it was opening is closed before the rest
            with contextlib.suppress(asyncio.CancelledError):
                await following
            await releases.close()

    return lifespan
