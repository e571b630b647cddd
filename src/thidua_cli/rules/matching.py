"""Finding the unit or cluster a user meant: forgiving, never loose.

The query is compared with each candidate's names (full name, short name, aliases, code) in
four passes, from strict to forgiving, and the first pass that finds anything decides:

1. the exact key (case and tone placement folded), then the same cluster numeral;
2. the same letters without diacritics;
3. the query's words are the first words of a name ("Ngân hàng Nông nghiệp" for the full name);
4. the query's words stand, in that order, somewhere in a name ("tham mưu"); whole words only,
   so "Cụm I" is still not "Cụm II", and "Bình An" is not "An Bình".

One candidate: that is the answer. Several: an error listing them, unless exactly one of them is
active in the year at hand (cluster numbers are reused from year to year). None at all: an error
with the nearest names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from thidua_cli.errors import Ambiguous, NotFound
from thidua_cli.i18n import _
from thidua_cli.models import Candidate
from thidua_cli.rules.text import designation, fold_key, plain_key, sort_key


def _narrow(found: list[Candidate]) -> list[Candidate]:
    unique = {c.id: c for c in found}
    found = list(unique.values())
    if len(found) > 1:
        active = [c for c in found if c.active]
        if len(active) == 1:
            return active
    return found


def _passes(query: str) -> Iterable[tuple[str, object]]:
    yield "exact", fold_key(query)
    yield "fold", fold_key(query)
    yield "plain", plain_key(query)
    yield "prefix", plain_key(query).split(" ")
    yield "words", plain_key(query).split(" ")


def _hits(kind: str, key: object, candidate: Candidate, query_designation: object) -> bool:
    if kind == "exact":  # a whole name beats a cluster numeral it happens to start with
        return any(fold_key(n) == key for n in candidate.all_names())
    if kind == "fold":
        if any(fold_key(n) == key for n in candidate.all_names()):
            return True
        return query_designation is not None and any(
            designation(n) == query_designation for n in candidate.all_names()
        )
    if kind == "plain":
        return any(plain_key(n) == key for n in candidate.all_names())
    words = key  # a list of plain words
    assert isinstance(words, list)
    if kind == "prefix":
        return any(plain_key(n).split(" ")[: len(words)] == words for n in candidate.all_names())
    size = len(words)
    for name in candidate.all_names():
        have = plain_key(name).split(" ")
        if any(have[i : i + size] == words for i in range(len(have) - size + 1)):
            return True
    return False


def match_one(query: str, candidates: Sequence[Candidate], *, what: str) -> Candidate:
    """The one candidate `query` names; `what` (translated: "unit") words errors."""
    query_designation = designation(query)
    if plain_key(query):
        for kind, key in _passes(query):
            found = _narrow([c for c in candidates if _hits(kind, key, c, query_designation)])
            if len(found) == 1:
                return found[0]
            if found:
                listed = sorted(found, key=lambda c: sort_key(c.name))
                raise Ambiguous(
                    _("“{query}” fits more than one {what}; say which:").format(
                        query=query, what=what
                    ),
                    details=[c.label or c.name for c in listed],
                )
    raise NotFound(
        _("There is no {what} “{query}”.").format(what=what, query=query)
        + suggestion(query, [c.name for c in candidates])
    )


def suggestion(query: str, names: Sequence[str]) -> str:
    """' Did you mean: A, B?' with the nearest names, or '' when nothing is near."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(plain_key(name), name)
    import difflib  # only when a name fits nothing

    near = difflib.get_close_matches(plain_key(query), list(by_key), n=3, cutoff=0.6)
    if not near:
        return ""
    return " " + _("Did you mean: {names}?").format(names="; ".join(by_key[k] for k in near))
