"""The names of the frameworks and instruments the graph holds, with the spellings of
`graph/reference/framework-names.toml`: what the link stage finds frameworks by, and what it
keeps from being read as an actor's or a place's name."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from migkg.graph.core.namespaces import MIG
from migkg.graph.core.source import SourceError


@dataclass(frozen=True)
class FrameworkNames:
    """The spellings of `graph/reference/framework-names.toml`."""

    variants: tuple[frozenset[str], ...]  # each a group of names of one framework
    not_mentions: tuple[str, ...]  # names that contain a framework's name but name something else
    other_names: tuple[str, ...] = ()  # names that contain an actor's or a place's name but name something else


def load_framework_names(reference_dir: Path) -> FrameworkNames:
    path = reference_dir / "framework-names.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return FrameworkNames(
            tuple(frozenset(group["names"]) for group in data["variants"]),
            tuple(data["not_mentions"]),
            tuple(data.get("other_names", ())),
        )
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"cannot read {path}: {error!r}") from error


def own_names(graph: Graph) -> dict[URIRef, set[str]]:
    """Every framework or instrument with the names the graph gives it (labels, titles, acronyms)."""
    frameworks = set(graph.subjects(RDF.type, MIG.Framework)) | set(graph.subjects(RDF.type, MIG.LegalInstrument))
    return {
        framework: {
            str(o)
            for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, MIG.acronym)
            for o in graph.objects(framework, p)
            if isinstance(o, Literal)
        }
        for framework in frameworks
    }


def framework_names(own: dict[URIRef, set[str]], spellings: FrameworkNames) -> dict[str, URIRef]:
    """Every name of each framework, its own and the variants of a group it shares a name with; a
    name two frameworks share goes to the first in IRI order."""
    names: dict[str, URIRef] = {}
    for framework in sorted(own):
        known = set(own[framework])
        for group in spellings.variants:
            if known & group:
                known |= group
        for name in sorted(known):
            names.setdefault(name, framework)
    return names
