"""The project's prefix table (`migkg.graph.core.namespaces.PREFIXES`) as the server uses it:
namespace strings for pyoxigraph's writers, CURIEs on HTML pages and in the views' headers.

The query worker is handed these strings with each job and never imports this module, so it
starts without rdflib.
"""

from migkg.graph.core.namespaces import PREFIX_IRIS as PREFIXES
from migkg.graph.core.namespaces import curie

__all__ = ["PREFIXES", "curie", "expand"]


def expand(curie_or_iri: str) -> str:
    """The IRI a CURIE of a known prefix stands for; anything else unchanged."""
    prefix, _, local = curie_or_iri.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else curie_or_iri
