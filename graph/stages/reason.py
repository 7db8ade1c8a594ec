"""Reason stage: the ontology must be consistent under HermiT (through owlready2), and the
class hierarchy is materialised so that SPARQL users and SHACL see inferred types directly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from migkg.graph.core.namespaces import MIG


class InconsistentOntology(Exception):
    """HermiT found the ontology inconsistent, or could not reason over it; the build stops."""


def check_consistency(ontology: Graph) -> int:
    """Run HermiT over the ontology; returns the number of classes it classified."""
    import owlready2

    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / "migkg.owl"
        ontology.serialize(path, format="xml")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as error:
            raise InconsistentOntology(f"HermiT: the ontology is inconsistent ({error})") from error
        except owlready2.OwlReadyJavaError as error:
            message = next((line for line in str(error).splitlines() if "Exception" in line), str(error)[:300])
            raise InconsistentOntology(f"HermiT could not reason over the ontology: {message}") from error
        unsatisfiable = list(world.inconsistent_classes())
        if unsatisfiable:
            raise InconsistentOntology(f"HermiT: unsatisfiable classes {unsatisfiable}")
        return len(list(onto.classes()))


def superclasses(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    """Every named class with all its named superclasses (transitive), from rdfs:subClassOf."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    closure: dict[URIRef, set[URIRef]] = {}
    for cls in direct:
        seen: set[URIRef] = set()
        stack = list(direct[cls])
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(direct.get(parent, ()))
        closure[cls] = seen
    return closure


def materialise_types(graph: Graph, closure: dict[URIRef, set[URIRef]]) -> int:
    """Add the superclasses of every mig: type asserted in `graph`; returns the triples added."""
    added = 0
    for resource, cls in list(graph.subject_objects(RDF.type)):
        if not str(cls).startswith(str(MIG)):
            continue
        for parent in closure.get(cls, ()):
            if (resource, RDF.type, parent) not in graph:
                graph.add((resource, RDF.type, parent))
                added += 1
    return added
