"""Adding an article with `kgraph add`: reading a file or a page served by a local server,
the snapshot, source record and proposals it writes, and `--apply` writing the curator's
decisions into a corpus that `kgraph check` accepts (ungraded evidence aside)."""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import kgraph
from kgraph.cli import main
from kgraph.curate.add import AddRefused, add_article
from kgraph.curate.apply import ApplyRefused, apply_proposals
from kgraph.curate.article import ArticleError, read_article
from tests.conftest import CorpusBuilder, tree

PAGE = """<!doctype html>
<html><head><title>Ketamine and the brain | Calm Clinic</title>
<meta property="og:site_name" content="Calm Clinic">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2025-03-02">
<script>window.track = "tracking code";</script></head>
<body><nav><a href="/">Home</a> <a href="/book">Book a session</a> <a href="/about">About</a></nav>
<article>
<h1>Ketamine and the brain</h1>
<p>Ketamine works on the brain’s glutamate system.<sup>1</sup> Many of our patients feel calmer
after a session, and we see it every week in our clinic rooms.</p>
<h2>What people notice</h2>
<p>After a few sessions, people may notice:</p>
<ul><li>Better sleep</li><li>Fewer intrusive memories</li></ul>
<blockquote><p>It felt like a door opening, one patient told us.</p></blockquote>
<ol class="footnotes"><li>A review of glutamate research.</li></ol>
</article>
<footer>Copyright Calm Clinic. Call us today to book your consultation.</footer>
</body></html>
"""


