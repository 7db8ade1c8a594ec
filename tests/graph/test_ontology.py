"""The ontology: consistent under HermiT, every term labelled and defined."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from migkg import resources
from migkg.graph.core.namespaces import MIG
from migkg.graph.stages import reason

ONTOLOGY = resources.ontology_file()


def load() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def test_hermit_finds_the_ontology_consistent():
    assert reason.check_consistency(load()) >= 40


def test_an_inconsistent_ontology_is_refused():
    graph = load()
    graph.parse(
        data="""@prefix mig: <https://w3id.org/migkg/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        mig:Country owl:disjointWith mig:Place . mig:somewhere a mig:Country , owl:NamedIndividual .""",
        format="turtle",
    )
    try:
        reason.check_consistency(graph)
    except reason.InconsistentOntology as error:
        assert "HermiT" in str(error)
    else:
        raise AssertionError("HermiT accepted a country that is not a place")


def test_every_mig_term_has_a_label_and_a_definition():
    graph = load()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(MIG))}
    assert len(terms) > 80
    missing = sorted(
        str(t) for t in terms if graph.value(t, RDFS.label) is None or graph.value(t, SKOS.definition) is None
    )
    assert missing == []


def test_subclass_types_are_materialised():
    closure = reason.superclasses(load())
    assert MIG.Place in closure[MIG.City]
    assert MIG.Commitment in closure[MIG.Action]


def test_the_mig_namespace_holds_exactly_the_ontology_terms():
    declared = {str(s) for s in load().subjects() if str(s).startswith(str(MIG))}
    assert {str(MIG.Objective), str(MIG.relevantSDGTarget)} <= declared
    assert {str(MIG[term]) for term in dir(MIG)} == declared
    with pytest.raises(AttributeError):
        MIG.Objectve  # noqa: B018 (a misspelt term fails where it is written)
