"""Showing quotes on the pages they came from: every quote as a W3C Web Annotation (expanded
offline against the model's own context), as Hypothesis records, and as a URL text fragment."""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kgraph.cli import main
from kgraph.corpus.anchors import anchor_at, anchor_quote, fragment_url, text_fragment
from kgraph.corpus.load import load
from kgraph.exports.annotations import (
    ANNO_CONTEXT,
    AnnotationError,
    document_loader,
    hypothesis_records,
    quoted,
    snapshot_iri,
    w3c_collection,
)
from tests.conftest import REPO, CorpusBuilder

SITE = "https://kgraph.test/site/"


@pytest.fixture
def pinned(chain: CorpusBuilder) -> CorpusBuilder:
    """The chain corpus, with article-b's snapshot dated and its address recorded."""
    path = chain.root / "sources" / "article-b.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  url: https://news.test/ketamine?page=1\n  seen: 2024-01-02\n",
        encoding="utf-8",
    )
    return chain


def _items(doc: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = doc["first"]["items"]
    return items


def _by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"].removeprefix("urn:kgraph:annotation:"): a for a in _items(doc)}


# --- the W3C model ---------------------------------------------------------------------------


def test_the_export_expands_offline_against_the_w3c_context_with_no_term_lost(
    pinned: CorpusBuilder,
) -> None:
    from pyld import jsonld

    doc = w3c_collection(load(pinned.root), SITE)
    options = {"documentLoader": document_loader}
    expanded = jsonld.expand(doc, options)
    oa = "http://www.w3.org/ns/oa#"
    annotations = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0][
        "http://www.w3.org/ns/activitystreams#items"
    ][0]["@list"]
    assert len(annotations) == doc["total"] > 0
    assert all(f"{oa}Annotation" in a["@type"] for a in annotations)
    # Compacted again with the same terms (the kg: prefix left out, so IRIs stay whole), the
    # document comes back unchanged: no key was dropped as unknown to the context.
    terms = [ANNO_CONTEXT, {"offsetUnit": "urn:kgraph:offsetUnit"}]
    back = jsonld.compact(expanded, {"@context": terms}, options)
    back["@context"] = doc["@context"]
    assert back == doc


def test_the_loader_serves_only_the_shipped_context() -> None:
    served = document_loader(ANNO_CONTEXT)["document"]
    assert served["@context"]["TextQuoteSelector"] == "oa:TextQuoteSelector"
    with pytest.raises(AnnotationError, match="not shipped"):
        document_loader("https://schema.org/")


def test_each_quote_is_anchored_with_its_snapshots_words_and_context(
    pinned: CorpusBuilder,
) -> None:
    corpus = load(pinned.root)
    annotation = _by_id(w3c_collection(corpus, SITE))["ketamine-blocks-nmda:1"]
    target = annotation["target"]
    text = corpus.snapshot_texts["article-b"]
    quote_sel, position = target["selector"]
    assert quote_sel == {
        "type": "TextQuoteSelector",
        "exact": "Ketamine blocks NMDA receptors in the brain.",
        "prefix": "",
        "suffix": "\nBlocking these receptors is tho",
    }
    assert len(quote_sel["suffix"]) == 32
    assert (position["start"], position["end"]) == (0, 44)
    assert text[position["start"] : position["end"]] == quote_sel["exact"]
    assert position["offsetUnit"] == "unicode-code-point"
    assert target["source"] == "https://news.test/ketamine?page=1"
    state = target["state"]
    assert state["type"] == "TimeState"
    assert (state["sourceDateStart"], state["sourceDateEnd"]) == (
        "2024-01-02T00:00:00Z",
        "2024-01-02T23:59:59Z",
    )
    digest = hashlib.sha256((pinned.root / "snapshots" / "article-b.txt").read_bytes()).digest()
    pinned_iri, page = state["cached"]
    assert base64.urlsafe_b64decode(pinned_iri.removeprefix("ni:///sha-256;") + "=") == digest
    assert page == SITE + "snapshot/article-b.html"


