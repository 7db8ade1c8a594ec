"""/sdg, /sdg/{notation}: local pages for the UN's SDG goals and targets, with what in the graph cites them.

metadata.un.org cannot be reached offline, so these pages show the UN's KOS as the graph vendors it
(graph/sdg), in each language it gives, beside everything in the graph that points at a goal or target.
"""

import asyncio
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from migkg.api.conneg import choose
from migkg.api.deps import Built
from migkg.api.formats import OFFERS, ResultKind
from migkg.api.links import SDG_PATH, linker, sdg_notation
from migkg.api.prefixes import PREFIXES, curie
from migkg.api.problems import error_for, not_acceptable
from migkg.api.querying import Binding, construct, select
from migkg.api.routes.linked_data import FormatChoice, asked_for
from migkg.api.routing import Router
from migkg.api.state import AppState

router = Router()

DEFAULT_LANGUAGE = "en"
# Each language named in itself, for the language switch; a language not listed shows its code.
LANGUAGE_NAMES = {"en": "English", "es": "español", "fr": "français"}
SKOS_NOTE = PREFIXES["skos"] + "note"
TARGET = PREFIXES["sdgo"] + "Target"
JUSTIFICATIONS = {
    PREFIXES["semapv"] + "ManualMappingCuration": "stated",
    PREFIXES["semapv"] + "CompositeMatching": "computed",
}
LANG = Query(description="the language of the UN's texts, as en, es or fr (default en)", examples=["es"])


@router.get(SDG_PATH, summary="The 17 Sustainable Development Goals", tags=["SDGs"])
@router.head(SDG_PATH, include_in_schema=False)
async def goals(
    request: Request, state: Built, lang: Annotated[str | None, LANG] = None, format: FormatChoice = None
) -> Response:
    """The goals with how many of their targets the graph's texts cite: HTML for browsers, the
    goals' RDF by Accept or ?format=."""
    accept, html = asked_for(request, format)
    if not html and choose(OFFERS[ResultKind.GRAPH], accept) is None:
        return not_acceptable(request, OFFERS[ResultKind.GRAPH])
    rows = await select(state.store, state.settings, "sdg-goals")
    languages = _languages(rows, "title")
    if lang is not None and lang not in languages:
        return _unknown_language(request, state, lang, languages, html)
    if not html:
        return await _rdf(state, accept, "sdg-goals-graph")
    chosen = lang or DEFAULT_LANGUAGE
    context = {
        **_page_context(request, state, chosen, languages),
        "goals": _goal_list(rows, chosen, _sdg_link(state, chosen)),
    }
    return state.templates.TemplateResponse(request, "sdg-goals.html", context, headers={"Vary": "Accept"})


@router.get(SDG_PATH + "/{notation}", summary="One SDG goal or target", tags=["SDGs"])
@router.head(SDG_PATH + "/{notation}", include_in_schema=False)
async def concept(
    request: Request,
    state: Built,
    notation: str,
    lang: Annotated[str | None, LANG] = None,
    format: FormatChoice = None,
) -> Response:
    """A goal with its targets, or a target with everything in the graph that cites it: HTML for
    browsers, the concept's RDF as the graph holds it by Accept or ?format=."""
    accept, html = asked_for(request, format)
    if not html and choose(OFFERS[ResultKind.GRAPH], accept) is None:
        return not_acceptable(request, OFFERS[ResultKind.GRAPH])
    iri = PREFIXES["sdg"] + notation
    rows = await select(state.store, state.settings, "sdg-concept", concept=iri) if sdg_notation(iri) else []
    if not rows:
        return await _not_found(request, state, notation, html)
    languages = _languages(rows, "text")
    if lang is not None and lang not in languages:
        return _unknown_language(request, state, lang, languages, html)
    if not html:
        return await _rdf(state, accept, "sdg-concept-graph", concept=iri)
    chosen = lang or DEFAULT_LANGUAGE
    described = _described(iri, rows, chosen)
    context = {**_page_context(request, state, chosen, languages), "concept": described}
    if rows[0]["kind"]["value"] == TARGET:
        context |= await _target_parts(state, iri, rows[0]["goal"]["value"], chosen)
        template = "sdg-target.html"
    else:
        context["targets"] = await _targets_of(state, iri, chosen)
        template = "sdg-goal.html"
    return state.templates.TemplateResponse(request, template, context, headers={"Vary": "Accept"})


async def _rdf(state: AppState, accept: str | None, name: str, **iris: str) -> Response:
    """The triples a CONSTRUCT of queries/server gives, in every language (``lang`` picks only the
    page's texts), in the format ``accept`` asks for."""
    answer = await construct(state.store, state.settings, name, accept, **iris)
    return Response(answer.body, media_type=answer.content_type, headers={"Vary": "Accept"})


def _page_context(request: Request, state: AppState, chosen: str, languages: list[str]) -> dict[str, Any]:
    """What every SDG page shows: the language switch, links that keep the chosen language, and
    its data's links (formats.html), which drop it: the RDF holds every language."""
    return {
        "languages": _language_links(request, languages, chosen),
        "data": request.url.path,
        "link": linker(state.settings.base_iri),
        "sdg_link": _sdg_link(state, chosen),
        "goals_page": _with_language(SDG_PATH, chosen),
        "curie": curie,
        "sdg_notation": sdg_notation,
    }


def _language_links(request: Request, languages: list[str], chosen: str | None = None) -> list[dict[str, Any]]:
    """This page in each language, each language named in itself."""
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "href": f"{request.url.path}?lang={code}",
            "current": code == chosen,
        }
        for code in languages
    ]


