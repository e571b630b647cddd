"""The province's decisions on a cluster's proposals: what may be recorded, what may be
revoked, and how a decision reads. A decision is on a proposal of a standing submission; the
province may grant the form proposed, another form, or none; a unit holds at most one award a
year."""

from __future__ import annotations

from collections.abc import Sequence

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.models import AWARD_NAMES, AWARDS, BANG_KHEN, CO_THI_DUA, Decision, Row
from thidua_cli.rules.dates import shown_date
from thidua_cli.rules.text import nfc, plain_key

_AWARD_WORDS = {
    **{plain_key(code): code for code in AWARDS},
    **{plain_key(name): code for code, name in AWARD_NAMES.items()},
    **{plain_key(word): CO_THI_DUA for word in ("Cờ", "Cờ thi đua", "Cờ thi đua UBND tỉnh")},
    **{plain_key(word): BANG_KHEN for word in ("Bằng khen", "Bằng khen Chủ tịch UBND tỉnh")},
}
NOT_GRANTED = "none"
_NONE_WORDS = {plain_key(w) for w in ("none", "không", "không khen", "không được khen", "-")}


def award_code(text: str) -> str | None:
    """'co_thi_dua', 'Cờ thi đua', 'Bằng khen của Chủ tịch UBND tỉnh' -> the award's code."""
    return _AWARD_WORDS.get(plain_key(text))


def granted_code(text: str) -> str | None:
    """The form granted as a file writes it: an award, or NOT_GRANTED ('none', 'không')."""
    return NOT_GRANTED if plain_key(text) in _NONE_WORDS else award_code(text)


def decision_text(decision: Decision) -> str:
    """'123/QĐ-UBND, 20/01/2021: approved', with another form granted, a rejection or a
    revocation said as such, in the user's language."""
    if decision.granted is None:
        outcome = _("not approved")
    elif decision.granted == decision.award:
        outcome = _("approved")
    else:
        outcome = _("approved as {award}").format(award=AWARD_NAMES[decision.granted])
    text = f"{decision.number or _('no number')}, {shown_date(decision.decided_on)}: {outcome}"
    revoked = decision.revocation
    if revoked is not None:
        text += "; " + _("revoked by {number}, {date} ({reason})").format(
            number=revoked.number, date=shown_date(revoked.decided_on), reason=revoked.reason
        )
    return text


def check_decision_dates(
    year: int,
    decided_on: str,
    *,
    submitted: tuple[int, str] | None = None,
    reviewed_on: str | None = None,
    voted_on: str | None = None,
) -> None:
    """A decision on the awards of `year` is dated in that year or later, and not before the
    submission it decides on (`submitted`: its version and date, for a file the cluster
    submitted), the Board's receipt of it, or the Council's vote on it."""
    if int(decided_on[:4]) < year:
        raise InvalidInput(
            _(
                "A decision on the awards of {year} cannot be dated {date}, before that year."
            ).format(year=year, date=shown_date(decided_on))
        )
    if submitted is not None and decided_on < submitted[1]:
        raise InvalidInput(
            _(
                "The decision's date {date} is before the submission it decides on "
                "(version {version}, {submitted})."
            ).format(
                date=shown_date(decided_on),
                version=submitted[0],
                submitted=shown_date(submitted[1]),
            )
        )
    for stage_date, message in (
        (reviewed_on,
         _("The decision's date {date} is before the Board received the file ({stage}).")),
        (voted_on,
         _("The decision's date {date} is before the Council's vote on it ({stage}).")),
    ):  # fmt: skip
        if stage_date is not None and decided_on < stage_date:
            raise InvalidInput(
                message.format(date=shown_date(decided_on), stage=shown_date(stage_date))
            )


def decision_number(number: str | None, granted: str | None) -> str | None:
    """The decision's number (số quyết định) as stored: a grant has one."""
    text = nfc(number).strip() if number else ""
    if not text and granted is not None:
        raise InvalidInput(_("The decision number cannot be empty."))
    return text or None


def check_revocation_date(decided_on: str, of: str) -> None:
    """A revocation comes after the decision it revokes (dated `of`)."""
    if decided_on < of:
        raise InvalidInput(
            _(
                "The revocation cannot be dated {date}, before the decision it revokes ({of})."
            ).format(date=shown_date(decided_on), of=shown_date(of))
        )


def check_decision(
    award: str,
    granted: str | None,
    unit: str,
    cluster: str,
    year: int,
    row: Row | None,
    recorded: Sequence[Decision],
    *,
    submission_id: int,
    replace: bool,
) -> None:
    """Refuse a decision that is not on the proposal `row` of the standing submission
    (`submission_id`) holds, or that clashes with the decisions `recorded` for the unit and year
    (on any version: what was decided on a withdrawn one stays, but binds only the one-award-a-
    year rule). A unit with no row in the submission (`row` None) was proposed for nothing."""
    for code in (award, granted):
        if code is not None and code not in AWARDS:
            raise InvalidInput(
                _("“{text}” is not an award; use co_thi_dua or bang_khen.").format(text=code)
            )
    if row is None:
        raise InvalidInput(
            _("{unit} has no award proposal for {year} (rank {rank} in {cluster}).").format(
                unit=unit, year=year, rank="-", cluster=cluster
            )
        )
    if row.award_code != award:
        if award in row.pending_awards:
            message = _(
                "{unit} is in an unresolved tie for {award}; the cluster must settle it first."
            ).format(unit=unit, award=AWARD_NAMES[award])
        elif row.award_code:
            message = _("{unit} was proposed for {proposed} in {year}, not {award}.").format(
                unit=unit,
                proposed=AWARD_NAMES[row.award_code],
                year=year,
                award=AWARD_NAMES[award],
            )
        else:
            message = _(
                "{unit} has no award proposal for {year} (rank {rank} in {cluster})."
            ).format(unit=unit, year=year, rank=row.rank or "-", cluster=cluster)
        raise InvalidInput(message)
    same = next(
        (
            d
            for d in recorded
            if d.submission_id == submission_id and d.award == award and d.unit_id == row.unit_id
        ),
        None,
    )
    if same is not None and same.revocation is not None:
        raise InvalidInput(
            _(
                "The decision {number} on {unit} was revoked by {revoked}; both stay on record "
                "and it cannot be replaced."
            ).format(number=same.number or "-", unit=unit, revoked=same.revocation.number)
        )
    if same is not None and not replace:
        raise InvalidInput(
            _("A decision is already recorded: {decision}. Use --replace.").format(
                decision=decision_text(same)
            )
        )
    other = next((d for d in recorded if d.standing and (same is None or d.id != same.id)), None)
    if other is not None and granted is not None:
        raise InvalidInput(
            _(
                "{unit} was already granted {award} for {year}; a unit gets one award a year."
            ).format(unit=unit, award=AWARD_NAMES[other.granted or award], year=year)
        )


def revocable(decisions: Sequence[Decision], unit: str, year: int) -> Decision:
    """The decision granting the unit's award of the year, which a revocation would undo."""
    standing = [d for d in decisions if d.standing]
    if not standing:
        raise InvalidInput(
            _("{unit} holds no award granted for {year}; there is nothing to revoke.").format(
                unit=unit, year=year
            )
        )
    return standing[-1]
