"""Curated views: SPARQL files in queries/views/ whose `#+` YAML header makes each a REST route.

The idea is grlc's. A view file is a runnable SPARQL SELECT with a header such as::

    #+ summary: Practices, filtered by objective, country, SDG target, organisation or text
    #+ path: /practices
    #+ params:
    #+   sdg_target: {type: string, pattern: '^[0-9]{1,2}\\.[0-9a-z]{1,2}$', bind: iri,
    #+                template: 'http://metadata.un.org/sdg/{}', example: '10.7'}
    #+ columns:
    #+   id: {type: iri}
    #+   title: {type: string, property: dcterms:title}

Parameters reach the query through its one ``VALUES (?a ?b …) { (UNDEF UNDEF …) }`` block,
whose row is replaced by RDF terms that pyoxigraph builds and serializes from the validated
values: request text is never pasted into the query. A file runs unchanged in any SPARQL
editor, where the UNDEF row means "no filter". Item views add part queries
(``NAME.PART.rq``, run with the same parameters) whose rows nest as arrays.

This module reads and checks the files, binds parameters, runs a view's queries and shapes their
rows (JSON, JSON-LD context, CSV, pydantic models); `routes/views.py` turns each view into a route.
"""

import asyncio
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyoxigraph as ox
import yaml
from pydantic import BaseModel, ConfigDict, Field, create_model

from migkg.api.prefixes import PREFIXES, expand
from migkg.api.querying import Binding, ask, select_text
from migkg.api.settings import Settings
from migkg.api.store import QueryStore
from migkg.queries import query_files, read_query

VIEW_FILE = re.compile(r"^[a-z0-9-]+\.rq$")  # NAME.PART.rq files are parts, not views
# libyaml's parser where PyYAML has it (the safe schema either way): the views' headers are read at start-up
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HEADER_LINE = re.compile(r"^#\+ ?(.*)$")
VALUES_BLOCK = re.compile(r"VALUES\s*\(([^)]*)\)\s*\{\s*\(\s*((?:UNDEF\s*)+)\)\s*\}")
PARAM_TYPES = {"string": str, "integer": int}
COLUMN_TYPES = {"iri": str, "string": str, "integer": int, "decimal": float, "boolean": bool, "date": str}
RESERVED_PARAMS = {"request", "state", "limit", "offset"}  # the route's own arguments and paging parameters
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")


class ViewError(Exception):
    """A view file that cannot become a route; raised at start-up, naming the file and the fault."""


