"""Operations: /healthz (the process answers), /readyz (a release is open and the query workers
answer), /metrics (Prometheus). None of them is cached anywhere (``Cache-Control: no-store``)."""

import asyncio

from fastapi.responses import Response

from migkg.api import metrics
from migkg.api.deps import State
from migkg.api.fairness import ClientOverShare, LongLaneFull, StoreBusy
from migkg.api.jsonio import JSONResponse
from migkg.api.querying import InternalQueryFailed, ask
from migkg.api.routing import Router
from migkg.api.state import AppState, NoBuild
from migkg.api.store import QueryTimedOut

router = Router()
PATHS = ("/healthz", "/readyz", "/metrics")
NOT_STORED = {"Cache-Control": "no-store"}


@router.get(PATHS[0], include_in_schema=False)
@router.head(PATHS[0], include_in_schema=False)
async def healthz() -> Response:
    """Alive: the event loop answers. Nothing else is asked, so a busy store never fails it."""
    return JSONResponse({"status": "alive"}, headers=NOT_STORED)


@router.get(PATHS[1], include_in_schema=False)
@router.head(PATHS[1], include_in_schema=False)
async def readyz(state: State) -> Response:
    """Ready for traffic: 200 with the release's id and version, or 503 saying why, with Retry-After."""
    reason = await _why_not_ready(state)
    if reason is None:
        info = state.build_info
        return JSONResponse({"status": "ready", "release": info.release, "version": info.version}, headers=NOT_STORED)
    headers = {**NOT_STORED, "Retry-After": str(state.settings.retry_after)}
    return JSONResponse({"status": "not ready", "reason": reason}, status_code=503, headers=headers)


@router.get(PATHS[2], include_in_schema=False)
async def prometheus_metrics(state: State) -> Response:
    idle = state.store.idle_workers if state.store else None
    return Response(metrics.exposition(state.build_info, idle), media_type=metrics.MEDIA_TYPE, headers=NOT_STORED)


async def _why_not_ready(state: AppState) -> str | None:
    """None when a trivial ASK (queries/server/ready.rq) comes back true from a worker in time."""
    settings = state.settings
    try:
        state.require_build()
        async with asyncio.timeout(settings.ready_timeout):
            answered = await ask(state.store, settings, "ready")
    except NoBuild as no_build:
        return str(no_build)
    except (TimeoutError, QueryTimedOut):
        return f"No query worker answered a trivial query within {settings.ready_timeout:g} s (MIGKG_READY_TIMEOUT)."
    except (StoreBusy, ClientOverShare, LongLaneFull):
        return "Every query worker is busy."
    except InternalQueryFailed as failure:
        return f"A query worker failed a trivial query: {failure.message}"
    return None if answered else "The release's store holds no named graph."
