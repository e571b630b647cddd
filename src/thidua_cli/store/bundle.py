"""The database, or one cluster-year, as a readable JSON bundle, and merging one back in.

A bundle names everything by name (units, clusters, criteria codes), never by row id, so that a
cluster secretariat's year can be merged into the provincial Board's database. Points are
written as numbers of points (95.5), read back exactly as hundredths.

Merging is all or nothing: it runs inside the caller's transaction and raises before the commit
when anything is wrong. What a bundle brings in obeys the rules the commands obey, from the same
functions (rules/): names (rules.text.checked_name), years and dates (rules.dates), the
covenant's date (rules.membership), the province's decisions (rules.decisions); a value of the
wrong JSON type (a number or a list for a name, "no" for false) is refused, never turned into
text. This is the one place the store calls rules: the bundle is a door like the commands.

Rows equal to what is stored are skipped; rows that contradict it are
conflicts, refused unless `on_conflict` says to keep ours ("keep") or take the bundle's
("replace").
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from thidua_cli import __version__
from thidua_cli.errors import InvalidInput, ThiduaError
from thidua_cli.i18n import _
from thidua_cli.models import POLICY_FIELDS, CouncilVote, Submission
from thidua_cli.points import PointsError, parse_points, to_number
from thidua_cli.rules.dates import checked_date, checked_year
from thidua_cli.rules.decisions import (
    check_decision,
    check_decision_dates,
    check_revocation_date,
    decision_number,
)
from thidua_cli.rules.membership import check_covenant_date
from thidua_cli.rules.numbers import MAX_POINTS, digits_value
from thidua_cli.rules.text import checked_name, clipped, fold_key, json_text, nfc
from thidua_cli.store import facts, locks, records, registry, scoring
from thidua_cli.store.settings import DEFAULTS as SETTING_KEYS

FORMAT = "thidua-bundle"
# 2: submissions with their rows; decisions bound to them; quotas named for awards. Later keys
# are optional, so that a bundle written before them still reads: the ballots issued, the
# ratings, and what a submission keeps of them and of its rules; the Board's reviews, the
# Council's votes and the central level's decisions; who chaired a conference, who kept its
# minutes, who was present and its guests; who signs a cluster-year's papers (signers); the
# placings a source reports and the reviews whose scores are illustrative.
VERSION = 2
# version 1 named the quotas merit_quota, merit_percent and flag_quota
OLD_POLICY_NAMES = {
    "merit_quota": "bang_khen_quota",
    "merit_percent": "bang_khen_percent",
    "flag_quota": "co_thi_dua_quota",
}
_ROW_FIELDS = (
    "position", "rank", "tied", "base", "bonus", "deduction", "scored", "missing", "votes",
    "voters", "flags", "eligible", "decided_by", "award", "pending_awards",
)  # fmt: skip
# what a submission's rows gained since (optional keys), and their value when a bundle lacks them
_ROW_EXTRA = {"issued": None, "rating": None, "barred": {}}
_JSON_FIELDS = ("flags", "decided_by", "pending_awards", "barred")
# the rules a submission was ranked under (optional keys), and their value when a bundle lacks them
_SUBMISSION_RULES = {
    "vote_threshold": None, "vote_threshold_rule": "at-least", "vote_gates": "co_thi_dua",
    "min_rating_co_thi_dua": None, "min_rating_bang_khen": None,
}  # fmt: skip
_POINT_FIELDS = ("base", "bonus", "deduction")


# ---------------------------------------------------------------- export


def export_bundle(
    conn: sqlite3.Connection, cluster_id: int | None = None, year: int | None = None
) -> dict[str, Any]:
    """Everything (no scope), one year, or one cluster-year, as plain data."""

    def scoped(alias: str = "") -> tuple[str, list[Any]]:
        prefix = f"{alias}." if alias else ""
        where, params = [], []
        if cluster_id is not None:
            where.append(f"{prefix}cluster_id = ?")
            params.append(cluster_id)
        if year is not None:
            where.append(f"{prefix}year = ?")
            params.append(year)
        return (" WHERE " + " AND ".join(where) if where else ""), params

    cluster_names = dict(conn.execute("SELECT id, name FROM cluster"))
    unit_names = dict(conn.execute("SELECT id, name FROM unit"))
    where, params = scoped()
    memberships = [
        {"cluster": cluster_names[c], "year": y, "unit": unit_names[u], "role": r}
        for c, y, u, r in conn.execute(
            f"SELECT cluster_id, year, unit_id, role FROM membership{where}"
            " ORDER BY year, cluster_id, unit_id",
            params,
        )
    ]
    member_keys = {(m["unit"], m["year"]) for m in memberships}
    scores = []
    used_units = {m["unit"] for m in memberships}
    criteria_codes = dict(conn.execute("SELECT id, code FROM criterion"))
    for c, y, p, u, crit, source, scorer, points, evidence in conn.execute(
        f"SELECT cluster_id, year, period, unit_id, criterion_id, source, scorer_id, points,"
        f" evidence FROM score{where}"
        f" ORDER BY year, cluster_id, unit_id, criterion_id, source, scorer_id",
        params,
    ):
        score: dict[str, Any] = {
            "cluster": cluster_names[c],
            "year": y,
            "period": p,
            "unit": unit_names[u],
            "criterion": criteria_codes[crit],
            "source": source,
            "scorer": unit_names[scorer] if scorer else None,
            "points": to_number(points),
        }
        if evidence is not None:  # the unit's explanation, kept only where there is one
            score["evidence"] = evidence
        scores.append(score)
        if scorer:
            used_units.add(unit_names[scorer])
    votes = [
        {"cluster": cluster_names[c], "year": y, "period": p, "unit": unit_names[u],
         "votes": v, "voters": n, "issued": k}
        for c, y, p, u, v, n, k in conn.execute(
            f"SELECT cluster_id, year, period, unit_id, votes, voters, issued FROM vote{where}"
            " ORDER BY year, cluster_id, unit_id",
            params,
        )
    ]  # fmt: skip
    whole = cluster_id is None and year is None
    flags = [
        {"unit": unit_names[u], "year": y, "reason": r}
        for u, y, r in conn.execute("SELECT unit_id, year, reason FROM flag ORDER BY year, id")
        if whole or (unit_names[u], y) in member_keys
    ]
    ratings = [
        {"unit": unit_names[u], "year": y, "rating": r}
        for u, y, r in conn.execute(
            "SELECT unit_id, year, rating FROM rating ORDER BY year, unit_id"
        )
        if whole or (unit_names[u], y) in member_keys
    ]
    submissions, decisions, council_votes = _records(
        conn, cluster_names, unit_names, cluster_id, year
    )
    central_decisions = [
        {"unit": unit_names[d.unit_id], "year": d.year, "award": d.award, "number": d.number,
         "date": d.decided_on}
        for d in records.central_decisions(conn, year=year)
        if whole or (unit_names[d.unit_id], d.year) in member_keys
    ]  # fmt: skip
    clusters_used = set(cluster_names.values()) if whole else {m["cluster"] for m in memberships}
    units_used = set(unit_names.values()) if whole else used_units
    criteria_sets = []
    for set_id, set_year, set_cluster in conn.execute(
        "SELECT id, year, cluster_id FROM criteria_set ORDER BY year, cluster_id"
    ):
        if not whole:
            if year is not None and set_year != year:
                continue
            if set_cluster is not None and cluster_names[set_cluster] not in clusters_used:
                continue
        criteria_sets.append(
            {
                "cluster": cluster_names[set_cluster] if set_cluster else None,
                "year": set_year,
                "criteria": [
                    {
                        "code": code,
                        "group": grp,
                        "name": name,
                        "max_points": to_number(max_points),
                        "kind": kind,
                    }
                    for code, grp, name, max_points, kind in conn.execute(
                        "SELECT code, grp, name, max_points, kind FROM criterion"
                        " WHERE set_id = ? ORDER BY position, id",
                        (set_id,),
                    )
                ],
            }
        )
    policies = [
        {"cluster": cluster_names[c] if c else None, "year": y,
         **dict(zip(POLICY_FIELDS, rest, strict=True))}
        for c, y, *rest in conn.execute(
            f"SELECT cluster_id, year, {', '.join(POLICY_FIELDS)} FROM policy"
            " ORDER BY year, cluster_id"
        )
        if whole
        or ((year is None or y == year) and (c is None or cluster_names[c] in clusters_used))
    ]  # fmt: skip
    present: dict[tuple[int, int, str], list[str]] = {}
    for c, y, p, u in conn.execute(
        f"SELECT cluster_id, year, period, unit_id FROM conference_attendance{where}"
        " ORDER BY unit_id",
        params,
    ):
        present.setdefault((c, y, p), []).append(unit_names[u])
    guests: dict[tuple[int, int, str], list[str]] = {}
    for c, y, p, name in conn.execute(
        f"SELECT cluster_id, year, period, name FROM conference_guest{where} ORDER BY position",
        params,
    ):
        guests.setdefault((c, y, p), []).append(name)
    conferences = [
        {"cluster": cluster_names[c], "year": y, "period": p, "date": d, "place": pl,
         "chair_unit": unit_names[cu] if cu else None, "chair_name": ch, "secretary": sec,
         "present": present.get((c, y, p)), "guests": guests.get((c, y, p), [])}
        for c, y, p, d, pl, cu, ch, sec in conn.execute(
            "SELECT cluster_id, year, period, held_on, place, chair_unit_id, chair_name, secretary"
            f" FROM conference{where}",
            params,
        )
    ]  # fmt: skip
    covenants = [
        {"cluster": cluster_names[c], "year": y, "date": d, "note": n}
        for c, y, d, n in conn.execute(
            f"SELECT cluster_id, year, signed_on, note FROM covenant{where}", params
        )
    ]
    signers = [
        {"cluster": cluster_names[c], "year": y, "name": n, "role": r}
        for c, y, n, r in conn.execute(
            f"SELECT cluster_id, year, name, role FROM cluster_signer{where}"
            " ORDER BY year, cluster_id",
            params,
        )
    ]
    locks = [
        {"cluster": cluster_names[c], "year": y}
        for c, y in conn.execute(f"SELECT cluster_id, year FROM cluster_lock{where}", params)
    ]
    # in an order of names, not of row ids, so that two databases export the same list
    reported_placings = sorted(
        (
            {"cluster": cluster_names[c], "year": y, "period": p, "unit": placing.unit,
             "place": placing.place, "award": placing.award, "source": placing.source}
            for (c, y, p), found in facts.reported_placings(
                conn, cluster_id=cluster_id, year=year
            ).items()
            for placing in found
        ),
        key=lambda r: (r["year"], r["cluster"], r["period"], r["place"], r["unit"]),
    )  # fmt: skip
    illustrative_scores = sorted(
        (
            {"cluster": cluster_names[c], "year": y, "period": p, "note": note}
            for (c, y, p), note in facts.illustrative_notes(
                conn, cluster_id=cluster_id, year=year
            ).items()
        ),
        key=lambda r: (r["year"], r["cluster"], r["period"]),
    )
    units = [
        {"name": u.name, "short_name": u.short_name, "aliases": list(u.aliases)}
        for u in registry.units(conn)
        if u.name in units_used
    ]
    clusters = [
        {"name": c.name, "code": c.code, "kind": c.kind, "aliases": list(c.aliases)}
        for c in registry.clusters(conn)
        if c.name in clusters_used
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_by": f"thidua {__version__}",
        "exported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scope": {
            "cluster": cluster_names[cluster_id] if cluster_id is not None else None,
            "year": year,
        },
        "settings": dict(conn.execute("SELECT key, value FROM setting")) if whole else {},
        "units": units,
        "clusters": clusters,
        "memberships": memberships,
        "conferences": conferences,
        "covenants": covenants,
        "signers": signers,
        "criteria_sets": criteria_sets,
        "scores": scores,
        "votes": votes,
        "flags": flags,
        "ratings": ratings,
        "policies": policies,
        "submissions": submissions,
        "decisions": decisions,
        "council_votes": council_votes,
        "central_decisions": central_decisions,
        "locks": locks,
        "reported_placings": reported_placings,
        "illustrative_scores": illustrative_scores,
    }


def _records(
    conn: sqlite3.Connection,
    cluster_names: dict[int, str],
    unit_names: dict[int, str],
    cluster_id: int | None,
    year: int | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The submissions in scope, every version with its rows and the Board's review, the
    decisions on them, and the Council's votes."""
    chosen = records.submissions(conn, cluster_id=cluster_id, year=year)
    rows = records.rows_of(conn, [s.id for s in chosen])
    reviews = records.reviews_of(conn, [s.id for s in chosen])
    submissions = []
    for s in chosen:
        submissions.append(
            {
                "cluster": cluster_names[s.cluster_id],
                "year": s.year,
                "period": s.period,
                "version": s.version,
                "date": s.submitted_on,
                "number": s.number,
                "members": s.members,
                "co_thi_dua_quota": s.co_thi_dua_quota,
                "bang_khen_quota": s.bang_khen_quota,
                "tie_break": ",".join(s.tie_break) or "none",
                "score_rule": ",".join(s.score_rule),
                "status": s.status,
                "withdrawn_reason": s.withdrawn_reason,
                "withdrawn_at": s.withdrawn_at,
                "origin": s.origin,
                "vote_threshold": s.rules.vote_threshold,
                "vote_threshold_rule": s.rules.vote_threshold_rule,
                "vote_gates": ",".join(s.rules.vote_gates),
                "min_rating_co_thi_dua": s.rules.min_rating_for("co_thi_dua"),
                "min_rating_bang_khen": s.rules.min_rating_for("bang_khen"),
                "review": (
                    {"action": r.action, "date": r.reviewed_on, "reason": r.reason}
                    if (r := reviews.get(s.id))
                    else None
                ),
                "rows": [
                    {
                        "unit": unit_names[r.unit_id],
                        "position": position,
                        "rank": r.rank,
                        "tied": r.tied,
                        "base": to_number(r.base),
                        "bonus": to_number(r.bonus),
                        "deduction": to_number(r.deduction),
                        "scored": r.scored,
                        "missing": r.missing,
                        "votes": r.votes,
                        "voters": r.voters,
                        "flags": r.flags,
                        "eligible": r.eligible,
                        "decided_by": list(r.steps),
                        "award": r.award_code,
                        "pending_awards": r.pending_awards,
                        "issued": r.issued,
                        "rating": r.rating,
                        "barred": r.barred,
                    }
                    for position, r in enumerate(rows[s.id], start=1)
                ],
            }
        )
    by_id = {s.id: s for s in chosen}
    decisions = [
        {
            "cluster": cluster_names[by_id[d.submission_id].cluster_id],
            "year": d.year,
            "version": d.version,
            "unit": unit_names[d.unit_id],
            "award": d.award,
            "granted": d.granted,
            "number": d.number,
            "date": d.decided_on,
            "revoked": (
                {
                    "number": d.revocation.number,
                    "date": d.revocation.decided_on,
                    "reason": d.revocation.reason,
                }
                if d.revocation
                else None
            ),
        }
        for s in chosen
        for d in records.decisions_of(conn, s.id)
    ]
    votes = records.council_votes_of(conn, [s.id for s in chosen])
    council_votes = [
        {"cluster": cluster_names[s.cluster_id], "year": s.year, "version": s.version,
         "unit": unit_names[v.unit_id], "award": v.award, "agree": v.agree,
         "members": v.members, "date": v.voted_on}
        for s in chosen
        for v in votes.get(s.id, [])
    ]  # fmt: skip
    return submissions, decisions, council_votes


