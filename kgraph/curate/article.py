"""An article read for `kgraph add`: a local HTML, text or Markdown file, or a page fetched
over http(s), as plain text (one block a line, the snapshot's form) and the metadata the page
states. Nothing is guessed: what the page does not say is `unknown`.

HTML goes through trafilatura (main text, metadata); pages are fetched with httpx, with a
timeout, a size limit and a one-line error when the address cannot be reached.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph import vocab

# A page larger than this is refused (popular articles are well under a megabyte of HTML).
MAX_BYTES = 8_000_000
# Seconds to wait for a page: for each step (connect, each read) and for the whole download.
TIMEOUT = 20.0
MAX_REDIRECTS = 5
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
# A footnote mark in the text ("Studies show this.<sup>3</sup>"): left out of the snapshot, so
# that "this.3" does not glue a number to a sentence.
_FOOTNOTE_MARK = re.compile(r"^\s*[\[(]?\d{1,3}[\])]?\s*$")


class ArticleError(ValueError):
    """The article cannot be read: unreachable, refused, too large, not a page, no text."""


@dataclass(frozen=True)
class Article:
    """The article's text and what it states about itself (`unknown` where it does not)."""

    text: str  # the snapshot: one heading, paragraph or list item a line, ending in a newline
    origin: str  # the file or URL read
    extractor: str  # the tool that made the text, with its version
    title: str = vocab.UNKNOWN
    site: str = vocab.UNKNOWN
    authors: list[str] = field(default_factory=list)
    published: str = vocab.UNKNOWN
    url: str = vocab.UNKNOWN
    accessed: str = vocab.UNKNOWN


def is_url(where: str) -> bool:
    return bool(re.match(r"^https?://", where, flags=re.I))


def read_article(
    where: str,
    *,
    timeout: float = TIMEOUT,
    max_bytes: int = MAX_BYTES,
    today: dt.date | None = None,
) -> Article:
    """Read ARTICLE (a path or an http(s) URL) as text and metadata; ArticleError says why not."""
    if is_url(where):
        raw, content_type, charset, final_url = fetch(where, timeout=timeout, max_bytes=max_bytes)
        accessed = (today or dt.date.today()).isoformat()
        if content_type in HTML_TYPES:
            return from_html(raw, where, url=final_url, accessed=accessed, charset=charset)
        text = raw.decode(charset, errors="replace") if charset else _decode(raw, where)
        kind = "markdown" if "markdown" in content_type else "text"
        return from_text(text, where, markdown=kind == "markdown", url=final_url, accessed=accessed)
    if re.match(r"^[a-z][a-z0-9+.-]*://", where, flags=re.I):
        raise ArticleError(f"{where}: kgraph add reads http(s) addresses and files, not this")
    path = Path(where)
    if not path.is_file():
        raise ArticleError(f"{where}: no such file")
    if path.stat().st_size > max_bytes:
        raise ArticleError(f"{where}: larger than {max_bytes // 1_000_000} MB; not an article")
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (
        suffix not in MARKDOWN_SUFFIXES and re.match(rb"\s*<(!doctype|html|head|body)", raw, re.I)
    ):
        return from_html(raw, where)
    return from_text(_decode(raw, where), where, markdown=suffix in MARKDOWN_SUFFIXES)


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ArticleError(f"{where}: not UTF-8 text (byte {err.start})") from err


def fetch(url: str, *, timeout: float, max_bytes: int) -> tuple[bytes, str, str, str]:
    """(body, content type, charset or "", final URL after redirects) of a page; ArticleError
    on any failure."""
    import httpx

    deadline = time.monotonic() + timeout
    headers = {"User-Agent": "kgraph (kgraph add)"}
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=timeout,
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise ArticleError(
                    f"{url}: the server answered {response.status_code} "
                    f"{response.reason_phrase}".rstrip()
                )
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in HTML_TYPES | TEXT_TYPES:
                shown = content_type or "no content type"
                raise ArticleError(f"{url}: the page is {shown}, not HTML or text")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ArticleError(_too_large(url, max_bytes))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise ArticleError(_too_large(url, max_bytes))
                if time.monotonic() > deadline:
                    raise ArticleError(f"{url}: the page took longer than {timeout:g} s to arrive")
                chunks.append(chunk)
            charset = response.charset_encoding or ""
            return b"".join(chunks), content_type, charset, str(response.url)
    except httpx.TimeoutException as err:
        raise ArticleError(f"{url}: no answer within {timeout:g} s") from err
    except httpx.TooManyRedirects as err:
        raise ArticleError(f"{url}: more than {MAX_REDIRECTS} redirects") from err
    except httpx.ConnectError as err:
        host = httpx.URL(url).host
        raise ArticleError(
            f"{url}: cannot reach {host} (offline, or no such address): {err}"
        ) from err
    except httpx.HTTPError as err:
        raise ArticleError(f"{url}: {type(err).__name__}: {err}") from err


