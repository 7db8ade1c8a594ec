"""Fixtures for the API tests (defined in api_testing.py so test modules can import its helpers)."""

from api_testing import build_dir, client, live_server, loopback_trap, settings, w3c_build  # noqa: F401
from virtuoso_testing import backend, virtuoso, virtuoso_client, virtuoso_settings  # noqa: F401
