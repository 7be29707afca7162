"""Convert a corpus to the grading format: study facts onto source records, unknowns made explicit.

    python scripts/migrate_grading.py [CORPUS] [--dry-run]

What it does, and nothing more (the grading issue's migration):
- moves each reference's `design`, `n` and `population` onto its source record as `study`, when
  every claim citing the source recorded the same value; where they disagree, or a design's words
  do not name one design of the vocabulary unambiguously, the value is `unknown`;
- gives every reference `excerpt: "unknown"`, every graded claim `certainty: "unknown"` and
  `search: "unknown"`, and every assertion `reading: "unknown"`: what needs a human is left as an
  explicit unknown that `kgraph check` reports, never filled with a guess;
- sets `direction: "untested"` where every reference is neutral (the direction rule, applied to
  the record's own references), and `override: "unknown"` where the stated level differs from a
  level the derivation can already compute.
Files are edited line by line, so comments and layout stay; each edited file is parsed before and
after and the change compared with the intended one, and nothing is written if any differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from kgraph import vocab
from kgraph.corpus.grade import derivation
from kgraph.corpus.load import load

# The design words recorded so far, read as the design vocabulary. Words that do not say which
# design (a "randomised trial" that does not say parallel or crossover) are not guessed at.
DESIGN_WORDS: dict[str, str] = {
    "drug label (prescribing information)": "label",
    "drug label (FDA structured product label)": "label",
    "drug compendium summary of a label": "label",
    "regulatory approval": "regulatory-document",
    "narrative review": "narrative-review",
    "historical narrative": "narrative-review",
    "commentary": "commentary",
    "animal study": "animal",
    "animal study with longitudinal in vivo imaging": "animal",
    "animal study (intra-amygdala drug infusion)": "animal",
    "in vivo microdialysis and behaviour, animal study": "animal",
    "randomised double-blind placebo-controlled crossover trial": "randomised-crossover",
    "randomised double-blind active-placebo crossover trial": "randomised-crossover",
    "double-blind, active-placebo-controlled crossover trial with EEG outcome": (
        "randomised-crossover"
    ),
    "randomised, double-blind, placebo-controlled crossover with resting-state fMRI": (
        "randomised-crossover"
    ),
    "randomised three-way crossover (placebo, ketamine, midazolam) with resting-state fMRI": (
        "randomised-crossover"
    ),
    "randomised crossover study (active placebo remifentanil) with questionnaires and "
    "qualitative interviews": "randomised-crossover",
    "randomised crossover study with qualitative interviews": "randomised-crossover",
    "randomised crossover study with questionnaires and qualitative interviews": (
        "randomised-crossover"
    ),
    "randomised crossover study with questionnaires and interviews": "randomised-crossover",
    "meta-analysis of 8 double-blind placebo-controlled RCTs": "meta-analysis",
    "systematic review and meta-analysis of 6 RCTs": "meta-analysis",
    "systematic review and meta-analysis of RCTs": "meta-analysis",
    "systematic review and meta-analysis of 20 clinical studies": "meta-analysis",
    "quantitative meta-analysis of fMRI and PET studies": "meta-analysis",
    "Cochrane systematic review of RCTs": "meta-analysis",
    "systematic review": "systematic-review",
    "open-label single-infusion study with sleep EEG and plasma BDNF": "single-arm",
    "open-label single infusion with fMRI before and 24 h after": "single-arm",
    "pilot 1H-MRS before-after study": "single-arm",
    "retrospective analysis of practice data, uncontrolled": "case-series",
    "retrospective analysis of prospectively collected practice data, uncontrolled": (
        "case-series"
    ),
    "prospective cohort, 2-year follow-up": "cohort",
}
# What a review reviewed, where its design words say so.
REVIEW_WORDS: dict[str, str] = {
    "meta-analysis of 8 double-blind placebo-controlled RCTs": "randomised",
    "systematic review and meta-analysis of 6 RCTs": "randomised",
    "systematic review and meta-analysis of RCTs": "randomised",
    "Cochrane systematic review of RCTs": "randomised",
}
Q = json.dumps  # a JSON string is a YAML double-quoted scalar


def _one(values: list[Any]) -> Any:
    """The value every claim recorded, or unknown when they differ or none did."""
    known = {json.dumps(v) for v in values if v not in (None, "", vocab.UNKNOWN)}
    return json.loads(known.pop()) if len(known) == 1 else vocab.UNKNOWN


def studies(claims: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each cited source's study, from what the references citing it recorded."""
    seen: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for claim in claims:
        for ref in (claim.get("evidence") or {}).get("references") or []:
            words = ref.get("design")
            s = seen[ref["source"]]
            s["design"].append(DESIGN_WORDS.get(words, vocab.UNKNOWN) if words else None)
            s["review_of"].append(REVIEW_WORDS.get(words) if words else None)
            s["n"].append(ref.get("n"))
            s["population"].append(ref.get("population"))
            s["words"].append(words)
    out: dict[str, dict[str, Any]] = {}
    for sid, s in seen.items():
        design = vocab.UNKNOWN if vocab.UNKNOWN in s["design"] else _one(s["design"])
        study: dict[str, Any] = {"design": design}
        basis = vocab.DESIGN_BY_VALUE[design].basis if design in vocab.DESIGN_BY_VALUE else ""
        if basis == "review":
            study["review_of"] = _one(s["review_of"])
        study["n"] = _one(s["n"])
        study["population"] = _one(s["population"])
        out[sid] = study
    return out


