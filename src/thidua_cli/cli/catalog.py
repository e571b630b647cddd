"""Every command: its name, where it lives, and its help, readable without importing it.

`thidua rank` loads only the module of `rank`; `thidua --help` loads none. The order here is the
order of `thidua --help`: the yearly cycle, then the records, then the safety commands.
"""

from __future__ import annotations

from thidua_cli.i18n import _

# name -> ("module:attribute", help); the attribute is a command function or a Typer group
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("setup:init", _("Create the database (or bring an existing one up to date).")),
    "unit": ("units:app", _("Units (đơn vị): add, list, rename.")),
    "cluster": (
        "clusters:app",
        _("Clusters (Cụm thi đua): add, list, show, and members with their roles per year."),
    ),
    "covenant": (
        "clusters:covenant_app",
        _("The emulation covenant (giao ước thi đua) the members of a cluster sign each year."),
    ),
    "criteria": (
        "criteria:app",
        _("Criteria sets (bảng chấm điểm): import, list, and the template to start from."),
    ),
    "score": (
        "scores:app",
        _("Scores: set one, import a file, show the matrix, write the Excel scoring sheet."),
    ),
    "vote": (
        "votes:app",
        _(
            "The ballot at the review (bình xét): votes, valid ballots, ballots issued; "
            "set, import."
        ),
    ),
    "rating": (
        "ratings:app",
        _("A unit's rating of the year (xếp loại), which an award may require: set, import, list."),
    ),
    "flag": (
        "flags:app",
        _("Flags that make a unit ineligible for awards in a year: add, list, remove."),
    ),
    "policy": (
        "policy:app",
        _("Rules of a cluster-year or of a whole year: quotas, tie-breaks, score rule."),
    ),
    "rank": (
        "ranking:rank",
        _(
            "Rank a cluster-year by total score (1, 2, 2, 4), with ties, flags and the award "
            "proposals."
        ),
    ),
    "awards": (
        "ranking:awards",
        _("The award proposals of a year across clusters, for the province (CSV for Excel)."),
    ),
    "elect": (
        "election:elect",
        _(
            "Record the leader and deputy of a cluster for a year (elected at the year-end "
            "conference of the year before), or --suggest them by the rotation custom."
        ),
    ),
    "submit": (
        "submissions:submit",
        _(
            "Submit a cluster's review after its conference: the ranking and, year-end, the "
            "award proposals are kept as a record (version 1, 2, ...), and the cluster-year is "
            "locked."
        ),
    ),
    "review": (
        "board:review",
        _(
            "The Board (Ban Thi đua - Khen thưởng) receives a cluster's submitted file "
            "(--accept) or returns it with a reason (--return)."
        ),
    ),
    "council": (
        "board:council_app",
        _(
            "The Council's vote (Hội đồng Thi đua - Khen thưởng tỉnh) on each proposal of a "
            "file the Board received: set, import."
        ),
    ),
    "decide": (
        "decisions:app",
        _(
            "Record the province's decision on a submitted proposal (granted, in another form "
            "with --granted, or --rejected); `decide import` records one decision for a list, "
            "`decide revoke` its revocation."
        ),
    ),
    "nominate": (
        "nominate:nominate",
        _(
            "The candidates for the Government's emulation flag (Cờ thi đua của Chính phủ): "
            "the units granted the provincial Cờ in the year, with their runs of Cờ and Bằng "
            "khen, longest first. Writes nothing."
        ),
    ),
    "minutes": (
        "reports:minutes",
        _(
            "The minutes of a cluster's year-end review conference (biên bản họp bình xét): "
            "when and where, who chaired, the members, the ballot and its shares, the ranking, "
            "the proposals, the election; Markdown, HTML, Word or JSON."
        ),
    ),
    "history": (
        "history:history",
        _(
            "A unit's or a cluster's record year by year: cluster, role, rank, awards proposed "
            "and decided, with runs of consecutive years."
        ),
    ),
    "report": (
        "reports:report",
        _(
            "The year in review as an official report: a cluster's (members, conference, "
            "covenant, ranking, flags, proposals, next year's leader and deputy) or, without "
            "--cluster, the province summary for the Board. Markdown to stdout, or -o FILE "
            "(.md, .html, .docx, .json)."
        ),
    ),
    "submission": (
        "reports:submission",
        _(
            "The award submission (tờ trình đề nghị khen thưởng): the proposed units with their "
            "award and achievement, for the whole province or one --cluster."
        ),
    ),
    "settings": (
        "reports:settings_app",
        _("Names the documents print: the province, the Board and the body above it."),
    ),
    "log": (
        "safety:log",
        _(
            "The audit log: every change, who made it (the OS user), when, with which command, "
            "and the old and new values."
        ),
    ),
    "lock": (
        "safety:lock",
        _(
            "Lock a cluster-year after its conference: its scores, votes, flags, ratings, policy, "
            "members, criteria, conferences, covenant and signer cannot change until it is "
            "unlocked, and its papers keep the names and settings they were locked with."
        ),
    ),
    "unlock": (
        "safety:unlock",
        _(
            "Unlock a cluster-year; its submission is withdrawn (refused while a decision granted "
            "on it stands) and the reason goes into the audit log."
        ),
    ),
    "backup": (
        "safety:backup",
        _(
            "Copy the database, while in use, to FILE with SQLite's online backup, and verify "
            "the copy."
        ),
    ),
    "restore": (
        "safety:restore",
        _(
            "Put a backup in place of the database, through SQLite (its -wal cannot undo it): "
            "the backup is checked first, and the database as it was is kept beside it."
        ),
    ),
    "check": (
        "safety:check",
        _(
            "Check the database: damaged pages, broken links between tables, and thidua's own "
            "rules."
        ),
    ),
    "datasette": (
        "browse:datasette",
        _(
            "Browse the database, read-only, in Datasette, with Vietnamese titles and ready "
            "queries (Datasette is an optional extra: pip install '.[datasette]')."
        ),
    ),
    "export": (
        "safety:export",
        _(
            "Write the whole database, one year, or one cluster-year (--cluster and --year) as a "
            "readable JSON bundle, to send to the province."
        ),
    ),
    "import": (
        "safety:import_",
        _(
            "Merge a JSON bundle into this database, all or nothing; rows that contradict what is "
            "stored are refused unless --on-conflict says keep (ours) or replace (the bundle's)."
        ),
    ),
}


