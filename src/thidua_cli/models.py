"""The records every room shares: the store fills them, the rules read and make them, the output
shows them. Plain data, no behaviour beyond what a field says of itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

CO_THI_DUA = "co_thi_dua"
BANG_KHEN = "bang_khen"
AWARDS = (CO_THI_DUA, BANG_KHEN)
# The official names, as the province's papers print them (the same in every language).
AWARD_NAMES = {
    CO_THI_DUA: "Cờ thi đua của UBND tỉnh",
    BANG_KHEN: "Bằng khen của Chủ tịch UBND tỉnh",
}
# The central level's awards a province nominates for, from the units it granted its own.
HIGHER_AWARDS = {
    "co_chinh_phu": "Cờ thi đua của Chính phủ",
    "bang_khen_thu_tuong": "Bằng khen của Thủ tướng Chính phủ",
}
# Which higher awards `nominate` draws candidates for (from the provincial Cờ).
NOMINATED = ("co_chinh_phu",)
# A unit's yearly rating (xếp loại), best first, with the names the papers use.
RATINGS = ("htxsnv", "httnv", "htnv", "khtnv")
RATING_NAMES = {
    "htxsnv": "Hoàn thành xuất sắc nhiệm vụ",
    "httnv": "Hoàn thành tốt nhiệm vụ",
    "htnv": "Hoàn thành nhiệm vụ",
    "khtnv": "Không hoàn thành nhiệm vụ",
}
# The rules a year or a cluster-year may set (the policy table's columns; NULL: inherit).
POLICY_FIELDS = (
    "bang_khen_quota", "bang_khen_percent", "co_thi_dua_quota", "tie_break", "score_rule",
    "vote_threshold", "vote_threshold_rule", "vote_gates", "min_rating_co_thi_dua",
    "min_rating_bang_khen", "bang_khen_min", "bang_khen_max", "council_threshold",
    "council_threshold_rule",
)  # fmt: skip
# How a vote threshold reads: "từ 50% trở lên" (at least) or "trên 50%" (more than).
THRESHOLD_RULES = ("at-least", "more-than")


@dataclass(frozen=True)
class Unit:
    """A unit (đơn vị), by any of the names it answers to."""

    id: int
    name: str
    short_name: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cluster:
    """An emulation cluster (Cụm) or block (Khối); its numbers are reused across years."""

    id: int
    name: str
    code: str | None = None
    kind: str = "cum"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """Something a name can point at: its id, its display name and every name it answers to."""

    id: int
    name: str
    names: tuple[str, ...] = ()
    active: bool = False
    label: str = field(default="", compare=False)

    def all_names(self) -> tuple[str, ...]:
        return (self.name, *self.names)


class Member(NamedTuple):  # a tuple: a year of the whole country holds thousands
    unit_id: int
    name: str
    role: str = "member"
    short_name: str | None = None


@dataclass(frozen=True)
class Conference:
    """A review conference of a cluster-year: the half-year or the year-end one."""

    period: str
    held_on: str | None
    place: str | None
    chair_unit: str | None = None  # the unit that chaired, when not the leader
    chair_name: str | None = None  # the person who chaired: name and title
    secretary: str | None = None  # the person who kept the minutes
    present: tuple[str, ...] | None = None  # the member units present; None: not recorded
    guests: tuple[str, ...] = ()  # the Board's representatives and other guests: name, title


@dataclass(frozen=True)
class Covenant:
    """The emulation covenant (giao ước thi đua) the members of a cluster signed for a year."""

    signed_on: str
    note: str | None = None


@dataclass(frozen=True)
class Signer:
    """Who signs a cluster-year's papers: a person, not a unit. The leader unit's head signs for
    the cluster (TM.), or the deputy's head on behalf of the leader (KT.)."""

    name: str
    role: str  # leader | deputy


@dataclass(frozen=True)
class RoleHeld:
    """A year in which a unit led or deputised a cluster."""

    year: int
    role: str  # leader | deputy
    cluster: str
    kind: str = "cum"  # the cluster's kind, which names the role


@dataclass
class ClusterYear:
    """A cluster as it stood in one year: members with roles, conferences and covenant."""

    cluster: Cluster
    year: int
    members: list[Member] = field(default_factory=list)
    conferences: list[Conference] = field(default_factory=list)
    covenant: Covenant | None = None
    signer: Signer | None = None  # who signs its papers, when recorded

    def holder(self, role: str) -> Member | None:
        return next((m for m in self.members if m.role == role), None)