# ---------------------------------------------------------------- import


class _Merge:
    """The state of one merge: the name -> id maps, what happened, what is wrong."""

    def __init__(self, conn: sqlite3.Connection, on_conflict: str, carry: bool = False) -> None:
        self.conn = conn
        self.on_conflict = on_conflict
        self.carry = carry  # move stored scores a new criteria set would leave uncounted
        self.problems: list[str] = []
        self.conflicts: list[str] = []
        self.counts: Counter[str] = Counter()
        self.units: dict[str, int] = {}
        self.clusters: dict[str, int] = {}
        self.locked = {(c, y) for c, y in conn.execute("SELECT cluster_id, year FROM cluster_lock")}

    def conflict(self, text: str) -> bool:
        """Note a conflict; True when the bundle's value is to be written."""
        self.counts["conflicts"] += 1
        if self.on_conflict == "refuse":
            self.conflicts.append(text)
            return False
        return self.on_conflict == "replace"

    def settle(self, stored: Any, theirs: Any, message: str, /, **values: Any) -> bool:
        """Whether to write the bundle's value over what is stored (None or empty: nothing).

        `message` and `values` word the conflict; they are put together only when there is one.
        """
        if stored == theirs:
            self.counts["same"] += 1
            return False
        return not stored or self.conflict(message.format(**values))

    def writable(self, cluster_id: int, year: int, what: str) -> bool:
        if (cluster_id, year) in self.locked:
            self.problems.append(
                _("{what}: the cluster-year is locked here; unlock it first.").format(what=what)
            )
            return False
        return True


