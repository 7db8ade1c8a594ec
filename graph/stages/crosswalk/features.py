"""What a candidate mapping is scored on: lexical similarity of the two items' texts (as is, and
relative to the subject's best match of the same kind), the cosine of their sentence embeddings,
the SDG targets and actors they share, and how similar the items they belong to are."""

from __future__ import annotations

from rdflib import URIRef

from migkg.graph.stages.crosswalk.embeddings import cosine
from migkg.graph.stages.crosswalk.items import Item
from migkg.graph.stages.crosswalk.lexical import TfIdf

FEATURES = ("lexical", "lexical_relative", "semantic", "shared_targets", "shared_actors", "parents_lexical")


def features(
    subject: Item,
    objects: list[Item],
    items: dict[URIRef, Item],
    tfidf: TfIdf,
    vectors: dict[URIRef, tuple[float, ...] | None],
    signals: dict[str, dict[URIRef, frozenset[URIRef]]],
) -> dict[URIRef, dict[str, float]]:
    """The features of the subject against each of ``objects`` (all of one kind)."""
    lexical = {o.iri: tfidf.cosine(subject.iri, o.iri) for o in objects}
    best = max(lexical.values(), default=0.0) or 1.0
    parents = _parents_lexical(subject, objects, items, tfidf)
    return {
        o.iri: {
            "lexical": lexical[o.iri],
            "lexical_relative": lexical[o.iri] / best,
            "semantic": cosine(vectors.get(subject.iri), vectors.get(o.iri)),
            "shared_targets": _shared(signals.get("target", {}), subject.iri, o.iri, o.kind == "target"),
            "shared_actors": _shared(signals.get("actor", {}), subject.iri, o.iri, False),
            "parents_lexical": parents.get(o.iri, 0.0),
        }
        for o in objects
    }


def _shared(signal: dict[URIRef, frozenset[URIRef]], subject: URIRef, object_: URIRef, object_is_value: bool) -> float:
    """The Jaccard overlap of what both list; for an SDG target as the object, whether the subject lists it."""
    mine = signal.get(subject, frozenset())
    if object_is_value:
        return float(object_ in mine)
    theirs = signal.get(object_, frozenset())
    return len(mine & theirs) / len(mine | theirs) if mine and theirs else 0.0


def _parents_lexical(
    subject: Item, objects: list[Item], items: dict[URIRef, Item], tfidf: TfIdf
) -> dict[URIRef, float]:
    """The lexical similarity of the items the subject and each object belong to (once per parent:
    the few elements and objectives recur in every pair of their children)."""
    if subject.parent not in items:
        return {}
    by_parent = {o.parent: tfidf.cosine(subject.parent, o.parent) for o in objects if o.parent in items}
    return {o.iri: by_parent[o.parent] for o in objects if o.parent in items}