def test_the_body_is_the_claim_with_its_level_direction_and_page(pinned: CorpusBuilder) -> None:
    annotation = _by_id(w3c_collection(load(pinned.root), SITE))["ketamine-blocks-nmda:1"]
    describing, identifying, level, direction, link = annotation["body"]
    assert describing["value"] == "Ketamine blocks the NMDA receptor. (ES-5, evidence supports)"
    assert identifying["source"] == "urn:kgraph:claim:ketamine-blocks-nmda"
    assert (level["value"], direction["value"]) == ("ES-5", "supports")
    assert link["source"] == SITE + "claim/ketamine-blocks-nmda.html"
    assert annotation["motivation"] == "describing"


def test_a_source_with_no_address_targets_its_snapshots_hash(pinned: CorpusBuilder) -> None:
    corpus = load(pinned.root)
    annotation = _by_id(w3c_collection(corpus))["ketamine-blocks-nmda:0"]  # article-a: url unknown
    snap = corpus.sources["article-a"].snapshot
    assert snap is not None
    assert annotation["target"]["source"] == snapshot_iri(snap.sha256)
    assert "sourceDateStart" not in annotation["target"]["state"]  # no day seen: none invented
    assert all(b["purpose"] != "linking" for b in annotation["body"])  # no --site-url


def test_code_point_offsets_are_not_utf16_units() -> None:
    text = "😀 café: ketamine blocks NMDA receptors."
    anchor = anchor_quote(text, "ketamine blocks NMDA receptors")
    assert anchor is not None
    assert anchor.start == 8  # UTF-16 would count the emoji twice: 9
    assert len(text[: anchor.start].encode("utf-16-le")) // 2 == 9
    assert anchor.prefix == "😀 café: "


def test_every_quote_of_the_real_corpus_is_exported_and_expands() -> None:
    from pyld import jsonld

    corpus = load(REPO / "claims")
    quotes = sum(len(c.sources) for c in corpus.claims.values())
    doc = w3c_collection(corpus)
    assert doc["total"] == len(quoted(corpus)) == quotes  # every quote is found in its snapshot
    assert jsonld.expand(doc, {"documentLoader": document_loader})


# --- Hypothesis ------------------------------------------------------------------------------


def test_hypothesis_records_where_the_format_differs(pinned: CorpusBuilder) -> None:
    records = hypothesis_records(load(pinned.root), SITE)
    # Only article-b has an address: article-a's quotes cannot be shown on a page.
    assert {r["uri"] for r in records} == {"https://news.test/ketamine?page=1"}
    record = next(
        r for r in records if r["target"][0]["selector"][0]["exact"].startswith("Ketamine b")
    )
    assert record["tags"] == ["kgraph", "ES-5", "supports"]
    assert record["text"].startswith("**Claim:** Ketamine blocks the NMDA receptor. (ES-5")
    assert f"({SITE}claim/ketamine-blocks-nmda.html)" in record["text"]
    assert "seen 2024-01-02" in record["text"]
    selectors = record["target"][0]["selector"]
    assert [s["type"] for s in selectors] == ["TextQuoteSelector", "TextPositionSelector"]
    assert record["document"] == {"title": ["Ketamine news"]}
    assert "@context" not in record and "body" not in record


# --- URL text fragments ----------------------------------------------------------------------


def _terms(fragment: str) -> list[str]:
    assert fragment.startswith("#:~:text=")
    return fragment.removeprefix("#:~:text=").split(",")


def test_a_text_fragment_escapes_dash_comma_ampersand_and_non_ascii() -> None:
    text = "Before it: well-known, safe & sound café (really)."
    anchor = anchor_quote(text, "well-known, safe & sound café")
    assert anchor is not None
    fragment = text_fragment(anchor, whole_prefix=True, whole_suffix=True)
    assert fragment == (
        "#:~:text=Before%20it%3A-,well%2Dknown%2C%20safe%20%26%20sound%20caf%C3%A9,-%28really%29."
    )
    prefix, exact, suffix = _terms(fragment)
    assert urllib.parse.unquote(prefix[:-1]) == "Before it:"
    assert urllib.parse.unquote(exact) == "well-known, safe & sound café"
    assert urllib.parse.unquote(suffix[1:]) == "(really)."
    # Inside a term the separators are always escaped.
    assert not {",", "&", "-"} & set(exact)


