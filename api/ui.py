"""The browser UIs, YASGUI (/sparql) and Swagger UI (/docs), served from the copies that `make
install` puts into static/node_modules from npm, so they work offline and call no CDN.

Without those copies a UI page is a 503 saying to run `make install`, not a page whose scripts
fail to load.
"""

from fastapi import Request
from fastapi.responses import Response

from migkg.api.prefixes import PREFIXES
from migkg.api.state import AppState

STATIC_URL = "/static"  # where app.py mounts settings.static_dir
YASGUI = "node_modules/@zazuko/yasgui/build"
SWAGGER_UI = "node_modules/swagger-ui-dist"
# Vega-Lite (through vega-embed) draws the map and the charts, and a place page's map; world-atlas
# gives the country shapes (50m: it has the small island states the texts name).
VEGA_FILES = (
    "node_modules/vega/build/vega.min.js",
    "node_modules/vega-lite/build/vega-lite.min.js",
    "node_modules/vega-embed/build/vega-embed.min.js",
)
WORLD_ATLAS = "node_modules/world-atlas/countries-50m.json"
PICTURES = "pictures"  # the pictures' own scripts and styles, in static/pictures/
YASGUI_FILES = (f"{YASGUI}/yasgui.min.js", f"{YASGUI}/yasgui.min.css")
SWAGGER_UI_FILES = (
    f"{SWAGGER_UI}/swagger-ui-bundle.js",
    f"{SWAGGER_UI}/swagger-ui.css",
    f"{SWAGGER_UI}/favicon-32x32.png",
)
VOCABULARY_URL = "/.well-known/void"  # its class and property partitions feed YASQE's autocompletion
PAGES_UNDER_BASE = ("id/", "ontology")  # the IRIs under the base this server has pages for, at the same path


def yasgui_page(request: Request, state: AppState) -> Response:
    """The query editor, with the example queries as buttons and what the page needs to run them
    here: the prefix table, the IRIs this server has pages for, where the vocabulary is."""
    if missing := _missing(state, YASGUI_FILES):
        return _not_installed(request, state, "YASGUI", missing)
    query_page = {
        "examples": [{"name": ex.name, "comment": ex.comment, "text": ex.text} for ex in state.examples],
        "prefixes": PREFIXES,
        "baseIri": state.settings.base_iri,
        "pagesUnder": [state.settings.base_iri + path for path in PAGES_UNDER_BASE],
        "vocabulary": VOCABULARY_URL,
    }
    context = {"query_page": query_page, "assets": f"{STATIC_URL}/{YASGUI}"}
    return state.templates.TemplateResponse(request, "yasgui.html", context)


def swagger_ui_page(request: Request, state: AppState) -> Response:
    """Swagger UI over the app's OpenAPI document, in a page of the site."""
    if missing := _missing(state, SWAGGER_UI_FILES):
        return _not_installed(request, state, "Swagger UI", missing)
    context = {"assets": f"{STATIC_URL}/{SWAGGER_UI}", "openapi_url": request.app.openapi_url}
    return state.templates.TemplateResponse(request, "swagger.html", context)


def _missing(state: AppState, files: tuple[str, ...]) -> list[str]:
    return [str(state.settings.static_dir / name) for name in files if not (state.settings.static_dir / name).is_file()]


def _not_installed(request: Request, state: AppState, ui: str, missing: list[str]) -> Response:
    return state.templates.TemplateResponse(
        request, "assets-missing.html", {"ui": ui, "missing": missing}, status_code=503
    )
