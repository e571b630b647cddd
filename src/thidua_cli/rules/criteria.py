"""Criteria as the provinces' forms number them: headings, their groups and the sums they state.

A form numbers its criteria as an outline: "1" (a heading, "Thực hiện nhiệm vụ chuyên môn",
often with the maximum of the whole group), "1.1", "1.2", "2", "2.1", ... A row whose code has
rows under it (codes that begin with its code and a dot) is a heading, not a scored criterion:
it names the group of the rows right under it, and the maximum it states is the sum of theirs.

Only the criteria are stored, each with its group. A group's heading is found again from its
criteria's codes (the criteria of a group that all sit under "1" have the heading "1"), so the
import, the scoring sheet, `criteria list` and `score show` see the same headings and the same
sums, computed here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from thidua_cli.models import Criterion
from thidua_cli.rules.numbers import is_digits
from thidua_cli.rules.text import fold_key, nfc, plain_key

# Headings whose name says what the rows under them are, when a form has no kind column: forms
# often gather the bonus and the deduction items under such headings at the end.
_KIND_WORDS = {("diem", "thuong"): "bonus", ("diem", "cong"): "bonus", ("diem", "tru"): "deduction"}


def clean_code(code: str) -> str:
    """A code as it is stored: forms write "1." and "1.1." as often as "1" and "1.1"."""
    return nfc(code).rstrip(".").rstrip()


def parent_code(code: str) -> str | None:
    """The code of the outline level above: "1.2" -> "1", "1.2.3" -> "1.2", "1" -> None."""
    parent, dot, _last = clean_code(code).rpartition(".")
    return nfc(parent) if dot and parent.strip() else None


def _key(code: str) -> str:
    return fold_key(clean_code(code))


def outline(codes: Sequence[str]) -> list[int | None]:
    """For each row, the index of the row it sits under (its nearest heading), or None.

    A level may be skipped: "1.1.1" sits under "1" when there is no "1.1". The first of two
    rows with one code stands for it (the second is refused as a duplicate anyway).
    """
    index: dict[str, int] = {}
    for i, code in enumerate(codes):
        if code:
            index.setdefault(_key(code), i)
    above: list[int | None] = []
    for code in codes:
        parent = parent_code(code) if code else None
        while parent is not None and _key(parent) not in index:
            parent = parent_code(parent)
        above.append(index[_key(parent)] if parent is not None else None)
    # A section: "I", "II" or "A", "B" over numbered rows ("I. Công tác chuyên môn", then "1",
    # "2"). The numbered rows up to the next section sit under it.
    section: int | None = None
    for i, code in enumerate(codes):
        if _is_section(codes, i):
            section = i
        elif section is not None and code and above[i] is None and is_digits(code[0]):
            above[i] = section
    return above


_SECTION = re.compile(r"^(?:[IVXL]+|[A-Z])$")


def _is_section(codes: Sequence[str], i: int) -> bool:
    """A Roman numeral or a capital letter followed by a numbered row: a section heading. ("T"
    followed by "K" are criteria with letter codes, as some sets have.)"""
    code = clean_code(codes[i]) if codes[i] else ""
    following = clean_code(codes[i + 1]) if i + 1 < len(codes) and codes[i + 1] else ""
    return bool(_SECTION.match(code)) and is_digits(following[:1])


def headings(above: Sequence[int | None]) -> set[int]:
    """The rows that some row sits under: the headings of an outline."""
    return {i for i in above if i is not None}


def kind_named(name: str) -> str | None:
    """The kind a heading's name states ("Điểm thưởng", "Điểm cộng", "Điểm trừ"), or None."""
    words = plain_key(name).split()
    pairs = set(pairwise(words))
    found = {kind for pair, kind in _KIND_WORDS.items() if pair in pairs}
    return found.pop() if len(found) == 1 else None


