"""Time thidua against its references, interleaved, and print medians and ratios.

    python bench/run.py [--out bench/out] [--runs 7] [--startup-only]

Needs the data of bench/make_national.py and the `sqlite3` shell. Each figure runs the thidua
command and its reference in turn, `--runs` times each, in the same loop, so that both see the
same machine; the medians and their ratio are printed with the target, and written to
bench/out/results.md. Peak memory is the child's maximum resident set size. Beside the wall
time each figure also gives the ratio of CPU time (user + system of the child), which moves less
when other work shares the machine. Each pair runs once
untimed first (imports and backups excepted), and the children write and read their bytecode
under bench/out/pycache even where PYTHONDONTWRITEBYTECODE is set: an editable install would
otherwise compile thidua's modules again in every run (about 25 ms of `rank`), which no installed
thidua does.

The startup figures (`--help`, `rank` as a table and as CSV, `history`) are timed against a bare
`python -c pass` of the same interpreter; `--startup-only` times only those, on sample.db (made
here when bench/out has none), in a minute instead of several.

The awards of the whole country are timed against the floor: the plain aggregate of the year's
scores in the sqlite3 shell. They are timed twice, on national.db as built (no cluster has
submitted: every ranking is live) and on a copy in bench/out/work/ where every cluster of 2020
has submitted its year-end review (the records are read instead).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
CHILD_ENV: dict[str, str] = {}  # the environment of every timed command (set by main)


@dataclass
class Figure:
    name: str
    target: float
    thidua: list[float]
    reference: list[float]
    reference_name: str
    memory_mb: float | None = None
    thidua_cpu: list[float] | None = None
    reference_cpu: list[float] | None = None

    @property
    def ratio(self) -> float:
        return statistics.median(self.thidua) / statistics.median(self.reference)

    @property
    def cpu_ratio(self) -> float | None:
        if not self.thidua_cpu or not self.reference_cpu:
            return None
        return statistics.median(self.thidua_cpu) / statistics.median(self.reference_cpu)

    def line(self) -> str:
        verdict = "ok" if self.ratio <= self.target else "MISSED"
        memory = f", peak {self.memory_mb:.0f} MB" if self.memory_mb is not None else ""
        cpu = f"{self.cpu_ratio:.2f}x" if self.cpu_ratio is not None else ""
        return (
            f"| {self.name} | {statistics.median(self.thidua) * 1000:.0f} ms |"
            f" {self.reference_name}: {statistics.median(self.reference) * 1000:.0f} ms |"
            f" {self.ratio:.2f}x | ≤ {self.target}x | {verdict}{memory} | {cpu} |"
        )


LAST_CPU: list[float] = [0.0]  # the CPU time of the last run timed (user + system, seconds)


def timed(command: list[str], env: dict[str, str] | None = None, stdin=None) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MB of one run (which must succeed); its CPU time
    is left in LAST_CPU."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            env=env or CHILD_ENV or None,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            stdin=stdin,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        LAST_CPU[0] = usage.ru_utime + usage.ru_stime
        if status != 0:
            errors.seek(0)
            error = errors.read().decode(errors="replace")
            raise SystemExit(f"failed ({status}): {' '.join(command)}\n{error}")
    return elapsed, usage.ru_maxrss / 1024


def interleave(
    runs: int,
    first: Callable[[], tuple[float, float]],
    second: Callable[[], tuple[float, float]],
    *,
    warm: bool = True,
) -> tuple[list[float], list[float], float, list[float], list[float]]:
    """Both commands in turn, `runs` times: their wall times, the first's peak memory, and both
    CPU times."""
    if warm:  # once untimed: bytecode written, the file's pages in the OS cache
        first()
        second()
    a, b, memory, a_cpu, b_cpu = [], [], 0.0, [], []
    for _ in range(runs):
        t, m = first()
        a.append(t)
        a_cpu.append(LAST_CPU[0])
        memory = max(memory, m)
        b.append(second()[0])
        b_cpu.append(LAST_CPU[0])
    return a, b, memory, a_cpu, b_cpu


def thidua(*args: str) -> list[str]:
    return [str(BIN / "thidua"), *args]


def explain(database: Path, sql: str, params: tuple = ()) -> list[str]:
    conn = sqlite3.connect(database)
    try:
        return [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        conn.close()


YEAR = 2020  # the national figures' year
SUBMITTED_ON = "2021-01-15"

# The floor of `awards`: what every unit scored in the year, added up by SQLite alone.
AGGREGATE_SQL = (
    "SELECT cluster_id, unit_id, sum(points) FROM score"
    f" WHERE year = {YEAR} AND period = 'year' GROUP BY 1, 2"
)


def bring_up_to_date(database: Path) -> float:
    """Open the database once with thidua (which migrates it); seconds taken."""
    started = time.perf_counter()
    done = subprocess.run(
        thidua("cluster", "list", "--names", "--db", str(database)),
        capture_output=True,
        text=True,
        env=CHILD_ENV or None,
    )
    if done.returncode != 0:
        raise SystemExit(f"thidua could not open {database}:\n{done.stderr}")
    return time.perf_counter() - started


def copy_database(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    if Path(str(source) + "-wal").exists():
        shutil.copyfile(str(source) + "-wal", str(target) + "-wal")


def submit_every_cluster(database: Path, year: int) -> tuple[int, int]:
    """Submit the year-end review of every cluster with members in `year`, in one transaction,
    in-process with the use case `thidua submit` calls. A tie that decides an award is settled
    first as a conference would, by votes (distinct, for the units of that total), since a review
    with an unresolved tie cannot be submitted. Returns (clusters submitted, ties settled)."""
    from thidua_cli.app.ranking import live_ranking
    from thidua_cli.app.record import clusters_of_year
    from thidua_cli.app.session import writing
    from thidua_cli.app.submissions import submit
    from thidua_cli.store import scoring

    settled = 0
    with writing(database) as conn:
        clusters = clusters_of_year(conn, year)
        for cluster in clusters:
            ranking = live_ranking(conn, cluster, year, "year")
            for tie in ranking.unresolved_ties:
                equal = [row for row in ranking.rows if row.total == tie.total]
                for place, row in enumerate(equal):
                    voters = len(ranking.rows)
                    scoring.set_vote(conn, cluster.id, year, "year", row.unit_id, voters - place,
                                     voters)  # fmt: skip
                settled += 1
            submit(conn, cluster.name, year, "year", SUBMITTED_ON, None, None)
    return len(clusters), settled


def tally_sql(database: Path, year: int) -> str:
    """The pass that adds up one cluster-year's scores for `thidua rank` (store/scoring.py)."""
    from thidua_cli.store import scoring

    conn = sqlite3.connect(database)
    try:
        sets = set(scoring.criteria_sets_of_year(conn, year).values())
        sql, _inline = scoring._per_unit_sql(conn, sets)
    finally:
        conn.close()
    return sql + " AND s.cluster_id = ? GROUP BY s.cluster_id, s.unit_id"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--startup-only", action="store_true", help="only the startup figures")
    parser.add_argument(
        "--imports-only", action="store_true", help="time the score imports alone (import.db)"
    )
    args = parser.parse_args()
    out: Path = args.out
    runs: int = args.runs
    sqlite_shell = shutil.which("sqlite3")
    if sqlite_shell is None and not args.startup_only:
        raise SystemExit("the sqlite3 shell is needed (Debian: apt-get install sqlite3)")
    python = str(BIN / "python")
    CHILD_ENV.update(os.environ)
    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str((out / "pycache").resolve())
    sample = out / "sample.db"
    national = out / "national.db"
    province = out / "province.db"
    figures: list[Figure] = []

    def add(name: str, target: float, reference_name: str, result) -> None:
        a, b, memory, a_cpu, b_cpu = result
        figures.append(Figure(name, target, a, b, reference_name, memory, a_cpu, b_cpu))
        print(figures[-1].line(), file=sys.stderr)

    if args.startup_only and not sample.exists():
        out.mkdir(parents=True, exist_ok=True)
        from make_national import sample as make_sample

        make_sample(out)
    # Bring each database to this thidua's schema first (a migration is not what is measured).
    if args.startup_only:
        databases: tuple[Path, ...] = (sample,)
    elif args.imports_only:
        databases = (out / "import.db",)
    else:
        databases = (sample, national, province, out / "import.db")
    for database in databases:
        took = bring_up_to_date(database)
        print(f"{database.name}: opened (and brought up to date) in {took:.1f} s", file=sys.stderr)

    # 1. startup, against the bare interpreter, each pair in one loop
    bare = [python, "-c", "pass"]
    rank_sample = thidua("rank", "-c", "Cụm I", "-y", "2020", "--db", str(sample))
    if not args.imports_only:
        startup = [
            ("thidua --help", 6, thidua("--help")),
            ("thidua rank (sample, table)", 10, rank_sample),
            ("thidua rank (sample, csv)", 7, [*rank_sample, "-f", "csv"]),
            ("thidua history (sample, one unit)", 10,
             thidua("history", "-u", "Sở Tài chính", "--db", str(sample))),
        ]  # fmt: skip
        for name, target, command in startup:
            add(name, target, "python -c pass",
                interleave(runs, lambda c=command: timed(c), lambda: timed(bare)))  # fmt: skip
        if args.startup_only:
            write_results(out, figures, runs, {}, None)
            return

    # 2. score import of 1,000,000 rows against sqlite3's .import of the same file
    scores = out / "scores-1m.csv"
    work = out / "work"
    work.mkdir(exist_ok=True)

    def thidua_import() -> tuple[float, float]:
        target = work / "import.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copyfile(out / "import.db", target)
        return timed(thidua("score", "import", str(scores), "-c", "Cụm ĐTĐ", "-y", "2024",
                            "--db", str(target)))  # fmt: skip

    def sqlite_import() -> tuple[float, float]:
        target = work / "bare.db"
        target.unlink(missing_ok=True)
        return timed([sqlite_shell, str(target), f".import --csv {scores} score"])

    add("score import, 1,000,000 rows", 5, "sqlite3 .import",
        interleave(max(3, runs // 2), thidua_import, sqlite_import, warm=False))  # fmt: skip

    # 2b. the same file again with --replace, over its 1,000,000 stored scores: about what the
    # import into the empty cluster-year costs (before migration 15 it grew with the square)
    imported = work / "imported.db"
    copy_database(out / "import.db", imported)
    subprocess.run(
        thidua("score", "import", str(scores), "-c", "Cụm ĐTĐ", "-y", "2024",
               "--db", str(imported)),
        check=True, capture_output=True, env=CHILD_ENV,
    )  # fmt: skip
    subprocess.run([sqlite_shell, str(imported), "PRAGMA wal_checkpoint(TRUNCATE)"], check=True,
                   capture_output=True)  # fmt: skip

    def thidua_replace() -> tuple[float, float]:
        target = work / "replace.db"
        copy_database(imported, target)
        return timed(thidua("score", "import", str(scores), "-c", "Cụm ĐTĐ", "-y", "2024",
                            "--replace", "--db", str(target)))  # fmt: skip

    add("score import --replace, 1,000,000 rows over them", 1.5, "the import into none",
        interleave(max(3, runs // 2), thidua_replace, thidua_import, warm=False))  # fmt: skip
    if args.imports_only:
        lines = [f"Machine: {platform.node()}, {os.cpu_count()} cores, SQLite"
                 f" {sqlite3.sqlite_version}; medians of {max(3, runs // 2)} runs.", "",
                 "| figure | thidua | reference | ratio | target | |", "|---|---|---|---|---|---|",
                 *(f.line() for f in figures)]  # fmt: skip
        (out / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print("\n".join(lines))
        return

    # 3. national scale
    national_cluster = "Cụm thi đua số 1 - Tỉnh 01"
    rank_national = thidua("rank", "-c", national_cluster, "-y", str(YEAR), "--db", str(national))
    add("rank one cluster, national db", 1.1, "rank on the sample",
        interleave(runs, lambda: timed(rank_national), lambda: timed(rank_sample)))  # fmt: skip

    def awards_figure(name: str, database: Path) -> None:
        awards = thidua("awards", "-y", str(YEAR), "-f", "csv", "--allow-ties",
                        "--db", str(database))  # fmt: skip
        aggregate = [sqlite_shell, "-csv", str(database), AGGREGATE_SQL]
        add(name, 5, "plain aggregate in sqlite3",
            interleave(runs, lambda: timed(awards), lambda: timed(aggregate)))  # fmt: skip

    awards_figure(f"awards {YEAR}, whole country, csv, none submitted", national)
    submitted = work / "national-submitted.db"
    copy_database(national, submitted)
    started = time.perf_counter()
    clusters, ties = submit_every_cluster(submitted, YEAR)
    print(
        f"submitted the {YEAR} year-end review of {clusters} clusters in one transaction"
        f" ({ties} ties settled by votes first) in {time.perf_counter() - started:.1f} s"
        " (not a timed figure)",
        file=sys.stderr,
    )
    awards_figure(f"awards {YEAR}, whole country, csv, all submitted", submitted)
    report = thidua("report", "-y", "2024", "--db", str(province))
    rank_province = thidua(
        "rank", "-c", "Cụm thi đua số 1 - Tỉnh 01", "-y", "2024", "--db", str(province)
    )
    add("report --year, one province", 2, "rank on that province",
        interleave(runs, lambda: timed(report), lambda: timed(rank_province)))  # fmt: skip

    # 4. backup of the national database against cp
    copy = work / "copy.db"

    def backup() -> tuple[float, float]:
        copy.unlink(missing_ok=True)
        return timed(thidua("backup", str(copy), "--db", str(national)))

    def cp() -> tuple[float, float]:
        copy.unlink(missing_ok=True)
        return timed(["cp", str(national), str(copy)])

    add("backup, national db", 3, "cp", interleave(max(3, runs // 2), backup, cp, warm=False))

    # The ranking of one cluster-year must reach the scores through the index (SEARCH score
    # USING INDEX score_key (cluster_id=? AND year=? AND period=?)); a SCAN of score would read
    # the whole country.
    conn = sqlite3.connect(national)
    try:
        row = conn.execute("SELECT id FROM cluster WHERE name = ?", (national_cluster,)).fetchone()
    finally:
        conn.close()
    plans = {
        f"tally of one cluster-year (what `rank` runs; {national_cluster}, {YEAR})": explain(
            national, tally_sql(national, YEAR), (YEAR, "year", row[0] if row else 1)
        ),
        f"tally of a whole year (`awards` where no cluster has submitted; {YEAR})": explain(
            national,
            tally_sql(national, YEAR).replace(" AND s.cluster_id = ?", ""),
            (YEAR, "year"),
        ),
        "the awards reference, the plain aggregate": explain(national, AGGREGATE_SQL),
    }
    write_results(out, figures, runs, plans, national.stat().st_size / 1024 / 1024)


def write_results(
    out: Path, figures: list[Figure], runs: int, plans: dict[str, list[str]], size: float | None
) -> None:
    """The table of figures (and the query plans) on stdout and in bench/out/results.md."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    national = f" national.db {size:.0f} MB;" if size is not None else ""
    lines = [
        f"Machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version};{national}"
        f" medians of {runs} runs (imports and backups: fewer); load average at the end {load}.",
        "",
        "| figure | thidua | reference | ratio | target | | CPU ratio |",
        "|---|---|---|---|---|---|---|",
        *(f.line() for f in figures),
    ]
    if plans:
        lines += [
            "",
            "Query plans (EXPLAIN QUERY PLAN on national.db):",
            "",
            *(f"- {name}: {'; '.join(plan)}" for name, plan in plans.items()),
        ]
    (out / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
