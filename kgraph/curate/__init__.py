"""Curation tools: an article in, draft records out (`kgraph add`, `kgraph new`)."""