class ParameterInvalid(ValueError):
    """A value that passed validation but cannot be the RDF term it stands for (say, no valid IRI)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


Terms = dict[str, ox.NamedNode | ox.Literal]  # SPARQL variable → the term bound to it


@dataclass(frozen=True)
class Param:
    name: str
    variable: str  # the SPARQL variable it binds (defaults to the name)
    type: Literal["string", "integer"]
    description: str
    bind: Literal["iri", "literal"]
    template: str  # "{}" is replaced by the value: the IRI (bind: iri) or the literal's text
    required: bool
    in_path: bool
    example: Any = None
    constraints: dict[str, Any] = field(default_factory=dict)  # pattern, minimum, maximum, min_length, max_length
    enum: dict[str, str] | None = None  # value → IRI, for a closed set of choices

    def term(self, value: Any) -> ox.NamedNode | ox.Literal:
        """The RDF term a validated value stands for."""
        if self.enum is not None:
            return ox.NamedNode(expand(self.enum[value]))
        text = self.template.format(value)
        if self.bind == "iri":
            return ox.NamedNode(text)
        if self.type == "integer":
            return ox.Literal(text, datatype=XSD_INTEGER)
        return ox.Literal(text)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    property: str | None  # CURIE or IRI for the JSON-LD context; None: not in the context
    required: bool  # False: the query may leave it unbound (OPTIONAL)

    def value(self, term: dict[str, str] | None, languages: bool = False) -> Any:
        """A SPARQL JSON term as the column's JSON value; with ``languages``, a text with a language
        tag is a JSON-LD value object, so that JSON-LD states the literal the graph holds."""
        if term is None:
            return None
        text = term["value"]
        if languages and "xml:lang" in term:
            return {"@value": text, "@language": term["xml:lang"]}
        if self.type == "integer":
            return int(text)
        if self.type == "decimal":
            return float(text)
        if self.type == "boolean":
            return text in ("true", "1")
        return text


@dataclass(frozen=True)
class Query:
    """One SPARQL text with the position of its parameter VALUES row."""

    text: str
    variables: tuple[str, ...]
    row: tuple[int, int]  # span of the "(UNDEF …)" row's UNDEFs in text

    def render(self, terms: Terms) -> str:
        cells = " ".join(str(terms[v]) if v in terms else "UNDEF" for v in self.variables)
        return f"{self.text[: self.row[0]]}{cells} {self.text[self.row[1] :]}"


@dataclass(frozen=True)
class Part:
    name: str
    description: str
    property: str | None
    reverse: bool
    query: Query
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class View:
    name: str
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    kind: Literal["list", "item"]
    order: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    parts: tuple[Part, ...]
    query: Query
    not_found: str  # item views: detail for a 404, formatted with the parameters
    hint: str  # what to try after a 404; "" leaves the server to point at the matching list
    default_limit: int
    max_limit: int

    def terms(self, values: dict[str, Any]) -> Terms:
        """The terms the given parameters stand for; ParameterInvalid names one that cannot be built."""
        terms = {}
        for param in self.params:
            if values.get(param.name) is not None:
                try:
                    terms[param.variable] = param.term(values[param.name])
                except ValueError as fault:
                    raise ParameterInvalid(param.name, str(fault)) from None
        return terms


def load_views(directory: Path) -> list[View]:
    """Every NAME.rq in ``directory`` as a view; ViewError on the first file that is not one."""
    names = [p.name for p in query_files(directory) if VIEW_FILE.match(p.name)]
    views = [load_view(directory / name) for name in names]
    paths = [v.path for v in views]
    if len(set(paths)) != len(paths):
        raise ViewError(f"two views in {directory} share a path: {sorted(p for p in paths if paths.count(p) > 1)}")
    return views


def load_view(path: Path) -> View:
    header, text = read_header(path)
    try:
        name = path.stem
        params = tuple(_param(n, spec, header["path"]) for n, spec in (header.get("params") or {}).items())
        kind = header.get("kind", "list")
        if kind not in ("list", "item"):
            raise ViewError(f"kind must be list or item, not {kind!r}")
        view = View(
            name=name,
            path=header["path"],
            summary=header["summary"],
            description=header.get("description", "").strip(),
            tags=tuple(header.get("tags", [])),
            kind=kind,
            order=header.get("order", ""),
            params=params,
            columns=_columns(header["columns"]),
            parts=tuple(_part(path, n, spec, params) for n, spec in (header.get("parts") or {}).items()),
            query=_query(text, params, paginated=kind == "list"),
            not_found=header.get("not_found", ""),
            hint=header.get("hint", ""),
            default_limit=int(header.get("limit", 50)),
            max_limit=int(header.get("max_limit", 1000)),
        )
    except ViewError as fault:
        raise ViewError(f"{path}: {fault}") from None
    except (KeyError, TypeError, ValueError) as fault:
        raise ViewError(f"{path}: header is missing or has a malformed entry ({fault!r})") from None
    if (view.kind == "item" or any(p.in_path for p in view.params)) and not view.not_found:
        raise ViewError(f"{path}: an item view, or one with path parameters, needs a not_found message")
    return view


def read_header(path: Path) -> tuple[dict[str, Any], str]:
    """The `#+` YAML header and the whole text of a query file."""
    text = read_query(path)
    lines = [m.group(1) for line in text.splitlines() if (m := HEADER_LINE.match(line))]
    try:
        header = yaml.load("\n".join(lines), Loader=YAML_LOADER) or {}
    except yaml.YAMLError as fault:
        raise ViewError(f"{path}: the #+ header is not YAML: {fault}") from None
    if not isinstance(header, dict):
        raise ViewError(f"{path}: the #+ header must be a YAML mapping")
    return header, text


def _param(name: str, spec: dict[str, Any], route: str) -> Param:
    if name in RESERVED_PARAMS:
        raise ViewError(f"parameter {name}: the name is reserved ({', '.join(sorted(RESERVED_PARAMS))})")
    in_path = f"{{{name}}}" in route or f"{{{name}:path}}" in route
    constraints = {
        key: spec[key] for key in ("pattern", "minimum", "maximum", "min_length", "max_length") if key in spec
    }
    return Param(
        name=name,
        variable=spec.get("variable", name),
        type=spec.get("type", "string"),
        description=spec["description"],
        bind=spec.get("bind", "literal"),
        template=spec.get("template", "{}"),
        required=in_path or bool(spec.get("required", False)),
        in_path=in_path,
        example=spec.get("example"),
        constraints=constraints,
        enum=spec.get("enum"),
    )


def _columns(specs: dict[str, dict[str, Any]]) -> tuple[Column, ...]:
    columns = []
    for name, spec in specs.items():
        if spec.get("type", "string") not in COLUMN_TYPES:
            raise ViewError(f"column {name}: unknown type {spec.get('type')!r}; known: {sorted(COLUMN_TYPES)}")
        columns.append(
            Column(
                name,
                spec.get("type", "string"),
                spec.get("description", ""),
                spec.get("property"),
                bool(spec.get("required", True)),
            )
        )
    return tuple(columns)


def _part(view_path: Path, name: str, spec: dict[str, Any], params: tuple[Param, ...]) -> Part:
    file = view_path.with_name(f"{view_path.stem}.{spec.get('query', name)}.rq")
    if not file.is_file():
        raise ViewError(f"part {name}: no query file {file.name}")
    header, text = read_header(file)
    reverse = "reverse" in spec
    return Part(
        name=name,
        description=spec.get("description", header.get("summary", "")),
        property=spec.get("reverse", spec.get("property")),
        reverse=reverse,
        query=_query(text, params, paginated=False),
        columns=_columns(header["columns"]),
    )


def _query(text: str, params: tuple[Param, ...], paginated: bool) -> Query:
    """Locate the parameter VALUES row and check that it binds exactly the declared parameters."""
    if paginated and re.search(r"\b(LIMIT|OFFSET)\s+\d+\s*$", text, re.IGNORECASE):
        raise ViewError("a list view is paginated by the server; remove the query's own LIMIT/OFFSET")
    blocks = list(VALUES_BLOCK.finditer(text))
    declared = {p.variable for p in params}
    if not blocks:
        if declared:
            raise ViewError(f"parameters {sorted(declared)} need a VALUES (?…) {{ (UNDEF …) }} block")
        return Query(text, (), (len(text), len(text)))
    if len(blocks) > 1:
        raise ViewError("more than one VALUES (…) { (UNDEF …) } block; the parameters need exactly one")
    block = blocks[0]
    variables = tuple(v.lstrip("?$") for v in block.group(1).split())
    if set(variables) != declared or len(block.group(2).split()) != len(variables):
        raise ViewError(f"the VALUES block binds {list(variables)}; the header declares {sorted(declared)}")
    return Query(text, variables, block.span(2))


# --- pydantic models (for validation in tests and the OpenAPI document) ---


def item_model(view: View) -> type[BaseModel]:
    fields: dict[str, Any] = _column_fields(view.columns)
    for part in view.parts:
        fields[part.name] = (
            list[_row_model(f"{_camel(view.name)}{_camel(part.name)}", part.columns)],
            Field(description=part.description),
        )
    return create_model(f"{_camel(view.name)}Item", __config__=ConfigDict(extra="forbid"), **fields)


def page_model(view: View) -> type[BaseModel]:
    row = _row_model(f"{_camel(view.name)}Row", view.columns)
    return create_model(
        f"{_camel(view.name)}Page",
        __config__=ConfigDict(extra="forbid"),
        items=(list[row], Field(description=view.summary)),
        limit=(int, Field(description="the page size asked for")),
        offset=(int, Field(description="rows skipped before this page")),
        next=(str | None, Field(description="URL of the next page; null on the last")),
        prev=(str | None, Field(description="URL of the previous page; null on the first")),
    )


def _row_model(name: str, columns: tuple[Column, ...]) -> type[BaseModel]:
    return create_model(name, __config__=ConfigDict(extra="forbid"), **_column_fields(columns))


def _column_fields(columns: tuple[Column, ...]) -> dict[str, Any]:
    fields = {}
    for column in columns:
        python_type = COLUMN_TYPES[column.type]
        annotation = python_type if column.required else python_type | None
        fields[column.name] = (annotation, Field(description=column.description or None))
    return fields


def _camel(name: str) -> str:
    return "".join(word.capitalize() for word in re.split(r"[-_]", name))


# --- JSON-LD ---


def jsonld_context(view: View) -> dict[str, Any]:
    """The plain JSON made JSON-LD: `id` is @id, `items` is @graph, every column with a property a term.

    A text with a language tag is answered as a value object (`fetch_page`'s ``languages``), not
    through a term's @language: a column may hold texts in several languages, or none.

    Each part's columns get a context scoped to the part's key (JSON-LD 1.1), so a part may use
    a column name, such as `title`, for another property than the main row does.
    """
    context: dict[str, Any] = {"@version": 1.1, "id": "@id", "items": "@graph", **_terms(view.name, view.columns)}
    for part in view.parts:
        if not part.property:  # no property links it to the main row: JSON-LD leaves it out
            context[part.name] = None
            continue
        context[part.name] = {
            "@reverse" if part.reverse else "@id": expand(part.property),
            "@context": _terms(f"{view.name}.{part.name}", part.columns),
        }
    return context


def _terms(where: str, columns: tuple[Column, ...]) -> dict[str, Any]:
    """Each column's term; a column without a property is null, so no outer term of that name applies."""
    terms: dict[str, Any] = {}
    for column in columns:
        # A decimal travels as a JSON number, which JSON-LD reads as xsd:double (or, coerced, writes
        # in a double's lexical form): it would state another literal than the graph's, so it is left out.
        if (not column.property or column.type == "decimal") and column.name != "id":
            terms[column.name] = None
        elif column.property and column.name != "id":
            term: dict[str, Any] = {"@id": expand(column.property)}
            if column.type == "iri":
                term["@type"] = "@id"
            if terms.setdefault(column.name, term) != term:
                raise ViewError(f"{where}: column {column.name} stands for two properties")
    return terms


# --- running a view ---


class NotFound(Exception):
    """The item asked for, or the resource a list is under, does not exist; the message says which."""


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    more: bool  # a next page exists


async def fetch_page(
    store: QueryStore, settings: Settings, view: View, values: dict[str, Any], languages: bool = False
) -> Page:
    """One page of a list view (``values`` holds its parameters, `limit` and `offset`); ``languages``
    keeps each text's language tag (JSON-LD value objects, see `Column.value`).

    ParameterInvalid: a value cannot be its term; NotFound: a resource named in the path does not exist.
    """
    terms = view.terms(values)
    for param in view.params:  # a list under a resource that does not exist is a 404, not an empty page
        if (
            param.in_path
            and param.bind == "iri"
            and not await ask(store, settings, "resource-exists", resource=terms[param.variable].value)
        ):
            raise NotFound(view.not_found.format(**values))
    limit, offset = values["limit"], values["offset"]
    text = f"{view.query.render(terms)}\nLIMIT {limit + 1} OFFSET {offset}"  # validated integers
    rows = _rows(await select_text(store, settings, text), view.columns, languages)
    return Page(rows[:limit], more=len(rows) > limit)


async def fetch_item(
    store: QueryStore, settings: Settings, view: View, values: dict[str, Any], languages: bool = False
) -> dict[str, Any]:
    """The item an item view names, its parts nested under their keys (ParameterInvalid, NotFound);
    ``languages`` as for `fetch_page`."""
    terms = view.terms(values)
    rows = await select_text(store, settings, view.query.render(terms))
    if not rows:
        raise NotFound(view.not_found.format(**values))
    item = _rows(rows[:1], view.columns, languages)[0]
    answers = await asyncio.gather(*(select_text(store, settings, part.query.render(terms)) for part in view.parts))
    for part, part_rows in zip(view.parts, answers, strict=True):
        item[part.name] = _rows(part_rows, part.columns, languages)
    return item


def _rows(bindings: list[Binding], columns: tuple[Column, ...], languages: bool) -> list[dict[str, Any]]:
    return [{c.name: c.value(binding.get(c.name), languages) for c in columns} for binding in bindings]


def csv_text(view: View, items: list[dict[str, Any]]) -> str:
    """A page of a list view as CSV (RFC 4180), with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(c.name for c in view.columns)
    writer.writerows(["" if item[c.name] is None else item[c.name] for c in view.columns] for item in items)
    return out.getvalue()