@dataclass(frozen=True)
class ClusterSummary:
    """A cluster as `cluster list` shows it: the years it has members, and when a year is asked
    for, how it stood that year."""

    cluster: Cluster
    years: list[int]
    state: ClusterYear | None = None


class UnitPlace(NamedTuple):
    """A unit and, when a year is asked for, the cluster it belongs to that year and its role."""

    unit: Unit
    cluster: str | None = None
    role: str | None = None
    kind: str = "cum"  # the cluster's kind, which names the role


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Criterion:
    """One line of a criteria set (bảng chấm điểm); points in hundredths."""

    id: int
    code: str
    group: str
    name: str
    max_points: int
    kind: str  # base | bonus | deduction
    position: int = 0


class Score(NamedTuple):
    """One stored score. A tuple, not a dataclass: a national year holds hundreds of thousands."""

    unit_id: int
    criterion_id: int
    source: str  # self | peer | final
    points: int
    scorer_id: int | None = None


class CriterionScores(NamedTuple):
    """A unit's scores of one criterion, one value per source: the final value, the mean of the
    peer scores (rounded half up to hundredths), its own score; None where there is none."""

    unit_id: int
    criterion_id: int
    final: int | None
    peer: int | None
    self: int | None


class Tally(NamedTuple):
    """The sums of one unit's scores over criteria that share a kind, a group and the sources
    present: what the store adds up so that the rules need not see every score.

    `final`, `peer` and `self` are the sums, over those criteria, of the value each source gives
    (a peer value is the mean of the peer scores, rounded half up to hundredths). `group` is the
    criteria group, or None when the groups were not asked for.
    """

    unit_id: int
    kind: str  # base | bonus | deduction
    group: str | None
    sources: frozenset[str]
    criteria: int
    final: int = 0
    peer: int = 0
    self: int = 0


# ---------------------------------------------------------------- ranking


@dataclass(slots=True)
class Row:
    """A member's standing in a cluster-year: live from the scores, or as submitted."""

    unit_id: int
    unit: str
    short: str | None = None  # the short name, for narrow tables
    base: int = 0
    bonus: int = 0
    deduction: int = 0
    scored: int = 0  # criteria with a counted value
    missing: int = 0  # base criteria without one
    votes: int | None = None  # ballots for the unit at the review (phiếu đồng ý)
    voters: int | None = None  # valid ballots (phiếu hợp lệ)
    flags: list[str] = field(default_factory=list)  # why the unit is not eligible this year
    groups: dict[str, int] = field(default_factory=dict)  # folded group name -> points
    rank: int | None = None
    tied: bool = False
    steps: tuple[str, ...] = ()  # the tie-break steps that placed it among equal totals
    eligible: bool = False
    award_code: str | None = None
    pending_awards: list[str] = field(default_factory=list)  # awards an unresolved tie holds
    issued: int | None = None  # ballots issued (phiếu phát ra)
    rating: str | None = None  # the unit's rating of the year (xếp loại), a RATINGS code
    barred: dict[str, str] = field(default_factory=dict)  # award -> why not: votes | rating
    awaiting: list[str] = field(default_factory=list)  # what its award waits for: ballot | rating

    @property
    def total(self) -> int:
        return self.base + self.bonus - self.deduction

    @property
    def decided_by(self) -> str | None:
        """The first tie-break step that placed it among equal totals."""
        return self.steps[0] if self.steps else None


@dataclass(frozen=True)
class Tie:
    """Units on the same total that the tie-breaks did not part, where it decides an award."""

    rank: int
    units: tuple[str, ...]
    awards: tuple[str, ...]
    total: int


@dataclass(frozen=True)
class AwardRules:
    """What an award asks of a unit beyond its place: the ballot's share and the rating."""

    vote_threshold: int | None = None  # percent of the valid ballots; None: no threshold
    vote_threshold_rule: str = "at-least"  # THRESHOLD_RULES
    vote_gates: tuple[str, ...] = (CO_THI_DUA,)  # the awards the threshold applies to
    min_rating: tuple[tuple[str, str], ...] = ()  # (award, lowest rating that qualifies)

    def min_rating_for(self, award: str) -> str | None:
        return dict(self.min_rating).get(award)


@dataclass
class Ranking:
    """A cluster-year ranked: its rows, its ties and the award quotas it was ranked with."""

    period: str
    members: int
    rows: list[Row]
    unresolved_ties: list[Tie]
    tie_groups: list[tuple[int, tuple[str, ...], tuple[str, ...]]]  # total, units, steps used
    co_thi_dua_quota: int
    bang_khen_quota: int
    rules: AwardRules = AwardRules()

    @property
    def awaiting(self) -> list[Row]:
        """The rows whose award waits for a ballot or a rating to be recorded."""
        return [r for r in self.rows if r.awaiting]

    @property
    def has_scores(self) -> bool:
        return any(r.scored for r in self.rows)


