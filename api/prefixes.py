"""The project's prefix table (`migkg.graph.core.namespaces.PREFIXES`) as the server uses it:
namespace strings for pyoxigraph's writers, CURIEs on HTML pages and in the views' headers.

The query worker is handed these strings with each job and never imports this module, so it
starts without rdflib.
"""

from migkg.graph.core.namespaces import PREFIXES as NAMESPACES

PREFIXES: dict[str, str] = {prefix: str(namespace) for prefix, namespace in NAMESPACES.items()}
_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))  # sdgo: before sdg:


def curie(iri: str) -> str:
    """``prefix:local`` by the longest namespace that starts the IRI; the IRI itself if none does."""
    for prefix, namespace in _LONGEST_FIRST:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def expand(curie_or_iri: str) -> str:
    """The IRI a CURIE of a known prefix stands for; anything else unchanged."""
    prefix, _, local = curie_or_iri.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else curie_or_iri
