"""The server binds its queries' IRIs with a VALUES block opening the WHERE clause (bind_iris):
for every query of queries/server and queries/pages, that must answer exactly what binding the
variable itself (pyoxigraph's substitutions) answers, on real resources."""

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from migkg.api.querying import bind_iris
from migkg.queries import QUERIES_DIR, header_lines

ID = "https://w3id.org/migkg/id/"
SDG = "http://metadata.un.org/sdg/"
SAMPLES = {
    "resource": [ID + "gcm/objective/4", ID + "gcm", ID + "place/country/MX", ID + "actor/iom", ID + "migof/element/4"],
    "concept": [SDG + "10.7", SDG + "10"],
    "target": [SDG + "10.7", SDG + "16.9"],
    "goal": [SDG + "10", SDG + "16"],
    "property": ["https://w3id.org/migkg/ontology#mentionsActor", "https://w3id.org/migkg/ontology#illustrates"],
    "prefix": [ID + "gcm/objective/", ID + "actor/"],
    "graph": ["https://w3id.org/migkg/graph/ontology", "https://w3id.org/migkg/graph/sdg"],
}
QUERIES = sorted(path for folder in ("server", "pages") for path in (QUERIES_DIR / folder).glob("*.rq"))


def _bound(path: Path) -> list[str]:
    """The variables the query's header says the server binds ("?resource (bound by the server)")."""
    header = header_lines(path.read_text(encoding="utf-8"))
    return sorted({name for line in header if "bound by the server" in line for name in re.findall(r"\?(\w+)", line)})


@pytest.fixture(scope="module")
def store(build_dir: Path) -> ox.Store:
    return ox.Store.read_only(str(build_dir / "store"))


def _answer(result) -> object:
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        variables = result.variables
        return sorted(tuple(str(row[v]) if row[v] is not None else "" for v in variables) for row in result)
    return sorted(str(triple) for triple in result)


@pytest.mark.parametrize("path", [p for p in QUERIES if _bound(p)], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_binding_by_values_answers_as_binding_the_variable(store: ox.Store, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    names = _bound(path)
    for index in range(2):
        iris = {name: SAMPLES[name][min(index, len(SAMPLES[name]) - 1)] for name in names}
        valued = store.query(bind_iris(text, iris), use_default_graph_as_union=True)
        assert _answer(valued) == _answer(_substituted(store, text, iris)), iris


def _substituted(store: ox.Store, text: str, iris: dict[str, str]):
    """The query with its variables bound by pyoxigraph, or, where it does not project them (so
    pyoxigraph will not bind them), with the IRIs written in their place."""
    try:
        return store.query(
            text,
            use_default_graph_as_union=True,
            substitutions={ox.Variable(name): ox.NamedNode(iri) for name, iri in iris.items()},
        )
    except RuntimeError:
        for name, iri in iris.items():
            text = re.sub(rf"\?{name}\b", f"<{iri}>", text)
        return store.query(text, use_default_graph_as_union=True)