def _need(item: Any, keys: Iterable[str], section: str, index: int) -> dict[str, Any]:
    keys = list(keys)
    if not isinstance(item, dict) or any(k not in item for k in keys):
        raise InvalidInput(
            _("The bundle's {section} #{number} lacks {keys}.").format(
                section=section, number=index + 1, keys=", ".join(keys)
            )
        )
    if "year" in keys:
        try:
            checked_year(item["year"])
        except ThiduaError as exc:
            raise InvalidInput(
                _("The bundle's {section} #{number}: {problem}").format(
                    section=section, number=index + 1, problem=exc.message
                )
            ) from None
    return item


_REFUSED: Any = object()  # what `_ruled` gives back for a value a rule refused


def _ruled(merge: _Merge, where: str, rule: Any, *args: Any) -> Any:
    """What `rule` makes of `args` (a rule of rules/, the one the commands use), or _REFUSED after
    noting why it refuses them."""
    try:
        return rule(*args)
    except ThiduaError as exc:
        merge.problems.append(f"{where}: {exc.message}")
        return _REFUSED


def _is_text(value: Any) -> bool:
    """A free text of the bundle (a note, a place, a reason): text, or absent."""
    return value is None or isinstance(value, str)


def _not_text(merge: _Merge, where: str, value: Any) -> None:
    merge.problems.append(
        _("{where}: {value} is not text.").format(where=where, value=json_text(value))
    )


def _flag(merge: _Merge, where: str, key: str, value: Any) -> bool | None:
    """A yes or no of the bundle: JSON true or false, nothing else ("no" is not false)."""
    if isinstance(value, bool):
        return value
    merge.problems.append(
        _("{where}: “{key}” is true or false, not {value}.").format(
            where=where, key=key, value=json_text(value)
        )
    )
    return None


def _count(value: Any, *, optional: bool = False) -> bool:
    """A number of votes or members: a whole number (or, when `optional`, absent)."""
    if value is None:
        return optional
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _find(conn: sqlite3.Connection, names: Iterable[str], table: str) -> int | None:
    """The unit or cluster one of `names` names exactly (folded), if one does."""
    for name in names:
        found = registry.exact_ids(conn, table, name) if name else []
        if len(found) == 1:
            return found[0]
    return None


def _names_of(
    item: dict[str, Any], aliases: list[Any], second_key: str
) -> tuple[str, list[str], str | None]:
    """A unit's or cluster's name, other names and short name (or code), each by the one rule
    for names."""
    second = item.get(second_key)
    return (
        checked_name(item["name"]),
        [checked_name(a) for a in aliases],
        checked_name(second) if second is not None and second != "" else None,
    )


def _entities(merge: _Merge, items: list[Any], table: str) -> None:
    conn = merge.conn
    target = merge.units if table == "unit" else merge.clusters
    second_key = "short_name" if table == "unit" else "code"
    for i, item in enumerate(items):
        item = _need(item, ["name"], f"{table}s", i)
        where = _("the bundle's {section} #{number}").format(section=f"{table}s", number=i + 1)
        given_aliases = item.get("aliases") or []
        if not isinstance(given_aliases, list):  # "abc" is not the aliases a, b and c
            merge.problems.append(
                _("{where}: “aliases” is a list of names, not {value}.").format(
                    where=where, value=json_text(given_aliases)
                )
            )
            continue
        kind = item.get("kind") or "cum"
        if table == "cluster" and kind not in ("cum", "khoi"):
            merge.problems.append(
                _("{where}: the kind is cum or khoi, not {value}.").format(
                    where=where, value=json_text(kind)
                )
            )
            continue
        named = _ruled(merge, where, _names_of, item, given_aliases, second_key)
        if named is _REFUSED:
            continue
        name, aliases, second = named
        found = _find(conn, [name, *aliases], table)
        if found is None:
            try:
                if table == "unit":
                    found = registry.add_unit(conn, name, second, aliases)
                else:
                    found = registry.add_cluster(conn, name, second, kind, aliases)
            except ThiduaError as exc:
                # "Nothing was added:" is said once, for the whole bundle; the reasons are kept
                merge.problems.extend(
                    [f"{where}: {d}" for d in exc.details] or [f"{where}: {exc.message}"]
                )
                continue
            merge.counts[f"new_{table}s"] += 1
        target[name] = found
        for alias in aliases:
            target.setdefault(alias, found)


def _unit(merge: _Merge, name: Any, where: str) -> int | None:
    found = merge.units.get(nfc(str(name))) if name is not None else None
    if found is None and name is not None:
        found = _find(merge.conn, [nfc(str(name))], "unit")
    if found is None:
        merge.problems.append(_("{where}: unknown unit “{name}”.").format(where=where, name=name))
    return found


def _cluster(merge: _Merge, name: Any, where: str) -> int | None:
    found = merge.clusters.get(nfc(str(name))) if name is not None else None
    if found is None and name is not None:
        found = _find(merge.conn, [nfc(str(name))], "cluster")
    if found is None:
        merge.problems.append(
            _("{where}: unknown cluster “{name}”.").format(where=where, name=name)
        )
    return found


def _points(merge: _Merge, value: Any, where: str) -> int | None:
    try:
        return parse_points(repr(value) if isinstance(value, float) else value)
    except PointsError:
        merge.problems.append(_("{where}: “{value}” is not a number of points.").format(
            where=where, value=value
        ))  # fmt: skip
        return None


# ---------------------------------------------------------------- reading

LIST_SECTIONS = (
    "units", "clusters", "memberships", "conferences", "covenants", "signers", "criteria_sets",
    "scores", "votes", "flags", "ratings", "policies", "submissions", "decisions",
    "council_votes", "central_decisions", "locks", "reported_placings", "illustrative_scores",
)  # fmt: skip
TABLE_SECTIONS = ("settings", "scope")
MAX_DEPTH = 16  # a bundle nests five deep; more is not a bundle


