"""The rules a province or a cluster sets for itself, as data with defaults.

Effective policy for a cluster-year = thidua's defaults, overlaid by the year's rule for every
cluster, overlaid by the cluster-year's own rule. Each field says where its value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import (
    AWARDS,
    BANG_KHEN,
    CO_THI_DUA,
    POLICY_FIELDS,
    RATING_NAMES,
    RATINGS,
    AwardRules,
)
from thidua_cli.rules.text import plain_key

# The defaults a database starts with (its policy_default row, which a province may edit):
# floor(0.3 x members) Bằng khen fits the Lạng Sơn articles.
DEFAULT_BANG_KHEN_PERCENT = 30
DEFAULT_CO_THI_DUA_QUOTA = 1
DEFAULT_TIE_BREAK = ("votes",)
DEFAULT_SCORE_RULE = ("final", "peer", "self")
SCORE_SOURCES = ("final", "peer", "self")
MAX_TIE_BREAK_STEPS = 3
DEFAULT_THRESHOLD_RULE = "at-least"
# The Council passes a proposal with more than half of its members (a rule of the year).
DEFAULT_COUNCIL_THRESHOLD = 50
DEFAULT_COUNCIL_RULE = "more-than"
DEFAULT_VOTE_GATES = (CO_THI_DUA,)
FIELDS = POLICY_FIELDS
# The fields that overlay one by one (the Bằng khen's number and percentage replace each other).
_PLAIN = FIELDS[2:]
NO_RATING = "none"  # a minimum rating set to this lifts a requirement of a layer below


@dataclass(frozen=True)
class Policy:
    """The award rules of one cluster-year, as the layers of policy settle them."""

    bang_khen_quota: int | None = None  # a fixed number of Bằng khen, if set
    bang_khen_percent: int = DEFAULT_BANG_KHEN_PERCENT
    co_thi_dua_quota: int = DEFAULT_CO_THI_DUA_QUOTA
    tie_break: tuple[str, ...] = DEFAULT_TIE_BREAK
    score_rule: tuple[str, ...] = DEFAULT_SCORE_RULE
    vote_threshold: int | None = None  # percent of the valid ballots; None: no threshold
    vote_threshold_rule: str = DEFAULT_THRESHOLD_RULE
    vote_gates: tuple[str, ...] = DEFAULT_VOTE_GATES
    min_rating_co_thi_dua: str | None = None
    min_rating_bang_khen: str | None = None
    bang_khen_min: int = 0  # a floor under the Bằng khen quota (within the members after the Cờ)
    bang_khen_max: int | None = None  # a cap on it
    council_threshold: int = DEFAULT_COUNCIL_THRESHOLD  # the Council's passing share, percent
    council_threshold_rule: str = DEFAULT_COUNCIL_RULE
    origin: dict[str, str] = field(default_factory=dict, compare=False)

    def bang_khen_quota_for(self, members: int) -> int:
        """How many Bằng khen a cluster of `members` units may propose: the number or the
        percentage (rounded down), under the cap, over the floor; the floor never reaches past
        the members left after the Cờ."""
        if self.bang_khen_quota is not None:
            quota = self.bang_khen_quota
        else:
            quota = members * self.bang_khen_percent // 100
        if self.bang_khen_max is not None:
            quota = min(quota, self.bang_khen_max)
        floor = min(self.bang_khen_min, max(0, members - self.co_thi_dua_quota))
        return max(quota, floor)

    @cached_property
    def award_rules(self) -> AwardRules:
        minimums = (
            (CO_THI_DUA, self.min_rating_co_thi_dua),
            (BANG_KHEN, self.min_rating_bang_khen),
        )
        return AwardRules(
            vote_threshold=self.vote_threshold,
            vote_threshold_rule=self.vote_threshold_rule,
            vote_gates=self.vote_gates,
            min_rating=tuple((award, rating) for award, rating in minimums if rating),
        )


def parse_tie_break(text: str) -> tuple[str, ...]:
    """'votes, group:Công tác khen thưởng' -> ('votes', 'group:Công tác khen thưởng')."""
    steps = []
    for raw in text.split(","):
        step = raw.strip()
        if not step or step == "none":
            continue
        if step == "votes":
            steps.append(step)
        elif step.startswith("group:") and step[6:].strip():
            steps.append("group:" + step[6:].strip())
        else:
            raise InvalidInput(
                _("“{step}” is not a tie-break; use votes, group:<group name> or none.").format(
                    step=step
                )
            )
    if len(steps) > MAX_TIE_BREAK_STEPS:
        raise InvalidInput(
            _("A tie-break has at most {count} steps; “{text}” has {found}.").format(
                count=MAX_TIE_BREAK_STEPS, text=text, found=len(steps)
            )
        )
    return tuple(steps)


def parse_score_rule(text: str) -> tuple[str, ...]:
    """'final,peer,self': which score counts, first present wins."""
    steps = tuple(s.strip() for s in text.split(",") if s.strip())
    if not steps or any(s not in SCORE_SOURCES for s in steps) or len(set(steps)) != len(steps):
        raise InvalidInput(
            _(
                "“{text}” is not a score rule; list final, peer, self in the order they count."
            ).format(text=text)
        )
    return steps


def parse_vote_gates(text: str) -> tuple[str, ...]:
    """'co_thi_dua' or 'co_thi_dua,bang_khen': the awards a vote threshold applies to."""
    gates = tuple(dict.fromkeys(g.strip() for g in text.split(",") if g.strip()))
    if not gates or any(g not in AWARDS for g in gates):
        raise InvalidInput(
            _("“{text}” does not name awards; use co_thi_dua, bang_khen or both.").format(text=text)
        )
    return tuple(a for a in AWARDS if a in gates)


def check_rating(text: str, *, allow_none: bool = False) -> str:
    """A rating's code from its code (any case) or its name as the papers write it ("Hoàn
    thành xuất sắc nhiệm vụ"), checked."""
    code = text.strip().lower()
    if code in RATINGS or (allow_none and code == NO_RATING):
        return code
    by_name = {plain_key(name): code for code, name in RATING_NAMES.items()}
    if plain_key(text) in by_name:
        return by_name[plain_key(text)]
    choices = ", ".join(RATINGS) + (f", {NO_RATING}" if allow_none else "")
    raise InvalidInput(
        _("“{text}” is not a rating; use one of: {choices}.").format(text=text, choices=choices)
    )


