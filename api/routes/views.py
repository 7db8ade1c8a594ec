"""/api/…: one REST route per curated view in queries/views/, answered as JSON, JSON-LD or CSV."""

import inspect
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Path, Query, Request
from fastapi.responses import Response

from migkg.api.conneg import choose
from migkg.api.deps import CHECKED_PARAMETERS, Built, SiteRoot
from migkg.api.formats import Offer
from migkg.api.jsonio import JSONResponse
from migkg.api.paging import link_header, page_body, page_links
from migkg.api.problems import error_for, not_acceptable, problem_responses
from migkg.api.routing import Router
from migkg.api.state import AppState
from migkg.api.views import (
    PARAM_TYPES,
    NotFound,
    Page,
    Param,
    ParameterInvalid,
    View,
    csv_text,
    fetch_item,
    fetch_page,
    item_model,
    jsonld_context,
    page_model,
)

JSON = Offer("application/json", "application/json", "json")
JSON_LD = Offer("application/ld+json", "application/ld+json", "jsonld")
CSV = Offer("text/csv", "text/csv; charset=utf-8", "csv")
OFFERS = {"list": [JSON, JSON_LD, CSV], "item": [JSON, JSON_LD]}
PREFIX = "/api"


def views_router(views: list[View]) -> Router:
    router = Router(prefix=PREFIX)
    paths = {view.path for view in views}

    @router.get(
        "",
        summary="The curated views",
        tags=["views"],
        dependencies=CHECKED_PARAMETERS,
        responses=problem_responses(422),
    )
    @router.head("", include_in_schema=False, dependencies=CHECKED_PARAMETERS)
    async def index(site: SiteRoot) -> dict[str, Any]:
        """Every view with its path, summary and parameters; /docs has the full description."""
        return {
            "openapi": f"{site}/openapi.json",
            "docs": f"{site}/docs",
            "views": [
                {
                    "name": v.name,
                    "path": f"{PREFIX}{v.path}",
                    "summary": v.summary,
                    "kind": v.kind,
                    "parameters": [p.name for p in v.params],
                }
                for v in views
            ],
        }

    for view in views:
        listing = view.path.rsplit("/{", 1)[0]
        hint = view.hint or (
            f"See {PREFIX}{listing} for what exists." if listing in paths else f"{PREFIX} lists the views."
        )
        _add_route(router, view, hint)

    @router.api_route("/{unknown:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def no_such_view(request: Request, unknown: str) -> Response:
        return error_for(request, 404, f"No view at {PREFIX}/{unknown}.", hint=f"{PREFIX} lists the views.")

    return router


def _add_route(router: Router, view: View, not_found_hint: str) -> None:
    model = page_model(view) if view.kind == "list" else item_model(view)
    route = _ViewRoute(view, jsonld_context(view), not_found_hint)
    media = {offer.media_type: {} for offer in OFFERS[view.kind][1:]}
    statuses = (404, 406, 422, 503) if view.not_found else (406, 422, 503)

    async def endpoint(request: Request, state: AppState, **values: Any) -> Response:
        return await route.answer(request, state, values)

    endpoint.__signature__ = inspect.Signature(  # what FastAPI validates and documents
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
            inspect.Parameter("state", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Built),
        ]
        + [_signature_parameter(p) for p in view.params]
        + (_paging_parameters(view) if view.kind == "list" else [])
    )
    endpoint.__name__ = view.name.replace("-", "_")
    router.add_api_route(
        view.path,
        endpoint,
        methods=["GET"],
        name=f"view:{view.name}",
        summary=view.summary,
        description=_description(view),
        tags=list(view.tags) or ["views"],
        response_model=model,
        responses={200: {"content": media}, **problem_responses(*statuses)},
        dependencies=CHECKED_PARAMETERS,
    )
    router.add_api_route(
        view.path, endpoint, methods=["HEAD"], include_in_schema=False, dependencies=CHECKED_PARAMETERS
    )


