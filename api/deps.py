"""The FastAPI dependencies routes declare: the app's state, a build to serve, and known query
parameters only.

A route that needs a build declares ``state: Built``; without one, NoBuild is raised before the
route runs and the app answers it (problems.py) with a 503 saying to run `make build`. Every /api
route declares ``dependencies=KNOWN_PARAMETERS_ONLY``, so that a query parameter it does not know
is a 422 naming it (answered as a problem like any invalid parameter).

Every dependency is ``async`` although none awaits anything: FastAPI runs a plain ``def``
dependency in its thread pool, a hop to a thread and back on every request for a dict lookup.
"""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError

from migkg.api.search import SearchIndex
from migkg.api.state import AppState


async def app_state(request: Request) -> AppState:
    return request.app.state.migkg


async def built_state(state: Annotated[AppState, Depends(app_state)]) -> AppState:
    return state.require_build()


async def search_index(state: Annotated[AppState, Depends(built_state)]) -> SearchIndex:
    return state.search_index()


async def refuse_unknown_query_parameters(request: Request) -> None:
    """422 naming every query parameter the route does not declare: a misspelt filter (`?contry=`)
    would otherwise be ignored and answer the whole list as if it had been applied."""
    known = {field.alias for field in request.scope["route"].dependant.query_params}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise RequestValidationError(
            [{"loc": ("query", name), "msg": f"unknown parameter; known here: {listed}"} for name in unknown]
        )


async def site_root(request: Request) -> str:
    """The server's own root URL (no trailing slash), as the client reached it."""
    return str(request.base_url).rstrip("/")


State = Annotated[AppState, Depends(app_state)]  # with or without a build
Built = Annotated[AppState, Depends(built_state)]  # a build to serve, or 503
Search = Annotated[SearchIndex, Depends(search_index)]  # the build's search index, or 503
SiteRoot = Annotated[str, Depends(site_root)]
KNOWN_PARAMETERS_ONLY = [Depends(refuse_unknown_query_parameters)]  # a route's `dependencies`