class _NotInBundle(ValueError):
    """A value JSON allows and a bundle does not (NaN, 1e999, 2**63)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _constant(text: str) -> Any:
    raise _NotInBundle(text)


def _integer(text: str) -> int:
    digits = text.lstrip("-")
    value = digits_value(digits)
    if value is None or value > MAX_POINTS:
        raise _NotInBundle(text)
    return -value if text.startswith("-") else value


def _real(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or abs(value) > MAX_POINTS:
        raise _NotInBundle(text)
    return value


def parse_bundle(text: str, label: str) -> Any:
    """The JSON of a bundle, refusing what no bundle holds: NaN and infinities, numbers beyond
    rules.numbers' bounds, and nesting deeper than a bundle's (which would exhaust Python's
    stack). Raises InvalidInput; the shape of the sections is checked by import_bundle."""
    try:
        data = json.loads(text, parse_constant=_constant, parse_int=_integer, parse_float=_real)
    except _NotInBundle as exc:
        raise InvalidInput(
            _("The bundle holds “{value}”, which is not a number a bundle can hold.").format(
                value=clipped(exc.text)
            )
        ) from None
    except RecursionError:
        raise InvalidInput(_("The bundle nests deeper than {depth} levels.").format(
            depth=MAX_DEPTH
        )) from None  # fmt: skip
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            _("{path} is not a JSON bundle: {error}").format(path=label, error=exc)
        ) from None
    stack = [(data, 1)]
    while stack:  # iterative: the check must not itself run out of stack
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InvalidInput(
                _("The bundle nests deeper than {depth} levels.").format(depth=MAX_DEPTH)
            )
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return data


def _check_sections(bundle: dict[str, Any]) -> None:
    """Every section the type it must be: a list of tables, or a table."""
    for section in LIST_SECTIONS:
        items = bundle.get(section, [])
        if not isinstance(items, list):
            raise InvalidInput(_("The bundle's {section} is not a list.").format(section=section))
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise InvalidInput(
                    _("The bundle's {section} #{number} is not a table of names and values.")
                    .format(section=section, number=i + 1)
                )  # fmt: skip
    for section in TABLE_SECTIONS:
        if not isinstance(bundle.get(section) or {}, dict):
            raise InvalidInput(
                _("The bundle's {section} is not a table of names and values.").format(
                    section=section
                )
            )


@contextmanager
def _section(name: str) -> Iterator[None]:
    """A value of the wrong type deep in a section (a number for a name, a list for a year)
    is the bundle's fault, not thidua's: say which section holds it."""
    try:
        yield
    except (
        TypeError, AttributeError, ValueError, KeyError, OverflowError,
        sqlite3.InterfaceError, sqlite3.ProgrammingError,  # a list bound as a value
    ):  # fmt: skip
        raise InvalidInput(
            _(
                "The bundle's {section} hold a value of the wrong type (a number where a name "
                "belongs, a list where a number does, ...); nothing was imported."
            ).format(section=name)
        ) from None


def import_bundle(
    conn: sqlite3.Connection, bundle: Any, on_conflict: str, *, carry_scores: bool = False
) -> Counter[str]:
    """Merge a bundle inside the caller's transaction; raise (so it rolls back) on problems.

    A criteria set follows the rules of `criteria import`: refused for a locked cluster-year, and
    while it would leave stored scores uncounted unless `carry_scores`."""
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise InvalidInput(_("This file is not a thidua bundle."))
    if not isinstance(bundle.get("version"), int) or not 1 <= bundle["version"] <= VERSION:
        raise InvalidInput(
            _("The bundle was made by a newer thidua (bundle version {version}).").format(
                version=bundle.get("version")
            )
        )
    _check_sections(bundle)
    merge = _Merge(conn, on_conflict, carry_scores)
    with _section("settings"):
        _settings(merge, bundle.get("settings") or {})
    with _section("units"):
        _entities(merge, bundle.get("units", []), "unit")
    with _section("clusters"):
        _entities(merge, bundle.get("clusters", []), "cluster")
    with _section("memberships"):
        _memberships(merge, bundle.get("memberships", []))
    with _section("conferences, covenants, signers"):
        _cluster_year_rows(merge, bundle)
    with _section("reported_placings, illustrative_scores"):
        _facts(merge, bundle)
    with _section("criteria_sets"):
        criteria = _criteria_sets(merge, bundle.get("criteria_sets", []))
    with _section("scores"):
        _scores(merge, bundle.get("scores", []), criteria)
    with _section("votes"):
        _votes(merge, bundle.get("votes", []))
    with _section("flags"):
        _flags(merge, bundle.get("flags", []))
    with _section("ratings"):
        _ratings(merge, bundle.get("ratings", []))
    with _section("policies"):
        _policies(merge, bundle.get("policies", []), renamed=bundle["version"] < 2)
    if bundle["version"] < 2:
        with _section("decisions"):
            _old_decisions(merge, bundle.get("decisions", []))
    else:
        with _section("submissions, decisions, council_votes"):
            _submissions(
                merge,
                bundle.get("submissions", []),
                bundle.get("decisions", []),
                bundle.get("council_votes", []),
            )
        with _section("central_decisions"):
            _central_decisions(merge, bundle.get("central_decisions", []))
    with _section("locks"):
        for i, item in enumerate(bundle.get("locks", [])):
            item = _need(item, ["cluster", "year"], "locks", i)
            cluster_id = _cluster(merge, item["cluster"], _("lock"))
            if cluster_id is not None and (cluster_id, item["year"]) not in merge.locked:
                conn.execute(
                    "INSERT INTO cluster_lock (cluster_id, year) VALUES (?, ?)",
                    (cluster_id, item["year"]),
                )
                merge.counts["locks"] += 1
    if merge.problems or merge.conflicts:
        details = list(dict.fromkeys(merge.problems))[:50]
        if merge.conflicts:
            details += list(dict.fromkeys(merge.conflicts))[:50]
        raise InvalidInput(
            _(
                "Nothing was imported: {problems} problems and {conflicts} conflicts with what "
                "is stored (--on-conflict keep or replace decides conflicts):"
            ).format(problems=len(merge.problems), conflicts=len(merge.conflicts)),
            details=details,
        )
    return merge.counts


def _settings(merge: _Merge, settings: Any) -> None:
    if not isinstance(settings, dict):
        raise InvalidInput(_("The bundle's settings are not a table of names."))
    stored = dict(merge.conn.execute("SELECT key, value FROM setting"))
    for key, value in settings.items():
        if key not in SETTING_KEYS or not isinstance(value, str) or not value.strip():
            merge.problems.append(_("Unknown setting {key}.").format(key=key))
            continue
        if key in stored and stored[key] != value:
            if not merge.conflict(
                _("setting {key}: “{ours}” here, “{theirs}” in the bundle").format(
                    key=key, ours=stored[key], theirs=value
                )
            ):
                continue
        elif key in stored:
            continue
        merge.conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, nfc(value)),
        )


def _memberships(merge: _Merge, items: list[Any]) -> None:
    conn = merge.conn
    for i, item in enumerate(items):
        item = _need(item, ["cluster", "year", "unit", "role"], "memberships", i)
        where = f"{item['cluster']}, {item['year']}, {item['unit']}"
        cluster_id = _cluster(merge, item["cluster"], where)
        unit_id = _unit(merge, item["unit"], where)
        year, role = item["year"], item["role"]
        if cluster_id is None or unit_id is None:
            continue
        if role not in ("member", "leader", "deputy") or not isinstance(year, int):
            merge.problems.append(_("{where}: not a valid membership.").format(where=where))
            continue
        row = conn.execute(
            "SELECT cluster_id, role FROM membership WHERE year = ? AND unit_id = ?",
            (year, unit_id),
        ).fetchone()
        if row and row[0] != cluster_id:
            merge.problems.append(
                _("{where}: the unit belongs to another cluster that year here.").format(
                    where=where
                )
            )
            continue
        if row and row[1] == role:
            merge.counts["same"] += 1
            continue
        holder = None
        if role != "member":
            holder = conn.execute(
                "SELECT unit_id FROM membership WHERE cluster_id = ? AND year = ? AND role = ?",
                (cluster_id, year, role),
            ).fetchone()
        if (row or holder) and not merge.conflict(
            _("{where}: role {theirs} in the bundle differs from what is stored").format(
                where=where, theirs=role
            )
        ):
            continue
        if not merge.writable(cluster_id, year, where):
            continue
        if holder:
            conn.execute(
                "UPDATE membership SET role = 'member' WHERE cluster_id = ? AND year = ?"
                " AND unit_id = ?",
                (cluster_id, year, holder[0]),
            )
        registry.set_member(conn, cluster_id, year, unit_id, role)
        merge.counts["memberships"] += 1


def _cluster_year_rows(merge: _Merge, bundle: dict[str, Any]) -> None:
    conn = merge.conn
    for i, item in enumerate(bundle.get("conferences", [])):
        item = _need(item, ["cluster", "year", "period"], "conferences", i)
        cluster_id = _cluster(merge, item["cluster"], _("conference"))
        if cluster_id is None:
            continue
        where = _("conference of {cluster}, {year}").format(
            cluster=item["cluster"], year=item["year"]
        )
        if item.get("date") is not None:
            held_on = _ruled(merge, where, checked_date, item["date"])
            if held_on is _REFUSED:
                continue
            item = {**item, "date": held_on}
        wrong = [item[k] for k in ("place", "chair_name", "secretary") if not _is_text(item.get(k))]
        if wrong:
            _not_text(merge, where, wrong[0])
            continue
        _conference(merge, cluster_id, item)
    for i, item in enumerate(bundle.get("covenants", [])):
        item = _need(item, ["cluster", "year", "date"], "covenants", i)
        cluster_id = _cluster(merge, item["cluster"], _("covenant"))
        if cluster_id is None:
            continue
        where = _("covenant of {cluster}, {year}").format(
            cluster=item["cluster"], year=item["year"]
        )
        signed_on = _ruled(merge, where, checked_date, item["date"])
        if signed_on is _REFUSED or (
            _ruled(merge, where, check_covenant_date, item["year"], signed_on) is _REFUSED
        ):
            continue
        if not _is_text(item.get("note")):
            _not_text(merge, where, item["note"])
            continue
        stored = registry.covenant(conn, cluster_id, item["year"])
        if not merge.settle(
            (stored.signed_on, stored.note) if stored else None,
            (signed_on, item.get("note")),
            _("covenant of {cluster}, {year}: differs"),
            cluster=item["cluster"],
            year=item["year"],
        ):
            continue
        if not merge.writable(cluster_id, item["year"], where):
            continue
        registry.sign_covenant(conn, cluster_id, item["year"], signed_on, item.get("note"))
        merge.counts["covenants"] += 1
    for i, item in enumerate(bundle.get("signers", [])):  # absent from older bundles
        item = _need(item, ["cluster", "year", "name", "role"], "signers", i)
        _signer(merge, item)


def _signer(merge: _Merge, item: dict[str, Any]) -> None:
    """Who signs a cluster-year's papers: a person's name, for the cluster (leader) or on behalf
    of the leader (deputy)."""
    where = _("signer of {cluster}, {year}").format(cluster=item["cluster"], year=item["year"])
    name, role = item["name"], item["role"]
    if not isinstance(name, str) or not name.strip() or role not in ("leader", "deputy"):
        merge.problems.append(
            _("{where}: a signer is a name and the role leader or deputy.").format(where=where)
        )
        return
    cluster_id = _cluster(merge, item["cluster"], where)
    if cluster_id is None:
        return
    stored = registry.signer(merge.conn, cluster_id, item["year"])
    name = _ruled(merge, where, checked_name, name)
    if name is _REFUSED:
        return
    theirs = (name, role)
    if merge.settle(
        (stored.name, stored.role) if stored else None, theirs, _("{where}: differs"), where=where
    ) and merge.writable(cluster_id, item["year"], where):
        registry.set_signer(merge.conn, cluster_id, item["year"], *theirs)
        merge.counts["signers"] += 1


def _facts(merge: _Merge, bundle: dict[str, Any]) -> None:
    """The placings a source reports and the reviews whose scores are illustrative: optional
    keys (a bundle written before them has neither)."""
    conn = merge.conn
    for section in ("reported_placings", "illustrative_scores"):
        if not isinstance(bundle.get(section, []), list):
            raise InvalidInput(_("The bundle's {section} is not a list.").format(section=section))
    for i, item in enumerate(bundle.get("reported_placings", [])):
        item = _need(item, ["cluster", "year", "period", "unit", "place", "source"],
                     "reported_placings", i)  # fmt: skip
        where = _("reported placing of {unit} in {cluster}, {year}").format(
            unit=item["unit"], cluster=item["cluster"], year=item["year"]
        )
        cluster_id = _cluster(merge, item["cluster"], where)
        unit_id = _unit(merge, item["unit"], where)
        if cluster_id is None or unit_id is None:
            continue
        year, period, place = item["year"], item["period"], item["place"]
        award, source = item.get("award"), item["source"]
        if (
            not isinstance(year, int)
            or period not in ("year", "half")
            or not isinstance(place, int)
            or isinstance(place, bool)
            or place < 1
            or award not in (None, "co_thi_dua", "bang_khen")
            or not isinstance(source, str)
            or not source.strip()
        ):
            merge.problems.append(_("{where}: not a valid placing.").format(where=where))
            continue
        if not _member(conn, cluster_id, year, unit_id):
            merge.problems.append(
                _("{where}: {unit} is not a member of the cluster that year.").format(
                    where=where, unit=item["unit"]
                )
            )
            continue
        key = (cluster_id, year, period)
        stored = next(
            (
                (p.place, p.award, p.source)
                for p in facts.reported_placings(
                    conn, cluster_id=cluster_id, year=year, period=period
                ).get(key, [])
                if p.unit_id == unit_id
            ),
            None,
        )
        theirs = (place, award, nfc(source).strip())
        if merge.settle(stored, theirs, _("{where}: differs"), where=where):
            facts.add_reported_placing(conn, key, unit_id, place, award, source)
            merge.counts["reported_placings"] += 1
    for i, item in enumerate(bundle.get("illustrative_scores", [])):
        item = _need(item, ["cluster", "year", "period", "note"], "illustrative_scores", i)
        where = _("illustrative scores of {cluster}, {year}").format(
            cluster=item["cluster"], year=item["year"]
        )
        cluster_id = _cluster(merge, item["cluster"], where)
        if cluster_id is None:
            continue
        year, period, note = item["year"], item["period"], item["note"]
        if (
            not isinstance(year, int)
            or period not in ("year", "half")
            or not isinstance(note, str)
            or not note.strip()
        ):
            merge.problems.append(_("{where}: not a valid note.").format(where=where))
            continue
        key = (cluster_id, year, period)
        stored = facts.illustrative_notes(conn, cluster_id=cluster_id, year=year, period=period)
        if merge.settle(stored.get(key), nfc(note).strip(), _("{where}: differs"), where=where):
            facts.set_illustrative(conn, key, note)
            merge.counts["illustrative_scores"] += 1


def _conference(merge: _Merge, cluster_id: int, item: dict[str, Any]) -> None:
    """One conference: its date and place, and (keys a bundle may lack, which then leave what
    is stored) who chaired, who kept the minutes, the member units present and the guests."""
    conn = merge.conn
    year, period = item["year"], item["period"]
    where = _("conference of {cluster}, {year}").format(cluster=item["cluster"], year=year)
    row = registry.conference_row(conn, cluster_id, year, period)
    stored = (
        (row[0], row[1], registry.unit_by_id(conn, row[2]).name if row[2] else None, *row[3:])
        if row
        else None
    )
    keys = ("date", "place", "chair_unit", "chair_name", "secretary")
    theirs = tuple(
        item[key] if key in item else (stored[i] if stored else None) for i, key in enumerate(keys)
    )
    if merge.settle(stored, theirs, _("{where}: differs"), where=where) and merge.writable(
        cluster_id, year, where
    ):
        chair_unit = _unit(merge, theirs[2], where) if theirs[2] else None
        if theirs[2] and chair_unit is None:
            return
        if chair_unit is not None and not _member(conn, cluster_id, year, chair_unit):
            merge.problems.append(
                _("{where}: {unit} is not a member of the cluster that year.").format(
                    where=where, unit=theirs[2]
                )
            )
            return
        try:
            registry.set_conference(
                conn, cluster_id, year, period, theirs[0], theirs[1], chair_unit, *theirs[3:]
            )
        except sqlite3.IntegrityError as exc:
            merge.problems.append(f"{where}: {exc}")
            return
        merge.counts["conferences"] += 1
    _guests(merge, cluster_id, item, where)
    if item.get("present") is None:
        return
    if not isinstance(item["present"], list):
        merge.problems.append(_("{where}: 'present' is not a list.").format(where=where))
        return
    ids = [_unit(merge, name, where) for name in item["present"]]
    if any(unit_id is None for unit_id in ids):
        return
    outside = [
        name
        for name, unit_id in zip(item["present"], ids, strict=True)
        if unit_id is not None and not _member(conn, cluster_id, year, unit_id)
    ]
    if outside:
        merge.problems += [
            _("{where}: {unit} is not a member of the cluster that year.").format(
                where=where, unit=name
            )
            for name in outside
        ]
        return
    here = {
        unit_id
        for (unit_id,) in conn.execute(
            "SELECT unit_id FROM conference_attendance WHERE cluster_id = ? AND year = ?"
            " AND period = ?",
            (cluster_id, year, period),
        )
    }
    if not merge.settle(
        sorted(here), sorted(set(ids)), _("{where}: those present differ"), where=where
    ) or not merge.writable(cluster_id, year, where):
        return
    try:
        registry.set_attendance(conn, cluster_id, year, period, [i for i in ids if i is not None])
    except sqlite3.IntegrityError as exc:
        merge.problems.append(f"{where}: {exc}")
        return
    merge.counts["attendance"] += 1


def _member(conn: sqlite3.Connection, cluster_id: int, year: int, unit_id: int) -> bool:
    return bool(
        conn.execute(
            "SELECT 1 FROM membership WHERE cluster_id = ? AND year = ? AND unit_id = ?",
            (cluster_id, year, unit_id),
        ).fetchone()
    )


def _guests(merge: _Merge, cluster_id: int, item: dict[str, Any], where: str) -> None:
    """The conference's guests, when the bundle names them."""
    theirs = item.get("guests")
    if theirs is None:
        return
    if not isinstance(theirs, list) or not all(isinstance(g, str) and g.strip() for g in theirs):
        merge.problems.append(_("{where}: 'guests' is not a list of names.").format(where=where))
        return
    year, period = item["year"], item["period"]
    stored = [
        name
        for (name,) in merge.conn.execute(
            "SELECT name FROM conference_guest WHERE cluster_id = ? AND year = ? AND period = ?"
            " ORDER BY position",
            (cluster_id, year, period),
        )
    ]
    names = [_ruled(merge, where, checked_name, g) for g in theirs]
    if _REFUSED in names:
        return
    if not names and not stored:
        return
    if merge.settle(stored, names, _("{where}: the guests differ"), where=where) and merge.writable(
        cluster_id, year, where
    ):
        registry.set_guests(merge.conn, cluster_id, year, period, names)
        merge.counts["guests"] += 1


