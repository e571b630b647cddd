"""What the outputs say of a review's provenance (models.Provenance, decided in app/facts.py):
the note beside illustrative totals and ranks, the places a source reports, and whether a
proposal is the source's or thidua's.

Every function returns nothing (None, [], {}) for an empty provenance, so that a database with
real scores prints exactly what it printed before these marks existed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from thidua_cli.i18n import _
from thidua_cli.models import AWARD_NAMES, Provenance, Row
from thidua_cli.output.wording import place_word


def illustrative_line(provenance: Provenance) -> str | None:
    """'(Số liệu minh họa: ...)' beside the totals and ranks of one review, or None."""
    if provenance.illustrative is None:
        return None
    return _(
        "(Illustrative figures: {note}. The totals and places computed from these scores are "
        "not real results.)"
    ).format(note=provenance.illustrative.rstrip("."))


def illustrative_lines(reviews: Iterable[tuple[str, Provenance]]) -> list[str]:
    """The notes of several clusters' reviews (cluster name, provenance), one per note."""
    by_note: dict[str, list[str]] = {}
    for cluster, provenance in reviews:
        if provenance.illustrative is not None:
            by_note.setdefault(provenance.illustrative, []).append(cluster)
    return [
        _(
            "(Illustrative figures: {note}. The totals and places of {clusters} computed from "
            "these scores are not real results.)"
        ).format(note=note.rstrip("."), clusters="; ".join(clusters))
        for note, clusters in by_note.items()
    ]


def reported_lines(provenance: Provenance) -> list[str]:
    """The places the source reports, one line each, with the award it states (if any)."""
    lines = []
    for placing in provenance.placings:
        line = _("As the article reports ({source}): {unit} placed {place}").format(
            source=placing.source, unit=placing.unit, place=place_word(placing.place)
        )
        if placing.award:
            line += _(", proposed for the {award}").format(award=AWARD_NAMES[placing.award])
        else:
            line += _(", the article states no award proposal")
        lines.append(line + ".")
    return lines


def sources_line(provenance: Provenance) -> str | None:
    """Where the places marked as reported come from, or None."""
    sources = list(dict.fromkeys(p.source for p in provenance.placings))
    if not sources:
        return None
    return _("The places marked “as the article reports” are taken from: {sources}.").format(
        sources="; ".join(sources)
    )


def place_note(provenance: Provenance, row: Row) -> str | None:
    """'xếp thứ Nhì theo bài báo cáo' for a unit whose place the source reports, else None."""
    placing = provenance.placing(row.unit_id)
    if placing is None:
        return None
    return _("placed {place} as the article reports").format(place=place_word(placing.place))


def proposal_basis(provenance: Provenance, row: Row) -> str | None:
    """Whether a proposal is the one the source reports ('theo bài báo cáo') or only thidua's
    ('đề xuất theo tính toán'); None where nothing is reported or marked."""
    if not provenance or not row.award_code:
        return None
    placing = provenance.placing(row.unit_id)
    if placing is not None and placing.award == row.award_code:
        return _("as the article reports")
    return _("proposed by computation")


def with_basis(provenance: Provenance, row: Row, text: str) -> str:
    """`text` followed by the proposal's basis in brackets, where there is one."""
    basis = proposal_basis(provenance, row)
    return f"{text} ({basis})" if basis else text


def illustrative_key(provenance: Provenance) -> dict[str, Any]:
    """The key a JSON row gains when its total is illustrative (none otherwise)."""
    return {"illustrative": True} if provenance.illustrative is not None else {}


def provenance_json(provenance: Provenance) -> dict[str, Any]:
    """The keys a JSON output gains for a review with a provenance (none otherwise)."""
    if not provenance:
        return {}
    return {
        "illustrative": provenance.illustrative is not None,
        "illustrative_note": provenance.illustrative,
        "reported_placings": [
            {"unit": p.unit, "place": p.place, "award_code": p.award, "source": p.source}
            for p in provenance.placings
        ],
    }


def proposal_json(provenance: Provenance, row: Row) -> dict[str, Any]:
    """The key a proposal gains in JSON: whether the source reports it (none otherwise)."""
    basis = proposal_basis(provenance, row)
    if basis is None:
        return {}
    placing = provenance.placing(row.unit_id)
    return {"reported": placing is not None and placing.award == row.award_code}
