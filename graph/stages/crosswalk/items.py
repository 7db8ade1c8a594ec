"""The items the crosswalk maps, read from the linked graph with queries/crosswalk/."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from migkg.queries import load_query


@dataclass(frozen=True)
class Item:
    """Something the crosswalk maps: its kind (queries/crosswalk/items.rq), label, the item it
    belongs to, and the text it is compared on."""

    iri: URIRef
    kind: str
    label: str
    parent: URIRef | None
    texts: tuple[str, ...]  # its own texts, sorted

    @property
    def text(self) -> str:
        return " ".join(self.texts)


@dataclass(frozen=True)
class PairTypes:
    """What is mapped to what, and each kind's granularity (graph/reference/crosswalk/pairs.toml)."""

    level: dict[str, int]
    pairs: dict[str, tuple[str, ...]]


def load_pair_types(directory: Path) -> PairTypes:
    data = tomllib.loads((directory / "pairs.toml").read_text(encoding="utf-8"))
    return PairTypes(level=data["level"], pairs={kind: tuple(objects) for kind, objects in data["pairs"].items()})


def load_items(graph: Graph) -> dict[URIRef, Item]:
    """Every item with its texts joined (in a fixed order, so that builds agree)."""
    texts: dict[URIRef, set[str]] = defaultdict(set)
    facts: dict[URIRef, tuple[str, str, URIRef | None]] = {}
    for row in graph.query(load_query("crosswalk", "items")):
        facts[row.item] = (str(row.kind), str(row.label), row.parent)
        texts[row.item].add(str(row.text))
    return {
        iri: Item(iri, kind, label, parent, tuple(sorted(texts[iri])))
        for iri, (kind, label, parent) in sorted(facts.items())
    }


def load_signals(graph: Graph) -> dict[str, dict[URIRef, frozenset[URIRef]]]:
    """For each signal ("target", "actor"), what each item lists or names."""
    found: dict[str, dict[URIRef, set[URIRef]]] = defaultdict(lambda: defaultdict(set))
    for row in graph.query(load_query("crosswalk", "signals")):
        found[str(row.signal)][row.item].add(row.value)
    return {signal: {item: frozenset(values) for item, values in by_item.items()} for signal, by_item in found.items()}
