"""Package data: the SHACL shapes, `*.ttl` (found through `migkg.resources`)."""