# command path -> one or two examples, shown under the command's help ("Examples:"); the
# commands are the same in every language, the data in them is the province's own.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "rank": (
        'thidua rank --cluster "Cụm I" --year 2020',
        'thidua rank --cluster "Cụm I" --year 2020 -o xep-hang.xlsx',
    ),
    "awards": (
        "thidua awards --year 2020",
        "thidua awards --year 2020 --format csv --output de-nghi-2020.csv",
    ),
    "report": (
        'thidua report --cluster "Cụm II" --year 2020 -o cum-ii-2020.docx',
        "thidua report --year 2020 -o tong-hop-2020.html",
    ),
    "submission": ("thidua submission --year 2020 -o to-trinh-2020.docx --date 20/01/2021",),
    "submit": ('thidua submit --cluster "Cụm I" --year 2024 --date 08/01/2025',),
    "elect": (
        'thidua elect --cluster "Cụm I" --year 2025 --suggest',
        'thidua elect --cluster "Cụm I" --year 2025 --leader "VietinBank Lạng Sơn" '
        '--deputy "BIDV Lạng Sơn"',
    ),
    "decide": (
        'thidua decide --year 2024 --unit "Agribank Lạng Sơn" --award co_thi_dua '
        '--decision "123/QĐ-UBND" --date 20/01/2025',
        'thidua decide import qd-124.csv --year 2024 --decision "124/QĐ-UBND" --date 20/01/2025',
    ),
    "decide import": (
        'thidua decide import qd-124.csv --year 2024 --decision "124/QĐ-UBND" --date 20/01/2025',
    ),
    "cluster join": (
        'thidua cluster join "Cụm I" "Agribank Lạng Sơn" --year 2024 --role leader',
        'thidua cluster join "cụm 1" "BIDV Lạng Sơn" "VietinBank Lạng Sơn" --year 2024',
    ),
    "criteria import": ("thidua criteria import tieu-chi.csv --default --year 2024",),
    "criteria template": ("thidua criteria template -o tieu-chi.csv",),
    "score import": (
        'thidua score import diem-cum-1.csv --cluster "Cụm I" --year 2024',
        'thidua score import tu-cham/ --cluster "Cụm I" --year 2024',
    ),
    "score template": (
        'thidua score template --cluster "Cụm I" --year 2024 -o cham-diem-cum-i.xlsx',
        'thidua score template --cluster "Cụm I" --year 2024 --source self -o tu-cham/',
    ),
}


def help_of(name: str) -> str:
    return COMMANDS[name][1]


def examples_of(path: str) -> str | None:
    """The epilog of a command's help: its examples, kept as written (Click's \\b)."""
    examples = EXAMPLES.get(path)
    if not examples:
        return None
    return "\b\n" + _("Examples:") + "\n" + "\n".join(f"  {line}" for line in examples)
