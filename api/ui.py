"""The browser UIs, YASGUI (/sparql) and Swagger UI (/docs), served from the copies that `make
install` puts into static/node_modules from npm, so they work offline and call no CDN.

Without those copies a UI page is a 503 saying to run `make install`, not a page whose scripts
fail to load.
"""

from fastapi import Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import Response

from migkg.api.state import AppState

STATIC_URL = "/static"  # where app.py mounts settings.static_dir
YASGUI = "node_modules/@zazuko/yasgui/build"
SWAGGER_UI = "node_modules/swagger-ui-dist"
YASGUI_FILES = (f"{YASGUI}/yasgui.min.js", f"{YASGUI}/yasgui.min.css")
SWAGGER_UI_FILES = (
    f"{SWAGGER_UI}/swagger-ui-bundle.js",
    f"{SWAGGER_UI}/swagger-ui.css",
    f"{SWAGGER_UI}/favicon-32x32.png",
)


def yasgui_page(request: Request, state: AppState) -> Response:
    """The query editor, with the example queries as buttons."""
    if missing := _missing(state, YASGUI_FILES):
        return _not_installed(request, state, "YASGUI", missing)
    context = {"examples": state.examples, "assets": f"{STATIC_URL}/{YASGUI}"}
    return state.templates.TemplateResponse(request, "yasgui.html", context)


def swagger_ui_page(request: Request, state: AppState) -> Response:
    """Swagger UI over the app's OpenAPI document."""
    if missing := _missing(state, SWAGGER_UI_FILES):
        return _not_installed(request, state, "Swagger UI", missing)
    assets = f"{STATIC_URL}/{SWAGGER_UI}"
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title="migkg API",
        swagger_js_url=f"{assets}/swagger-ui-bundle.js",
        swagger_css_url=f"{assets}/swagger-ui.css",
        swagger_favicon_url=f"{assets}/favicon-32x32.png",
    )


def _missing(state: AppState, files: tuple[str, ...]) -> list[str]:
    return [str(state.settings.static_dir / name) for name in files if not (state.settings.static_dir / name).is_file()]


def _not_installed(request: Request, state: AppState, ui: str, missing: list[str]) -> Response:
    return state.templates.TemplateResponse(
        request, "assets-missing.html", {"ui": ui, "missing": missing}, status_code=503
    )
