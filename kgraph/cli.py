"""The `kgraph` command line: a thin click layer over the library.

Each command parses its options, calls one library function, and turns the library's exceptions
into one-line messages. Exit codes: 0 clean, 1 findings or a failed job, 2 usage or unreadable root.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kgraph.corpus import schema as schema_mod
from kgraph.corpus.check import (
    BadCheckPaths,
    CorpusHasErrors,
    check_target,
    checked_corpus,
    only_files,
)
from kgraph.corpus.check import check as run_check
from kgraph.corpus.findings import render
from kgraph.corpus.load import CorpusNotFound, gc_paused, one_root
from kgraph.exports import FORMATS as EXPORT_FORMATS
from kgraph.outputs import OutputRefused, os_message

if TYPE_CHECKING:
    import networkx as nx

    from kgraph.corpus.model import Corpus


F = TypeVar("F", bound=Callable[..., Any])


class RootError(click.ClickException):
    """An unreadable or missing corpus root: a usage problem, exit 2."""

    exit_code = 2


@contextmanager
def _gate() -> Iterator[None]:
    """Turn the library's refusals into exits: no corpus is 2; check errors print and are 1."""
    try:
        yield
    except CorpusNotFound as err:
        raise RootError(str(err)) from err
    except OutputRefused as err:
        raise RootError(str(err)) from err
    except CorpusHasErrors as err:
        click.echo(render(err.report.findings, "text"), err=True)
        raise click.ClickException(str(err)) from err
    except OSError as err:
        raise click.ClickException(os_message(err)) from err


_ROOT_HELP = (
    "The corpus (or a folder inside it, or a project folder with claims/); by default found "
    "by walking up from the working folder, as git finds a repository."
)


def _root_option(command: F) -> F:
    """`--root DIR`, the one spelling of the corpus root every command takes."""
    option = click.option(
        "--root",
        "root_option",
        default=None,
        metavar="DIR",
        type=click.Path(path_type=Path),
        help=_ROOT_HELP,
    )
    return option(command)


def _root_argument(command: F) -> F:
    """ROOT as an optional positional argument too: the older spelling of --root, kept for
    build, audit, export and stats."""
    argument = click.argument("root", required=False, default=None, type=click.Path(path_type=Path))
    return argument(command)


