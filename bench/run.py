"""Time thidua against its references, interleaved, and print medians and ratios.

    python bench/run.py [--out bench/out] [--runs 7]

Needs the data of bench/make_national.py and the `sqlite3` shell. Each figure runs the thidua
command and its reference in turn, `--runs` times each, in the same loop, so that both see the
same machine; the medians and their ratio are printed with the target, and written to
bench/out/results.md. Peak memory is the child's maximum resident set size.
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
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent


@dataclass
class Figure:
    name: str
    target: float
    thidua: list[float]
    reference: list[float]
    reference_name: str
    memory_mb: float | None = None

    @property
    def ratio(self) -> float:
        return statistics.median(self.thidua) / statistics.median(self.reference)

    def line(self) -> str:
        verdict = "ok" if self.ratio <= self.target else "MISSED"
        memory = f", peak {self.memory_mb:.0f} MB" if self.memory_mb is not None else ""
        return (
            f"| {self.name} | {statistics.median(self.thidua) * 1000:.0f} ms |"
            f" {self.reference_name}: {statistics.median(self.reference) * 1000:.0f} ms |"
            f" {self.ratio:.2f}x | ≤ {self.target}x | {verdict}{memory} |"
        )


def timed(command: list[str], env: dict[str, str] | None = None, stdin=None) -> tuple[float, float]:
    """Wall time in seconds and peak memory in MB of one run (which must succeed)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=stdin
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    error = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}\n{error}")
    return elapsed, usage.ru_maxrss / 1024


def interleave(
    runs: int, first: Callable[[], tuple[float, float]], second: Callable[[], tuple[float, float]]
) -> tuple[list[float], list[float], float]:
    a, b, memory = [], [], 0.0
    for _ in range(runs):
        t, m = first()
        a.append(t)
        memory = max(memory, m)
        b.append(second()[0])
    return a, b, memory


def thidua(*args: str) -> list[str]:
    return [str(BIN / "thidua"), *args]


def explain(database: Path, sql: str, params: tuple = ()) -> list[str]:
    conn = sqlite3.connect(database)
    try:
        return [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    finally:
        conn.close()


TABLES = {"membership", "score", "unit", "criterion", "vote", "flag", "policy", "cluster"}


def awards_sql(year: int) -> str:
    """The query `thidua awards` runs: every cluster's standing in the year, from the view."""
    from thidua_cli.store.scoring import STANDINGS_SQL

    return STANDINGS_SQL.replace("year = ?", f"year = {year}").replace(
        "period = ?", "period = 'year'"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    out: Path = args.out
    runs: int = args.runs
    sqlite_shell = shutil.which("sqlite3")
    if sqlite_shell is None:
        raise SystemExit("the sqlite3 shell is needed (Debian: apt-get install sqlite3)")
    python = str(BIN / "python")
    sample = out / "sample.db"
    national = out / "national.db"
    province = out / "province.db"
    figures: list[Figure] = []

    def add(name: str, target: float, reference_name: str, result) -> None:
        a, b, memory = result
        figures.append(Figure(name, target, a, b, reference_name, memory))
        print(figures[-1].line(), file=sys.stderr)

    # Bring each database to this thidua's schema first (a migration is not what is measured).
    for database in (sample, national, province, out / "import.db"):
        subprocess.run(thidua("cluster", "list", "--names", "--db", str(database)), check=False,
                       capture_output=True)  # fmt: skip
    bare = [python, "-c", "pass"]
    rank_sample = thidua("rank", "-c", "Cụm I", "-y", "2020", "--db", str(sample))
    add("thidua --help", 6, "python -c pass",
        interleave(runs, lambda: timed(thidua("--help")), lambda: timed(bare)))  # fmt: skip
    add("thidua rank (sample)", 7, "python -c pass",
        interleave(runs, lambda: timed(rank_sample), lambda: timed(bare)))  # fmt: skip

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

    add("score import, 1,000,000 rows", 3, "sqlite3 .import",
        interleave(max(3, runs // 2), thidua_import, sqlite_import))  # fmt: skip

    # 3. national scale
    national_cluster = "Cụm thi đua số 1 - Tỉnh 01"
    rank_national = thidua("rank", "-c", national_cluster, "-y", "2024", "--db", str(national))
    add("rank one cluster, national db", 1.2, "rank on the sample",
        interleave(runs, lambda: timed(rank_national), lambda: timed(rank_sample)))  # fmt: skip
    awards = thidua("awards", "-y", "2024", "-f", "csv", "--allow-ties", "--db", str(national))
    add("awards, whole country, csv", 2, "same SQL in sqlite3",
        interleave(runs, lambda: timed(awards),
                   lambda: timed([sqlite_shell, "-csv", str(national),
                                  awards_sql(2024)])))  # fmt: skip
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

    add("backup, national db", 3, "cp", interleave(max(3, runs // 2), backup, cp))

    from thidua_cli.store.scoring import STANDINGS_SQL

    # The ranking of one cluster-year must reach the tables through their indexes (SEARCH);
    # a SCAN of membership or score here would read the whole country.
    ranking_plan = explain(national, STANDINGS_SQL + " AND cluster_id = ?", (2024, "year", 1))
    plans = {
        "ranking view, one cluster-year (table accesses)": list(
            dict.fromkeys(
                step
                for step in ranking_plan
                if step.startswith("SEARCH")
                or (step.startswith("SCAN") and step.split()[1] in TABLES)
            )
        ),
        "scores of a cluster-year": explain(
            national,
            "SELECT unit_id, criterion_id, source, points, scorer_id FROM score"
            " WHERE cluster_id = ? AND year = ? AND period = ?",
            (1, 2024, "year"),
        ),
        "members of a cluster-year": explain(
            national,
            "SELECT u.id, u.name, m.role, u.short_name FROM membership m"
            " JOIN unit u ON u.id = m.unit_id WHERE m.cluster_id = ? AND m.year = ?",
            (1, 2024),
        ),
    }
    size = national.stat().st_size / 1024 / 1024
    lines = [
        f"Machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version};"
        f" national.db {size:.0f} MB; medians of {runs} runs (imports and backups: fewer).",
        "",
        "| figure | thidua | reference | ratio | target | |",
        "|---|---|---|---|---|---|",
        *(f.line() for f in figures),
        "",
        "Query plans (EXPLAIN QUERY PLAN on national.db):",
        "",
        *(f"- {name}: {'; '.join(plan)}" for name, plan in plans.items()),
    ]
    (out / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
