"""The `kgraph` command line: a thin click layer over the library.

Each command parses its options, calls one library function, and turns the library's exceptions
into one-line messages. Exit codes: 0 clean, 1 findings or a failed job, 2 usage or unreadable root.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from kgraph import schema as schema_mod
from kgraph.check import check as run_check
from kgraph.findings import render
from kgraph.load import CorpusNotFound


class RootError(click.ClickException):
    """An unreadable or missing corpus root: a usage problem, exit 2."""

    exit_code = 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kgraph")
def main() -> None:
    """kgraph: claims from popular articles, their sources and evidence, as a checked graph."""


@main.command()
@click.argument("root", default=".", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default=None,
    help="Output format; github annotations by default when GITHUB_ACTIONS is set.",
)
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
def check(root: Path, fmt: str | None, strict: bool) -> None:
    """Check every record under ROOT (a corpus, or a project with claims/) and report all problems.

    Prints `path:line:col: CODE severity: message` for each finding. Exits 0 when clean, 1 when
    any error (or any warning with --strict), 2 when ROOT holds no corpus.
    """
    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    try:
        report = run_check(root)
    except CorpusNotFound as err:
        raise RootError(str(err)) from err
    output = render(report.findings, fmt)
    if output:
        click.echo(output)
    if not report.ok(strict):
        raise SystemExit(1)


@main.command()
@click.option(
    "--type",
    "record_type",
    type=click.Choice([*schema_mod.RECORD_TYPES, "all"]),
    default="all",
    help="Which record type's schema to print.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write <type>.schema.json files into this folder instead of printing.",
)
def schema(record_type: str, out: Path | None) -> None:
    """Print the JSON Schema of each record type (for editors and other validators)."""
    types = schema_mod.RECORD_TYPES if record_type == "all" else (record_type,)
    schemas = {t: schema_mod.json_schema(t) for t in types}
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for t, s in schemas.items():
            (out / f"{t}.schema.json").write_text(
                json.dumps(s, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
        click.echo(f"wrote {len(schemas)} schema file(s) to {out}")
        return
    payload = schemas[record_type] if record_type != "all" else schemas
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


@main.command()
@click.argument("root", default=".", type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    default="site_out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder, replaced as a whole when the build succeeds.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def build(root: Path, out_dir: Path, quiet: bool) -> None:
    """Check ROOT, then write the site and every export into OUT (atomically).

    Refuses (exit 1, nothing written) when the corpus has check errors. A failed or interrupted
    build leaves the previous output intact. The progress bar is off in CI and with --quiet.
    """
    from kgraph.build import STEP_NAMES, BuildRefused
    from kgraph.build import build as run_build

    show = not quiet and not os.environ.get("CI") and sys.stderr.isatty()
    try:
        if show:
            with click.progressbar(
                length=len(STEP_NAMES), label="building", file=sys.stderr
            ) as bar:
                result = run_build(root, out_dir, progress=lambda _name: bar.update(1))
        else:
            result = run_build(root, out_dir)
    except CorpusNotFound as err:
        raise RootError(str(err)) from err
    except BuildRefused as err:
        click.echo(render(err.report.findings, "text"), err=True)
        raise click.ClickException(str(err)) from err
    if not quiet:
        corpus = result.report.corpus
        click.echo(
            f"built {result.files} files into {out_dir} from {len(corpus.claims)} claims, "
            f"{len(corpus.sources)} sources, {len(corpus.entities)} entities "
            f"({result.report.warnings} warning(s))"
        )
