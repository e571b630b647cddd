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


def match_one(
    query: str, candidates: Sequence[Candidate], *, what: str, listing: str = ""
) -> Candidate:
    """The one candidate `query` names; `what` (translated: "unit") words errors.

    `listing` ("In 2020 there are: ...") ends the error when no name is near the query.
    """
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
    near = nearest(query, [c.all_names() for c in candidates], main_names=True)
    message = _("There is no {what} “{query}”.").format(what=what, query=query)
    if near:
        message += " " + _("Did you mean: {names}?").format(names="; ".join(near))
    elif listing:
        message += " " + listing
    raise NotFound(message)


def listing_of(sentence: str, names: Iterable[str], *, most: int = 12) -> str:
    """`sentence` ("In {year} there are: {names}.") with the names in Vietnamese order, the first
    `most` of them: enough to see what to type, short enough for one line of a file's errors."""
    ordered = sorted(set(names), key=sort_key)
    if not ordered:
        return ""
    shown = ordered[:most] + (["…"] if len(ordered) > most else [])
    return sentence.format(names="; ".join(shown))


def suggestion(query: str, names: Sequence[str]) -> str:
    """' Did you mean: A, B?' with the nearest names, or '' when nothing is near."""
    near = nearest(query, [(name,) for name in names])
    if not near:
        return ""
    return " " + _("Did you mean: {names}?").format(names="; ".join(near))


def nearest(
    query: str, groups: Sequence[Sequence[str]], *, most: int = 3, main_names: bool = False
) -> list[str]:
    """The names nearest `query`, at most one per group (the names of one unit or cluster).

    First the typing slips (`typo_distance`): a letter swapped, dropped, doubled or mistyped, in
    a word or in the whole name, nearest first; the name shown is the one that is near
    ("Agribnak": "Agribank Lạng Sơn"). When no slip explains the query, the names alike by
    difflib's measure (words swapped); with `main_names`, only a group's first name (a unit's
    full name) is compared so.
    A cluster numeral is never a slip: "Cụm III" is not near "Cụm II".
    """
    wanted = plain_key(query)
    if not wanted:
        return []
    query_designation = designation(query)

    def allowed(name: str) -> bool:
        return query_designation is None or designation(name) in (None, query_designation)

    slips: list[tuple[int, object, str, int]] = []
    for index, group in enumerate(groups):
        best = min(
            (
                (distance, sort_key(name), name, index)
                for name in group
                if allowed(name)
                and (distance := typo_distance(wanted, plain_key(name))) is not None
            ),
            default=None,
        )
        if best is not None:
            slips.append(best)
    slips.sort(key=lambda slip: slip[:2])
    if slips:
        return [name for _d, _k, name, _i in slips][:most]
    import difflib  # only when a name fits nothing and no slip explains it

    by_key: dict[str, str] = {}
    for group in groups:
        for name in group[:1] if main_names else group:
            if allowed(name):
                by_key.setdefault(plain_key(name), name)
    return [by_key[key] for key in difflib.get_close_matches(wanted, list(by_key), n=most)]


def _word_limit(word: str) -> int:
    """How many slips a word may hold: none in short words and numbers ("I" and "II", "12" and
    "13" are other names, not typos), one in a word, two in a long one."""
    if len(word) < 4 or any(ch.isdigit() for ch in word):
        return 0
    return 1 if len(word) < 9 else 2


def typo_distance(query: str, name: str) -> int | None:
    """How many typing slips turn plain key `query` into `name` (or into some of its words, in
    order), or None when it is more than a slip or two away.

    The words are compared one by one with the Damerau-Levenshtein distance (a letter swapped,
    dropped, added or mistyped is one slip), each within `_word_limit`; a query whose spaces
    differ ("agribanklang son") is compared whole, within one slip (the space).
    """
    asked = query.split(" ")
    have = name.split(" ")
    best: int | None = None
    for start in range(len(have) - len(asked) + 1):
        total = 0
        for mine, theirs in zip(asked, have[start : start + len(asked)], strict=True):
            slip = _damerau(mine, theirs, _word_limit(theirs))
            if slip is None:
                break
            total += slip
        else:
            if best is None or total < best:
                best = total
    if best is None and len(asked) != len(have):
        best = _damerau(query, name, 1)
    return best


def _damerau(a: str, b: str, limit: int) -> int | None:
    """The optimal-string-alignment distance of `a` and `b`, or None above `limit`."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return None
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return None
        before, previous = previous, current
    return previous[-1] if previous[-1] <= limit else None
