"""The bundled Lạng Sơn sample: plain CSV files under data/sample/, loaded through the store;
the four year-end reviews of 2020 are then submitted as their clusters would.

The files reproduce the facts of the five conference reports in shared/seeds (2017 and 2020);
each row names the article it comes from. The placings the articles report are loaded as
reported facts; the 2020 scores, which no article gives, are marked illustrative, so that every
output that prints a total or a rank computed from them says so. See data/sample/README.md.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from thidua_cli.output.criteria_file import parse_criteria
from thidua_cli.output.tabular import read_table
from thidua_cli.points import parse_points
from thidua_cli.rules.text import nfc
from thidua_cli.store import facts, registry, scoring, settings

# What the outputs print beside the sample's totals and ranks (the sample's data is Vietnamese).
ILLUSTRATIVE_NOTE = (
    "các bài báo cáo không nêu điểm số; điểm được đặt ra cho khớp với thứ hạng các bài báo nêu"
)


def data_dir() -> Path:
    """data/ inside the installed package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "data", package.parent.parent / "data"):
        if (candidate / "sample").is_dir():
            return candidate
    raise FileNotFoundError("thidua's data folder is missing from this installation")


def _rows(name: str) -> list[dict[str, str]]:
    with (data_dir() / "sample" / name).open(encoding="utf-8", newline="") as f:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(f)]


def _split(cell: str) -> list[str]:
    return [part for part in (p.strip() for p in cell.split("|")) if part]


def holds_sample(conn: sqlite3.Connection) -> bool:
    """Whether the database holds exactly the sample's clusters and units (loaded before)."""
    clusters = {c.name for c in registry.clusters(conn)}
    units = {u.name for u in registry.units(conn)}
    return clusters == {r["name"] for r in _rows("clusters.csv")} and units == {
        r["name"] for r in _rows("units.csv")
    }


def load_sample(conn: sqlite3.Connection) -> dict[str, int]:
    """Load the sample into an empty database, inside the caller's transaction."""
    clusters = {}
    for row in _rows("clusters.csv"):
        clusters[row["name"]] = registry.add_cluster(
            conn, row["name"], row["code"] or None, row["kind"], _split(row["aliases"])
        )
    units = {}
    for row in _rows("units.csv"):
        units[row["name"]] = registry.add_unit(
            conn, row["name"], row["short_name"] or None, _split(row["aliases"])
        )
    for row in _rows("memberships.csv"):
        registry.set_member(
            conn, clusters[row["cluster"]], int(row["year"]), units[row["unit"]], row["role"]
        )
    for row in _rows("conferences.csv"):
        key = (clusters[row["cluster"]], int(row["year"]), row["period"])
        registry.set_conference(
            conn,
            *key,
            row["date"] or None,
            row["place"] or None,
            units[row["chair_unit"]] if row["chair_unit"] else None,
            row["chair_name"] or None,
        )
        registry.set_guests(conn, *key, _split(row["guests"]))
    # the next year's covenants the articles report signed at the 2020 conferences
    for row in _rows("covenants.csv"):
        registry.sign_covenant(
            conn, clusters[row["cluster"]], int(row["year"]), row["date"], row["note"] or None
        )
    # what the articles report: the places (and the awards proposed, where they say)
    for row in _rows("placings.csv"):
        key = (clusters[row["cluster"]], int(row["year"]), "year")
        facts.add_reported_placing(
            conn,
            key,
            units[row["unit"]],
            int(row["place"]),
            row["award_reported"] or None,
            row["source"],
        )
    settings.set_setting(conn, "province", "Lạng Sơn")
    # The articles give no scores. The 2020 scores below are illustrative, made up to agree with
    # the placings the articles report; the criteria are thidua's 100-point template.
    template = parse_criteria(read_table(data_dir() / "criteria-template.csv"))
    scoring.save_criteria(conn, None, 2020, template, replace=False)
    codes = {c.code: c for c in scoring.default_criteria(conn, 2020) or []}
    illustrative: set[int] = set()
    for row in _rows("scores-2020-illustrative.csv"):
        criterion = codes[row["criterion"]]
        key = (
            clusters[row["cluster"]],
            2020,
            "year",
            units[row["unit"]],
            criterion.id,
            "final",
            None,
        )
        scoring.set_score(conn, key, parse_points(row["points"]))
        illustrative.add(key[0])
    # every total and rank computed from these scores is marked as illustrative
    for cluster_id in sorted(illustrative):
        facts.set_illustrative(conn, (cluster_id, 2020, "year"), ILLUSTRATIVE_NOTE)
    # The four year-end reviews of 2020 were held in January 2021: their files are submitted
    # (and so locked), dated as the conferences.
    from thidua_cli.app.submissions import submit

    for row in _rows("conferences.csv"):
        if row["period"] == "year" and row["year"] == "2020":
            submit(conn, row["cluster"], 2020, "year", row["date"], None, None)
    return {"clusters": len(clusters), "units": len(units)}
