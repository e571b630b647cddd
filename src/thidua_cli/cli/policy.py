"""`thidua policy show|set`: the rules of a cluster-year or of a whole year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from thidua_cli.app import policy as policies
from thidua_cli.app.policy import PolicyInForce, award_conditions
from thidua_cli.cli.catalog import help_of
from thidua_cli.cli.common import (
    DbOption,
    FormatOption,
    OutputOption,
    ScopeClusterOption,
    YearOption,
    command_group,
    reading,
    say,
    writing,
)
from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _, forms_language
from thidua_cli.models import (
    AWARD_NAMES,
    BANG_KHEN,
    CO_THI_DUA,
    RATING_NAMES,
    THRESHOLD_RULES,
)
from thidua_cli.output.render import Column, output_format, render
from thidua_cli.output.wording import rules_json, threshold_text
from thidua_cli.rules.policy import parse_score_rule, parse_tie_break

app = command_group(help_of("policy"))

ThresholdRule = Literal[THRESHOLD_RULES]  # type: ignore[valid-type]
AllClustersOption = Annotated[
    bool, typer.Option("--all-clusters", help=_("The rule of the year for every cluster."))
]


@app.command(
    "show", help=_("Show the rules in force for a cluster-year, and where each comes from.")
)
def policy_show(
    *,
    year: YearOption,
    cluster: ScopeClusterOption = None,
    all_clusters: AllClustersOption = False,
    fmt: FormatOption = None,
    output: OutputOption = None,
    db_path: DbOption = None,
) -> None:
    fmt = output_format(fmt, output)
    with reading(db_path) as conn:
        found = policies.policy_in_force(conn, cluster, all_clusters, year)
    with forms_language(fmt):  # CSV and JSON read the same in every language
        _show_policy(found, year, fmt, output)


def _show_policy(found: PolicyInForce, year: int, fmt: str, output: Path | None) -> None:
    policy, members = found.policy, found.members
    origins = {
        "default": _("thidua default"),
        "year": _("rule of the year"),
        "cluster": _("rule of the cluster"),
    }
    bang_khen = (
        str(policy.bang_khen_quota)
        if policy.bang_khen_quota is not None
        else _("{percent}% of the members, rounded down").format(percent=policy.bang_khen_percent)
    )
    limits = []  # the floor and the cap, which change the number the percentage gives
    if policy.bang_khen_min:
        limits.append(_("at least {count}").format(count=policy.bang_khen_min))
    if policy.bang_khen_max is not None:
        limits.append(_("at most {count}").format(count=policy.bang_khen_max))
    if members is not None:
        if limits:
            bang_khen += " (" + ", ".join(limits) + ")"
        bang_khen += " = " + str(policy.bang_khen_quota_for(members))
    data = {
        "co_thi_dua_quota": policy.co_thi_dua_quota,
        "bang_khen_quota": (
            policy.bang_khen_quota_for(members) if members is not None else policy.bang_khen_quota
        ),
        "bang_khen_percent": (policy.bang_khen_percent if policy.bang_khen_quota is None else None),
        "tie_break": list(policy.tie_break),
        "score_rule": list(policy.score_rule),
        "bang_khen_min": policy.bang_khen_min,
        "bang_khen_max": policy.bang_khen_max,
        **rules_json(policy.award_rules),
    }
    rows = [
        {
            "key": "bang_khen_quota",
            "setting": _("Certificates (Bằng khen)"),
            "value": bang_khen,
            "origin": origins[policy.origin["bang_khen_quota"]],
        },
        {
            "key": "co_thi_dua_quota",
            "setting": _("Flags (Cờ thi đua)"),
            "value": str(policy.co_thi_dua_quota),
            "origin": origins[policy.origin["co_thi_dua_quota"]],
        },
        {
            "key": "tie_break",
            "setting": _("Tie-break"),
            "value": ", ".join(policy.tie_break) or "none",
            "origin": origins[policy.origin["tie_break"]],
        },
        {
            "key": "score_rule",
            "setting": _("Score that counts"),
            "value": ", ".join(policy.score_rule),
            "origin": origins[policy.origin["score_rule"]],
        },
    ]
    if limits:
        origin = policy.origin["bang_khen_min" if policy.bang_khen_min else "bang_khen_max"]
        rows.insert(
            1,
            {
                "key": "bang_khen_limits",
                "setting": _("Certificates: floor and cap"),
                "value": ", ".join(limits),
                "origin": origins[origin],
            },
        )
    rules = policy.award_rules
    threshold = threshold_text(rules)
    rows.append(
        {
            "key": "vote_threshold",
            "setting": _("Vote threshold"),
            "value": (
                threshold + " (" + ", ".join(AWARD_NAMES[a] for a in rules.vote_gates) + ")"
                if threshold
                else _("none")
            ),
            "origin": origins[policy.origin["vote_threshold"]],
        }
    )
    council = (
        _("more than {percent}% of its members")
        if policy.council_threshold_rule == "more-than"
        else _("at least {percent}% of its members")
    ).format(percent=policy.council_threshold)
    data["council_threshold"] = policy.council_threshold
    data["council_threshold_rule"] = policy.council_threshold_rule
    rows.append(
        {
            "key": "council_threshold",
            "setting": _("The Council passes a proposal with"),
            "value": council,
            "origin": origins[policy.origin["council_threshold"]],
        }
    )
    for award, key in ((CO_THI_DUA, "min_rating_co_thi_dua"), (BANG_KHEN, "min_rating_bang_khen")):
        minimum = rules.min_rating_for(award)
        rows.append(
            {
                "key": key,
                "setting": _("Lowest rating for the {award}").format(award=AWARD_NAMES[award]),
                "value": RATING_NAMES[minimum] if minimum else _("none"),
                "origin": origins[policy.origin[key]],
            }
        )
    codes = {words: code for code, words in origins.items()}
    for row in rows:  # for scripts: which setting, and where it comes from, as codes
        row["origin_code"] = codes[row["origin"]]
    columns = [
        Column("setting", _("Setting")),
        Column("value", _("Value")),
        Column("origin", _("From")),
        Column("key", _("Setting code"), code=True),
        Column("origin_code", _("Origin code"), code=True),
    ]
    title = f"{found.cluster.name if found.cluster else _('Every cluster')}, {year}"
    render(rows, columns, fmt, title=title, json_data=data, output=output)


@app.command("set", help=_("Set rules for a cluster-year, or for every cluster of a year."))
def policy_set(
    *,
    year: YearOption,
    cluster: ScopeClusterOption = None,
    all_clusters: AllClustersOption = False,
    co_thi_dua_quota: Annotated[
        int | None,
        typer.Option("--co-thi-dua-quota", min=0, help=_("How many Cờ thi đua (default 1).")),
    ] = None,
    bang_khen_quota: Annotated[
        int | None,
        typer.Option("--bang-khen-quota", min=0, help=_("A fixed number of Bằng khen.")),
    ] = None,
    bang_khen_percent: Annotated[
        int | None,
        typer.Option(
            "--bang-khen-percent",
            min=0,
            max=100,
            help=_("Bằng khen as a percentage of the members, rounded down (default 30)."),
        ),
    ] = None,
    tie_break: Annotated[
        str | None,
        typer.Option(
            "--tie-break",
            help=_("Tie-break chain: “votes”, “group:<group name>”, “none”, comma-separated."),
        ),
    ] = None,
    score_rule: Annotated[
        str | None,
        typer.Option(
            "--score-rule", help=_("Which score counts, first present wins: “final,peer,self”.")
        ),
    ] = None,
    vote_threshold: Annotated[
        int | None,
        typer.Option(
            "--vote-threshold",
            min=0,
            max=100,
            help=_(
                "The share of the valid ballots (percent) a unit needs for the awards it gates; "
                "0: no threshold."
            ),
        ),
    ] = None,
    vote_threshold_rule: Annotated[
        ThresholdRule | None,
        typer.Option(
            "--vote-threshold-rule",
            help=_("at-least (từ ... trở lên, the default) or more-than (trên ...)."),
        ),
    ] = None,
    vote_threshold_awards: Annotated[
        str | None,
        typer.Option(
            "--vote-threshold-awards",
            help=_(
                "The awards the threshold gates: co_thi_dua (default), or co_thi_dua,bang_khen."
            ),
        ),
    ] = None,
    min_rating: Annotated[
        str | None,
        typer.Option(
            "--min-rating",
            help=_("The lowest rating (xếp loại) for both awards: htxsnv, httnv, htnv or none."),
        ),
    ] = None,
    min_rating_co_thi_dua: Annotated[
        str | None,
        typer.Option("--min-rating-co-thi-dua", help=_("The lowest rating for the Cờ thi đua.")),
    ] = None,
    min_rating_bang_khen: Annotated[
        str | None,
        typer.Option("--min-rating-bang-khen", help=_("The lowest rating for the Bằng khen.")),
    ] = None,
    bang_khen_min: Annotated[
        int | None,
        typer.Option(
            "--bang-khen-min",
            min=0,
            help=_(
                "At least this many Bằng khen (never more than the members after the Cờ), "
                "for small clusters."
            ),
        ),
    ] = None,
    bang_khen_max: Annotated[
        int | None,
        typer.Option("--bang-khen-max", min=0, help=_("At most this many Bằng khen.")),
    ] = None,
    council_threshold: Annotated[
        int | None,
        typer.Option(
            "--council-threshold",
            min=1,
            max=100,
            help=_(
                "The Council's passing share (percent of its members), a rule of the year "
                "(--all-clusters); default: more than 50."
            ),
        ),
    ] = None,
    council_threshold_rule: Annotated[
        ThresholdRule | None,
        typer.Option("--council-threshold-rule", help=_("at-least or more-than (the default).")),
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help=_("Forget this scope's rules: back to the defaults."))
    ] = False,
    # the spellings of earlier versions, kept for scripts written against them
    flag_quota: Annotated[int | None, typer.Option("--flag-quota", min=0, hidden=True)] = None,
    merit_quota: Annotated[int | None, typer.Option("--merit-quota", min=0, hidden=True)] = None,
    merit_percent: Annotated[
        int | None, typer.Option("--merit-percent", min=0, max=100, hidden=True)
    ] = None,
    db_path: DbOption = None,
) -> None:
    co_thi_dua_quota = _one(co_thi_dua_quota, flag_quota, "--co-thi-dua-quota", "--flag-quota")
    bang_khen_quota = _one(bang_khen_quota, merit_quota, "--bang-khen-quota", "--merit-quota")
    bang_khen_percent = _one(
        bang_khen_percent, merit_percent, "--bang-khen-percent", "--merit-percent"
    )
    if bang_khen_quota is not None and bang_khen_percent is not None:
        raise InvalidInput(_("Give --bang-khen-quota or --bang-khen-percent, not both."))
    values: dict[str, object] = {}
    if bang_khen_quota is not None:
        values.update(bang_khen_quota=bang_khen_quota, bang_khen_percent=None)
    if bang_khen_percent is not None:
        values.update(bang_khen_percent=bang_khen_percent, bang_khen_quota=None)
    if co_thi_dua_quota is not None:
        values["co_thi_dua_quota"] = co_thi_dua_quota
    if tie_break is not None:
        values["tie_break"] = ",".join(parse_tie_break(tie_break)) or "none"
    if score_rule is not None:
        values["score_rule"] = ",".join(parse_score_rule(score_rule))
    values.update(
        award_conditions(
            vote_threshold=vote_threshold,
            vote_threshold_rule=vote_threshold_rule,
            vote_threshold_awards=vote_threshold_awards,
            min_rating=min_rating,
            min_rating_co_thi_dua=min_rating_co_thi_dua,
            min_rating_bang_khen=min_rating_bang_khen,
            bang_khen_min=bang_khen_min,
            bang_khen_max=bang_khen_max,
        )
    )
    if council_threshold is not None:
        values["council_threshold"] = council_threshold
    if council_threshold_rule is not None:
        values["council_threshold_rule"] = council_threshold_rule
    with writing(db_path) as conn:
        found = policies.set_policy(conn, cluster, all_clusters, year, values, reset=reset)
    say(
        _("Rules saved for {scope}, {year}.").format(
            scope=found.name if found else _("every cluster"), year=year
        )
    )


def _one(new: int | None, old: int | None, name: str, old_name: str) -> int | None:
    if new is not None and old is not None:
        raise InvalidInput(
            _("{old} is the earlier name of {new}; give one of them.").format(
                old=old_name, new=name
            )
        )
    return new if new is not None else old
