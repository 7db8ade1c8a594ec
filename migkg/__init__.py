"""migkg: the Migration Governance Knowledge Graph."""
