"""The audit: which claims a careful reader should not believe as stated, and why.

Reads a loaded `Corpus` (after the check gate) and returns an `AuditReport`: typed findings with
stable codes (`AUDIT_CODES`, docs/audit.md) and a scorecard per article; `render_audit` prints it.
"""

from kgraph.audit.codes import AUDIT_CODES, SEVERITIES, AuditCode, codes_markdown
from kgraph.audit.render import FORMATS, also, render_audit, summary
from kgraph.audit.report import FAIL_ON, AuditFinding, AuditReport, Scorecard
from kgraph.audit.run import LEVEL_KEYS, AuditRefused, level_key, load_audit, run_audit

__all__ = [
    "AUDIT_CODES",
    "FAIL_ON",
    "FORMATS",
    "LEVEL_KEYS",
    "SEVERITIES",
    "AuditCode",
    "AuditFinding",
    "AuditRefused",
    "AuditReport",
    "Scorecard",
    "also",
    "codes_markdown",
    "level_key",
    "load_audit",
    "render_audit",
    "run_audit",
    "summary",
]