def _root(*given: Path | None) -> Path:
    """The root named by ROOT and --root (exit 2 when they differ), else the working folder."""
    try:
        return one_root(*given)
    except CorpusNotFound as err:
        raise RootError(str(err)) from err


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kgraph")
def main() -> None:
    """kgraph: claims from popular articles, their sources and evidence, as a checked graph."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--root",
    "root_option",
    default=None,
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="The corpus (or a folder inside it, or a project folder with claims/); by default "
    "found from PATHS, or by walking up from the working folder, as git finds a repository.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default=None,
    help="Output format; github annotations by default when GITHUB_ACTIONS is set.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every file again. By default files unchanged since the last check are taken "
    "from .kgraph-cache/ beside the corpus (or $KGRAPH_CACHE_DIR); the findings are the same.",
)
@click.option(
    "--watch",
    "keep_watching",
    is_flag=True,
    help="Stay up after the check and check again whenever a record or snapshot changes, "
    "reading only the changed files; each run is printed under a summary line (one JSON "
    "document per line with --format json). Ctrl-C stops, with the exit status of the last run.",
)
def check(
    paths: tuple[Path, ...],
    root_option: Path | None,
    fmt: str | None,
    strict: bool,
    no_cache: bool,
    keep_watching: bool,
) -> None:
    """Check every record of the corpus and report all problems.

    The corpus is --root DIR (a folder inside it, or a project with claims/), by default the
    working folder's, found by walking up as git finds a repository. PATHS may name it instead
    (one folder), or name record FILES: then the whole corpus is loaded and only the findings
    about those files are shown (for pre-commit and editors).

    Prints `path:line:col: CODE severity: message` for each finding. Exits 0 when clean, 1 when
    any error (or any warning with --strict), 2 when there is no corpus (or, with --watch,
    when it disappears).
    """
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    try:
        target = check_target(paths, root_option)
    except BadCheckPaths as err:
        raise click.UsageError(str(err)) from err
    except CorpusNotFound as err:
        raise RootError(str(err)) from err
    root, files = target.root, list(target.files)
    if files and keep_watching:
        raise click.UsageError("--watch checks the whole corpus: give a folder, not files")
    if keep_watching:
        from kgraph.corpus.watch import render_run, watch  # not needed (nor imported) for one check

        output_format = fmt
        try:
            last = watch(
                root, lambda run: click.echo(render_run(run, output_format)), cache=not no_cache
            )
        except CorpusNotFound as err:
            raise RootError(str(err)) from err
        if last is None:
            raise SystemExit(130)  # interrupted before the first check ended
        raise SystemExit(0 if last.report.ok(strict) else 1)
    # The records die with the command: collecting garbage would only walk a million objects
    # that are freed anyway (a tenth of a warm check at 10,000 claims).
    try:
        with gc_paused():
            report = run_check(root, cache=not no_cache)
            if files:
                report = only_files(report, files)
            output, ok = report.render(fmt), report.ok(strict)
            del report
    except CorpusNotFound as err:
        raise RootError(str(err)) from err
    if output:
        click.echo(output)
    if not ok:
        raise SystemExit(1)


@main.command()
@click.option(
    "--type",
    "record_type",
    type=click.Choice([*schema_mod.FORMATS, "all"]),
    default="all",
    help="Which record type's schema to print.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write <type>.schema.json files into this folder instead of printing.",
)
def schema(record_type: str, out: Path | None) -> None:
    """Print the JSON Schema of each record type (for editors and other validators)."""
    types = schema_mod.FORMATS if record_type == "all" else (record_type,)
    schemas = {t: schema_mod.json_schema(t) for t in types}
    if out is not None:
        from kgraph.outputs import replacing_folder

        with _gate(), replacing_folder(out, "schema") as staged:
            for t, s in schemas.items():
                (staged / f"{t}.schema.json").write_text(
                    json.dumps(s, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
                )
        click.echo(f"wrote {len(schemas)} schema file(s) to {out}")
        return
    payload = schemas[record_type] if record_type != "all" else schemas
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


@main.command()
@_root_argument
@_root_option
@click.option(
    "--out",
    "out_dir",
    default="site_out",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Output folder, replaced as a whole when the build succeeds.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.option(
    "--watch",
    "keep_watching",
    is_flag=True,
    help="Stay up after the build and build again whenever a record, snapshot or coverage "
    "file changes, for previewing an edit; a line per build (the check's errors when it "
    "refuses, the previous output kept). Ctrl-C stops, with the exit status of the last build.",
)
def build(
    root: Path | None, root_option: Path | None, out_dir: Path, quiet: bool, keep_watching: bool
) -> None:
    """Check the corpus, then write the site and every export into OUT (atomically).

    The corpus is --root DIR, by default found by walking up from the working folder; ROOT, a
    folder given without --root, is the older spelling of the same (exit 2 if the two differ).

    Refuses (exit 1, nothing written) when the corpus has check errors. A failed or interrupted
    build leaves the previous output intact. The progress bar is off in CI and with --quiet.
    """
    from kgraph.build import STEP_NAMES, BuildFailed
    from kgraph.build import build as run_build

    root = _root(root, root_option)
    if keep_watching:
        _watch_build(root, out_dir)
        return
    show = not quiet and not os.environ.get("CI") and sys.stderr.isatty()

    def waiting(message: str) -> None:
        click.echo(f"kgraph build: {message}", err=True)

    def cleaned(paths: Iterable[Path]) -> None:
        names = ", ".join(p.name for p in paths)
        click.echo(f"kgraph build: removed what an interrupted build left: {names}", err=True)

    with _gate():
        try:
            if show:
                with click.progressbar(
                    length=len(STEP_NAMES), label="building", file=sys.stderr
                ) as bar:
                    result = run_build(
                        root,
                        out_dir,
                        progress=lambda _name: bar.update(1),
                        on_wait=waiting,
                        on_cleanup=cleaned,
                    )
            else:
                result = run_build(root, out_dir, on_wait=waiting, on_cleanup=cleaned)
        except BuildFailed as err:
            raise click.ClickException(str(err)) from err
    if not quiet:
        corpus = result.report.corpus
        click.echo(
            f"built {result.files} files into {out_dir} from {len(corpus.claims)} claims, "
            f"{len(corpus.sources)} sources, {len(corpus.entities)} entities "
            f"({result.report.warnings} warning(s))"
        )


def _watch_build(root: Path, out_dir: Path) -> None:
    from kgraph.build import BuildFailed, WatchedBuild, watch_build

    def emit(run: WatchedBuild) -> None:
        if run.refused is not None:
            click.echo(render(run.refused.report.findings, "text"), err=True)
            click.echo(f"== {run.refused} ({run.seconds:.1f} s) ==")
        elif run.result is not None:
            files, seconds = run.result.files, run.seconds
            click.echo(f"== built {files} files into {out_dir} in {seconds:.1f} s ==")

    with _gate():
        try:
            last = watch_build(root, out_dir, emit)
        except BuildFailed as err:
            raise click.ClickException(str(err)) from err
    if last is None:
        raise SystemExit(130)  # interrupted before the first build ended
    raise SystemExit(0 if last.result is not None else 1)


@main.command()
@_root_argument
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a page or pull request, json for tools.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["never", "error", "warning"]),
    default="never",
    show_default=True,
    help="Exit 1 when a finding shown is of this severity or worse (never: always exit 0).",
)
@click.option(
    "--severity",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Show findings of this severity or worse. Default: warning for text (info findings "
    "are counted in the summary line, not listed), info (everything) for markdown and json.",
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="CODE",
    help="Show only findings with this code, e.g. AU101 (repeatable); a finding with more than "
    "one reason matches each of its codes.",
)
@click.option(
    "--article",
    "articles",
    multiple=True,
    metavar="SOURCE_ID",
    help="Show only this article's scorecard and the findings on its words or on the claims "
    "it asserts (repeatable).",
)
def audit(
    root: Path | None,
    root_option: Path | None,
    fmt: str,
    fail_on: str,
    severity: str | None,
    codes: tuple[str, ...],
    articles: tuple[str, ...],
) -> None:
    """Audit the claims of the corpus: overclaims, echoes, weak links, dropped hedges and more.

    The corpus is --root DIR, by default found by walking up from the working folder; ROOT, a
    folder given without --root, is the older spelling of the same (exit 2 if the two differ).

    Prints a scorecard per article and the findings (codes in docs/audit.md), errors first, then
    warnings; the text output lists info findings (bookkeeping) only with --severity info. The
    findings describe the articles, not faults in the corpus, so by default the audit never
    fails; a CI job that must keep errors out uses --fail-on error. Exits 1 when the corpus has
    check errors (nothing is audited) or when --fail-on is met by a finding shown, 2 when there is
    no corpus or an --article is not a source of it.
    """
    from kgraph.audit import AUDIT_CODES, load_audit, render_audit

    codes = tuple(c.upper() for c in codes)
    wrong = [c for c in codes if c not in AUDIT_CODES]
    if wrong:
        raise click.BadParameter(
            f"no audit code {wrong[0]!r}: choose from {', '.join(AUDIT_CODES)}",
            param_hint="'--code'",
        )
    with _gate():
        corpus, report = load_audit(_root(root, root_option))
    unknown = [a for a in articles if a not in corpus.sources]
    if unknown:
        raise click.BadParameter(
            f"no source {unknown[0]!r} in the corpus", param_hint="'--article'"
        )
    if severity is None:
        severity = "warning" if fmt == "text" else "info"
    shown = report.filtered(severity=severity, codes=codes, articles=articles)
    click.echo(render_audit(shown, corpus, fmt))
    if shown.fails(fail_on):
        raise SystemExit(1)


def _checked_graph(*given: Path | None) -> tuple[Corpus, nx.MultiDiGraph]:
    """The corpus and graph of the root given, refusing a corpus with check errors (exit 1)."""
    from kgraph.graph.queries import open_corpus

    root = _root(*given)
    with _gate():
        return open_corpus(root)


@main.command(name="export")
@_root_argument
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(EXPORT_FORMATS)),
    required=True,
    help="node-link JSON, GraphML, GEXF, JSON Lines of claims, Neo4j CSV, RDF Turtle, "
    "schema.org ClaimReview JSON-LD, or KGX (Biolink) nodes and edges.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file (a folder for neo4j and kgx) instead of standard output.",
)
def export_graph(
    root: Path | None, root_option: Path | None, fmt: str, output: Path | None
) -> None:
    """Export the graph of the corpus in one format (docs/graph.md lists them).

    The corpus is --root DIR, by default found by walking up from the working folder; ROOT, a
    folder given without --root, is the older spelling of the same (exit 2 if the two differ).

    Writes to standard output, or with -o to a file, replaced only once complete. The neo4j
    format is a folder of CSV files and a README.txt with the import command, and kgx a folder
    of nodes and edges files, so both need -o.
    Exits 1 when the corpus has check errors (run `kgraph check`), 2 when there is no corpus.
    """
    from kgraph.exports import ExportError, export, write_format

    if EXPORT_FORMATS[fmt].folder is not None and output is None:
        raise click.UsageError(f"the {fmt} export is a folder of files: give -o FOLDER")
    corpus, graph = _checked_graph(root, root_option)
    with _gate():
        try:
            if output is None:
                click.echo(export(graph, corpus, fmt), nl=False)
                return
            files = write_format(graph, corpus, fmt, output)
        except ExportError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"wrote {len(files)} file(s) to {output}", err=True)


@main.command()
@click.argument("record_id", metavar="ID")
@_root_option
def show(record_id: str, root_option: Path | None) -> None:
    """Show a claim, source or entity with everything attached to it.

    ID is a record id, or an entity's or source's label or synonym. A claim shows its sources,
    quotes with hedge and booster cues, evidence level, cited studies and premises; a source
    the claims it asserts or is evidence for; an entity the claims about it.
    """
    from kgraph.graph.queries import QueryError
    from kgraph.graph.queries import show as show_record

    corpus, graph = _checked_graph(root_option)
    try:
        click.echo(show_record(corpus, graph, record_id), nl=False)
    except QueryError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@click.argument("a")
@click.argument("b")
@_root_option
@click.option(
    "--max-len",
    default=6,
    show_default=True,
    type=click.IntRange(1, 12),
    help="Longest chain to look for, in claims (1 to 12).",
)
def path(a: str, b: str, root_option: Path | None, max_len: int) -> None:
    """Show the chains of claims leading from entity A to entity B, weakest step marked.

    A and B are entity ids, labels or synonyms. Each step is one claim (subject -predicate->
    object) with its ES level; a chain is only as strong as its weakest step. A chain marked `=`
    reads as one effect of A on B (with its net direction); one marked `~` changes subject (a
    condition's effect, not A's) or has a step with no direction. When no chain runs
    from A to B, the chains from B to A are shown.
    """
    from kgraph.graph.queries import QueryError, path_report

    _, graph = _checked_graph(root_option)
    try:
        click.echo(path_report(graph, a, b, max_len), nl=False)
    except QueryError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@_root_argument
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, markdown for tables (claims per article).",
)
def stats(root: Path | None, root_option: Path | None, fmt: str) -> None:
    """Count the corpus: nodes, edges, claims by kind and level, sources, articles.

    The corpus is --root DIR, by default found by walking up from the working folder; ROOT, a
    folder given without --root, is the older spelling of the same (exit 2 if the two differ).

    The markdown format has per-article tables of claims by kind and by ES level. Exits 1 when
    the corpus has check errors (run `kgraph check`), 2 when there is no corpus.
    """
    from kgraph.graph.stats import render_stats
    from kgraph.graph.stats import stats as count

    corpus, graph = _checked_graph(root, root_option)
    click.echo(render_stats(count(corpus, graph), fmt), nl=False)


def _writers_corpus(root_option: Path | None) -> Corpus:
    """The checked corpus for find, draft and cite (exit 2 without one, 1 when it is broken)."""
    root = _root(root_option)
    with _gate():
        return checked_corpus(root)


@main.command(name="find")
@click.argument("text")
@_root_option
@click.option(
    "--limit",
    default=5,
    show_default=True,
    type=click.IntRange(min=1),
    help="Show at most this many claims.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=None,
    help="Lowest score (0-100) to show; the default is the one the README's figures use.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for tools.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Also show the claims the text nearly matched, and why each was not reported.",
)
def find_claims(
    text: str,
    root_option: Path | None,
    limit: int,
    threshold: float | None,
    fmt: str,
    explain: bool,
) -> None:
    """Find the claims TEXT makes, best first, with ES level, direction and what to cite.

    Matches through entity labels and synonyms ("fear center" finds the amygdala claim) and
    predicate words, and never matches a claim the text contradicts ("increases" for a claim
    that something decreases). Exits 0 whether or not anything matches.
    """
    from kgraph.writers.draft_render import render_matches
    from kgraph.writers.find import DEFAULT_THRESHOLD, ClaimIndex

    corpus = _writers_corpus(root_option)
    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    index = ClaimIndex(corpus)
    matches = index.find(text, limit=limit, threshold=threshold)
    rejected = index.explain(text, limit=limit, threshold=threshold) if explain else None
    click.echo(render_matches(corpus, text, matches, threshold, fmt, rejected), nl=False)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a pull request comment, json for tools.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["unsupported", "hedge", "never"]),
    default="never",
    show_default=True,
    help="Exit 1 when a sentence is unsupported or contradicted (unsupported), or also when "
    "one needs a hedge (hedge).",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Also show, for each sentence, the claims it nearly matched and why each was not.",
)
def draft(file: Path, root_option: Path | None, fmt: str, fail_on: str, explain: bool) -> None:
    """Check a draft (Markdown or plain text) sentence by sentence against the corpus.

    Each sentence gets the claim it matches, its ES level, a verdict (supported, hedge needed,
    unsupported, contradicted, rhetoric, or unchecked when nothing matches), the primary
    references to cite, and hedged wording where it states flatly what the evidence only
    suggests. FILE is read as Markdown when it ends in .md, else as plain text.
    """
    from kgraph.text.prose import guess_format
    from kgraph.writers.draft import check_draft
    from kgraph.writers.draft_render import render_draft

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise click.ClickException(f"{file}: not UTF-8 text ({err.reason})") from err
    except OSError as err:
        raise click.ClickException(f"{file}: {err.strerror}") from err
    corpus = _writers_corpus(root_option)
    report = check_draft(corpus, text, guess_format(file.name), path=str(file), explain=explain)
    click.echo(render_draft(report, fmt), nl=False)
    if report.fails(fail_on):
        raise SystemExit(1)


@main.command()
@click.argument("claim_id", metavar="ID")
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "csl-json", "markdown"]),
    default="markdown",
    show_default=True,
    help="markdown (a reference list), bibtex (BibTeX/biblatex) or csl-json (Zotero, Pandoc "
    "citeproc).",
)
def cite(claim_id: str, root_option: Path | None, fmt: str) -> None:
    """Print the primary references behind claim ID, ready for a reference manager.

    Never cites a news or marketing source; unknown authors and dates are left out, not made
    up. Exits 1 when the claim has no primary reference (it says why) or does not exist.
    """
    from kgraph.writers.cite import CiteError
    from kgraph.writers.cite import cite as cite_claim

    corpus = _writers_corpus(root_option)
    try:
        click.echo(cite_claim(corpus, claim_id, fmt), nl=False)
    except CiteError as err:
        raise click.ClickException(str(err)) from err


@main.command()
@click.argument("claim_id", metavar="ID")
@click.option("--by", "reviewer", required=True, metavar="NAME", help="Who reviewed the claim.")
@_root_option
@click.option(
    "--date",
    "when",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day of the review, YYYY-MM-DD; today by default.",
)
@click.option("--notes", default=None, help="The reviewer's notes; by default the notes kept.")
def review(
    claim_id: str, reviewer: str, root_option: Path | None, when: Any, notes: str | None
) -> None:
    """Record that NAME reviewed claim ID: status reviewed, reviewer, date, and the hashes of
    the claim and of the sources and snapshots it rests on, so `kgraph check` can tell when
    any of them changes later.

    Writes the review block of that one claim file and nothing else (every other line and
    comment stays). Refuses (exit 2) an unknown ID, an empty NAME, or a claim with check errors.
    """
    from kgraph.corpus.review_write import ReviewRefused, record_review

    root = _root(root_option)
    try:
        with _gate():
            written = record_review(
                root, claim_id, reviewer, date=when.date() if when else None, notes=notes
            )
    except ReviewRefused as err:
        raise RootError(str(err)) from err
    click.echo(f"reviewed {claim_id} by {reviewer.strip()}: {written}")


@main.command(name="diff")
@click.argument("old")
@click.argument("new", required=False, default=None)
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a pull-request comment, json for tools.",
)
@click.option(
    "--fail-on",
    "fail_on",
    multiple=True,
    type=click.Choice(["unsupported-rise", "rise", "removed", "audit-error", "never"]),
    help="Exit 1 when this rule is broken (repeatable; docs/ci.md lists the rules). Default: "
    "unsupported-rise, a level that rises with no reference added and no search record added "
    "or re-run; never: always exit 0.",
)
def diff_corpus(
    old: str, new: str | None, root_option: Path | None, fmt: str, fail_on: tuple[str, ...]
) -> None:
    """Compare two states of the corpus, claim by claim: OLD and NEW are each a git revision
    or a corpus folder (a folder when one exists by that name); NEW is by default the working
    corpus, --root DIR or found by walking up from the working folder.

    A revision is read with `git archive` from the repository holding the working corpus,
    never touching the working tree. Reports the claims added, removed, renamed, merged or
    split (followed by id, then by quotes), each kept claim's level and direction changes with
    the parts of the record that changed (references, study designs, GRADE domains, search,
    statement, kind), sources and quotes changed, and the audit findings that appear or
    disappear. Exits 1 when a --fail-on rule is broken, 2 when a side is no corpus or no
    revision.
    """
    from kgraph.history import DEFAULT_RULES, SideError, render_diff
    from kgraph.history import diff as run_diff

    rules = DEFAULT_RULES if not fail_on else tuple(r for r in fail_on if r != "never")
    root = _root(root_option)
    with _gate():
        try:
            result = run_diff(old, new, root=root, rules=rules)
        except SideError as err:
            raise RootError(str(err)) from err
    click.echo(render_diff(result, fmt), nl=False)
    if result.fails:
        raise SystemExit(1)


@main.command(name="new")
@click.argument(
    "record_type", metavar="claim|source|entity", type=click.Choice(["claim", "source", "entity"])
)
@click.argument("record_id", metavar="ID")
@_root_option
@click.option(
    "--snapshot",
    default=None,
    metavar="FILE",
    help="For a source: the snapshot file (inside the corpus) whose path and SHA-256 it records.",
)
@click.option(
    "--source", default="", metavar="ID", help="For a claim: the source its first quote is from."
)
def new_record(
    record_type: str, record_id: str, root_option: Path | None, snapshot: str | None, source: str
) -> None:
    """Write the skeleton of a new claim, source or entity record in the corpus's own style.

    The schema line, the field order and quoting of the corpus's records; what can be known is
    filled in (a snapshot's path and SHA-256, today's date as the day a source was accessed),
    the rest is empty or `unknown`, with the values each controlled field may take. Refuses
    (exit 2) an id any record already has, or that is no id.
    """
    from kgraph.curate.scaffold import ScaffoldRefused
    from kgraph.curate.scaffold import new_record as write_skeleton

    root = _root(root_option)
    try:
        with _gate():
            written = write_skeleton(root, record_type, record_id, snapshot=snapshot, source=source)
    except ScaffoldRefused as err:
        raise RootError(str(err)) from err
    click.echo(f"wrote {written}: fill it in, then run `kgraph check`")


@main.command(name="add")
@click.argument("article", required=False, default=None)
@_root_option
@click.option(
    "--apply",
    "proposals",
    default=None,
    metavar="PROPOSALS",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="Apply an edited proposals file instead: merges, new claims and entities, the map.",
)
@click.option(
    "-o",
    "--out",
    default=None,
    type=click.Path(path_type=Path),
    help="Where to write the proposals; by default ID.proposals.yaml beside the corpus folder.",
)
@click.option(
    "--id",
    "source_id",
    default=None,
    help="The article's source id (article-NNN-words by default).",
)
@click.option(
    "--kind",
    type=click.Choice(sorted(["marketing", "news"])),
    default="marketing",
    show_default=True,
    help="The article's source kind: a provider's own page (marketing) or journalism (news).",
)
@click.option(
    "--timeout",
    default=20.0,
    show_default=True,
    type=click.FloatRange(0.1, 600),
    help="Seconds to wait for a page (each step and the whole download).",
)
def add(
    article: str | None,
    root_option: Path | None,
    proposals: Path | None,
    out: Path | None,
    source_id: str | None,
    kind: str,
    timeout: float,
) -> None:
    """Add an article: ARTICLE is an HTML, text or Markdown file, or an http(s) URL.

    Writes the article's text as a snapshot (claims/snapshots/ID.txt), its source record (what
    the page states, `unknown` for the rest, the snapshot's SHA-256, the extraction tool) and
    one proposals file: for each sentence, list item and heading, the existing claims it
    repeats (ranked, score and reasons), a new claim's skeleton with every guess marked, or why
    it is not a claim. Nothing else is changed; no file is ever overwritten.

    Edit the proposals, then `kgraph add --apply PROPOSALS` writes the quotes into the claims,
    the new claims (evidence ungraded) and entities, and the article's sentence map, refusing
    a file changed since and a quote not in its sentence (exit 2), and runs the check.
    """
    from kgraph.corpus.findings import Severity
    from kgraph.curate.add import AddRefused, add_article
    from kgraph.curate.apply import ApplyRefused, apply_proposals

    root = _root(root_option)
    if proposals is not None:
        if article is not None:
            raise click.UsageError("give ARTICLE or --apply PROPOSALS, not both")
        try:
            with _gate():
                done = apply_proposals(root, proposals)
        except ApplyRefused as err:
            for problem in err.problems[1:]:
                click.echo(problem, err=True)
            raise RootError(str(err)) from err
        click.echo(
            f"wrote {len(done.written)} file(s): {done.merged} quote(s) added to existing "
            f"claims, {done.created} new claim(s), {done.entities} new entit(ies), the map; "
            f"kgraph check: {done.count(Severity.ERROR)} error(s), "
            f"{done.count(Severity.WARNING)} warning(s) (new claims' evidence is ungraded)"
        )
        return
    if article is None:
        raise click.UsageError("give ARTICLE (a file or an http(s) URL) or --apply PROPOSALS")
    bar: list[Any] = []

    def start(n: int) -> None:
        # A bar only where matching takes a while: a long article, on a terminal.
        if n >= 200:
            bar.append(click.progressbar(length=n, label="matching", file=sys.stderr).__enter__())

    def step(n: int) -> None:
        if bar:
            bar[0].update(n)

    try:
        with _gate():
            done_add = add_article(
                root,
                article,
                out=out,
                source_id=source_id,
                kind=kind,
                timeout=timeout,
                progress=step,
                on_segments=start,
            )
    except (AddRefused, ValueError) as err:
        raise RootError(str(err)) from err
    finally:
        if bar:
            bar[0].__exit__(None, None, None)
    counts = ", ".join(
        f"{done_add.count(a)} {a}" for a in ("merge", "new", "pending", "not_a_claim")
    )
    kept = "already in the corpus" if done_add.reused else "written"
    click.echo(
        f"{done_add.source_id}: snapshot {kept} ({done_add.snapshot}); "
        f"{len(done_add.proposals)} segment(s): {counts}\n"
        f"edit {done_add.proposals_file}, then: kgraph add --apply {done_add.proposals_file}"
    )


@main.command()
@click.argument("root", required=False, type=click.Path(path_type=Path))
@_root_option
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but a loopback address lets other machines in: "
    "kgraph says so when it starts.",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(min=0, max=65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--watch/--no-watch",
    default=True,
    show_default=True,
    help="Rebuild the site whenever a record changes.",
)
def serve(root: Path | None, root_option: Path | None, host: str, port: int, watch: bool) -> None:
    """Serve the corpus's site, a "Check a draft" page and a JSON API on a local web server.

    Builds the site on start into a temporary folder of its own (never over your files) and
    rebuilds it when a record changes; a rebuild with check errors keeps the last good site.
    The API (/api/v1/draft, /api/v1/find, /api/v1/claims/ID) is described at
    /api/v1/openapi.json. Refuses (exit 1) a corpus with check errors, or a port in use.
    """
    from kgraph.web import ServeError
    from kgraph.web import serve as run_server

    root = _root(root, root_option)
    with _gate():
        try:
            run_server(root, host, port, watch=watch, announce=lambda m: click.echo(m, err=True))
        except ServeError as err:
            raise click.ClickException(str(err)) from err


@main.command(name="query")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@_root_option
@click.option(
    "--endpoint",
    metavar="URL",
    default=None,
    help="Send the query to this SPARQL endpoint instead of the embedded store.",
)
@click.option(
    "--default-graph",
    metavar="IRI",
    default=None,
    help="With --endpoint: the graph the export was loaded into (default-graph-uri).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table for people, csv or json (SPARQL results JSON) for tools.",
)
def query_graph(
    file: Path,
    root_option: Path | None,
    endpoint: str | None,
    default_graph: str | None,
    fmt: str,
) -> None:
    """Answer the SPARQL query in FILE (a SELECT or ASK, e.g. queries/*.rq) over the graph.

    By default the corpus's Turtle export is loaded into an embedded store (pyoxigraph) in
    memory: nothing to set up. With --endpoint URL the query goes to that SPARQL server
    instead (load the export there first, docs/scale.md), and no corpus is read. Exits 1 on a
    syntax error (with its line and column), a query the engine refuses, or an endpoint that
    does not answer.
    """
    from kgraph.sparql import SparqlError, render_answer, run_query

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise click.ClickException(f"{file}: not UTF-8 text ({err.reason})") from err
    except OSError as err:
        raise click.ClickException(os_message(err)) from err
    try:
        if endpoint is not None:
            answer = run_query(text, str(file), endpoint=endpoint, default_graph=default_graph)
        else:
            corpus, graph = _checked_graph(root_option)
            answer = run_query(text, str(file), graph=graph, corpus=corpus)
    except SparqlError as err:
        raise click.ClickException(str(err)) from err
    click.echo(render_answer(answer, fmt), nl=False)


@main.command(name="ground")
@click.argument("entities", nargs=-1)
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
    help="yaml for people, json for tools.",
)
@click.option(
    "--limit", type=click.IntRange(1, 20), default=3, show_default=True, help="Proposals each."
)
@click.option(
    "--write",
    is_flag=True,
    help="Record the best proposal in each entity file that has no grounding and no "
    "`ungrounded:` reason (only its `grounding:` block is written).",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=0.75,
    show_default=True,
    help="With --write: the lowest score recorded.",
)
@click.option(
    "--record",
    "record",
    multiple=True,
    metavar="CURIE[=MATCH]",
    help="Record this term as the one ENTITY's grounding (repeatable; MATCH is exact, close, "
    "broad, narrow or related, exact by default); label and version come from the pinned table.",
)
@click.option(
    "--ungrounded",
    default=None,
    metavar="REASON",
    help="Record why no vocabulary term fits the one ENTITY (a metaphor, a framing).",
)
def ground_entities(
    entities: tuple[str, ...],
    root_option: Path | None,
    fmt: str,
    limit: int,
    write: bool,
    min_score: float,
    record: tuple[str, ...],
    ungrounded: str | None,
) -> None:
    """Propose identifiers for the corpus's entities (or the ENTITIES named): terms of the
    pinned vocabularies each entity's type allows, matched on its label and synonyms by gilda's
    grounder, offline, with gilda's scores.

    Prints the proposals and writes nothing, unless --write: then each entity that has neither
    a grounding nor an `ungrounded:` reason gets its best proposal scoring at least
    --min-score, and nothing else in its file changes. --record and --ungrounded write the one
    ENTITY named: the terms chosen (only terms of the pinned vocabularies its type allows), or
    why none fits. Review every proposal before keeping it; `kgraph check` verifies what is
    recorded. Exit 2 for an unknown entity id or a term that cannot be recorded.
    """
    from kgraph.corpus.ground import GroundRefused, ground

    root = _root(root_option)
    with _gate():
        try:
            text = ground(
                root,
                entities,
                fmt=fmt,
                limit=limit,
                write=write,
                min_score=min_score,
                record=record,
                ungrounded=ungrounded,
            )
        except GroundRefused as err:
            raise RootError(str(err)) from err
    click.echo(text, nl=False)


@main.group()
def retractions() -> None:
    """The pinned retraction list (retractions.yaml in the corpus folder) that `kgraph check`
    compares every cited study with (KG904 retracted, KG905 corrected)."""


@retractions.command(name="refresh")
@_root_option
@click.option(
    "--csv",
    "csv_file",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read a copy of the Retraction Watch CSV instead of downloading it.",
)
@click.option(
    "--url",
    default=None,
    metavar="URL",
    help="Download the CSV from URL instead of the default address (docs/retractions.md).",
)
def retractions_refresh(root_option: Path | None, csv_file: Path | None, url: str | None) -> None:
    """Download the Retraction Watch data (published by Crossref) and pin, in
    retractions.yaml, the notices about the corpus's own sources, matched by DOI or PubMed id,
    with where the data came from, when, and its SHA-256.

    Where the network does not reach the data, fails (exit 1) with the reason and leaves the
    list as it was; --csv FILE reads a copy downloaded elsewhere.
    """
    from kgraph.corpus.retraction_refresh import RETRACTION_WATCH_CSV, RefreshFailed, refresh

    root = _root(root_option)
    with _gate():
        try:
            done = refresh(root, csv_file=csv_file, url=url or RETRACTION_WATCH_CSV)
        except RefreshFailed as err:
            raise click.ClickException(str(err)) from err
    click.echo(
        f"{done.path}: {done.kept} notice(s) about the corpus's sources, from {done.rows:,} "
        f"rows compared with {done.checked} identifiers"
    )


@main.command(name="annotations")
@_root_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["w3c", "hypothesis"]),
    default="w3c",
    show_default=True,
    help="w3c: one W3C Web Annotation collection (JSON-LD); hypothesis: a list of records for "
    "the Hypothesis API (one POST each).",
)
@click.option(
    "--site-url",
    metavar="URL",
    default="",
    help="Where the site is published: each annotation then links to its claim's page.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file, replaced only once complete, instead of standard output.",
)
def annotations_export(
    root_option: Path | None, fmt: str, site_url: str, output: Path | None
) -> None:
    """Export every quote as a Web Annotation of its article, anchored in its pinned snapshot.

    Each annotation targets the article's address (or, when none is recorded, the snapshot's
    hash) with the quote's exact words, 32 characters of context either side, its position in
    the snapshot in code points, and the day the snapshot was seen; its body is the claim with
    its evidence level and direction. docs/annotations.md shows how to view them in Hypothesis.
    Nothing is sent anywhere.
    """
    from kgraph.exports.annotations import AnnotationError, annotations_json, write_annotations

    corpus, _ = _checked_graph(root_option)
    with _gate():
        try:
            if output is None:
                click.echo(annotations_json(corpus, fmt, site_url), nl=False)
                return
            written = write_annotations(corpus, output, fmt, site_url)
        except AnnotationError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"wrote {written}", err=True)


@main.command(name="reanchor")
@click.argument("snapshot", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new_text", metavar="NEWTEXT", type=click.Path(path_type=Path, dir_okay=False))
@_root_option
@click.option(
    "--write",
    is_flag=True,
    help="Re-pin: write NEWTEXT over SNAPSHOT and its SHA-256 into the source record (only "
    "when every quote is kept or moved).",
)
def reanchor_snapshot(
    snapshot: Path, new_text: Path, root_option: Path | None, write: bool
) -> None:
    """Report where each quote of SNAPSHOT's article stands in NEWTEXT, the article's new text.

    Each quote is kept (verbatim, same place), moved (verbatim, elsewhere), changed (found
    approximately, as Hypothesis anchors a quote by its words and context: the difference is
    shown word by word) or orphaned (not found). Exits 1 when a quote is changed or orphaned.
    With --write, and only when none is, the snapshot is re-pinned; nothing is written
    otherwise.
    """
    from kgraph.corpus.load import load
    from kgraph.corpus.reanchor import ReanchorError, reanchor, render_reanchoring, repin

    root = _root(root_option)
    with _gate():
        corpus = load(root)
        try:
            result = reanchor(corpus, snapshot, new_text)
            click.echo(render_reanchoring(result), nl=False)
            if write:
                written = repin(corpus, result)
                click.echo(f"re-pinned: {', '.join(str(p) for p in written)}")
        except ReanchorError as err:
            raise click.ClickException(str(err)) from err
    if not result.all_found:
        raise SystemExit(1)


@main.command(name="nanopub")
@click.argument("claim_ids", metavar="[ID]...", nargs=-1)
@_root_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write one ID.trig per claim into this folder (replaced whole) instead of standard "
    "output.",
)
@click.option(
    "--key",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    envvar="KGRAPH_NANOPUB_KEY",
    help="Sign with this RSA private key (the nanopub tools' id_rsa; or $KGRAPH_NANOPUB_KEY).",
)
@click.option(
    "--orcid",
    default=None,
    envvar="KGRAPH_NANOPUB_ORCID",
    help="With --key: the signer's ORCID iD URL (or $KGRAPH_NANOPUB_ORCID).",
)
@click.option(
    "--name",
    default=None,
    envvar="KGRAPH_NANOPUB_NAME",
    help="With --key: the signer's name (or $KGRAPH_NANOPUB_NAME).",
)
@click.option(
    "--site-url",
    metavar="URL",
    default="",
    help="Where the site is published: each nanopublication then links to its claim's page.",
)
def nanopub_export(
    claim_ids: tuple[str, ...],
    root_option: Path | None,
    output: Path | None,
    key: Path | None,
    orcid: str | None,
    name: str | None,
    site_url: str,
) -> None:
    """A nanopublication per claim (TriG), for the claims ID... or every claim.

    The assertion is the claim's triple; the provenance its sources, quotes (with their
    selectors in the pinned snapshots) and evidence; the publication info the claim record's
    content hash as version, and the licence. The trusty URI is computed offline by the
    nanopub library; with --key (and --orcid, --name) the library signs it too. Nothing is
    ever published.
    """
    from kgraph.exports.nanopubs import (
        NanopubError,
        Signer,
        claim_nanopub,
        nanopub_trig,
        write_nanopubs,
    )

    signer = None
    if key is not None:
        if not orcid or not name:
            raise click.UsageError("--key needs --orcid and --name (who signs)")
        signer = Signer(key, orcid, name)
    corpus, _ = _checked_graph(root_option)
    ids = list(claim_ids)
    with _gate():
        try:
            if output is None:
                for cid in ids or sorted(corpus.claims):
                    click.echo(nanopub_trig(claim_nanopub(corpus, cid, signer, site_url)), nl=False)
                return
            written = write_nanopubs(corpus, output, ids, signer, site_url)
        except NanopubError as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"wrote {len(written)} nanopublication(s) to {output}", err=True)
