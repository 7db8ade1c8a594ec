"""Fixtures for the replica tests (helpers in deploy_testing.py, so test modules can import them)."""

import sys
from pathlib import Path

# The API tests' helpers and fixtures (the build, the W3C protocol data) live beside those tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
import api_testing

build_dir, w3c_build = api_testing.build_dir, api_testing.w3c_build