def _criteria_sets(merge: _Merge, items: list[Any]) -> dict[tuple[int | None, int], dict[str, int]]:
    """(cluster id or None, year) -> criterion code key -> criterion id, for every set."""
    from thidua_cli.models import Criterion

    conn = merge.conn
    for i, item in enumerate(items):
        item = _need(item, ["year", "criteria"], "criteria_sets", i)
        cluster_id = None
        if item.get("cluster") is not None:
            cluster_id = _cluster(merge, item["cluster"], _("criteria set"))
            if cluster_id is None:
                continue
        theirs = []
        for j, c in enumerate(item["criteria"]):
            c = _need(c, ["code", "name", "max_points", "kind"], "criteria", j)
            maximum = _points(merge, c["max_points"], f"{c['code']}")
            texts = _ruled(
                merge,
                _("criterion {code}").format(code=json_text(c["code"])),
                lambda c=c: (
                    checked_name(c["code"]),
                    checked_name(c["group"]) if c.get("group") else "",
                    checked_name(c["name"]),
                ),
            )
            if maximum is None or texts is _REFUSED:
                continue
            theirs.append(Criterion(0, *texts, maximum, c["kind"], j))
        ours = conn.execute(
            "SELECT c.code, c.grp, c.name, c.max_points, c.kind FROM criterion c"
            " JOIN criteria_set s ON s.id = c.set_id WHERE s.year = ? AND s.cluster_id IS ?"
            " ORDER BY c.position, c.id",
            (item["year"], cluster_id),
        ).fetchall()
        wanted = [(c.code, c.group, c.name, c.max_points, c.kind) for c in theirs]
        scope = item.get("cluster") or _("the province")
        message = _("criteria set of {scope}, {year}: differs")
        if not merge.settle(ours, wanted, message, scope=scope, year=item["year"]):
            continue
        where = _("criteria set of {scope}, {year}").format(scope=scope, year=item["year"])
        if cluster_id is not None and not merge.writable(cluster_id, item["year"], where):
            continue
        locked = locks.locked_on_default(conn, item["year"]) if cluster_id is None else []
        if locked:
            merge.problems.append(
                _("{what}: locked clusters score on it here ({clusters}); unlock them first.")
                .format(what=where, clusters=", ".join(locked))
            )  # fmt: skip
            continue
        try:
            carried = scoring.save_criteria(
                conn, cluster_id, item["year"], theirs, replace=bool(ours), carry=merge.carry
            )
        except ThiduaError as exc:
            merge.problems.extend([exc.message, *exc.details])
            continue
        merge.counts["criteria_sets"] += 1
        merge.counts["carried_scores"] += carried
    sets: dict[tuple[int | None, int], dict[str, int]] = {}
    for set_cluster, set_year, key, criterion_id in conn.execute(
        "SELECT s.cluster_id, s.year, c.code_key, c.id FROM criterion c"
        " JOIN criteria_set s ON s.id = c.set_id"
    ):
        sets.setdefault((set_cluster, set_year), {})[key] = criterion_id
    return sets