def group_kind(kinds: Iterable[str]) -> str:
    """The kind a group's maximum counts: base when it holds any base criterion, else the kind of
    its first (a heading "Điểm thưởng" over bonus items states their sum)."""
    kinds = list(kinds)
    return "base" if "base" in kinds or not kinds else kinds[0]


def group_maximum(items: Iterable[tuple[str, int]]) -> int:
    """The maximum a heading states for its (kind, maximum) items: the sum of its group kind's."""
    items = list(items)
    kind = group_kind(k for k, _m in items)
    return sum(m for k, m in items if k == kind)


@dataclass(frozen=True)
class Group:
    """A heading of a stored criteria set: its code, its name and every criterion under it."""

    code: str
    name: str
    kind: str
    max_points: int
    items: tuple[Criterion, ...]

    @property
    def depth(self) -> int:
        return clean_code(self.code).count(".")

    def sign(self, criterion: Criterion) -> int:
        """+1 or -1: how a criterion's points count in the group's subtotal. A subtotal is in
        the group's own terms, so that it compares with the group's maximum: a base group adds
        its bonus and takes off its deductions; a group of deductions adds them up."""
        counts_against = criterion.kind == "deduction"
        if self.kind == "deduction":
            counts_against = not counts_against
        return -1 if counts_against else 1

    def subtotal(self, points: Mapping[int, int]) -> int | None:
        """The group's subtotal from points by criterion id; None when none of its has points."""
        found = [(c, points[c.id]) for c in self.items if c.id in points]
        if not found:
            return None
        return sum(self.sign(c) * value for c, value in found)


def criteria_groups(criteria: Sequence[Criterion]) -> list[Group]:
    """The headings of a stored set, found again from its codes, in the order the form has them.

    Every code above a criterion's ("2" and "2.2" above "2.2.1") that is no criterion's code is
    a heading when the criteria right under it share one group: that group is its name (each
    criterion was given the name of the heading right above it on import). Its criteria are all
    those under it, at any depth, and its maximum is their sum. A heading with none right under
    it (only other headings) has lost its name and is not shown; criteria numbered otherwise
    ("a", "b" of a group from a Nhóm column) have no heading.
    """
    codes = {_key(c.code) for c in criteria}
    written: dict[str, str] = {}  # heading key -> its code as written
    under: dict[str, list[Criterion]] = {}
    right_under: dict[str, list[Criterion]] = {}
    for criterion in criteria:
        nearest = True
        parent = parent_code(criterion.code)
        while parent is not None:
            key = _key(parent)
            if key not in codes:
                written.setdefault(key, parent)
                under.setdefault(key, []).append(criterion)
                if nearest:
                    right_under.setdefault(key, []).append(criterion)
                    nearest = False
            parent = parent_code(parent)
    found = []
    for key, items in under.items():
        names = {fold_key(c.group) for c in right_under.get(key, [])}
        if len(names) != 1 or not next(iter(names)):
            continue
        found.append(
            Group(
                code=written[key],
                name=right_under[key][0].group,
                kind=group_kind(c.kind for c in items),
                max_points=group_maximum((c.kind, c.max_points) for c in items),
                items=tuple(items),
            )
        )
    order = {_key(c.code): i for i, c in enumerate(criteria)}
    found.sort(key=lambda g: (order[_key(g.items[0].code)], g.depth))
    return found


def opening(groups: Sequence[Group]) -> dict[str, list[Group]]:
    """The headings to show above each criterion (by code), the outermost first."""
    found: dict[str, list[Group]] = {}
    for group in sorted(groups, key=lambda g: g.depth):
        found.setdefault(group.items[0].code, []).append(group)
    return found


def closing(groups: Sequence[Group]) -> dict[str, list[Group]]:
    """The subtotals to show after each criterion (by code), the innermost first."""
    found: dict[str, list[Group]] = {}
    for group in sorted(groups, key=lambda g: -g.depth):
        found.setdefault(group.items[-1].code, []).append(group)
    return found
