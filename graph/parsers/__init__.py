"""One module per source document: text → rdflib triples with provenance."""
