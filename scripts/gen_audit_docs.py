"""Refresh the generated table of audit codes in docs/audit.md (tests/test_audit.py checks it)."""

from __future__ import annotations

from pathlib import Path

from kgraph.audit.codes import refresh_codes_table

DOC = Path(__file__).resolve().parent.parent / "docs" / "audit.md"

if __name__ == "__main__":
    DOC.write_text(refresh_codes_table(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"refreshed the audit codes table in {DOC}")
