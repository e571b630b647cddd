"""One vocabulary, Cụm or Khối: the words a cluster's kind puts into every text.

A province groups its units into Cụm thi đua and Khối thi đua. The two work alike, but a Khối's
papers and screens say Khối, Trưởng khối, Phó trưởng khối, KHỐI THI ĐUA, and its papers carry
its own symbol (/BC-KTĐ where a Cụm's say /BC-CTĐ). So no message decides the words for itself:
each takes them from `kind_words` as named fields ({kind}, {Kind_full}, {LEADER_ROLE}, ...),
and the translation places them. Like i18n and points, the module sits beside the five rooms
rather than in one of them, because all of them speak of roles: the rules of membership in their
refusals, the store in what `thidua check` finds, the papers and the screens everywhere.

Each kind's words are one message, "noun|full name|leader|deputy": "cluster|cluster|leader|
deputy", which Vietnamese gives as "cụm|cụm thi đua|Trưởng cụm|Phó trưởng cụm". The short words
alone ("cluster", "leader") are already messages with other uses, and one line per kind keeps a
translator's four words together. English needs neither a longer name nor the kind in the role
names; Vietnamese needs both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from thidua_cli.i18n import _


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class KindWords:
    """The words that name a cluster of one kind, in the language in force."""

    kind: str  # cum | khoi, or "cum,khoi" for a list holding both
    noun: str  # "cụm" / "khối"
    full: str  # "cụm thi đua" / "khối thi đua"
    leader: str  # "Trưởng cụm" / "Trưởng khối"
    deputy: str  # "Phó trưởng cụm" / "Phó trưởng khối"

    def role(self, role: str) -> str:
        """The name of a role in a cluster of this kind: Trưởng khối, Thành viên."""
        if role == "leader":
            return self.leader
        if role == "deputy":
            return self.deputy
        return _("member")

    def fields(self) -> dict[str, str]:
        """The words as the messages' named fields; a message uses those it needs."""
        return {
            "kind": self.noun,
            "Kind": _capitalised(self.noun),
            "kind_full": self.full,
            "Kind_full": _capitalised(self.full),
            "KIND_FULL": self.full.upper(),
            "leader_role": self.leader,
            "deputy_role": self.deputy,
            "Leader_role": _capitalised(self.leader),
            "Deputy_role": _capitalised(self.deputy),
            "LEADER_ROLE": self.leader.upper(),
            "DEPUTY_ROLE": self.deputy.upper(),
        }


def kind_words(kind: str) -> KindWords:
    """The words of a Cụm ("cum") or a Khối ("khoi")."""
    text = _("block|block|leader|deputy") if kind == "khoi" else _("cluster|cluster|leader|deputy")
    noun, full, leader, deputy = text.split("|")
    return KindWords(kind, noun, full, leader, deputy)


def shared_words(kinds: Iterable[str]) -> KindWords:
    """The words for a list of clusters: their kind's when they share one, both kinds' words
    ("Trưởng cụm/khối") when a list holds Cụm and Khối alike."""
    found = sorted(set(kinds))
    if len(found) == 1:
        return kind_words(found[0])
    if not found:
        return kind_words("cum")
    text = _("cluster/block|cluster/block|leader|deputy")
    noun, full, leader, deputy = text.split("|")
    return KindWords(",".join(found), noun, full, leader, deputy)


def role_name(role: str, kind: str) -> str:
    """A role as the screens and papers name it in a cluster of `kind`: "Trưởng khối"."""
    return kind_words(kind).role(role)