# ---------------------------------------------------------------- what a source reports


@dataclass(frozen=True)
class ReportedPlacing:
    """A place (and the award proposed, where stated) that an outside source reports, such as
    the article on a conference: a fact kept apart from what thidua computes."""

    unit_id: int
    unit: str
    place: int
    award: str | None  # co_thi_dua | bang_khen; None: the source states no proposal
    source: str


@dataclass(frozen=True)
class Provenance:
    """Where a cluster-year review's numbers come from: its scores made up for illustration
    (`illustrative` holds the note saying why), and the placings a source reports. Empty for
    a database whose scores are real and whose placings are only computed."""

    illustrative: str | None = None
    placings: tuple[ReportedPlacing, ...] = ()

    def __bool__(self) -> bool:
        return self.illustrative is not None or bool(self.placings)

    def placing(self, unit_id: int) -> ReportedPlacing | None:
        return next((p for p in self.placings if p.unit_id == unit_id), None)


# ---------------------------------------------------------------- the year's record


@dataclass(frozen=True)
class Submission:
    """A cluster's file for a review (hồ sơ đề nghị), as submitted: one version of it.

    The ranking it holds is kept as records (submission_row); a correction is a new version, and
    the one it replaces stays, withdrawn, with the reason.
    """

    id: int
    cluster_id: int
    year: int
    period: str  # year | half
    version: int
    submitted_on: str
    number: str | None
    members: int
    co_thi_dua_quota: int
    bang_khen_quota: int
    tie_break: tuple[str, ...]
    score_rule: tuple[str, ...]
    status: str  # submitted | withdrawn
    withdrawn_reason: str | None = None
    withdrawn_at: str | None = None
    origin: str = "submit"  # submit | migration (made from the ranking of an older database)
    rules: AwardRules = AwardRules()  # the threshold and ratings the ranking was made under


@dataclass(frozen=True)
class Revocation:
    """A later decision that revokes (hủy bỏ, thu hồi) an award; the original stays on record."""

    number: str
    decided_on: str
    reason: str


@dataclass(frozen=True)
class Decision:
    """The province's decision on one proposal of a submission."""

    id: int
    submission_id: int
    unit_id: int
    year: int
    award: str  # the proposal it decides
    granted: str | None  # the form granted (may differ from the proposal); None: not granted
    number: str | None
    decided_on: str
    version: int = 1  # of the submission it stands against
    revocation: Revocation | None = None

    @property
    def standing(self) -> bool:
        """Granted and not revoked."""
        return self.granted is not None and self.revocation is None


@dataclass(frozen=True)
class DecisionLine:
    """A line of a decision's list (one QĐ for several units), as the file gives it."""

    line: int
    unit: str
    award: str
    granted: str  # empty: the form proposed


@dataclass(frozen=True)
class Review:
    """The provincial Board's receipt of a cluster's file: accepted, or returned with a reason
    (a returned file is withdrawn; the cluster fixes it and submits the next version)."""

    submission_id: int
    action: str  # accept | return
    reviewed_on: str
    reason: str | None = None


@dataclass(frozen=True)
class CouncilVote:
    """The Council's vote (Hội đồng Thi đua - Khen thưởng tỉnh) on one proposal of a file."""

    submission_id: int
    unit_id: int
    award: str
    agree: int
    members: int
    voted_on: str | None = None
    passed: bool | None = None  # under the year's rule; None until judged


@dataclass
class ClusterResult:
    """A cluster-year's review as thidua shows it: the submitted record where there is one, else
    the live ranking as a draft; with the decisions on its proposals and the earlier versions."""

    cluster: Cluster
    year: int
    period: str
    ranking: Ranking | None  # None when there are no scores and nothing was submitted
    submission: Submission | None  # the standing submission, None for a draft
    # (unit id, award) -> the decision on that proposal of the standing submission
    decisions: dict[tuple[int, str], Decision] = field(default_factory=dict)
    withdrawn: list[Submission] = field(default_factory=list)  # earlier versions
    earlier_decisions: list[tuple[Submission, Row, Decision]] = field(default_factory=list)
    review: Review | None = None  # the Board's, of the standing submission
    council: dict[tuple[int, str], CouncilVote] = field(default_factory=dict)  # (unit, award)
    returned: list[tuple[Submission, Review]] = field(default_factory=list)  # earlier versions
    provenance: Provenance = field(default_factory=Provenance)  # illustrative? reported?

    @property
    def status(self) -> str:
        return "submitted" if self.submission is not None else "draft"