def test_a_long_quote_is_named_by_its_first_and_last_words_and_cut_words_are_left_out() -> None:
    words = "one two three four five six seven eight nine ten eleven twelve"
    text = (
        f"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx lead in words {words} and then more words to end"
    )
    anchor = anchor_quote(text, words)
    assert anchor is not None
    prefix, start, end, suffix = _terms(text_fragment(anchor))
    assert urllib.parse.unquote(start) == "one two three four"
    assert urllib.parse.unquote(end) == "nine ten eleven twelve"
    # The 32-character window cut "xxx...": only the whole words next to the quote are kept.
    assert urllib.parse.unquote(prefix) == "lead in words-"
    assert urllib.parse.unquote(suffix) == "-and then more words"


def test_a_quote_inside_a_word_gets_no_prefix_or_suffix() -> None:
    text = "unblocking receptors"
    anchor = anchor_at(text, 2, 10)  # "blocking", inside "unblocking"
    assert _terms(text_fragment(anchor)) == ["blocking"]


def test_the_live_link_replaces_the_pages_own_fragment() -> None:
    text = "Ketamine blocks NMDA receptors."
    anchor = anchor_quote(text, "blocks NMDA")
    assert anchor is not None
    url = fragment_url("https://a.test/p?q=1#section-2", text, anchor)
    assert url == "https://a.test/p?q=1#:~:text=Ketamine-,blocks%20NMDA,-receptors."


# --- the command -----------------------------------------------------------------------------


def test_kgraph_annotations_writes_a_file_and_refuses_bad_input(
    pinned: CorpusBuilder, tmp_path: Path
) -> None:
    out = tmp_path / "anno.jsonld"
    runner = CliRunner()
    done = runner.invoke(main, ["annotations", "--root", str(pinned.root), "-o", str(out)])
    assert done.exit_code == 0, done.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "AnnotationCollection"
    again = runner.invoke(main, ["annotations", "--root", str(pinned.root)])
    assert again.output == out.read_text(encoding="utf-8")  # reproducible, same bytes
    hyp = runner.invoke(main, ["annotations", "--root", str(pinned.root), "--format", "hypothesis"])
    assert isinstance(json.loads(hyp.output), list)
    bad = runner.invoke(main, ["annotations", "--root", str(pinned.root), "--site-url", "x"])
    assert bad.exit_code == 1 and bad.output == "Error: --site-url 'x': not an http(s) address\n"
    inside = pinned.root / "claims" / "a.json"
    refused = runner.invoke(main, ["annotations", "--root", str(pinned.root), "-o", str(inside)])
    assert refused.exit_code == 2 and not inside.exists()


@pytest.mark.browser
def test_the_claim_page_links_to_the_passage_on_the_live_page(
    pinned: CorpusBuilder, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    from kgraph.site.browser import launch_chromium
    from tests.test_site import build_site

    site = build_site(pinned.root, tmp_path / "site", audit=False)
    text = load(pinned.root).snapshot_texts["article-b"]
    anchor = anchor_quote(text, "Ketamine blocks NMDA receptors in the brain.")
    assert anchor is not None
    with sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto((site / "claim" / "ketamine-blocks-nmda.html").as_uri())
        links = page.eval_on_selector_all(
            "a.live", "els => els.map(e => [e.getAttribute('href'), e.textContent])"
        )
        browser.close()
    # article-a has no address: only article-b's quote gets a live link.
    assert links == [
        [
            fragment_url("https://news.test/ketamine?page=1", text, anchor),
            "the passage on the live page",
        ]
    ]
    assert links[0][0] == (
        "https://news.test/ketamine?page=1#:~:text=Ketamine%20blocks%20NMDA%20receptors%20in%20"
        "the%20brain.,-Blocking%20these%20receptors%20is"
    )
