"""The map and the charts: what the texts name, drawn from the views.

Both pages draw in the browser with Vega-Lite (through vega-embed) from the server's own npm
copies, on the data of the REST views (/api/map, /api/charts/…), and put a table of the same
data under each picture for readers who do not see it. Without the npm copies a page is a 503
saying to run `make install`, not a page whose scripts fail to load.
"""

from fastapi import Request
from fastapi.responses import Response

from migkg.api.deps import Built
from migkg.api.routing import Router
from migkg.api.state import AppState
from migkg.api.ui import PICTURES, STATIC_URL, VEGA_FILES, WORLD_ATLAS

router = Router()


@router.get("/map", include_in_schema=False)
@router.head("/map", include_in_schema=False)
async def world_map(request: Request, state: Built) -> Response:
    """The countries (shaded by mentions) and cities (points) the texts name."""
    return _page(request, state, "map.html", (*VEGA_FILES, WORLD_ATLAS), "map.js")


@router.get("/charts", include_in_schema=False)
@router.head("/charts", include_in_schema=False)
async def charts(request: Request, state: Built) -> Response:
    """GCM objectives × SDG goals, MiGOF elements × GCM objectives, resources per document and class."""
    return _page(request, state, "charts.html", VEGA_FILES, "charts.js")


def _page(request: Request, state: AppState, template: str, assets: tuple[str, ...], script: str) -> Response:
    files = (*assets, f"{PICTURES}/{script}", f"{PICTURES}/pictures.js", f"{PICTURES}/pictures.css")
    static = state.settings.static_dir
    missing = [str(static / name) for name in files if not (static / name).is_file()]
    if missing:
        context = {"ui": "The drawing library (Vega)", "missing": missing}
        return state.templates.TemplateResponse(request, "assets-missing.html", context, status_code=503)
    context = {
        "vega_scripts": [f"{STATIC_URL}/{name}" for name in VEGA_FILES],
        "world_atlas": f"{STATIC_URL}/{WORLD_ATLAS}",
        "pictures": f"{STATIC_URL}/{PICTURES}",
        "script": f"{STATIC_URL}/{PICTURES}/{script}",
        "base_iri": state.settings.base_iri,
    }
    return state.templates.TemplateResponse(request, template, context)