def _signature_parameter(param: Param) -> inspect.Parameter:
    python_type: Any = Literal[tuple(param.enum)] if param.enum else PARAM_TYPES[param.type]
    options: dict[str, Any] = {"description": param.description}
    if param.example is not None:  # Swagger UI's "Try it out" starts from the parameter-level example
        options["openapi_examples"] = {
            "example": {"summary": f"{param.name} = {param.example}", "value": param.example}
        }
    limits = param.constraints
    for ours, fastapi_name in (
        ("pattern", "pattern"),
        ("minimum", "ge"),
        ("maximum", "le"),
        ("min_length", "min_length"),
        ("max_length", "max_length"),
    ):
        if ours in limits:
            options[fastapi_name] = limits[ours]
    if param.in_path:
        annotation, default = Annotated[python_type, Path(**options)], inspect.Parameter.empty
    elif param.required:
        annotation, default = Annotated[python_type, Query(**options)], inspect.Parameter.empty
    else:
        annotation, default = Annotated[python_type | None, Query(**options)], None
    return inspect.Parameter(param.name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def _paging_parameters(view: View) -> list[inspect.Parameter]:
    limit = Query(ge=1, le=view.max_limit, description=f"rows per page (at most {view.max_limit})")
    offset = Query(ge=0, le=1_000_000, description="rows to skip")
    return [
        inspect.Parameter(
            "limit", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[int, limit], default=view.default_limit
        ),
        inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[int, offset], default=0),
    ]


def _description(view: View) -> str:
    parts = [view.description]
    if view.order:
        parts.append(f"**Order:** {view.order}.")
    if view.kind == "list":
        parts.append("**Pages:** `limit` and `offset`; the `Link` header names the first, previous and next pages.")
    formats = ", ".join(f"`{offer.media_type}`" for offer in OFFERS[view.kind])
    parts.append(f"**Formats** (by `Accept`): {formats}. **SPARQL:** `queries/views/{view.name}.rq`.")
    return "\n\n".join(p for p in parts if p)


@dataclass(frozen=True)
class _ViewRoute:
    """One view's answers: its JSON-LD context, and where to point after a 404."""

    view: View
    context: dict[str, Any]
    not_found_hint: str

    async def answer(self, request: Request, state: AppState, values: dict[str, Any]) -> Response:
        view = self.view
        offer = choose(OFFERS[view.kind], request.headers.get("accept"))
        if offer is None:
            return not_acceptable(request, OFFERS[view.kind])
        # A busy store, a timeout or a fault in a view file is answered by the app's handlers, as problems here.
        try:
            languages = offer is JSON_LD
            if view.kind == "list":
                page = await fetch_page(state.store, state.settings, view, values, languages)
                return self._page(request, offer, values, page)
            return self._item(offer, await fetch_item(state.store, state.settings, view, values, languages))
        except ParameterInvalid as invalid:
            return error_for(
                request,
                422,
                f"Invalid parameters: {invalid.name}: {invalid.reason}",
                errors=[{"parameter": invalid.name, "reason": invalid.reason}],
            )
        except NotFound as missing:
            return error_for(request, 404, str(missing), hint=self.not_found_hint)

    def _page(self, request: Request, offer: Offer, values: dict[str, Any], page: Page) -> Response:
        limit, offset = values["limit"], values["offset"]
        links = page_links(request, limit, offset, page.more)
        headers = {"Vary": "Accept", "Link": link_header(links)}
        if offer is CSV:
            return Response(csv_text(self.view, page.items), media_type=offer.content_type, headers=headers)
        if offer is JSON_LD:
            return JSONResponse(
                {"@context": self.context, "items": page.items}, media_type=offer.content_type, headers=headers
            )
        return JSONResponse(page_body(page.items, limit, offset, links), headers=headers)

    def _item(self, offer: Offer, item: dict[str, Any]) -> Response:
        if offer is JSON_LD:
            return JSONResponse(
                {"@context": self.context, **item}, media_type=offer.content_type, headers={"Vary": "Accept"}
            )
        return JSONResponse(item, headers={"Vary": "Accept"})