def _scores(
    merge: _Merge, items: list[Any], criteria: dict[tuple[int | None, int], dict[str, int]]
) -> None:
    conn = merge.conn
    new = []
    for i, item in enumerate(items):
        item = _need(
            item,
            ["cluster", "year", "period", "unit", "criterion", "source", "points"],
            "scores",
            i,
        )
        where = f"{item['cluster']}, {item['year']}, {item['unit']}, {item['criterion']}"
        cluster_id = _cluster(merge, item["cluster"], where)
        unit_id = _unit(merge, item["unit"], where)
        scorer_id = _unit(merge, item["scorer"], where) if item.get("scorer") else None
        points = _points(merge, item["points"], where)
        if not _is_text(item.get("evidence")):
            _not_text(merge, where, item["evidence"])
            continue
        if cluster_id is None or unit_id is None or points is None:
            continue
        codes = criteria.get((cluster_id, item["year"])) or criteria.get((None, item["year"]))
        criterion_id = (codes or {}).get(fold_key(str(item["criterion"])))
        if criterion_id is None:
            merge.problems.append(_("{where}: unknown criterion.").format(where=where))
            continue
        key = (cluster_id, item["year"], item["period"], unit_id, criterion_id, item["source"],
               scorer_id)  # fmt: skip
        stored = scoring.existing_score(conn, key)
        if not merge.settle(
            stored,
            points,
            _("{where}: {ours} here, {theirs} in the bundle"),
            where=where,
            ours=to_number(stored) if stored is not None else None,
            theirs=item["points"],
        ):
            continue
        if not merge.writable(cluster_id, item["year"], where):
            continue
        evidence = item.get("evidence")
        new.append((*key, points, nfc(evidence).strip() or None if evidence else None))
    from thidua_cli.store import audit

    audit.bulk(conn, True)
    try:
        conn.executemany(
            "INSERT INTO score (cluster_id, year, period, unit_id, criterion_id, source,"
            " scorer, points, evidence) VALUES (?, ?, ?, ?, ?, ?, coalesce(?, 0), ?, ?)"
            + scoring._UPSERT,
            new,
        )
    except sqlite3.IntegrityError as exc:
        merge.problems.append(_("The scores break a rule of the database: {error}.").format(
            error=exc
        ))  # fmt: skip
    audit.bulk(conn, False)
    merge.counts["scores"] += len(new)


def _votes(merge: _Merge, items: list[Any]) -> None:
    conn = merge.conn
    for i, item in enumerate(items):
        item = _need(item, ["cluster", "year", "period", "unit", "votes"], "votes", i)
        where = f"{item['cluster']}, {item['year']}, {item['unit']}"
        cluster_id = _cluster(merge, item["cluster"], where)
        unit_id = _unit(merge, item["unit"], where)
        if cluster_id is None or unit_id is None:
            continue
        stored = conn.execute(
            "SELECT votes, voters, issued FROM vote WHERE cluster_id = ? AND year = ?"
            " AND period = ? AND unit_id = ?",
            (cluster_id, item["year"], item["period"], unit_id),
        ).fetchone()
        theirs = (item["votes"], item.get("voters"), item.get("issued"))
        if not (
            _count(theirs[0])
            and _count(theirs[1], optional=True)
            and _count(theirs[2], optional=True)
        ):
            merge.problems.append(_("{where}: the votes are whole numbers.").format(where=where))
            continue
        if not merge.settle(stored, theirs, _("{where}: votes differ"), where=where):
            continue
        if not merge.writable(cluster_id, item["year"], where):
            continue
        scoring.set_vote(conn, cluster_id, item["year"], item["period"], unit_id, *theirs)
        merge.counts["votes"] += 1


def _flags(merge: _Merge, items: list[Any]) -> None:
    for i, item in enumerate(items):
        item = _need(item, ["unit", "year", "reason"], "flags", i)
        unit_id = _unit(merge, item["unit"], f"{item['unit']}, {item['year']}")
        if unit_id is None:
            continue
        if not isinstance(item["reason"], str) or not item["reason"].strip():
            _not_text(merge, f"{item['unit']}, {item['year']}", item["reason"])
            continue
        reason = nfc(item["reason"])
        if merge.conn.execute(
            "SELECT 1 FROM flag WHERE unit_id = ? AND year = ? AND reason = ?",
            (unit_id, item["year"], reason),
        ).fetchone():
            merge.counts["same"] += 1  # not even tried: a locked cluster-year refuses any write
            continue
        scoring.add_flag(merge.conn, unit_id, item["year"], reason)
        merge.counts["flags"] += 1


def _ratings(merge: _Merge, items: list[Any]) -> None:
    for i, item in enumerate(items):
        item = _need(item, ["unit", "year", "rating"], "ratings", i)
        where = f"{item['unit']}, {item['year']}"
        unit_id = _unit(merge, item["unit"], where)
        if unit_id is None:
            continue
        stored = merge.conn.execute(
            "SELECT rating FROM rating WHERE unit_id = ? AND year = ?", (unit_id, item["year"])
        ).fetchone()
        theirs = (item["rating"],)
        if not merge.settle(stored, theirs, _("{where}: ratings differ"), where=where):
            continue
        try:
            scoring.set_rating(merge.conn, unit_id, item["year"], item["rating"])
        except sqlite3.IntegrityError as exc:
            merge.problems.append(f"{where}: {exc}")
            continue
        merge.counts["ratings"] += 1


def _policies(merge: _Merge, items: list[Any], *, renamed: bool) -> None:
    for i, item in enumerate(items):
        item = _need(item, ["year"], "policies", i)
        if renamed:
            item = {OLD_POLICY_NAMES.get(k, k): v for k, v in item.items()}
        cluster_id = None
        if item.get("cluster") is not None:
            cluster_id = _cluster(merge, item["cluster"], _("policy"))
            if cluster_id is None:
                continue
        stored = scoring.policy_row(merge.conn, cluster_id, item["year"])
        theirs = {f: item.get(f) for f in POLICY_FIELDS}
        scope = item.get("cluster") or _("the province")
        message = _("policy of {scope}, {year}: differs")
        if not merge.settle(stored, theirs, message, scope=scope, year=item["year"]):
            continue
        scoring.save_policy(merge.conn, cluster_id, item["year"], theirs)
        merge.counts["policies"] += 1


