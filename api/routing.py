"""The routers of the app's routes: FastAPI's APIRouter, turning a request away at once when no
route of its can match the path.

FastAPI asks each included router in turn, twice per request (to choose the route, then again to
run it), and a router scans all its routes at about 2 µs a route: some 200 µs of CPU for an /api
view, whose router comes last of the app's eleven (bench/results/README.md).
"""

from fastapi import APIRouter
from starlette._utils import get_route_path  # how Starlette's own routes read the path
from starlette.routing import Match
from starlette.types import Scope


class Router(APIRouter):
    _paths: tuple[frozenset[str], tuple[str, ...]] = (frozenset(), ())
    _paths_of: int = -1  # how many routes ``_paths`` was worked out from

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path = get_route_path(scope)
        fixed, starts = self._route_paths()
        if path not in fixed and not path.startswith(starts):
            return Match.NONE, {}
        return super().matches(scope)

    def _route_paths(self) -> tuple[frozenset[str], tuple[str, ...]]:
        """The paths the routes without parameters match, and what the paths the others match begin
        with (their path up to the first parameter)."""
        if self._paths_of != len(self.routes):
            paths = [route.path for route in self.routes if hasattr(route, "path")]
            starts = {path.split("{", 1)[0] for path in paths if "{" in path}
            self._paths = frozenset(path for path in paths if "{" not in path), tuple(starts)
            self._paths_of = len(self.routes)
        return self._paths
