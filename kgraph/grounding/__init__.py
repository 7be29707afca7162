"""Grounding: the pinned vocabularies' terms, CURIE rules and the offline grounder.

Below `corpus/` (it works on plain values): the check verifies recorded identifiers with it, and
`kgraph ground` proposes them. Imports `vocab` only.
"""
