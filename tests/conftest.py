"""Shared fixtures: small corpora built in tmp_path by helpers, never copied folders."""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

ARTICLE_TEXT = (
    "Ketamine works on the brain’s glutamate system.\n"
    "It may promote dendritic growth in some people.\n"
    "Ketamine primarily works by blocking the NMDA receptor—a fact.\n"
    "Some researchers describe ketamine as a kind of “reset button” for the brain.\n"
)


class CorpusBuilder:
    """Writes a minimal valid corpus and lets a test add or break records."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for folder in ("claims", "sources", "entities", "snapshots"):
            (root / folder).mkdir(parents=True, exist_ok=True)

    def write(self, folder: str, name: str, text: str) -> Path:
        path = self.root / folder / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def snapshot(self, name: str = "article.txt", text: str = ARTICLE_TEXT) -> str:
        (self.root / "snapshots" / name).write_text(text, encoding="utf-8")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def article(self, rid: str = "article-a", snapshot: str = "article.txt", **extra: str) -> Path:
        digest = (
            self.snapshot(snapshot)
            if not (self.root / "snapshots" / snapshot).exists()
            else (hashlib.sha256((self.root / "snapshots" / snapshot).read_bytes()).hexdigest())
        )
        fields = {
            "title": "A clinic page",
            "kind": "marketing",
            "authors": "unknown",
            "publisher": "unknown",
            "url": "unknown",
            "published": "unknown",
            "accessed": "unknown",
        }
        fields.update(extra)
        body = "".join(f"{k}: {v}\n" for k, v in fields.items())
        body += f"snapshot:\n  path: snapshots/{snapshot}\n  sha256: {digest}\n"
        return self.write("sources", f"{rid}.yaml", f"id: {rid}\n{body}")

    def study(self, rid: str = "smith-2020-trial", kind: str = "rct", **extra: str) -> Path:
        fields = {"title": "A trial", "kind": kind, "authors": "[Smith J]", "published": "2020"}
        fields.update(extra)
        body = "".join(f"{k}: {v}\n" for k, v in fields.items())
        return self.write("sources", f"{rid}.yaml", f"id: {rid}\n{body}")

    def entity(self, rid: str, label: str | None = None, synonyms: str = "[]") -> Path:
        return self.write(
            "entities",
            f"{rid}.yaml",
            f"id: {rid}\nlabel: {label or rid}\ntype: drug\nsynonyms: {synonyms}\n",
        )

    def claim(self, rid: str = "ketamine-acts-on-glutamate", text: str | None = None) -> Path:
        return self.write("claims", f"{rid}.yaml", text or claim_yaml(rid))

    def minimal(self) -> CorpusBuilder:
        """One article, one study, two entities and one claim: checks clean."""
        self.article()
        self.study()
        self.entity("ketamine")
        self.entity("glutamate-system")
        self.claim()
        return self


def claim_yaml(
    rid: str = "ketamine-acts-on-glutamate",
    quote: str = "Ketamine works on the brain’s glutamate system.",
    level: str = "ES-4",
    extra: str = "",
    source: str = "article-a",
    reference: str = "smith-2020-trial",
    kind: str = "mechanism",
) -> str:
    return f"""\
id: {rid}
statement: Ketamine acts on the glutamate system.
kind: {kind}
subject: ketamine
predicate: acts_on
object: glutamate-system
sources:
  - source: {source}
    quote: "{quote}"
    locator: paragraph 1
evidence:
  level: {level}
  direction: supports
  rationale: Trials agree. It is a test corpus.
  references:
    - source: {reference}
      finding: Found it.
      design: RCT
      n: 20
      population: adults
      direction: supports
review:
  status: draft
{extra}"""


@pytest.fixture
def corpus(tmp_path: Path) -> CorpusBuilder:
    return CorpusBuilder(tmp_path / "corpus").minimal()


@pytest.fixture
def empty_corpus(tmp_path: Path) -> CorpusBuilder:
    return CorpusBuilder(tmp_path / "corpus")


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[[str], CorpusBuilder]:
    def make(name: str = "c") -> CorpusBuilder:
        return CorpusBuilder(tmp_path / name)

    return make
