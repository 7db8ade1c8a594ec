"""The names of the frameworks and instruments the sources name: those the graph holds, with the
spellings of `graph/reference/framework-names.toml`, and those it does not hold, from
`graph/reference/frameworks.tsv`. What the link stages find frameworks by, and what the link stage
keeps from being read as an actor's or a place's name."""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from migkg.graph.core.namespaces import ID, MIG
from migkg.graph.core.source import SourceError

# The IRI folder of a registry framework, by its type.
REGISTRY_FOLDERS = {"LegalInstrument": "instrument", "Framework": "framework"}


@dataclass(frozen=True)
class NamedFramework:
    """A framework a source names that no source describes: a row of `frameworks.tsv`."""

    iri: URIRef
    rdf_type: URIRef
    label: str
    names: tuple[str, ...]  # the label first, then the aliases


@dataclass(frozen=True)
class FrameworkNames:
    """The spellings of `graph/reference/framework-names.toml` and the frameworks of
    `graph/reference/frameworks.tsv`."""

    variants: tuple[frozenset[str], ...]  # each a group of names of one framework
    other_names: tuple[str, ...] = ()  # names that contain an actor's or a place's name but name something else
    registry: tuple[NamedFramework, ...] = ()


def load_framework_names(reference_dir: Path) -> FrameworkNames:
    path = reference_dir / "framework-names.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        variants = tuple(frozenset(group["names"]) for group in data["variants"])
        other_names = tuple(data.get("other_names", ()))
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as error:
        raise SourceError(f"cannot read {path}: {error!r}") from error
    return FrameworkNames(variants, other_names, named_frameworks(reference_dir / "frameworks.tsv"))


def named_frameworks(path: Path) -> tuple[NamedFramework, ...]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
    except OSError as error:
        raise SourceError(f"cannot read registry {path}: {error}") from error
    frameworks = []
    for row in rows:
        folder = REGISTRY_FOLDERS.get(row["type"])
        if folder is None:
            raise SourceError(f"{path}: {row['id']!r} has type {row['type']!r}, not one of {sorted(REGISTRY_FOLDERS)}")
        aliases = [alias for alias in (row.get("aliases") or "").split("|") if alias]
        frameworks.append(
            NamedFramework(ID[f"{folder}/{row['id']}"], MIG[row["type"]], row["label"], (row["label"], *aliases))
        )
    return tuple(frameworks)


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
    """Every name of each framework the graph holds, its own and those of a group of variants or a
    registry framework it shares a name with; then the names of each registry framework the graph
    does not hold. A name two frameworks share goes to the first in IRI order."""
    groups = [*spellings.variants, *(frozenset(framework.names) for framework in spellings.registry)]
    names: dict[str, URIRef] = {}
    for framework in sorted(own):
        known = set(own[framework])
        for group in groups:
            if known & group:
                known |= group
        for name in sorted(known):
            names.setdefault(name, framework)
    for framework in spellings.registry:
        if not any(name in names for name in framework.names):
            for name in framework.names:
                names[name] = framework.iri
    return names
