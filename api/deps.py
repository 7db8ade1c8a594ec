"""The FastAPI dependencies routes declare: the app's state, a build to serve, and known query
parameters only.

A route that needs a build declares ``state: Built``; without one, NoBuild is raised before the
route runs and the app answers it (problems.py) with a 503 saying to run `make build`. Every /api
route declares ``dependencies=CHECKED_PARAMETERS``, so that a query parameter it does not know, a
single-valued one given twice or an integer not in digits is a 422 naming it (answered as a
problem like any invalid parameter).

Every dependency is ``async`` although none awaits anything: FastAPI runs a plain ``def``
dependency in its thread pool, a hop to a thread and back on every request for a dict lookup.
"""

import re
import types
import typing
from typing import Annotated, Any

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


async def check_query_parameters(request: Request) -> None:
    """422 naming every query parameter the route does not declare (a misspelt filter, `?contry=`,
    would otherwise be ignored and answer the whole list as if it had been applied), every
    single-valued one given more than once (which value would be meant?), and every integer written
    as anything but digits (pydantic would read `0.0` or `1_000` as integers)."""
    declared, listed = _declared_parameters(request.scope["route"])
    errors = []
    for name in dict.fromkeys(request.query_params):
        kind = declared.get(name)
        values = request.query_params.getlist(name)
        if kind is None:
            errors.append({"loc": ("query", name), "msg": f"unknown parameter; known here: {listed}"})
        elif len(values) > 1 and not kind.takes_many:
            errors.append({"loc": ("query", name), "msg": f"given {len(values)} times; give it once"})
        elif kind.integer and not all(_DIGITS.fullmatch(v) for v in values):
            errors.append({"loc": ("query", name), "msg": "not an integer: write it in digits, like 20"})
    if errors:
        raise RequestValidationError(errors)


class _ParameterKind(typing.NamedTuple):
    takes_many: bool
    integer: bool


def _declared_parameters(route: Any) -> tuple[dict[str, _ParameterKind], str]:
    """The route's query parameters by name, and their names listed: worked out at its first
    request and kept on the route (routes are not hashable, so no cache can key on them)."""
    if (known := getattr(route, "_migkg_parameters", None)) is None:
        fields = route.dependant.query_params
        declared = {
            f.alias: _ParameterKind(_takes_many(f.field_info.annotation), _is_integer(f.field_info.annotation))
            for f in fields
        }
        known = route._migkg_parameters = declared, ", ".join(sorted(declared)) or "none"
    return known


_DIGITS = re.compile(r"-?[0-9]+")


def _types(annotation: Any) -> tuple[Any, ...]:
    """The annotation and, for a union (``int | None``), its members."""
    is_union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    return (annotation, *typing.get_args(annotation)) if is_union else (annotation,)


def _takes_many(annotation: Any) -> bool:
    return any(typing.get_origin(t) in (list, set, tuple, frozenset) for t in _types(annotation))


def _is_integer(annotation: Any) -> bool:
    return int in _types(annotation)


async def site_root(request: Request) -> str:
    """The server's own root URL (no trailing slash), as the client reached it."""
    return str(request.base_url).rstrip("/")


State = Annotated[AppState, Depends(app_state)]  # with or without a build
Built = Annotated[AppState, Depends(built_state)]  # a build to serve, or 503
Search = Annotated[SearchIndex, Depends(search_index)]  # the build's search index, or 503
SiteRoot = Annotated[str, Depends(site_root)]
CHECKED_PARAMETERS = [Depends(check_query_parameters)]  # a route's `dependencies`
