"""/api/…: one REST route per curated view in queries/views/, answered as JSON, JSON-LD or CSV."""

import asyncio
import csv
import inspect
import io
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from migkg.api.conneg import Offer, choose
from migkg.api.internal import ask, select_text
from migkg.api.problems import problem, problem_responses
from migkg.api.state import AppState
from migkg.api.views import (PARAM_TYPES, Column, Param, ParameterInvalid, Terms, View, item_model, jsonld_context,
                             page_model)

JSON = Offer("application/json", "application/json", "json")
JSON_LD = Offer("application/ld+json", "application/ld+json", "jsonld")
CSV = Offer("text/csv", "text/csv; charset=utf-8", "csv")
OFFERS = {"list": [JSON, JSON_LD, CSV], "item": [JSON, JSON_LD]}
PREFIX = "/api"


def views_router(views: list[View]) -> APIRouter:
    router = APIRouter(prefix=PREFIX)
    paths = {view.path for view in views}

    @router.get("", summary="The curated views", tags=["views"])
    @router.head("", include_in_schema=False)
    async def index(request: Request) -> dict[str, Any]:
        """Every view with its path, summary and parameters; /docs has the full description."""
        site = AppState.site_root(request)
        return {"openapi": f"{site}/openapi.json", "docs": f"{site}/docs", "views": [
            {"name": v.name, "path": f"{PREFIX}{v.path}", "summary": v.summary, "kind": v.kind,
             "parameters": [p.name for p in v.params]} for v in views]}

    for view in views:
        listing = view.path.rsplit("/{", 1)[0]
        hint = view.hint or (f"See {PREFIX}{listing} for what exists." if listing in paths else f"{PREFIX} lists the views.")
        _add_route(router, view, hint)

    @router.api_route("/{unknown:path}", methods=["GET", "HEAD"], include_in_schema=False)
    async def no_such_view(request: Request, unknown: str) -> Response:
        return problem(request, 404, f"No view at {PREFIX}/{unknown}.", hint=f"{PREFIX} lists the views.")

    return router


def _add_route(router: APIRouter, view: View, not_found_hint: str) -> None:
    model = page_model(view) if view.kind == "list" else item_model(view)
    route = _ViewRoute(view, jsonld_context(view), not_found_hint)
    media = {offer.media_type: {} for offer in OFFERS[view.kind][1:]}
    statuses = (404, 406, 422, 503) if view.not_found else (406, 422, 503)

    async def endpoint(request: Request, **values: Any) -> Response:
        return await route.answer(request, values)

    endpoint.__signature__ = inspect.Signature(  # what FastAPI validates and documents
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
        + [_signature_parameter(p) for p in view.params]
        + (_paging_parameters(view) if view.kind == "list" else [])
    )
    endpoint.__name__ = view.name.replace("-", "_")
    router.add_api_route(
        view.path, endpoint, methods=["GET"], name=f"view:{view.name}", summary=view.summary,
        description=_description(view), tags=list(view.tags) or ["views"], response_model=model,
        responses={200: {"content": media}, **problem_responses(*statuses)},
    )
    router.add_api_route(view.path, endpoint, methods=["HEAD"], include_in_schema=False)