def _sdg_link(state: AppState, chosen: str):
    """Links to the SDG pages in the chosen language; the default language needs no parameter."""
    link = linker(state.settings.base_iri)
    return lambda iri: _with_language(link(iri), chosen)


def _with_language(path: str, chosen: str) -> str:
    return path if chosen == DEFAULT_LANGUAGE else f"{path}?lang={chosen}"


def _languages(rows: list[Binding], key: str) -> list[str]:
    """The languages of the texts in ``rows``: the default first, then the others in order."""
    found = {row[key]["xml:lang"] for row in rows if "xml:lang" in row[key]}
    return sorted(found, key=lambda code: (code != DEFAULT_LANGUAGE, code))


def _in_language(rows: list[Binding], key: str, chosen: str) -> dict[str, str]:
    """The text of ``key`` in the chosen language, else in the default one (the rows hold one text
    per language), with its language for the page's lang attributes."""
    texts = {row[key].get("xml:lang", ""): row[key]["value"] for row in rows}
    lang = chosen if chosen in texts else DEFAULT_LANGUAGE
    return {"value": texts[lang], "lang": lang}


def _described(iri: str, rows: list[Binding], chosen: str) -> dict[str, Any]:
    """A goal or target: its notation, its heading ("Target 10.7") and its text, in the chosen language."""
    notes = [row for row in rows if row["property"]["value"] == SKOS_NOTE]
    labels = [row for row in rows if row["property"]["value"] != SKOS_NOTE]
    return {
        "iri": iri,
        "notation": rows[0]["notation"]["value"],
        "heading": _in_language(notes, "text", chosen),
        "text": _in_language(labels, "text", chosen),
    }


def _goal_list(rows: list[Binding], chosen: str, sdg_link) -> list[dict[str, Any]]:
    """One entry per goal, in the UN's order (the rows come sorted, one per language)."""
    by_goal: dict[str, list[Binding]] = {}
    for row in rows:
        by_goal.setdefault(row["goal"]["value"], []).append(row)
    return [
        {
            "iri": goal,
            "number": texts[0]["number"]["value"],
            "title": _in_language(texts, "title", chosen),
            "cited_targets": int(texts[0]["cited_targets"]["value"]),
            "href": sdg_link(goal),
        }
        for goal, texts in by_goal.items()
    ]


async def _targets_of(state: AppState, goal: str, chosen: str) -> list[dict[str, Any]]:
    rows = await select(state.store, state.settings, "sdg-goal-targets", goal=goal)
    by_target: dict[str, list[Binding]] = {}
    for row in rows:
        by_target.setdefault(row["target"]["value"], []).append(row)
    return [
        {
            "iri": target,
            "notation": texts[0]["notation"]["value"],
            "text": _in_language(texts, "text", chosen),
            "cited_by": int(texts[0]["cited_by"]["value"]),
        }
        for target, texts in by_target.items()
    ]


async def _target_parts(state: AppState, target: str, goal: str, chosen: str) -> dict[str, Any]:
    """A target's goal and, grouped by kind, everything in the graph that cites it."""
    store, settings = state.store, state.settings
    goal_rows, objectives, practices, texts, mappings = await asyncio.gather(
        select(store, settings, "sdg-concept", concept=goal),
        select(store, settings, "sdg-target-objectives", target=target),
        select(store, settings, "sdg-target-practices", target=target),
        select(store, settings, "sdg-target-texts", target=target),
        select(store, settings, "sdg-target-mappings", target=target),
    )
    return {
        "goal": _described(goal, goal_rows, chosen),
        "objectives": objectives,
        "practices": practices,
        "texts": texts,
        "mappings": [_mapping(row) for row in mappings],
    }


def _mapping(row: Binding) -> dict[str, Any]:
    """A crosswalk mapping as the page shows it."""
    justification = row["justification"]["value"]
    return {
        "record": row["mapping"]["value"],
        "direction": row["direction"]["value"],
        "item": row["item"]["value"],
        "item_label": row.get("item_label", {}).get("value") or curie(row["item"]["value"]),
        "predicate": curie(row["predicate"]["value"]),
        "confidence": row["confidence"]["value"],
        "justification": JUSTIFICATIONS.get(justification, curie(justification)),
    }


async def _goals_for_listing(state: AppState) -> list[dict[str, Any]]:
    rows = await select(state.store, state.settings, "sdg-goals")
    return _goal_list(rows, DEFAULT_LANGUAGE, linker(state.settings.base_iri))


async def _not_found(request: Request, state: AppState, notation: str, html: bool) -> Response:
    """404 that lists the goals, whose pages list their targets."""
    goals = await _goals_for_listing(state)
    message = f"The SDGs have no goal or target {notation!r}."
    if html:
        context = {"title": "Not found", "message": message, "goals": goals, "languages": []}
        return state.templates.TemplateResponse(request, "sdg-not-found.html", context, status_code=404)
    listing = "".join(f"\n  {g['href']}  {g['title']['value']}" for g in goals)
    return error_for(request, 404, f"{message} The goals:{listing}\n")


def _unknown_language(request: Request, state: AppState, lang: str, languages: list[str], html: bool) -> Response:
    """400 naming the languages the UN's KOS gives for this page."""
    message = f"No texts in language {lang!r} here; the languages are {', '.join(languages)}."
    if html:
        context = {
            "title": "Unknown language",
            "message": message,
            "goals": [],
            "languages": _language_links(request, languages),
        }
        return state.templates.TemplateResponse(request, "sdg-not-found.html", context, status_code=400)
    return error_for(request, 400, message)