def _too_large(url: str, max_bytes: int) -> str:
    return f"{url}: the page is larger than {max_bytes // 1_000_000} MB; not an article"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def html_text(raw: bytes, charset: str = "") -> str:
    """The page's characters: in the charset the server gave, else the one its markup
    declares, else UTF-8 (windows-1252 when the bytes are not UTF-8)."""
    declared = _META_CHARSET.search(raw[:4096])
    for name in (charset, declared.group(1).decode("ascii") if declared else ""):
        if name:
            try:
                return raw.decode(name, errors="replace")
            except LookupError:
                continue
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _drop_footnote_marks(raw: bytes, charset: str) -> Any:
    """The page as a tree, footnote marks (a <sup> holding only a number) taken out."""
    import lxml.html

    tree = lxml.html.fromstring(_XML_DECLARATION.sub("", html_text(raw, charset)))
    for sup in tree.iter("sup"):
        if _FOOTNOTE_MARK.match(sup.text_content()):
            sup.drop_tree()
    return tree


def _extractor() -> str:
    import trafilatura

    return f"trafilatura {trafilatura.__version__}"


def from_html(
    raw: bytes,
    where: str,
    *,
    url: str = vocab.UNKNOWN,
    accessed: str = vocab.UNKNOWN,
    charset: str = "",
) -> Article:
    """The main text of an HTML page (scripts, navigation, footers left out) and what its
    markup states: title, site name, author, date."""
    import trafilatura
    from lxml.etree import ParserError

    try:
        tree = _drop_footnote_marks(raw, charset)
    except (ParserError, ValueError) as err:
        raise ArticleError(f"{where}: not an HTML page ({err})") from err
    body = trafilatura.extract(
        tree,
        output_format="txt",
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    if not body or not body.strip():
        raise ArticleError(f"{where}: no main text found in the page")
    meta = trafilatura.extract_metadata(tree, extensive=False)
    site = meta.sitename or ""
    # trafilatura falls back on the address's host for the site name: not what the page says.
    if site and meta.hostname and site.lower() in meta.hostname.lower():
        site = ""
    authors = [a.strip() for a in (meta.author or "").split(";") if a.strip()]
    return Article(
        text=_lines(body),
        origin=where,
        extractor=_extractor(),
        title=_one_line(meta.title) or vocab.UNKNOWN,
        site=_one_line(site) or vocab.UNKNOWN,
        authors=authors,
        published=meta.date or vocab.UNKNOWN,
        url=url,
        accessed=accessed,
    )


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _lines(body: str) -> str:
    """One block a line, white space inside a line collapsed, no blank lines, a final newline."""
    lines = [" ".join(line.split()) for line in body.splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def from_text(
    text: str,
    where: str,
    *,
    markdown: bool = False,
    url: str = vocab.UNKNOWN,
    accessed: str = vocab.UNKNOWN,
) -> Article:
    """A text file is kept as it is (it is the snapshot); Markdown becomes plain lines, one
    block a line, its marks taken out. The title is the first line when that is a heading."""
    from kgraph.corpus.segment import segment

    body = markdown_text(text) if markdown else text
    if not body.strip():
        raise ArticleError(f"{where}: the file holds no text")
    first = segment(body)[:1]
    title = first[0].text if first and first[0].block == "title" else vocab.UNKNOWN
    tool = "kgraph (Markdown to text, markdown-it-py)" if markdown else "none (the file's text)"
    return Article(text=body, origin=where, extractor=tool, title=title, url=url, accessed=accessed)


def markdown_text(source: str) -> str:
    """Markdown as snapshot text: each heading, paragraph and list item on one line (bullets
    as `- `), emphasis, links and images reduced to their words."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(source)
    lines: list[str] = []
    in_item = 0
    for i, token in enumerate(tokens):
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "inline":
            words = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            line = " ".join("".join(words).split())
            if not line:
                continue
            opener = tokens[i - 1].type if i else ""
            lines.append(f"- {line}" if in_item and opener == "paragraph_open" else line)
        elif token.type in ("fence", "code_block"):
            lines.extend(x.strip() for x in token.content.splitlines() if x.strip())
    return "\n".join(lines) + "\n" if lines else ""