@dataclass
class YearAwards:
    """The year-end proposals of a year across clusters, as the province receives them."""

    year: int
    results: list[ClusterResult]  # the clusters with a ranking to propose from
    skipped: list[Cluster] = field(default_factory=list)  # no year-end scores, nothing submitted


@dataclass
class LiveRanking:
    """A cluster-year's ranking from the scores as they stand, beside what was submitted."""

    cluster: Cluster
    year: int
    ranking: Ranking
    submission: Submission | None  # the standing submission of the same review, if any
    differs: list[str] = field(default_factory=list)  # units placed otherwise than submitted
    provenance: Provenance = field(default_factory=Provenance)  # illustrative? reported?


@dataclass
class ClusterReport:
    """What the database holds about one cluster's review of a year, for its report."""

    result: ClusterResult
    state: ClusterYear
    next_leader: str | None = None  # elected for the year after (year-end only)
    next_deputy: str | None = None
    next_covenant: Covenant | None = None  # the next year's covenant, signed at the conference

    @property
    def cluster(self) -> Cluster:
        return self.result.cluster

    @property
    def year(self) -> int:
        return self.result.year

    @property
    def period(self) -> str:
        return self.result.period

    @property
    def ranking(self) -> Ranking | None:
        ranking = self.result.ranking
        return ranking if ranking is not None and ranking.has_scores else None


@dataclass
class UnitYear:
    """One year of a unit's record: where it was, how it placed, what it was proposed for."""

    year: int
    cluster: str
    role: str
    status: str = "draft"  # of the year-end review: draft | submitted
    version: int | None = None  # of the standing submission
    rank: int | None = None
    tied: bool = False
    total: int | None = None
    award: str | None = None  # the award proposed, if any
    pending: list[str] = field(default_factory=list)  # awards an unresolved tie holds
    flags: list[str] = field(default_factory=list)
    decided: Decision | None = None  # the decision on the proposal that stands, if any
    decisions: list[Decision] = field(default_factory=list)  # every version's, oldest first
    central: list[CentralDecision] = field(default_factory=list)  # the higher awards decided
    provenance: Provenance = field(default_factory=Provenance)  # of the year-end review
    kind: str = "cum"  # the cluster's kind, which names the role


@dataclass(frozen=True)
class CentralDecision:
    """What the central level decided on a higher award (HIGHER_AWARDS), as a record; it is not
    bound to a cluster's submission."""

    id: int
    unit_id: int
    year: int
    award: str
    number: str
    decided_on: str


@dataclass(frozen=True)
class Nominee:
    """A candidate for a higher award: a unit granted the provincial Cờ in the year, with its
    record of Cờ and Bằng khen (the years granted and the run that ends in the year)."""

    unit: str
    cluster: str | None
    flag_years: tuple[int, ...]
    flag_run: tuple[int, ...]
    certificate_years: tuple[int, ...]
    certificate_run: tuple[int, ...]


# ---------------------------------------------------------------- the documents and the file


class Initialised(NamedTuple):
    """What `thidua init` found and did."""

    existed: bool  # the file held a database before
    sample: dict[str, int] | None = None  # what the sample brought, when it was loaded now


class Restored(NamedTuple):
    """What `thidua restore` did: the backup's schema, and where the replaced database is kept
    (None when there was no database before)."""

    schema: int
    kept: Path | None


class Setting(NamedTuple):
    """A name the documents print: its value, and whether it was set or is the default."""

    key: str
    value: str | None
    stored: bool


@dataclass
class YearReports:
    """What the documents of a year are written from: the names they print and the reviews."""

    settings: dict[str, str | None]
    reports: list[ClusterReport]
    skipped: list[ClusterReport] = field(default_factory=list)  # no ranking to propose from


@dataclass(frozen=True)
class Finding:
    """Something `thidua check` found wrong with the database."""

    severity: str  # error | warning
    message: str
    damage: bool = False  # the file itself is damaged (restore it from a backup)


@dataclass(frozen=True)
class AuditEntry:
    """A row of the audit log: who changed what, when, with which command."""

    id: int
    at: str
    user: str
    command: str
    table: str
    action: str
    cluster: str | None
    year: int | None
    unit: str | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
