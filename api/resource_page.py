"""One resource's page for people: what it is and where it sits, its own text, the sections its
kind has (an objective's actions and practices, an element's recommendations, a country's
practices…), what maps to it from other frameworks, every passage naming it (actors and places),
where it was read, what points at it (a few of each, the rest a link away), the resources most
alike, and the full property table last.

What is shown first, left out or sectioned is `queries/pages/layout.toml`; each section is a query
of `queries/pages/`. This module runs them and shapes their rows for `resource.html`.
"""

import asyncio
import re
import tomllib
from dataclasses import dataclass, field

from migkg.api.links import linker
from migkg.api.prefixes import PREFIXES, curie
from migkg.api.querying import Binding, select, select_text
from migkg.api.sources import SourceText, passage_url, source_id
from migkg.api.state import AppState
from migkg.api.ui import PICTURES, STATIC_URL, VEGA_FILES, WORLD_ATLAS
from migkg.queries import QUERIES_DIR, load_query

LAYOUT = tomllib.loads((QUERIES_DIR / "pages" / "layout.toml").read_text(encoding="utf-8"))
MIG = PREFIXES["mig"]
RDF_TYPE = PREFIXES["rdf"] + "type"
GEO_LAT, GEO_LONG = PREFIXES["geo"] + "lat", PREFIXES["geo"] + "long"
INCOMING_SHOWN = 10  # of each property pointing at the resource; the rest on their own pages
INCOMING_PAGE = 50
CONTEXT = 90  # characters of text on each side of a name, in the keyword-in-context list
RELATED_SHOWN = 6


def _expand(name: str) -> str:
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local


TEXTS = [_expand(name) for name in LAYOUT["texts"]]
HIDDEN = {_expand(name) for name in LAYOUT["hidden"]}
PARENTS = [_expand(name) for name in LAYOUT["parents"]]
RELATIONS = {_expand(name): words for name, words in LAYOUT["relations"].items()}
INVERSE_RELATIONS = {_expand(name): words for name, words in LAYOUT["inverse-relations"].items()}
STATED = _expand("semapv:ManualMappingCuration")
JUSTIFICATIONS = {_expand(name): words for name, words in LAYOUT["justifications"].items()}


@dataclass(frozen=True)
class Value:
    text: str
    link: str | None = None
    lang: str | None = None


@dataclass
class Row:
    cells: dict[str, list[Value]]


@dataclass
class Section:
    heading: str
    columns: dict[str, str]
    groups: list[tuple[str | None, list[Row]]]
    count: int

    @property
    def anchor(self) -> str:
        """The section's fragment id: its heading's words, lower case, joined by dashes."""
        return "-".join(re.findall(r"[a-z0-9]+", self.heading.lower()))


@dataclass
class Mapping:
    other: Value
    relation: str
    confidence: float
    justification: str
    stated: bool
    similarity: str | None
    evidence: list[tuple[str, str | None]] = field(default_factory=list)  # (quote, passage link)


@dataclass(frozen=True)
class Mention:
    before: str
    name: str
    after: str
    link: str
    within: Value


@dataclass
class Incoming:
    property: Value
    count: int
    shown: list[Value]
    more: str | None  # the page listing them all


async def page_context(state: AppState, iri: str) -> dict:
    """Everything resource.html shows for ``iri``."""
    link = linker(state.settings.base_iri)
    properties, incoming, provenance, kinds, counts, crosswalk, evidence = await asyncio.gather(
        select(state.store, state.settings, "resource-properties", resource=iri),
        select(state.store, state.settings, "resource-incoming", resource=iri),
        select(state.store, state.settings, "resource-provenance", resource=iri),
        page_query(state, "kind", resource=iri),
        page_query(state, "incoming-counts", resource=iri),
        page_query(state, "crosswalk", resource=iri),
        page_query(state, "crosswalk-evidence", resource=iri),
    )
    types = {_value(row["value"]) for row in properties if row["property"]["value"] == RDF_TYPE}
    classes = {name.removeprefix(MIG) for name in types if name.startswith(MIG)}
    chosen = [section for section in LAYOUT["section"] if classes & set(section["kinds"])]
    section_rows = await asyncio.gather(*(page_query(state, s["query"], resource=iri) for s in chosen))
    named = bool(classes & set(LAYOUT["named"]))
    mentions = await page_query(state, "mentions", resource=iri) if named else []
    labels = await term_labels(state)
    kwic = _mentions(mentions, state.source_texts(), link) if named else None
    return {
        "iri": iri,
        "label": _label(properties) or iri,
        "kinds": [row["classLabel"]["value"] for row in kinds],
        "parent": _parent(properties, link),
        "texts": _texts(properties, labels),
        "about": _about(properties, labels, link),
        "sections": [_section(s, rows, link) for s, rows in zip(chosen, section_rows, strict=True)],
        "mappings": _mappings(crosswalk, evidence, link),
        "mentions": kwic,
        "mention_count": sum(len(found) for _, found in kwic or []),
        "provenance": _provenance(provenance, link),
        "incoming": _incoming(counts, incoming, labels, link, iri),
        "related": _related(state, iri, link),
        "point": _point(properties),
        "pictures": {
            "scripts": [f"{STATIC_URL}/{name}" for name in VEGA_FILES] + [f"{STATIC_URL}/{PICTURES}/pictures.js"],
            "place_script": f"{STATIC_URL}/{PICTURES}/place.js",
            "style": f"{STATIC_URL}/{PICTURES}/pictures.css",
            "world_atlas": f"{STATIC_URL}/{WORLD_ATLAS}",
            "base_iri": state.settings.base_iri,
        },
        "properties": properties,
        "link": link,
        "curie": curie,
    }


