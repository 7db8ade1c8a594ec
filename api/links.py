"""Where a link to an IRI goes in the pages: our own IRIs and the UN's SDG IRIs stay on this
server (/id/…, /sdg/…), whatever host it runs on; any other IRI is linked as it is."""

import re

from migkg.graph.core.namespaces import SDG

SDG_PATH = "/sdg"
# A goal (10) or a target (10.7, 5.b) of the UN's SDG KOS: the ones this server has pages for.
_SDG_NOTATION = re.compile(r"\d{1,2}(?:\.[0-9a-z]{1,2})?")


def sdg_notation(iri: str) -> str | None:
    """The notation of an SDG goal or target IRI (http://metadata.un.org/sdg/10.7 → 10.7); None otherwise."""
    notation = iri.removeprefix(str(SDG))
    return notation if iri.startswith(str(SDG)) and _SDG_NOTATION.fullmatch(notation) else None


def linker(base_iri: str):
    def link(iri: str) -> str:
        if iri.startswith(base_iri):
            return "/" + iri.removeprefix(base_iri)
        if (notation := sdg_notation(iri)) is not None:
            return f"{SDG_PATH}/{notation}"
        return iri

    return link
