"""migkg.api: the SPARQL endpoint and linked-data server over the build's Oxigraph store."""


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Start uvicorn on the app built from the environment's settings."""
    import uvicorn

    from migkg.api.app import create_app
    from migkg.api.protocol import HttpWithLongTargets

    # the protocol answers a request line too long to parse with 414, not uvicorn's bare 400
    uvicorn.run(create_app(), host=host, port=port, http=HttpWithLongTargets)