def rating_reaches(rating: str, minimum: str) -> bool:
    """Whether a rating is the minimum or better (ratings are listed best first)."""
    return RATINGS.index(rating) <= RATINGS.index(minimum)


def effective(layers: list[tuple[str, dict[str, object]]]) -> Policy:
    """Overlay (origin, stored row) layers, most general first, on the defaults."""
    values: dict[str, object] = {}
    origin = dict.fromkeys(FIELDS, "default")
    for name, row in layers:
        # The Bằng khen quota is either a fixed number or a percentage; a layer that sets one
        # replaces whichever the layers below it set.
        if row.get("bang_khen_quota") is not None:
            values["bang_khen_quota"] = row["bang_khen_quota"]
            origin["bang_khen_quota"] = name
        elif row.get("bang_khen_percent") is not None:
            values["bang_khen_percent"] = row["bang_khen_percent"]
            values["bang_khen_quota"] = None
            origin["bang_khen_percent"] = origin["bang_khen_quota"] = name
        for key in _PLAIN:
            if row.get(key) is not None:
                values[key] = row[key]
                origin[key] = name
    tie_break = values.get("tie_break")
    score_rule = values.get("score_rule")
    gates = values.get("vote_gates")
    threshold = values.get("vote_threshold")
    return Policy(
        bang_khen_quota=values.get("bang_khen_quota"),  # type: ignore[arg-type]
        bang_khen_percent=values.get(  # type: ignore[arg-type]
            "bang_khen_percent", DEFAULT_BANG_KHEN_PERCENT
        ),
        co_thi_dua_quota=values.get(  # type: ignore[arg-type]
            "co_thi_dua_quota", DEFAULT_CO_THI_DUA_QUOTA
        ),
        tie_break=parse_tie_break(tie_break) if isinstance(tie_break, str) else DEFAULT_TIE_BREAK,
        score_rule=(
            parse_score_rule(score_rule) if isinstance(score_rule, str) else DEFAULT_SCORE_RULE
        ),
        # 0 is stored to lift a threshold set by a layer below
        vote_threshold=threshold if isinstance(threshold, int) and threshold > 0 else None,
        vote_threshold_rule=str(values.get("vote_threshold_rule", DEFAULT_THRESHOLD_RULE)),
        vote_gates=parse_vote_gates(gates) if isinstance(gates, str) else DEFAULT_VOTE_GATES,
        min_rating_co_thi_dua=_rating(values.get("min_rating_co_thi_dua")),
        min_rating_bang_khen=_rating(values.get("min_rating_bang_khen")),
        bang_khen_min=int(values.get("bang_khen_min") or 0),  # type: ignore[call-overload]
        bang_khen_max=values.get("bang_khen_max"),  # type: ignore[arg-type]
        council_threshold=int(
            values.get("council_threshold") or DEFAULT_COUNCIL_THRESHOLD  # type: ignore[call-overload]
        ),
        council_threshold_rule=str(values.get("council_threshold_rule", DEFAULT_COUNCIL_RULE)),
        origin=origin,
    )


def _rating(value: object) -> str | None:
    return value if isinstance(value, str) and value != NO_RATING else None