def _old_decisions(merge: _Merge, items: list[Any]) -> None:
    """Decisions of a version 1 bundle (before submissions): each is bound to the proposal of
    the standing year-end submission of its unit's cluster-year here."""
    conn = merge.conn
    for i, item in enumerate(items):
        item = _need(item, ["unit", "year", "award", "number", "date", "approved"], "decisions", i)
        where = f"{item['unit']}, {item['year']}, {item['award']}"
        unit_id = _unit(merge, item["unit"], where)
        if unit_id is None:
            continue
        found = conn.execute(
            "SELECT s.id FROM submission s JOIN membership m ON m.cluster_id = s.cluster_id"
            " AND m.year = s.year WHERE m.unit_id = ? AND s.year = ? AND s.period = 'year'"
            " AND s.status = 'submitted'",
            (unit_id, item["year"]),
        ).fetchone()
        if found is None:
            merge.problems.append(
                _("{where}: the cluster-year has no submission here to bind the decision to; "
                  "submit it first.").format(where=where)
            )  # fmt: skip
            continue
        approved = _flag(merge, where, "approved", item["approved"])
        if approved is None:
            continue
        granted = item["award"] if approved else None
        submission = next(
            s for s in records.submissions(conn, year=item["year"]) if s.id == found[0]
        )
        _decision(merge, submission, unit_id, item["award"], granted, item["number"], item["date"],
                  None, where)  # fmt: skip


def _decision(
    merge: _Merge,
    submission: Submission,
    unit_id: int,
    award: Any,
    granted: Any,
    number: Any,
    decided_on: Any,
    revoked: Any,
    where: str,
) -> None:
    """A decision on a proposal of `submission`: a new one obeys the rules `thidua decide`
    obeys (rules.decisions), a recorded one must be the same; then its revocation, if any."""
    conn = merge.conn
    if not _is_text(number) or not (revoked is None or isinstance(revoked, dict)):
        merge.problems.append(_("{where}: not a valid decision.").format(where=where))
        return
    decided_on = _ruled(merge, where, checked_date, decided_on)
    number = _ruled(merge, where, decision_number, number, granted)
    if _REFUSED in (decided_on, number):
        return
    stored = conn.execute(
        "SELECT d.id, d.granted, d.decision_no, d.decided_on, r.decision_no, r.decided_on,"
        " r.reason FROM decision d LEFT JOIN revocation r ON r.decision_id = d.id"
        " WHERE d.submission_id = ? AND d.unit_id = ? AND d.award = ?",
        (submission.id, unit_id, award),
    ).fetchone()
    theirs_revoked: tuple[Any, ...] = (None, None, None)
    if revoked is not None:
        revoked_on = _ruled(merge, where, checked_date, revoked.get("date"))
        revoked_no, reason = revoked.get("number"), revoked.get("reason")
        if revoked_on is _REFUSED:
            return
        if not (isinstance(revoked_no, str) and revoked_no.strip()) or not (
            isinstance(reason, str) and reason.strip()
        ):
            merge.problems.append(_("{where}: not a valid revocation.").format(where=where))
            return
        if _ruled(merge, where, check_revocation_date, revoked_on, decided_on) is _REFUSED:
            return
        theirs_revoked = (nfc(revoked_no).strip(), revoked_on, nfc(reason).strip())
    try:
        if stored is None:
            if not _decision_allowed(merge, submission, unit_id, award, granted, decided_on, where):
                return
            decision_id = conn.execute(
                "INSERT INTO decision (submission_id, unit_id, award, granted, decision_no,"
                " decided_on) VALUES (?, ?, ?, ?, ?, ?)",
                (submission.id, unit_id, award, granted, number, decided_on),
            ).lastrowid
            merge.counts["decisions"] += 1
        else:
            decision_id = stored[0]
            if tuple(stored[1:4]) != (granted, number, decided_on):
                message = _(
                    "{where}: the decision differs from the one recorded here; a decision is "
                    "corrected with thidua decide --replace, not by a bundle."
                )
                merge.problems.append(message.format(where=where))
                return
            merge.counts["same"] += 1
        if theirs_revoked[0] is not None:
            if stored is not None and stored[4] is not None:
                if tuple(stored[4:]) != theirs_revoked:
                    merge.problems.append(
                        _("{where}: the revocation differs from the one recorded here.").format(
                            where=where
                        )
                    )
                return
            conn.execute(
                "INSERT INTO revocation (decision_id, decision_no, decided_on, reason)"
                " VALUES (?, ?, ?, ?)",
                (decision_id, *theirs_revoked),
            )
            merge.counts["decisions"] += 1
    except sqlite3.IntegrityError as exc:
        merge.problems.append(f"{where}: {exc}")


def _decision_allowed(
    merge: _Merge,
    submission: Submission,
    unit_id: int,
    award: Any,
    granted: Any,
    decided_on: str,
    where: str,
) -> bool:
    """Whether `thidua decide` would record this decision: on a proposal the submission holds,
    one award a year, dated in or after the year and not before the file, its receipt or the
    Council's vote (the rules of rules.decisions, fed from what is stored here)."""
    conn = merge.conn
    row = next(
        (r for r in records.rows_of(conn, [submission.id])[submission.id] if r.unit_id == unit_id),
        None,
    )
    recorded = [d for d in records.decisions(conn, unit_id=unit_id) if d.year == submission.year]
    received = records.reviews_of(conn, [submission.id]).get(submission.id)
    vote = next(
        (
            v
            for v in records.council_votes_of(conn, [submission.id]).get(submission.id, [])
            if v.unit_id == unit_id and v.award == award
        ),
        None,
    )
    submitted = (
        (submission.version, submission.submitted_on) if submission.origin == "submit" else None
    )
    unit = registry.unit_by_id(conn, unit_id).name
    cluster = registry.cluster_by_id(conn, submission.cluster_id).name

    def rules() -> None:
        check_decision(
            award, granted, unit, cluster, submission.year, row, recorded,
            submission_id=submission.id, replace=False,
        )  # fmt: skip
        check_decision_dates(
            submission.year,
            decided_on,
            submitted=submitted,
            reviewed_on=received.reviewed_on if received else None,
            voted_on=vote.voted_on if vote else None,
        )

    return _ruled(merge, where, rules) is not _REFUSED


def _submissions(
    merge: _Merge, items: list[Any], decisions: list[Any], council_votes: list[Any]
) -> None:
    """Replay the bundle's submissions version by version: each new version is written as
    submitted, then the Board's review, the Council's votes and the decisions, then (if the
    bundle says so) its withdrawal. A version that exists here must hold the same record;
    records are never replaced."""
    conn = merge.conn
    by_version: dict[tuple[str, int, str, int], list[dict[str, Any]]] = {}
    for i, item in enumerate(decisions):
        item = _need(item, ["cluster", "year", "version", "unit", "award", "date"], "decisions", i)
        key = (nfc(str(item["cluster"])), item["year"], "year", item["version"])
        by_version.setdefault(key, []).append(item)
    votes_by_version: dict[tuple[str, int, str, int], list[dict[str, Any]]] = {}
    if not isinstance(council_votes, list):
        raise InvalidInput(
            _("The bundle's {section} is not a list.").format(section="council_votes")
        )
    for i, item in enumerate(council_votes):
        item = _need(
            item,
            ["cluster", "year", "version", "unit", "award", "agree", "members"],
            "council_votes",
            i,
        )
        key = (nfc(str(item["cluster"])), item["year"], "year", item["version"])
        votes_by_version.setdefault(key, []).append(item)
    ordered = sorted(
        (_need(item, ["cluster", "year", "period", "version", "date", "rows"], "submissions", i)
         for i, item in enumerate(items)),
        key=lambda item: (item["year"], str(item["cluster"]), item["period"], item["version"]),
    )  # fmt: skip
    for item in ordered:
        where = _("submission of {cluster}, {year}, version {version}").format(
            cluster=item["cluster"], year=item["year"], version=item["version"]
        )
        cluster_id = _cluster(merge, item["cluster"], where)
        if cluster_id is None:
            continue
        submitted_on = _ruled(merge, where, checked_date, item["date"])
        if submitted_on is _REFUSED:
            continue
        item = {**item, "date": submitted_on}
        rows = _submission_rows(merge, item["rows"], where)
        if rows is None:
            continue
        stored = records.submissions(
            conn, cluster_id=cluster_id, year=item["year"], period=item["period"]
        )
        mine = next((s for s in stored if s.version == item["version"]), None)
        if mine is None:
            if item["version"] != len(stored) + 1:
                merge.problems.append(
                    _("{where}: the versions before it are missing here.").format(where=where)
                )
                continue
            try:
                submission_id = _insert_submission(conn, cluster_id, item, rows)
            except sqlite3.IntegrityError as exc:
                merge.problems.append(f"{where}: {exc}")
                continue
            merge.counts["submissions"] += 1
            status = "submitted"
        else:
            ours = [
                _row_values(r, position)
                for position, r in enumerate(records.rows_of(conn, [mine.id])[mine.id], start=1)
            ]
            if (mine.submitted_on, mine.number, ours) != (
                item["date"],
                item.get("number"),
                [values for _unit, values in rows],
            ):
                merge.problems.append(
                    _("{where}: it differs from the version recorded here; submitted records "
                      "are never replaced.").format(where=where)
                )  # fmt: skip
                continue
            merge.counts["same"] += 1
            submission_id, status = mine.id, mine.status
        submission = next(
            s
            for s in records.submissions(
                conn, cluster_id=cluster_id, year=item["year"], period=item["period"]
            )
            if s.id == submission_id
        )
        key = (nfc(str(item["cluster"])), item["year"], item["period"], item["version"])
        _review(merge, submission_id, item.get("review"), where)
        for vote in votes_by_version.get(key, []):
            _council_vote(merge, submission_id, vote, f"{where}, {vote['unit']}, {vote['award']}")
        for decision in by_version.get(key, []):
            dwhere = f"{where}, {decision['unit']}, {decision['award']}"
            unit_id = _unit(merge, decision["unit"], dwhere)
            if unit_id is not None:
                _decision(merge, submission, unit_id, decision["award"],
                          decision.get("granted"), decision.get("number"), decision["date"],
                          decision.get("revoked"), dwhere)  # fmt: skip
        if item.get("status") == "withdrawn" and status == "submitted":
            try:
                conn.execute(
                    "UPDATE submission SET status = 'withdrawn', withdrawn_reason = ?,"
                    " withdrawn_at = ? WHERE id = ?",
                    (item.get("withdrawn_reason"), item.get("withdrawn_at"), submission_id),
                )
            except sqlite3.IntegrityError as exc:
                merge.problems.append(f"{where}: {exc}")


