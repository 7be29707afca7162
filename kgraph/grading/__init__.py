"""Grading: the evidence level derived from the studies' designs and GRADE's domains.

The one mapping from GRADE's four certainty levels and the study designs onto ES-0..ES-5 lives in
`kgraph.grading.derive`; the check compares a claim's stated level with it, and the audit, site and
exports show both. It works on plain values (designs, directions, ratings), so it sits below the
records that use it.
"""

from kgraph.grading.derive import (
    FACT_KINDS,
    MAPPING,
    Derivation,
    RefInput,
    Step,
    derive,
    derive_direction,
    direction_problem,
)

__all__ = [
    "FACT_KINDS",
    "MAPPING",
    "Derivation",
    "RefInput",
    "Step",
    "derive",
    "derive_direction",
    "direction_problem",
]