async def incoming_page(state: AppState, iri: str, property_iri: str, page: int) -> tuple[list[Value], bool]:
    """One page of the resources pointing at ``iri`` through ``property_iri``, and whether more follow."""
    text = load_query("pages", "incoming") + f"\nLIMIT {INCOMING_PAGE + 1} OFFSET {(page - 1) * INCOMING_PAGE}"
    rows = await select_text(state.store, state.settings, text, {"resource": iri, "property": property_iri})
    link = linker(state.settings.base_iri)
    values = [Value(row["subjectLabel"]["value"], link(row["subject"]["value"])) for row in rows]
    return values[:INCOMING_PAGE], len(values) > INCOMING_PAGE


async def page_query(state: AppState, name: str, **iris: str) -> list[Binding]:
    return await select_text(state.store, state.settings, load_query("pages", name), iris)


async def term_labels(state: AppState) -> dict[str, str]:
    """The ontology's English label of each class and property, read once per build."""
    if "term-labels" not in state.cache:
        rows = await page_query(state, "term-labels")
        state.cache["term-labels"] = {row["term"]["value"]: row["label"]["value"] for row in rows}
    return state.cache["term-labels"]


def term_label(iri: str, labels: dict[str, str]) -> str:
    """The ontology's label, else the local name in words (bibliographicCitation → bibliographic citation)."""
    if iri in labels:
        return labels[iri]
    local = re.split(r"[#/]", curie(iri).split(":", 1)[-1])[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def _value(term: dict[str, str]) -> str:
    return term["value"]


def _label(properties: list[Binding]) -> str | None:
    for predicate in (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel", PREFIXES["dcterms"] + "title"):
        for row in properties:
            if row["property"]["value"] == predicate:
                return row["value"]["value"]
    return None


def _parent(properties: list[Binding], link) -> Value | None:
    for predicate in PARENTS:
        for row in properties:
            if row["property"]["value"] == predicate and row["value"]["type"] == "uri":
                target = row["value"]["value"]
                return Value(row["valueLabel"]["value"] if "valueLabel" in row else curie(target), link(target))
    return None


def _texts(properties: list[Binding], labels: dict[str, str]) -> list[tuple[str, list[Value]]]:
    found = []
    for predicate in TEXTS:
        values = [_literal(row["value"]) for row in properties if row["property"]["value"] == predicate]
        if values:
            found.append((term_label(predicate, labels), values))
    return found


def _about(properties: list[Binding], labels: dict[str, str], link) -> list[tuple[str, list[Value]]]:
    """The other statements, grouped by property: short literals and links."""
    grouped: dict[str, list[Value]] = {}
    for row in properties:
        predicate = row["property"]["value"]
        if predicate in HIDDEN or predicate in TEXTS:
            continue
        value = row["value"]
        if value["type"] == "uri":
            label = row["valueLabel"]["value"] if "valueLabel" in row else curie(value["value"])
            shown = Value(label, link(value["value"]))
        else:
            shown = _literal(value)
        grouped.setdefault(term_label(predicate, labels), []).append(shown)
    return list(grouped.items())


def _literal(term: dict[str, str]) -> Value:
    return Value(term["value"], lang=term.get("xml:lang"))


def _section(layout: dict, rows: list[Binding], link) -> Section:
    columns = layout["columns"]
    merged: dict[str, tuple[str | None, Row]] = {}
    for number, row in enumerate(rows):
        key = row["item"]["value"] if "item" in row else str(number)
        group = row[layout["group"]]["value"] if "group" in layout and layout["group"] in row else None
        entry = merged.setdefault(key, (group, Row({name: [] for name in columns})))[1]
        for name in columns:
            if name in row and (cell := _cell(row, name, link)) not in entry.cells[name]:
                entry.cells[name].append(cell)
    groups: dict[str | None, list[Row]] = {}
    for group, entry in merged.values():
        groups.setdefault(group, []).append(entry)
    return Section(layout["heading"], columns, list(groups.items()), len(merged))


def _cell(row: Binding, name: str, link) -> Value:
    term = row[name]
    if term["type"] == "uri":
        label = row[f"{name}Label"]["value"] if f"{name}Label" in row else curie(term["value"])
        return Value(label, link(term["value"]))
    if term.get("datatype") == PREFIXES["xsd"] + "boolean":
        return Value("yes" if term["value"] == "true" else "no")
    return _literal(term)


def _mappings(rows: list[Binding], evidence: list[Binding], link) -> list[Mapping]:
    found: dict[str, Mapping] = {}
    for row in rows:
        predicate = row["predicate"]["value"]
        words = RELATIONS if row["direction"]["value"] == "from" else INVERSE_RELATIONS
        justification = row["justification"]["value"]
        similarity = f"{row['measure']['value']}: {float(row['score']['value']):.2f}" if "score" in row else None
        found[row["mapping"]["value"]] = Mapping(
            other=Value(row["otherLabel"]["value"], link(row["other"]["value"])),
            relation=words.get(predicate, curie(predicate)),
            confidence=float(row["confidence"]["value"]),
            justification=JUSTIFICATIONS.get(justification, curie(justification)),
            stated=justification == STATED,
            similarity=similarity,
        )
    for row in evidence:
        if (mapping := found.get(row["mapping"]["value"])) is not None:
            mapping.evidence.append((row["quote"]["value"], _passage_link(row)))
    return list(found.values())


def _passage_link(row: Binding) -> str | None:
    source = source_id(row["document"]["value"]) if "document" in row else None
    if source is None or "start" not in row:
        return None
    return passage_url(source, int(row["start"]["value"]), int(row["end"]["value"]))


def _mentions(rows: list[Binding], texts: dict[str, SourceText], link) -> list[tuple[str, list[Mention]]]:
    """The passages naming the resource, by document: each name with the text around it."""
    grouped: dict[str, list[Mention]] = {}
    for row in rows:
        source = source_id(row["document"]["value"])
        if source not in texts:
            continue
        text, start, end = texts[source].text, int(row["start"]["value"]), int(row["end"]["value"])
        before = text[max(start - CONTEXT, 0) : start]
        after = text[end : end + CONTEXT]
        mention = Mention(
            before=("…" + before.split(" ", 1)[-1]) if start > CONTEXT else before,
            name=text[start:end],
            after=(after.rsplit(" ", 1)[0] + "…") if end + CONTEXT < len(text) else after,
            link=passage_url(source, start, end),
            within=Value(row["inLabel"]["value"], link(row["in"]["value"])),
        )
        grouped.setdefault(texts[source].label, []).append(mention)
    return list(grouped.items())


def _provenance(rows: list[Binding], link) -> list[dict]:
    return [
        {
            "quote": row["quote"]["value"] if "quote" in row else None,
            "document": Value(
                row["documentTitle"]["value"] if "documentTitle" in row else row["document"]["value"],
                link(row["document"]["value"]),
            ),
            "passage": _passage_link(row),
        }
        for row in rows
    ]


def _incoming(counts: list[Binding], rows: list[Binding], labels: dict[str, str], link, iri: str) -> list[Incoming]:
    by_property: dict[str, list[Value]] = {}
    for row in rows:
        if row["subject"]["type"] == "uri":
            label = row["subjectLabel"]["value"] if "subjectLabel" in row else curie(row["subject"]["value"])
            by_property.setdefault(row["property"]["value"], []).append(Value(label, link(row["subject"]["value"])))
    found = []
    for row in counts:
        predicate, count = row["property"]["value"], int(row["count"]["value"])
        shown = by_property.get(predicate, [])[:INCOMING_SHOWN]
        more = f"{link(iri)}?inverse={predicate}" if count > len(shown) else None
        found.append(Incoming(Value(term_label(predicate, labels), link(predicate)), count, shown, more))
    return found


def _point(properties: list[Binding]) -> dict[str, str] | None:
    """A place's WGS84 point, with its M49 code where it is a country, for its map; None elsewhere."""
    values = {row["property"]["value"]: row["value"]["value"] for row in properties if row["value"]["type"] != "uri"}
    if GEO_LAT not in values or GEO_LONG not in values:
        return None
    m49 = values.get(MIG + "m49", "")
    return {"lat": values[GEO_LAT], "long": values[GEO_LONG], "m49": m49 if re.fullmatch(r"\d{3}", m49) else ""}


def _related(state: AppState, iri: str, link) -> list[Value]:
    if state.search is None:
        return []
    return [Value(hit.label, link(hit.iri)) for hit in state.search.related(iri, RELATED_SHOWN)]