def _signature_parameter(param: Param) -> inspect.Parameter:
    python_type: Any = Literal[tuple(param.enum)] if param.enum else PARAM_TYPES[param.type]
    options: dict[str, Any] = {"description": param.description}
    if param.example is not None:  # Swagger UI's "Try it out" starts from the parameter-level example
        options["openapi_examples"] = {"example": {"summary": f"{param.name} = {param.example}", "value": param.example}}
    limits = param.constraints
    for ours, fastapi_name in (("pattern", "pattern"), ("minimum", "ge"), ("maximum", "le"),
                               ("min_length", "min_length"), ("max_length", "max_length")):
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
        inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[int, limit],
                          default=view.default_limit),
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
    """One view's answers: what to query, how to name it in JSON-LD, where to point after a 404."""

    view: View
    context: dict[str, Any]
    not_found_hint: str

    async def answer(self, request: Request, values: dict[str, Any]) -> Response:
        state, view = AppState.of(request), self.view
        if state.store is None:
            return problem(request, 503, "No graph to query yet: the server has no build.",
                           hint="Run `make build`, then restart the server.")
        offer = choose(OFFERS[view.kind], request.headers.get("accept"))
        if offer is None:
            available = ", ".join(o.media_type for o in OFFERS[view.kind])
            return problem(request, 406, f"None of the formats in Accept is available here; available: {available}",
                           headers={"Vary": "Accept"})
        try:
            terms = view.terms(values)
        except ParameterInvalid as invalid:
            return problem(request, 422, f"Invalid parameters: {invalid.name}: {invalid.reason}",
                           errors=[{"parameter": invalid.name, "reason": invalid.reason}])
        # A busy store, a timeout or a fault in a view file is answered by the app's handlers, as problems here.
        if view.kind == "list":
            return await self._page(request, state, terms, values, offer)
        return await self._item(request, state, terms, values, offer)

    async def _page(self, request: Request, state: AppState, terms: Terms, values: dict[str, Any],
                    offer: Offer) -> Response:
        view = self.view
        for param in view.params:  # a list under a resource that does not exist is a 404, not an empty page
            if param.in_path and param.bind == "iri" and not await ask(
                    state.store, state.settings, "resource-exists", resource=terms[param.variable].value):
                return problem(request, 404, view.not_found.format(**values), hint=self.not_found_hint)
        limit, offset = values["limit"], values["offset"]
        text = f"{view.query.render(terms)}\nLIMIT {limit + 1} OFFSET {offset}"  # validated integers
        rows = _rows(await select_text(state.store, state.settings, text), view.columns)
        items = rows[:limit]
        links = page_links(request, limit, offset, more=len(rows) > limit)
        headers = {"Vary": "Accept", "Link": link_header(links)}
        if offer is CSV:
            return Response(_csv(view.columns, items), media_type=offer.content_type, headers=headers)
        if offer is JSON_LD:
            return JSONResponse({"@context": self.context, "items": items}, media_type=offer.content_type,
                                headers=headers)
        body = {"items": items, "limit": limit, "offset": offset, "next": links["next"], "prev": links["prev"]}
        return JSONResponse(body, headers=headers)

    async def _item(self, request: Request, state: AppState, terms: Terms, values: dict[str, Any],
                    offer: Offer) -> Response:
        view = self.view
        rows = await select_text(state.store, state.settings, view.query.render(terms))
        if not rows:
            return problem(request, 404, view.not_found.format(**values), hint=self.not_found_hint)
        item = _rows(rows[:1], view.columns)[0]
        answers = await asyncio.gather(*(select_text(state.store, state.settings, part.query.render(terms))
                                         for part in view.parts))
        for part, part_rows in zip(view.parts, answers, strict=True):
            item[part.name] = _rows(part_rows, part.columns)
        if offer is JSON_LD:
            return JSONResponse({"@context": self.context, **item}, media_type=offer.content_type,
                                headers={"Vary": "Accept"})
        return JSONResponse(item, headers={"Vary": "Accept"})


def page_links(request: Request, limit: int, offset: int, more: bool) -> dict[str, str | None]:
    """URLs of the first, previous and next pages (None where there is none)."""
    return {
        "first": str(request.url.include_query_params(offset=0)),
        "prev": str(request.url.include_query_params(offset=max(offset - limit, 0))) if offset else None,
        "next": str(request.url.include_query_params(offset=offset + limit)) if more else None,
    }


def link_header(links: dict[str, str | None]) -> str:
    """An RFC 8288 Link header naming each page that exists."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)


def _rows(bindings: list[dict[str, dict[str, str]]], columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    return [{c.name: c.value(binding.get(c.name)) for c in columns} for binding in bindings]


def _csv(columns: tuple[Column, ...], items: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
    writer.writerow(c.name for c in columns)
    writer.writerows(["" if item[c.name] is None else item[c.name] for c in columns] for item in items)
    return out.getvalue()

