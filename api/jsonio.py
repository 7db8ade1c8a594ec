"""JSON in and out of the server, through pydantic-core's codec (Rust; installed with FastAPI).

A REST view decodes its query's SPARQL JSON results and encodes the page it makes of them: with
the standard library's json, a fifth of a view's CPU (bench/results/README.md). pydantic-core
writes the same bytes as Starlette's JSONResponse (compact, UTF-8, not ASCII-escaped) about 8×
faster, and reads about 1.6× faster.
"""

from typing import Any

import pydantic_core
from fastapi.responses import JSONResponse as StarletteJSONResponse


class JSONResponse(StarletteJSONResponse):
    def render(self, content: Any) -> bytes:
        return pydantic_core.to_json(content)


def parse_json(data: bytes | str) -> Any:
    return pydantic_core.from_json(data)