def _block_end(lines: list[str], start: int) -> int:
    """The index after the top-level block that starts at `start`."""
    i = start + 1
    while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "#"))):
        i += 1
    while i > start + 1 and not lines[i - 1].strip():
        i -= 1
    return i


def migrate_claim(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    section = ""
    for line in lines:
        if line and not line.startswith((" ", "#")):
            section = line.split(":", 1)[0]
        stripped = line.strip()
        if section == "evidence" and line.startswith("      ") and not line.startswith("       "):
            key = stripped.split(":", 1)[0]
            if key in ("design", "n", "population"):
                continue
        out.append(line)
        if section == "evidence" and line.startswith("      finding:"):
            out.append('      excerpt: "unknown"')
        if section == "sources" and line.startswith("    locator:"):
            out.append('    reading: "unknown"')
    data = yaml.safe_load("\n".join(out))
    ev = data.get("evidence")
    if ev is not None:
        starts = [i for i, ln in enumerate(out) if ln.startswith("evidence:")]
        end = _block_end(out, starts[0])
        extra = ['  certainty: "unknown"', '  search: "unknown"']
        refs = ev.get("references") or []
        if refs and all(r.get("direction") == "neutral" for r in refs):
            out = [
                '  direction: "untested"'
                if starts[0] < i < end and ln.startswith("  direction:")
                else ln
                for i, ln in enumerate(out)
            ]
        out[end:end] = extra
    return "\n".join(out)


def migrate_source(text: str, study: dict[str, Any]) -> str:
    body = text.rstrip("\n")
    block = ["study:"] + [f"  {k}: {Q(v)}" for k, v in study.items()]
    return body + "\n" + "\n".join(block) + "\n"


def _expected_claim(before: dict[str, Any]) -> dict[str, Any]:
    after = json.loads(json.dumps(before))
    for a in after.get("sources") or []:
        a["reading"] = vocab.UNKNOWN
    ev = after.get("evidence")
    if ev is not None:
        refs = ev.get("references") or []
        for r in refs:
            for key in ("design", "n", "population"):
                r.pop(key, None)
            r["excerpt"] = vocab.UNKNOWN
        if refs and all(r.get("direction") == "neutral" for r in refs):
            ev["direction"] = vocab.UNTESTED
        ev["certainty"] = vocab.UNKNOWN
        ev["search"] = vocab.UNKNOWN
    return after


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", default="claims", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    args = parser.parse_args(argv)
    root: Path = args.corpus
    claim_files = sorted((root / "claims").glob("*.yaml"))
    texts = {p: p.read_text(encoding="utf-8") for p in claim_files}
    parsed = {p: yaml.safe_load(t) for p, t in texts.items()}
    if any("excerpt" in str(d) for d in parsed.values()):
        print("already migrated: a reference has an excerpt", file=sys.stderr)
        return 2
    found = studies(list(parsed.values()))
    writes: dict[Path, str] = {}
    for path in claim_files:
        new = migrate_claim(texts[path])
        if yaml.safe_load(new) != _expected_claim(parsed[path]):
            print(f"{path}: the line edit does not give the intended record", file=sys.stderr)
            return 1
        writes[path] = new
    for sid, study in sorted(found.items()):
        path = root / "sources" / f"{sid}.yaml"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        before = yaml.safe_load(text)
        if "study" in before:
            continue
        new = migrate_source(text, study)
        if yaml.safe_load(new) != {**before, "study": study}:
            print(f"{path}: the line edit does not give the intended record", file=sys.stderr)
            return 1
        writes[path] = new
        print(f"{sid}: {study}")
    if args.dry_run:
        print(f"would write {len(writes)} files")
        return 0
    for path, new in writes.items():
        path.write_text(new, encoding="utf-8")
    # Second pass, on the corpus as now written: where the derivation already gives a level (it
    # needs no domain: ES-0, ES-1, ES-2, a documented fact) and the stated one differs, say so.
    corpus = load(root)
    overrides = 0
    for claim in corpus.claims.values():
        d = derivation(claim, corpus)
        if d is None or d.level is None or claim.evidence is None:
            continue
        if d.level != claim.evidence.level:
            path = Path(claim.origin.path)
            lines = path.read_text(encoding="utf-8").split("\n")
            i = next(i for i, ln in enumerate(lines) if ln.startswith("evidence:"))
            end = _block_end(lines, i)
            lines[end:end] = ['  override: "unknown"']
            path.write_text("\n".join(lines), encoding="utf-8")
            overrides += 1
            print(f"{claim.id}: stated {claim.evidence.level}, derived {d.level} ({d.explanation})")
    print(f"wrote {len(writes)} files; {overrides} claims keep a stated level pending re-grading")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
