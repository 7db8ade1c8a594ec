"""Package data: the OWL ontology, `migkg.ttl` (found through `migkg.resources`)."""