def served(routes: dict[str, tuple[int, dict[str, str], bytes, float]]) -> Iterator[str]:
    """A local HTTP server for the test: path -> (status, headers, body, seconds per 64 kB)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body, delay = routes.get(
                self.path, (404, {"Content-Type": "text/html"}, b"<p>Not found</p>", 0.0)
            )
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for i in range(0, len(body), 65536):
                    if delay:
                        time.sleep(delay)
                    self.wfile.write(body[i : i + 65536])
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def site() -> Iterator[str]:
    big = b"<html><body>" + b"<p>ketamine</p>" * 1_400_000 + b"</body></html>"  # 20 MB
    routes = {
        "/article": (200, HTML, PAGE.encode("utf-8"), 0.0),
        "/moved": (301, {"Location": "/article"}, b"", 0.0),
        "/loop": (302, {"Location": "/loop"}, b"", 0.0),
        "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG....", 0.0),
        "/big": (200, HTML, big, 0.0),
        "/slow": (200, HTML, PAGE.encode("utf-8"), 3.0),
    }
    yield from served(routes)


def test_a_page_is_read_without_its_scripts_navigation_and_footer(site: str) -> None:
    article = read_article(f"{site}/moved")  # redirected to /article
    assert article.url == f"{site}/article"
    lines = article.text.splitlines()
    assert lines[0] == "Ketamine and the brain"
    assert "What people notice" in lines
    assert "- Better sleep" in lines and "- Fewer intrusive memories" in lines
    assert "It felt like a door opening, one patient told us." in lines
    # The footnote mark does not stick to the sentence it follows.
    assert lines[1].startswith("Ketamine works on the brain’s glutamate system. Many")
    for gone in ("tracking code", "Book a session", "About", "Call us today"):
        assert gone not in article.text
    assert (article.title, article.site, article.authors, article.published) == (
        "Ketamine and the brain",
        "Calm Clinic",
        ["Jane Roe"],
        "2025-03-02",
    )


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/missing", "the server answered 404 Not Found"),
        ("/image.png", "the page is image/png, not HTML or text"),
        ("/big", "larger than 8 MB"),
        ("/loop", "more than 5 redirects"),
        ("/slow", "2 s"),
    ],
)
def test_a_page_that_cannot_be_an_article_is_refused_in_one_line(
    site: str, path: str, says: str, corpus: CorpusBuilder
) -> None:
    with pytest.raises(ArticleError, match=says):
        read_article(f"{site}{path}", timeout=2.0)
    before = tree(corpus.root)
    result = CliRunner().invoke(
        main, ["add", f"{site}{path}", "--timeout", "2", "--root", str(corpus.root)]
    )
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert tree(corpus.root) == before


def test_an_unreachable_address_says_so() -> None:
    # A port nothing listens on, on the loopback: refused at once, as when offline.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ArticleError, match=r"cannot reach 127\.0\.0\.1"):
        read_article(f"http://127.0.0.1:{port}/article", timeout=2.0)


def test_markdown_and_text_files(tmp_path: Path) -> None:
    md = tmp_path / "page.md"
    md.write_text(
        "# Ketamine today\n\nIt is *fast* and [well studied](http://example.org)\nin trials.\n\n"
        "## Uses\n\n- sleep\n- mood\n",
        encoding="utf-8",
    )
    article = read_article(str(md))
    assert article.text == (
        "Ketamine today\nIt is fast and well studied in trials.\nUses\n- sleep\n- mood\n"
    )
    assert article.title == "Ketamine today"
    txt = tmp_path / "page.txt"
    txt.write_bytes(b"A title\nA sentence.\n")
    assert read_article(str(txt)).text == "A title\nA sentence.\n"  # kept as it is
    txt.write_bytes(b"caf\xe9\n")
    with pytest.raises(ArticleError, match="not UTF-8"):
        read_article(str(txt))


def _page(tmp_path: Path) -> Path:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    return page


def test_add_writes_the_snapshot_the_source_and_the_proposals_only(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    corpus.coverage()
    before = tree(corpus.root)
    out = tmp_path / "proposals.yaml"
    added = add_article(corpus.root, str(_page(tmp_path)), out=out)
    assert added.source_id == "article-000-ketamine-brain"
    after = tree(corpus.root)
    assert set(after) - set(before) == {
        "snapshots/article-000-ketamine-brain.txt",
        "sources/article-000-ketamine-brain.yaml",
    }
    assert {k: v for k, v in after.items() if k in before} == before
    source = yaml.safe_load((corpus.root / "sources/article-000-ketamine-brain.yaml").read_text())
    snapshot = (corpus.root / "snapshots/article-000-ketamine-brain.txt").read_bytes()
    assert source["snapshot"]["sha256"] == hashlib.sha256(snapshot).hexdigest()
    assert (source["url"], source["accessed"], source["publisher"]) == (
        "unknown",
        "unknown",
        "Calm Clinic",
    )
    assert "trafilatura" in source["notes"]
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    entries = {e["text"]: e for e in data["proposals"]}
    first = entries["Ketamine works on the brain’s glutamate system."]
    assert first["action"] == "merge" and first["claim"] == "ketamine-acts-on-glutamate"
    assert first["locator"] == "opening section, paragraph 1, sentence 1"
    # Reasons in words: the entity's label and the predicate's words, no internal token.
    assert "“glutamate-system”" in first["matches"][0]["why"]
    assert "acts_on" not in first["matches"][0]["why"]
    assert entries["What people notice"]["action"] == "not_a_claim"
    # The same input gives the same bytes; an edited proposals file is never written over.
    again = tmp_path / "again.yaml"
    add_article(corpus.root, str(_page(tmp_path)), out=again)
    assert again.read_bytes() == out.read_bytes()
    out.write_text(out.read_text(encoding="utf-8") + "# my notes\n", encoding="utf-8")
    with pytest.raises(AddRefused, match="exists and differs"):
        add_article(corpus.root, str(_page(tmp_path)), out=out)


def _edit_entry(path: Path, text: str, **changes: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    (entry,) = [e for e in data["proposals"] if e["text"] == text]
    entry.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _added(corpus: CorpusBuilder, tmp_path: Path) -> Path:
    corpus.coverage()
    corpus.entity("sleep", synonyms="[sleep]")
    out = tmp_path / "proposals.yaml"
    add_article(corpus.root, str(_page(tmp_path)), out=out)
    return out


def test_apply_leaves_a_corpus_the_check_accepts_apart_from_ungraded_evidence(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    out = _added(corpus, tmp_path)
    _edit_entry(
        out,
        "Better sleep",
        action="new",
        quote="Better sleep",
        new_claim={
            "id": "ketamine-improves-sleep",
            "statement": "Ketamine sessions improve sleep.",
            "kind": "effect",
            "subject": "ketamine",
            "predicate": "increases",
            "object": "sleep",
        },
    )
    claim_before = (corpus.root / "claims/ketamine-acts-on-glutamate.yaml").read_text()
    done = apply_proposals(corpus.root, out)
    assert done.merged == 1 and done.created == 1
    errors = [f for f in kgraph.check(corpus.root).findings if f.severity == "error"]
    assert errors == []
    codes = {f.code for f in kgraph.check(corpus.root).findings if f.severity == "warning"}
    assert codes <= {"KG703", "KG709", "KG807", "KG509"}, codes
    # The merge appended one entry and left every other line as it was.
    after = (corpus.root / "claims/ketamine-acts-on-glutamate.yaml").read_text()
    assert after.startswith(claim_before.split("evidence:")[0])
    assert 'source: "article-000-ketamine-brain"' in after
    new = yaml.safe_load((corpus.root / "claims/ketamine-improves-sleep.yaml").read_text())
    assert new["evidence"]["search"] == "unknown" and new["sources"][0]["quote"] == "Better sleep"
    cov = yaml.safe_load((corpus.root / "coverage/article-000-ketamine-brain.yaml").read_text())
    by_text = {e["text"]: e for e in cov["sentences"]}
    assert by_text["Better sleep"]["claims"] == ["ketamine-improves-sleep"]
    # Applying again changes nothing (byte for byte).
    state = tree(corpus.root)
    apply_proposals(corpus.root, out)
    assert tree(corpus.root) == state


def test_apply_refuses_a_quote_not_in_its_sentence_and_writes_nothing(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    out = _added(corpus, tmp_path)
    _edit_entry(out, "Ketamine works on the brain’s glutamate system.", quote="Ketamine cures all.")
    state = tree(corpus.root)
    result = CliRunner().invoke(main, ["add", "--apply", str(out), "--root", str(corpus.root)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "the quote is not in this sentence of the snapshot" in result.output
    line = next(
        i
        for i, x in enumerate(out.read_text(encoding="utf-8").splitlines(), 1)
        if "Ketamine cures all." in x
    )
    assert f"{out}:{line}:" in result.output
    assert tree(corpus.root) == state


def test_apply_never_overwrites_a_claim_changed_since(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    out = _added(corpus, tmp_path)
    claim = corpus.root / "claims/ketamine-acts-on-glutamate.yaml"
    claim.write_text(claim.read_text() + "tags: [edited]\n", encoding="utf-8")
    state = tree(corpus.root)
    with pytest.raises(ApplyRefused, match="changed since the proposals were made"):
        apply_proposals(corpus.root, out)
    assert tree(corpus.root) == state


def test_apply_refuses_an_unknown_entity_with_the_way_to_add_it(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    out = _added(corpus, tmp_path)
    skeleton = {
        "id": "ketamine-opens-doors",
        "statement": "Ketamine feels like a door opening.",
        "kind": "rhetoric",
        "subject": "ketamine",
        "predicate": "described_as",
        "object": "door-opening",
    }
    text = "It felt like a door opening, one patient told us."
    _edit_entry(out, text, action="new", new_claim=skeleton)
    with pytest.raises(ApplyRefused, match="entity 'door-opening' does not exist"):
        apply_proposals(corpus.root, out)
    skeleton["new_entities"] = [{"id": "door-opening", "label": "door opening", "type": "concept"}]
    _edit_entry(out, text, action="new", new_claim=skeleton)
    done = apply_proposals(corpus.root, out)
    assert done.entities == 1 and (corpus.root / "entities/door-opening.yaml").is_file()
    assert [f for f in kgraph.check(corpus.root).findings if f.severity == "error"] == []


def test_add_from_the_command_line_then_apply(corpus: CorpusBuilder, tmp_path: Path) -> None:
    corpus.coverage()
    result = CliRunner().invoke(
        main, ["add", str(_page(tmp_path)), "--root", str(corpus.root), "--id", "article-b"]
    )
    assert result.exit_code == 0, result.output
    proposals = corpus.root.parent / "article-b.proposals.yaml"
    assert proposals.is_file() and "kgraph add --apply" in result.output
    result = CliRunner().invoke(
        main, ["add", "--apply", str(proposals), "--root", str(corpus.root)]
    )
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_a_page_fetched_records_its_address_and_the_day(
    site: str, corpus: CorpusBuilder, tmp_path: Path
) -> None:
    import datetime as dt

    corpus.coverage()
    added = add_article(
        corpus.root, f"{site}/moved", out=tmp_path / "p.yaml", today=dt.date(2026, 12, 2)
    )
    source = yaml.safe_load(
        (corpus.root / f"sources/{added.source_id}.yaml").read_text(encoding="utf-8")
    )
    assert (source["url"], source["accessed"]) == (f"{site}/article", "2026-12-02")
    assert source["authors"] == ["Jane Roe"] and source["published"] == "2025-03-02"


def test_applied_records_are_the_same_bytes_for_the_same_input(tmp_path: Path) -> None:
    states = []
    for name in ("one", "two"):
        builder = CorpusBuilder(tmp_path / name / "corpus").minimal()
        builder.coverage()
        page = _page(tmp_path / name)
        out = tmp_path / name / "proposals.yaml"
        add_article(builder.root, str(page), out=out)
        apply_proposals(builder.root, out)
        states.append((tree(builder.root), out.read_bytes()))
    assert states[0] == states[1]


def test_a_long_article_shows_a_progress_bar(corpus: CorpusBuilder, tmp_path: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text(
        "A long page\n"
        + "".join(
            f"Ketamine works on the brain’s glutamate system in case {i}.\n" for i in range(250)
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["add", str(long), "--root", str(corpus.root)])
    assert result.exit_code == 0, result.output
    assert "matching" in result.stderr
    assert "251 segment(s)" in result.stdout


def test_an_article_the_corpus_holds_is_proposed_on_not_added_twice(
    corpus: CorpusBuilder, tmp_path: Path
) -> None:
    corpus.coverage()
    before = tree(corpus.root)
    out = tmp_path / "p.yaml"
    added = add_article(corpus.root, str(corpus.root / "snapshots/article.txt"), out=out)
    assert (added.source_id, added.reused, added.written) == ("article-a", True, [out])
    assert tree(corpus.root) == before
    # Its own quotes are found again: the first sentence merges into the claim quoting it.
    first = yaml.safe_load(out.read_text(encoding="utf-8"))["proposals"][0]
    assert (first["action"], first["claim"]) == ("merge", "ketamine-acts-on-glutamate")
