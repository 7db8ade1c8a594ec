"""migkg.api: the SPARQL endpoint and linked-data server over the build's Oxigraph store."""

from __future__ import annotations

import gc
import signal
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migkg.api.settings import Settings


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Start uvicorn on the app built from the environment's settings, logging JSON lines; on
    SIGTERM it stops accepting, lets in-flight requests finish (MIGKG_SHUTDOWN_GRACE), exits 0."""
    from migkg.api.settings import Settings

    settings = Settings()
    _load_the_release_meanwhile(settings)
    import uvicorn

    from migkg.api.app import create_app
    from migkg.api.protocol import HttpWithLongTargets
    from migkg.api.request_ids import LOGGING

    app = create_app(settings)
    _freeze_what_is_loaded()
    _exit_0_once_drained()
    # the protocol answers a request line too long to parse with 414, not uvicorn's bare 400;
    # the access log is the app's own (migkg.access: request id, route, duration), not uvicorn's
    uvicorn.run(
        app,
        host=host,
        port=port,
        http=HttpWithLongTargets,
        log_config=LOGGING,
        access_log=False,
        timeout_graceful_shutdown=settings.shutdown_grace,
        **forwarded_client(settings),
    )


def _load_the_release_meanwhile(settings: Settings) -> None:
    """The query workers' template starts loading the release now, while the rest of the server is
    imported (about 0.6 s here; the load 0.3 s), instead of after: the store takes it over."""
    from migkg.api.store import embedded_data, prestart_template

    directory = settings.build_dir.resolve()  # the release the build pointer names, as open_release reads it
    data = None if settings.store_url else embedded_data(directory, settings.memory_store_max_bytes)
    if data is not None:
        prestart_template(data)


def _freeze_what_is_loaded() -> None:
    """What is loaded by now (the modules, their schemas and grammars, the app) lives as long as the
    process: frozen, it is out of the collector's reach, and a full collection no longer pauses the
    event loop, every request with it, for 70-100 ms to walk it (docs/engine.md). Collected first,
    so no garbage is kept with it."""
    gc.collect()
    gc.freeze()


def forwarded_client(settings: Settings) -> dict:
    """uvicorn's options for where the client's address comes from: X-Forwarded-For only when the peer
    is one of MIGKG_TRUSTED_PROXIES, else the peer itself. Passed whole, since uvicorn's own default
    trusts 127.0.0.1 (or $FORWARDED_ALLOW_IPS), which would let any local process name its client."""
    trusted = [str(network) for network in settings.trusted_proxies]
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted}


def _exit_0_once_drained() -> None:
    """After draining, uvicorn raises SIGTERM again for the handler it found: the default one would
    end the process by the signal (status 143) rather than with the clean exit it was. uvicorn
    handles signals only when run from the main thread, and only there may a handler be set."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
