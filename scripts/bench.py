#!/usr/bin/env python3
"""Benchmark `kgraph check` and `kgraph build` on generated corpora against same-run baselines.

For each size: the parse floor (PyYAML's C loader over the same files' bytes, on as many
processes as check), the
check-jsonschema baseline (the schemas from `kgraph schema`), `kgraph check` cold, a warm re-check
after editing one file (a new process with the load cache, and watch mode's session re-checking in
the process that checked cold), and `kgraph build`; each in its own process, best of --repeat.

Usage: scripts/bench.py [--sizes 1k,10k,100k] [--repeat N] [--no-build] [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FOLDERS = ("claims", "sources", "entities")
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
# Command lines are kept under this many bytes (the kernel's limit is 2 MB with the environment).
ARG_BYTES = 1_000_000


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds, the process and the children it waited for
    rss_mb: float  # peak resident memory of the largest process
    code: int
    timed_out: bool = False
    total_mb: float = 0.0  # peak of the memory of all its processes together (PSS, sampled)


@dataclass
class WatchRun:
    """Watch mode in one process: the session's cold check, then its re-check of one edit."""

    cold: float  # seconds
    recheck: float


def group_memory_mb(pgid: int) -> float:
    """The proportional set size of every process of a process group, added up (pages shared
    by forked workers counted once between them); 0 where /proc cannot tell."""
    total_kb = 0
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            with open(f"/proc/{entry}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        total_kb += int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue  # the process ended while it was read
    return total_kb / 1024


def measure(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 0) -> Run:
    """Run a command in its own process; its time and (via wait4) its own resource usage."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO,
        start_new_session=True,  # its own process group, so a timeout stops its workers too
    )
    peak_total, polls = 0.0, 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        polls += 1
        if polls % 5 == 0:  # every 0.1 s: reading /proc costs a little itself
            peak_total = max(peak_total, group_memory_mb(proc.pid))
        if timeout and time.perf_counter() - start > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, -9, True)
        time.sleep(0.02)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:3])} ... failed ({proc.returncode}):\n{stderr[-2000:]}")
    rss = usage.ru_maxrss / 1024
    return Run(wall, usage.ru_utime + usage.ru_stime, rss, proc.returncode, False, peak_total)


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.wall)


def record_files(root: Path) -> dict[str, list[str]]:
    return {
        folder: sorted(str(p) for p in (root / folder).iterdir() if p.suffix == ".yaml")
        for folder in FOLDERS
    }


def _parse_files(names: list[str]) -> int:
    """Parse each file's bytes with PyYAML's C loader (it decodes UTF-8 itself, in C)."""
    import yaml

    for name in names:
        with open(name, "rb") as fh:
            yaml.load(fh.read(), Loader=yaml.CSafeLoader)
    return len(names)


def floor(root: Path) -> None:
    """The floor: read each record file and parse its bytes with PyYAML's C loader, nothing
    more, on as many processes as `kgraph check` reads files with (`kgraph.corpus.load`)."""
    from kgraph.corpus.load import PARALLEL_THRESHOLD

    names = [name for files in record_files(root).values() for name in files]
    workers = (os.cpu_count() or 1) if len(names) >= PARALLEL_THRESHOLD else 1
    if workers <= 1:
        _parse_files(names)
        return
    from concurrent.futures import ProcessPoolExecutor

    # The same chunking as check: small chunks, so both cores stay busy to the end.
    size = max(1, min(500, len(names) // (workers * 8)))
    chunks = [names[i : i + size] for i in range(0, len(names), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        sum(pool.map(_parse_files, chunks))


def batches(files: list[str]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    size = 0
    for name in files:
        if size + len(name) + 1 > ARG_BYTES and out[-1]:
            out.append([])
            size = 0
        out[-1].append(name)
        size += len(name) + 1
    return out


def jsonschema_baseline(root: Path, schemas: Path) -> None:
    """check-jsonschema over the same files, one schema per record type, batched like xargs."""
    types = {"claims": "claim", "sources": "source", "entities": "entity"}
    failed = 0
    for folder, files in record_files(root).items():
        schema = schemas / f"{types[folder]}.schema.json"
        for batch in batches(files):
            cmd = [str(BIN / "check-jsonschema"), "--schemafile", str(schema), *batch]
            result = subprocess.run(cmd, capture_output=True)
            failed += result.returncode != 0
    sys.exit(1 if failed else 0)


def corpus(workdir: Path, n: int, seed: int) -> Path:
    root = workdir / f"corpus-{n}-seed{seed}"
    done = root / ".complete"
    if not done.exists():
        if root.exists():
            shutil.rmtree(root)
        from kgraph.generate import generate_corpus

        print(f"generating {n:,} claims into {root} ...", flush=True)
        generate_corpus(root, n, seed=seed)
        done.write_text("")
    return root


def watch_session(root: Path) -> None:
    """In this process, as `kgraph check --watch` runs: a session checks the corpus cold (no
    load cache), one file is edited, and the session re-checks it, told the path as the file
    watcher tells it. Prints the two times as JSON."""
    from kgraph.corpus.session import CheckSession

    session = CheckSession(root)
    started = time.perf_counter()
    first = session.start()
    cold = time.perf_counter() - started
    target, original = edit_one_file(root)
    try:
        started = time.perf_counter()
        run = session.refresh([target])
        recheck = time.perf_counter() - started
    finally:
        target.write_bytes(original)
    if run is None or run.files != 1 or run.report.findings != first.report.findings:
        sys.exit(f"the watch session did not re-check the edit of {target} as expected")
    print(json.dumps({"cold": cold, "recheck": recheck}))


def watch_figures(root: Path) -> WatchRun:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--watch-session", str(root)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    if out.returncode != 0:
        raise SystemExit(f"watch session failed ({out.returncode}):\n{out.stderr[-2000:]}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return WatchRun(figures["cold"], figures["recheck"])


def edit_one_file(root: Path) -> tuple[Path, bytes]:
    """Change one claim the way a curator would (its review status), keeping it valid."""
    target = sorted((root / "claims").iterdir())[len(os.listdir(root / "claims")) // 2]
    original = target.read_bytes()
    text = original.decode("utf-8")
    edited = text.replace("status: draft", "status: disputed", 1)
    if edited == text:
        # A reviewed claim: another reviewer's name, so that the review stays a current one.
        edited = text.replace("A. Reviewer", "B. Reviewer", 1)
    if edited == text:
        edited = text.replace("tags: [", "tags: [edited, ", 1)
    target.write_text(edited, encoding="utf-8")
    return target, original


def bench_size(n: int, args: argparse.Namespace, schemas: Path) -> dict[str, object]:
    root = corpus(args.workdir, n, args.seed)
    py = sys.executable
    me = str(Path(__file__).resolve())
    cache_dir = args.workdir / f"cache-{n}"
    env = {**os.environ, "KGRAPH_CACHE_DIR": str(cache_dir)}
    files = sum(len(v) for v in record_files(root).values())
    reps = args.repeat if n < 100_000 else 1
    row: dict[str, object] = {"claims": n, "files": files}
    kgraph = str(BIN / "kgraph")

    print(f"[{n:,}] parse floor, check, check-jsonschema ({reps}x each) ...", flush=True)
    floors, checks, schema_runs = [], [], []
    for _ in range(reps):
        # Interleaved, so that a busy moment on the machine touches all three alike.
        floors.append(measure([py, me, "--floor", str(root)]))
        checks.append(measure([kgraph, "check", str(root), "--no-cache"], env))
        if not args.no_jsonschema:
            schema_runs.append(measure([py, me, "--jsonschema", str(root), str(schemas)]))
    row["floor"], row["check"] = best(floors), best(checks)
    row["jsonschema"] = best(schema_runs) if schema_runs else None
    if any(r.code for r in (*checks, *schema_runs)):
        print(f"[{n:,}] warning: kgraph check or check-jsonschema reported errors", flush=True)

    print(f"[{n:,}] cached check: cold, then warm after editing one file ...", flush=True)
    colds, warms = [], []
    for _ in range(reps):
        shutil.rmtree(cache_dir, ignore_errors=True)
        colds.append(measure([kgraph, "check", str(root)], env))
        # A curator edits one file a little later (the cache trusts no file as new as itself).
        time.sleep(2.1)
        target, original = edit_one_file(root)
        try:
            warms.append(measure([kgraph, "check", str(root)], env))
        finally:
            target.write_bytes(original)
    row["check_cached_cold"], row["check_warm"] = best(colds), best(warms)

    print(f"[{n:,}] watch mode: a session's cold check, then its re-check of one edit ...")
    sessions = [watch_figures(root) for _ in range(reps)]
    # Best of each, as every other figure: the smallest cold check makes the ratio no smaller.
    row["watch"] = WatchRun(min(w.cold for w in sessions), min(w.recheck for w in sessions))

    row["build"] = None
    row["site"] = None
    if not args.no_build and n <= args.build_max:
        print(f"[{n:,}] build ...", flush=True)
        out = args.workdir / f"site-{n}"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [kgraph, "build", str(root), "--out", str(out), "-q"]
        row["build"] = measure(cmd, env, timeout=args.build_timeout)
        row["site"] = site_size(out)
        shutil.rmtree(out, ignore_errors=True)
    return row


def site_size(out: Path) -> dict[str, int]:
    """What a build wrote: files and bytes, all of it and the exports alone."""
    sizes = [(p, p.stat().st_size) for p in out.rglob("*") if p.is_file()]
    exports = out / "exports"
    return {
        "files": len(sizes),
        "bytes": sum(n for _, n in sizes),
        "export_bytes": sum(n for p, n in sizes if exports in p.parents),
    }


def site_text(site: object) -> str:
    if not isinstance(site, dict):
        return "not built"
    return (
        f"{site['bytes'] / 1e6:,.0f} MB in {site['files']:,} files "
        f"(exports {site['export_bytes'] / 1e6:,.0f} MB)"
    )


def ratio(a: Run | None, b: Run | None) -> str:
    return f"{a.wall / b.wall:.2f}x" if a and b and b.wall else "n/a"


def fmt(run: object) -> str:
    if not isinstance(run, Run):
        return "not run"
    if run.timed_out:
        return f"stopped after {run.wall:.0f} s"
    together = f" ({run.total_mb:.0f} MB together)" if run.total_mb > run.rss_mb * 1.05 else ""
    return f"{run.wall:.2f} s / {run.rss_mb:.0f} MB{together}"


def table(rows: list[dict[str, object]]) -> str:
    head = (
        "| claims | files | parse floor | check-jsonschema | kgraph check | check / floor "
        "| jsonschema / check | kgraph build | build / check | site written |\n|" + "---|" * 10
    )
    lines = [head]
    for r in rows:
        f, c, j, b = r["floor"], r["check"], r["jsonschema"], r["build"]
        assert isinstance(f, Run) and isinstance(c, Run)
        lines.append(
            f"| {r['claims']:,} | {r['files']:,} | {fmt(f)} | {fmt(j)} | {fmt(c)} "
            f"| {ratio(c, f)} | {ratio(j, c) if isinstance(j, Run) else 'n/a'} | {fmt(b)} "
            f"| {ratio(b, c) if isinstance(b, Run) else 'n/a'} | {site_text(r.get('site'))} |"
        )
    return "\n".join(lines)


def recheck_table(rows: list[dict[str, object]]) -> str:
    """Re-checking after editing one file: in a new process with the load cache, and in watch
    mode's session, each against the cold check it is compared with."""
    head = (
        "| claims | kgraph check (cold) | cached cold | warm re-check, new process "
        "| warm / cold | watch: session's cold check | watch: re-check | re-check / cold |\n|"
        + "---|"
        * 8
    )
    lines = [head]
    for r in rows:
        c, cold, warm, w = r["check"], r["check_cached_cold"], r["check_warm"], r["watch"]
        assert isinstance(c, Run) and isinstance(cold, Run) and isinstance(warm, Run)
        assert isinstance(w, WatchRun)
        lines.append(
            f"| {r['claims']:,} | {fmt(c)} | {fmt(cold)} | {fmt(warm)} | {ratio(warm, c)} "
            f"| {w.cold:.2f} s | {w.recheck:.3f} s | {w.recheck / w.cold:.3f}x |"
        )
    return "\n".join(lines)


def verdicts(rows: list[dict[str, object]]) -> list[str]:
    """Each target of issue 8 (and issue 2's), met or missed, from the figures above."""
    by_n = {int(str(r["claims"])): r for r in rows}
    out = []

    def line(ok: bool, text: str) -> None:
        out.append(f"- {'met' if ok else 'MISSED'}: {text}")

    for n, r in sorted(by_n.items()):
        f, c, j, b = r["floor"], r["check"], r["jsonschema"], r["build"]
        warm = r["check_warm"]
        assert isinstance(f, Run) and isinstance(c, Run) and isinstance(warm, Run)
        line(c.wall <= 1.5 * f.wall, f"{n:,}: check within 1.5x of the parse floor ({ratio(c, f)})")
        if n == 10_000:
            line(
                c.wall <= 2 * f.wall,
                f"10,000 (issue 2): check at most 2x the floor ({ratio(c, f)})",
            )
            w = r["watch"]
            assert isinstance(w, WatchRun)
            line(
                w.recheck < 0.1 * w.cold,
                f"10,000: re-check after a one-file edit under 10% of cold, in watch mode "
                f"({w.recheck / w.cold:.3f}x; a new process with the load cache: {ratio(warm, c)})",
            )
        if isinstance(j, Run):
            line(j.wall >= 5 * c.wall, f"{n:,}: 5x faster than check-jsonschema ({ratio(j, c)})")
        if isinstance(b, Run):
            at_least = "at least " if b.timed_out else ""
            line(
                b.wall <= 3 * c.wall and not b.timed_out,
                f"{n:,}: build within 3x of check ({at_least}{ratio(b, c)})",
            )
        site = r.get("site")
        limit = {10_000: 100e6, 100_000: 1e9}.get(n)
        if isinstance(site, dict) and limit:
            line(
                site["bytes"] <= limit,
                f"{n:,}: site at most {limit / 1e6:,.0f} MB, exports included "
                f"({site['bytes'] / 1e6:,.0f} MB)",
            )
        if n == 100_000:
            line(c.rss_mb < 2048, f"100,000: check peak memory under 2 GB ({c.rss_mb:.0f} MB)")
            if isinstance(b, Run) and not b.timed_out:
                line(
                    b.total_mb < 2048,
                    f"100,000: build peak memory under 2 GB, all processes together "
                    f"({b.total_mb:.0f} MB; largest process {b.rss_mb:.0f} MB)",
                )
    for step in ("check", "build"):
        for small, large in ((1_000, 10_000), (10_000, 100_000)):
            if small not in by_n or large not in by_n:
                continue
            a, z = by_n[small][step], by_n[large][step]
            if not isinstance(a, Run) or not isinstance(z, Run) or z.timed_out:
                continue
            growth = z.wall / a.wall
            line(
                growth <= 11 * large / small / 10,
                f"{step} grows linearly {small:,} -> {large:,}: x{growth:.1f} time, "
                f"x{z.rss_mb / a.rss_mb:.1f} memory for x{large // small} claims",
            )
    return out


def machine() -> str:
    cpus = os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.machine()}, {cpus} cores, Python "
        f"{platform.python_version()}; load average at the end {load:.1f}"
    )


