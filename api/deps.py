"""The FastAPI dependencies routes declare: the app's state, and a build to serve.

A route that needs a build declares ``state: Built``; without one, NoBuild is raised before the
route runs and the app answers it (problems.py) with a 503 saying to run `make build`.
"""

from typing import Annotated

from fastapi import Depends, Request

from migkg.api.search import SearchIndex
from migkg.api.state import AppState


def app_state(request: Request) -> AppState:
    return request.app.state.migkg


def built_state(state: Annotated[AppState, Depends(app_state)]) -> AppState:
    return state.require_build()


def search_index(state: Annotated[AppState, Depends(built_state)]) -> SearchIndex:
    return state.search_index()


def site_root(request: Request) -> str:
    """The server's own root URL (no trailing slash), as the client reached it."""
    return str(request.base_url).rstrip("/")


State = Annotated[AppState, Depends(app_state)]  # with or without a build
Built = Annotated[AppState, Depends(built_state)]  # a build to serve, or 503
Search = Annotated[SearchIndex, Depends(search_index)]  # the build's search index, or 503
SiteRoot = Annotated[str, Depends(site_root)]
