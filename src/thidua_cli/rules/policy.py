"""The rules a province or a cluster sets for itself, as data with defaults.

Effective policy for a cluster-year = thidua's defaults, overlaid by the year's rule for every
cluster, overlaid by the cluster-year's own rule. Each field says where its value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.rules.text import fold_key

DEFAULT_MERIT_PERCENT = 30  # floor(0.3 x members) certificates: fits the Lạng Sơn articles
DEFAULT_FLAG_QUOTA = 1
DEFAULT_TIE_BREAK = ("votes",)
DEFAULT_SCORE_RULE = ("final", "peer", "self")
SCORE_SOURCES = ("final", "peer", "self")
MAX_TIE_BREAK_STEPS = 3  # the ranking view (store/migrations.py, M6) reads three
FIELDS = ("merit_quota", "merit_percent", "flag_quota", "tie_break", "score_rule")


@dataclass(frozen=True)
class Policy:
    merit_quota: int | None = None  # a fixed number of certificates, if set
    merit_percent: int = DEFAULT_MERIT_PERCENT
    flag_quota: int = DEFAULT_FLAG_QUOTA
    tie_break: tuple[str, ...] = DEFAULT_TIE_BREAK
    score_rule: tuple[str, ...] = DEFAULT_SCORE_RULE
    origin: dict[str, str] = field(default_factory=dict, compare=False)

    def merits(self, members: int) -> int:
        """How many Bằng khen a cluster of `members` units may propose."""
        if self.merit_quota is not None:
            return self.merit_quota
        return members * self.merit_percent // 100


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


def tie_break_key(chain: str) -> str:
    """The stored chain with its group names folded, for the ranking view to match criteria
    groups by: 'votes,group:Công Tác' -> 'votes,group:công tác'; 'none' stays 'none'."""
    steps = parse_tie_break(chain)
    return ",".join(s if s == "votes" else "group:" + fold_key(s[6:]) for s in steps) or "none"


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


def effective(layers: list[tuple[str, dict[str, object]]]) -> Policy:
    """Overlay (origin, stored row) layers, most general first, on the defaults."""
    values: dict[str, object] = {}
    origin = dict.fromkeys(FIELDS, "default")
    for name, row in layers:
        # The certificate quota is either a fixed number or a percentage; a layer that sets one
        # replaces whichever the layers below it set.
        if row.get("merit_quota") is not None:
            values["merit_quota"] = row["merit_quota"]
            origin["merit_quota"] = name
        elif row.get("merit_percent") is not None:
            values["merit_percent"] = row["merit_percent"]
            values["merit_quota"] = None
            origin["merit_percent"] = origin["merit_quota"] = name
        for key in ("flag_quota", "tie_break", "score_rule"):
            if row.get(key) is not None:
                values[key] = row[key]
                origin[key] = name
    tie_break = values.get("tie_break")
    score_rule = values.get("score_rule")
    return Policy(
        merit_quota=values.get("merit_quota"),  # type: ignore[arg-type]
        merit_percent=values.get("merit_percent", DEFAULT_MERIT_PERCENT),  # type: ignore[arg-type]
        flag_quota=values.get("flag_quota", DEFAULT_FLAG_QUOTA),  # type: ignore[arg-type]
        tie_break=parse_tie_break(tie_break) if isinstance(tie_break, str) else DEFAULT_TIE_BREAK,
        score_rule=(
            parse_score_rule(score_rule) if isinstance(score_rule, str) else DEFAULT_SCORE_RULE
        ),
        origin=origin,
    )
