"""`kgraph retractions refresh`: read the Retraction Watch data (downloaded, or a local copy of
its CSV) and pin the notices about the corpus's own sources in `retractions.yaml`.

Writes one file, the corpus's retraction list, whole or not at all; checks nothing itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kgraph.corpus.load import load
from kgraph.corpus.retractions import (
    NATURES,
    RETRACTIONS_FILE,
    normal_doi,
    normal_pmid,
)

# Where Crossref publishes the Retraction Watch data as one CSV file, updated daily.
RETRACTION_WATCH_CSV = (
    "https://gitlab.com/crossref/retraction-watch-data/-/raw/main/retraction_watch.csv"
)
_US_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})")
HEADER = (
    "# The retraction list `kgraph check` compares each cited study with (docs/retractions.md).\n"
    "# Written by `kgraph retractions refresh`: the notices about this corpus's own sources.\n"
)


class RefreshFailed(Exception):
    """The data could not be had or read: the list is left as it was (one-line reason)."""


@dataclass(frozen=True)
class Refreshed:
    path: Path
    rows: int  # rows of the data read
    checked: int  # identifiers of the corpus compared
    kept: int  # notices about them pinned


def _iso(raw: str) -> str:
    """The data's US dates ("3/4/2021 0:00") as ISO dates; other forms kept as given."""
    m = _US_DATE.match(raw or "")
    if not m:
        return (raw or "").strip()
    month, day, year = (int(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def download(url: str = RETRACTION_WATCH_CSV, *, timeout: float = 60.0) -> bytes:
    """The data at url; RefreshFailed with the reason when the network does not allow it."""
    if not url.startswith(("https://", "http://")):
        raise RefreshFailed(f"{url!r} is no http(s) address: name a local copy with --csv")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            data: bytes = answer.read()
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", None) or err
        raise RefreshFailed(
            f"cannot download the retraction data from {url} ({reason}); on a machine that "
            "can reach it, download the CSV and run `kgraph retractions refresh --csv FILE`"
        ) from err
    return data


def _rows(data: bytes) -> Iterator[dict[str, str]]:
    """The data's rows, one at a time, so the whole data is never held as dictionaries."""
    text = data.decode("utf-8-sig", "replace")
    first = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if "\t" in first else ",")
    needed = ("RetractionNature", "OriginalPaperDOI")
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        raise RefreshFailed(
            f"the data is not the Retraction Watch CSV: no column {', '.join(missing)}"
        )
    return reader


def _yaml(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def render_list(
    entries: list[dict[str, str]],
    *,
    origin: str,
    retrieved: str,
    sha256: str,
    rows: int,
    checked: int,
) -> str:
    """The retraction list file, entries in the data's order of record id."""
    lines = [
        HEADER.rstrip("\n"),
        f"origin: {_yaml(origin)}",
        f"retrieved: {_yaml(retrieved)}",
        f"sha256: {_yaml(sha256)}",
        f"rows: {rows}",
        f"checked: {checked}",
    ]
    if not entries:
        lines.append("entries: []")
    else:
        lines.append("entries:")
        for e in entries:
            keys = [
                k
                for k in (
                    "doi",
                    "pmid",
                    "nature",
                    "date",
                    "record",
                    "notice_doi",
                    "title",
                    "reason",
                )
                if e.get(k)
            ]
            for i, key in enumerate(keys):
                lines.append(f"{'  - ' if i == 0 else '    '}{key}: {_yaml(e[key])}")
    return "\n".join(lines) + "\n"


def refresh(
    root: str | os.PathLike[str],
    *,
    csv_file: str | os.PathLike[str] | None = None,
    url: str = RETRACTION_WATCH_CSV,
    today: dt.date | None = None,
) -> Refreshed:
    """Pin the notices about the corpus's sources (matched by DOI or PubMed id) from the data,
    read from `csv_file` or else downloaded from `url`, in `<corpus>/retractions.yaml`."""
    corpus = load(root)
    if csv_file is not None:
        try:
            data = Path(csv_file).read_bytes()
        except OSError as err:
            raise RefreshFailed(f"cannot read {csv_file}: {err.strerror}") from err
        origin = f"a copy of the Retraction Watch CSV read from {Path(csv_file).name}"
    else:
        data = download(url)
        origin = url
    rows = 0
    dois = {normal_doi(s.doi) for s in corpus.sources.values()} - {""}
    pmids = {normal_pmid(s.pmid) for s in corpus.sources.values()} - {""}
    kept: list[dict[str, str]] = []
    for row in _rows(data):
        rows += 1
        doi = normal_doi(row.get("OriginalPaperDOI"))
        pmid = normal_pmid(row.get("OriginalPaperPubMedID"))
        nature = (row.get("RetractionNature") or "").strip().lower()
        if nature not in NATURES or not ((doi and doi in dois) or (pmid and pmid in pmids)):
            continue
        kept.append(
            {
                "doi": doi,
                "pmid": pmid,
                "nature": nature,
                "date": _iso(row.get("RetractionDate", "")),
                "record": (row.get("Record ID") or "").strip(),
                "notice_doi": normal_doi(row.get("RetractionDOI")),
                "title": " ".join((row.get("Title") or "").split()),
                "reason": " ".join((row.get("Reason") or "").split()),
            }
        )
    kept.sort(key=lambda e: (int(e["record"]) if e["record"].isdigit() else 0, e["record"]))
    text = render_list(
        kept,
        origin=origin,
        retrieved=(today or dt.date.today()).isoformat(),
        sha256=hashlib.sha256(data).hexdigest(),
        rows=rows,
        checked=len(dois) + len(pmids),
    )
    target = corpus.root / RETRACTIONS_FILE
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, target)
    except OSError as err:
        raise RefreshFailed(f"cannot write {target}: {err.strerror}") from err
    finally:
        tmp.unlink(missing_ok=True)
    return Refreshed(target, rows, len(dois) + len(pmids), len(kept))
