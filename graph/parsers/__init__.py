"""One module per source document: its text(s) → an `Extraction` (graph, mentions, notes).

`PARSERS` maps the parser names the manifest uses to the functions; a name it does not list is
a manifest error, found before anything is parsed."""

from collections.abc import Callable

from migkg.graph.core.extraction import Extraction
from migkg.graph.core.source import Document
from migkg.graph.parsers import gcm_booklet, gfmd_paper, migof_toolbox, nua_table

Parser = Callable[[Document], Extraction]

PARSERS: dict[str, Parser] = {
    "gcm_booklet": gcm_booklet.extract,
    "migof_toolbox": migof_toolbox.extract,
    "gfmd_paper": gfmd_paper.extract,
    "nua_table": nua_table.extract,
}
