"""The rules a province or a cluster sets for itself, as data with defaults.

Effective policy for a cluster-year = thidua's defaults, overlaid by the year's rule for every
cluster, overlaid by the cluster-year's own rule. Each field says where its value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _

# The defaults a database starts with (its policy_default row, which a province may edit):
# floor(0.3 x members) Bằng khen fits the Lạng Sơn articles.
DEFAULT_BANG_KHEN_PERCENT = 30
DEFAULT_CO_THI_DUA_QUOTA = 1
DEFAULT_TIE_BREAK = ("votes",)
DEFAULT_SCORE_RULE = ("final", "peer", "self")
SCORE_SOURCES = ("final", "peer", "self")
MAX_TIE_BREAK_STEPS = 3
FIELDS = ("bang_khen_quota", "bang_khen_percent", "co_thi_dua_quota", "tie_break", "score_rule")


@dataclass(frozen=True)
class Policy:
    bang_khen_quota: int | None = None  # a fixed number of Bằng khen, if set
    bang_khen_percent: int = DEFAULT_BANG_KHEN_PERCENT
    co_thi_dua_quota: int = DEFAULT_CO_THI_DUA_QUOTA
    tie_break: tuple[str, ...] = DEFAULT_TIE_BREAK
    score_rule: tuple[str, ...] = DEFAULT_SCORE_RULE
    origin: dict[str, str] = field(default_factory=dict, compare=False)

    def bang_khen_quota_for(self, members: int) -> int:
        """How many Bằng khen a cluster of `members` units may propose."""
        if self.bang_khen_quota is not None:
            return self.bang_khen_quota
        return members * self.bang_khen_percent // 100


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
        for key in ("co_thi_dua_quota", "tie_break", "score_rule"):
            if row.get(key) is not None:
                values[key] = row[key]
                origin[key] = name
    tie_break = values.get("tie_break")
    score_rule = values.get("score_rule")
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
        origin=origin,
    )
