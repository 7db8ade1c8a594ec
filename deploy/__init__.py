"""migkg.deploy: how migkg is run beyond one process (docs/deploy.md): the replicas behind HAProxy."""