def _review(merge: _Merge, submission_id: int, review: Any, where: str) -> None:
    """The Board's review of a version: written when there is none here; a record never
    replaced."""
    if review is None:
        return
    if not isinstance(review, dict) or any(k not in review for k in ("action", "date")):
        merge.problems.append(
            _("{where}: the review lacks its action or date.").format(where=where)
        )
        return
    reviewed_on = _ruled(merge, where, checked_date, review["date"])
    if reviewed_on is _REFUSED:
        return
    if not _is_text(review.get("reason")):
        _not_text(merge, where, review["reason"])
        return
    theirs = (review["action"], reviewed_on, review.get("reason"))
    stored = records.reviews_of(merge.conn, [submission_id]).get(submission_id)
    if stored is not None:
        if (stored.action, stored.reviewed_on, stored.reason) == theirs:
            merge.counts["same"] += 1
        else:
            merge.problems.append(
                _("{where}: the Board's review differs from the one recorded here; a review is "
                  "never replaced.").format(where=where)
            )  # fmt: skip
        return
    try:
        records.save_review(merge.conn, submission_id, *theirs)
    except (sqlite3.IntegrityError, sqlite3.InterfaceError) as exc:
        merge.problems.append(f"{where}: {exc}")
        return
    merge.counts["reviews"] += 1


def _council_vote(merge: _Merge, submission_id: int, item: dict[str, Any], where: str) -> None:
    unit_id = _unit(merge, item["unit"], where)
    if unit_id is None:
        return
    stored = next(
        (
            (v.agree, v.members, v.voted_on)
            for v in records.council_votes_of(merge.conn, [submission_id]).get(submission_id, [])
            if v.unit_id == unit_id and v.award == item["award"]
        ),
        None,
    )
    voted_on = item.get("date")
    if voted_on is not None:
        voted_on = _ruled(merge, where, checked_date, voted_on)
        if voted_on is _REFUSED:
            return
    if not (_count(item["agree"]) and _count(item["members"])):
        merge.problems.append(_("{where}: the votes are whole numbers.").format(where=where))
        return
    theirs = (item["agree"], item["members"], voted_on)
    if not merge.settle(stored, theirs, _("{where}: the Council's votes differ"), where=where):
        return
    try:
        records.save_council_vote(
            merge.conn, CouncilVote(submission_id, unit_id, item["award"], *theirs)
        )
    except (sqlite3.IntegrityError, sqlite3.InterfaceError) as exc:
        merge.problems.append(f"{where}: {exc}")
        return
    merge.counts["council_votes"] += 1


def _central_decisions(merge: _Merge, items: Any) -> None:
    """The central level's decisions on the higher awards."""
    if not isinstance(items, list):
        raise InvalidInput(
            _("The bundle's {section} is not a list.").format(section="central_decisions")
        )
    for i, item in enumerate(items):
        item = _need(item, ["unit", "year", "award", "number", "date"], "central_decisions", i)
        where = f"{item['unit']}, {item['year']}, {item['award']}"
        unit_id = _unit(merge, item["unit"], where)
        if unit_id is None:
            continue
        stored = next(
            (
                (d.number, d.decided_on)
                for d in records.central_decisions(merge.conn, unit_id=unit_id, year=item["year"])
                if d.award == item["award"]
            ),
            None,
        )
        decided_on = _ruled(merge, where, checked_date, item["date"])
        if decided_on is _REFUSED:
            continue
        if not isinstance(item["number"], str) or not item["number"].strip():
            _not_text(merge, where, item["number"])
            continue
        theirs = (item["number"], decided_on)
        if not merge.settle(stored, theirs, _("{where}: the decisions differ"), where=where):
            continue
        try:
            records.save_central_decision(
                merge.conn, unit_id, item["year"], item["award"], *theirs, replace=True
            )
        except (sqlite3.IntegrityError, sqlite3.InterfaceError) as exc:
            merge.problems.append(f"{where}: {exc}")
            continue
        merge.counts["central_decisions"] += 1


def _row_values(row: Any, position: int) -> tuple[Any, ...]:
    """A stored row as the values a bundle row is compared with."""
    return (position, row.rank, int(row.tied), row.base, row.bonus, row.deduction, row.scored,
            row.missing, row.votes, row.voters, row.flags, int(row.eligible), list(row.steps),
            row.award_code, row.pending_awards, row.issued, row.rating, row.barred)  # fmt: skip


def _submission_rows(
    merge: _Merge, items: Any, where: str
) -> list[tuple[int, tuple[Any, ...]]] | None:
    """(unit id, values in _ROW_FIELDS order) for each row, or None after noting a problem."""
    if not isinstance(items, list):
        merge.problems.append(_("{where}: its rows are not a list.").format(where=where))
        return None
    rows = []
    for i, item in enumerate(items):
        item = _need(item, ["unit", *_ROW_FIELDS], "rows", i)
        unit_id = _unit(merge, item["unit"], where)
        points = [_points(merge, item[k], where) for k in _POINT_FIELDS]
        if unit_id is None or any(p is None for p in points):
            return None
        values = {**item, **dict(zip(_POINT_FIELDS, points, strict=True))}
        tied, eligible = (_flag(merge, where, k, item[k]) for k in ("tied", "eligible"))
        if tied is None or eligible is None:
            return None
        values["tied"], values["eligible"] = int(tied), int(eligible)
        extra = {k: item.get(k, default) for k, default in _ROW_EXTRA.items()}
        rows.append((unit_id, tuple(values[k] for k in _ROW_FIELDS) + tuple(extra.values())))
    return rows


def _insert_submission(
    conn: sqlite3.Connection,
    cluster_id: int,
    item: dict[str, Any],
    rows: list[tuple[int, tuple[Any, ...]]],
) -> int:
    rules = {k: item.get(k, default) for k, default in _SUBMISSION_RULES.items()}
    submission_id = conn.execute(
        "INSERT INTO submission (cluster_id, year, period, version, submitted_on, number,"
        " members, co_thi_dua_quota, bang_khen_quota, tie_break, score_rule, origin,"
        f" {', '.join(rules)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        f" {', '.join('?' * len(rules))})",
        (cluster_id, item["year"], item["period"], item["version"], item["date"],
         item.get("number"), item.get("members", len(rows)), item.get("co_thi_dua_quota", 0),
         item.get("bang_khen_quota", 0), item.get("tie_break") or "none",
         item.get("score_rule") or "final,peer,self", item.get("origin") or "submit",
         *rules.values()),
    ).lastrowid  # fmt: skip
    assert submission_id is not None
    columns = (*_ROW_FIELDS, *_ROW_EXTRA)
    conn.executemany(
        f"INSERT INTO submission_row (submission_id, unit_id, {', '.join(columns)}, total)"
        f" VALUES (?, ?, {', '.join('?' * len(columns))}, ?)",
        [
            (submission_id, unit_id,
             *(json.dumps(v, ensure_ascii=False) if k in _JSON_FIELDS else v
               for k, v in zip(columns, values, strict=True)),
             values[3] + values[4] - values[5])
            for unit_id, values in rows
        ],
    )  # fmt: skip
    return submission_id
