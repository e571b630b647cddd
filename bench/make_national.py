"""Build the benchmark data: a national-scale database and a 1,000,000-row scores file.

    python bench/make_national.py [--out bench/out] [--seed 2020] [--provinces 63]

Writes, deterministically from the seed:
- national.db: 63 provinces x 20 clusters x 10 units (12,600 units), 30 criteria, 20 years
  (2005-2024), 7,560,000 year-end scores, leaders and deputies rotating by the custom, a few
  flags and votes; built through thidua's own schema and import path (the store functions the
  commands use, the same staging and checks as `thidua score import`).
- import.db and scores-1m.csv: one cluster of 10,000 units and 100 criteria, no scores yet, and
  the long-format file of its 1,000,000 scores, for timing `thidua score import`.
- province.db: one province (20 clusters) built the same way, for the province report.
- sample.db: the bundled Lạng Sơn sample, for the startup and per-cluster timings.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from thidua_cli.app.sample import load_sample
from thidua_cli.output.criteria_file import parse_criteria
from thidua_cli.output.tabular import read_table
from thidua_cli.store import audit, db, registry, scoring

CLUSTERS_PER_PROVINCE = 20
UNITS_PER_CLUSTER = 10
CRITERIA = 30
YEARS = range(2005, 2025)


def criteria_file(folder: Path, count: int, name: str) -> Path:
    """`count` base criteria whose maxima add up to 100 points."""
    path = folder / name
    each, rest = divmod(10000, count)
    lines = ["code,group,name,max_points,kind"]
    for i in range(count):
        hundredths = each + (1 if i < rest else 0)
        lines.append(f"{i + 1}.1,Nhóm {i // 10 + 1},Tiêu chí {i + 1},{hundredths / 100},base")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def national(folder: Path, seed: int, provinces: int, name: str = "national.db") -> Path:
    path = folder / name
    fresh(path)
    rng = random.Random(seed)
    criteria = parse_criteria(read_table(criteria_file(folder, CRITERIA, "criteria-30.csv")))
    conn = db.connect(path, create=True)
    started = time.monotonic()
    with db.transaction(conn, path):
        audit.begin(conn, bulk=True)
        for year in YEARS:
            scoring.save_criteria(conn, None, year, criteria, replace=False)
        codes = {c.code: c.id for c in scoring.default_criteria(conn, YEARS[0]) or []}
        for p in range(provinces):
            province = f"Tỉnh {p + 1:02d}"
            for c in range(CLUSTERS_PER_PROVINCE):
                cluster_id = registry.add_cluster(
                    conn,
                    f"Cụm thi đua số {c + 1} - {province}",
                    f"Cụm {c + 1} {province}",
                    "cum",
                    [],
                )
                units = [
                    registry.add_unit(conn, f"Đơn vị {u + 1} - Cụm {c + 1} - {province}", None, [])
                    for u in range(UNITS_PER_CLUSTER)
                ]
                for y, year in enumerate(YEARS):
                    leader = units[y % len(units)]
                    deputy = units[(y + 1) % len(units)]
                    for unit_id in units:
                        role = {leader: "leader", deputy: "deputy"}.get(unit_id, "member")
                        registry.set_member(conn, cluster_id, year, unit_id, role)
                    set_codes = codes if year == YEARS[0] else None
                    ids = set_codes or {
                        c.code: c.id for c in scoring.default_criteria(conn, year) or []
                    }
                    rows = (
                        (0, unit_id, ids[code], "final", None, rng.randrange(0, 334))
                        for unit_id in units
                        for code in ids
                    )
                    duplicates, existing = scoring.import_scores(
                        conn, cluster_id, year, "year", rows
                    )
                    assert not duplicates and not existing
                    scoring.commit_import(conn, cluster_id, year, "year")
                    if rng.random() < 0.05:
                        scoring.add_flag(conn, rng.choice(units), year, "Chưa hoàn thành kế hoạch")
                    for unit_id in units[:3]:
                        scoring.set_vote(
                            conn, cluster_id, year, "year", unit_id, rng.randrange(0, 10), 10
                        )
            print(f"  {province}: {time.monotonic() - started:.0f} s", file=sys.stderr)
        audit.end(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return path


def import_fixture(folder: Path, seed: int) -> tuple[Path, Path]:
    path = folder / "import.db"
    fresh(path)
    rng = random.Random(seed)
    units, count = 10_000, 100
    criteria = parse_criteria(read_table(criteria_file(folder, count, "criteria-100.csv")))
    conn = db.connect(path, create=True)
    names = [f"Đơn vị thử {u + 1:05d}" for u in range(units)]
    with db.transaction(conn, path):
        audit.begin(conn, bulk=True)
        cluster_id = registry.add_cluster(conn, "Cụm thi đua đo tốc độ", "Cụm ĐTĐ", "cum", [])
        for name in names:
            unit_id = registry.add_unit(conn, name, None, [])
            registry.set_member(conn, cluster_id, 2024, unit_id, "member")
        scoring.save_criteria(conn, cluster_id, 2024, criteria, replace=False)
        audit.end(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    csv_path = folder / "scores-1m.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        f.write("unit,criterion,points\n")
        for name in names:
            for i in range(count):
                f.write(f"{name},{i + 1}.1,{rng.randrange(0, 101) / 100}\n")
    return path, csv_path


def sample(folder: Path) -> Path:
    path = folder / "sample.db"
    fresh(path)
    conn = db.connect(path, create=True)
    with db.transaction(conn, path):
        audit.begin(conn, bulk=True)
        load_sample(conn)
        audit.end(conn)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--provinces", type=int, default=63)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    print(f"sample: {sample(args.out)}", file=sys.stderr)
    database, scores = import_fixture(args.out, args.seed)
    print(f"import: {database}, {scores}", file=sys.stderr)
    print(f"province: {national(args.out, args.seed, 1, 'province.db')}", file=sys.stderr)
    if not args.skip_national:
        print(f"national: {national(args.out, args.seed, args.provinces)}", file=sys.stderr)
    print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