def write(path: Path, report: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else f"{START}\n{END}\n"
    if START not in text or END not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{report}\n{END}{tail}", encoding="utf-8")


def sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        mult = 1_000 if part.endswith("k") else 1
        out.append(int(part.rstrip("k")) * mult)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, default=[1_000, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=REPO / "bench_out")
    parser.add_argument("--no-build", action="store_true", help="skip kgraph build")
    parser.add_argument("--build-max", type=int, default=100_000, help="largest size to build")
    parser.add_argument(
        "--build-timeout", type=float, default=1800, help="seconds before a build is stopped"
    )
    parser.add_argument("--no-jsonschema", action="store_true", help="skip check-jsonschema")
    parser.add_argument("--write", type=Path, help="put the results into this Markdown file")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--jsonschema", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--watch-session", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        return floor(args.floor)
    if args.watch_session:
        return watch_session(args.watch_session)
    if args.jsonschema:
        return jsonschema_baseline(*args.jsonschema)

    for tool in ("kgraph", *(() if args.no_jsonschema else ("check-jsonschema",))):
        if not (BIN / tool).exists():
            sys.exit(f"error: {BIN / tool} is missing; run scripts/setup.sh --test first")
    args.workdir.mkdir(parents=True, exist_ok=True)
    schemas = args.workdir / "schemas"
    subprocess.run([str(BIN / "kgraph"), "schema", "--out", str(schemas)], check=True, cwd=REPO)
    rows = [bench_size(n, args, schemas) for n in args.sizes]
    command = "scripts/bench.py " + " ".join(sys.argv[1:])
    report = "\n".join(
        [
            f"Measured with `.venv/bin/python {command.strip()}` on {machine()}.",
            "Each figure is wall time / peak resident memory of the largest process (and, where "
            "it runs several, of all its processes together, sampled), best of "
            f"{args.repeat} (one run at 100k), each in its own process.",
            "",
            table(rows),
            "",
            "Re-checking after editing one file: `kgraph check` again in a new process with the "
            "load cache (against the cold check above), and watch mode's session (`kgraph check "
            "--watch`) re-checking in the process that checked cold, told the edited path as its "
            "file watcher tells it (against that session's own cold check).",
            "",
            recheck_table(rows),
            "",
            *verdicts(rows),
        ]
    )
    print()
    print(report)
    if args.write:
        write(args.write, report)
        print(f"\nwrote {args.write}")
    figures = [
        {k: (asdict(v) if isinstance(v, Run | WatchRun) else v) for k, v in r.items()} for r in rows
    ]
    (args.workdir / "bench.json").write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
