"""Vietnamese text: normal form, forgiving match keys, cluster numerals and alphabetical order.

Three keys are built from a name:

* `fold_key`: NFC, case folded, dashes unified, and the tone mark moved to the end of each word,
  so that the two tone placements ("Hoà" and "Hòa", "Thuỵ" and "Thụy") give the same key while
  every letter and every tone still counts.
* `plain_key`: every diacritic removed and "đ" read as "d": the forgiving key, used only after
  the exact one found nothing.
* `designation`: the cluster numeral a name or a query states ("Cụm I", "Cụm thi đua số I",
  "cụm 1", "Cụm thi đua II - ..."), as (kind, number); "Cụm I" is (cum, 1) and "Cụm II" is
  (cum, 2), so the two never meet.

`sort_key` orders names as a Vietnamese dictionary does: letters in the order
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, tones as a secondary key.

`checked_name` is the one rule for a name coming in, by any door (a command, a file, a bundle):
text, with no control character (which no workbook or Word file can hold), no character that
turns the direction of the text (which makes a name read otherwise than it is stored), and
something visible once the invisible characters are gone. `xml_safe` is its counterpart on the
way out, for what was stored before the rule.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from thidua_cli.errors import InvalidInput
from thidua_cli.i18n import _
from thidua_cli.rules.numbers import digits_value, is_digits

# Combining tone marks, in the order Vietnamese dictionaries sort them after the toneless form:
# huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_SPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+|[^\w\s]")

_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {letter: 100 + i for i, letter in enumerate(_ALPHABET)}


@functools.lru_cache(maxsize=1 << 16)
def nfc(text: str) -> str:
    """The form every name is stored in: NFC, dashes unified, spaces collapsed and trimmed.

    Remembered: a score file repeats the same names, codes and numbers on every line.
    """
    text = unicodedata.normalize("NFC", text).translate(_DASHES)
    return _SPACE.sub(" ", text).strip()


def _split_tone(word: str) -> tuple[str, str]:
    """A word without its tone mark, and the tone mark ('' for none)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return base, (tones[0] if tones else "")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(nfc(text).casefold())


@lru_cache(maxsize=65536)
def fold_key(text: str) -> str:
    """The exact match key: case and tone placement folded, nothing else."""
    words = []
    for token in _tokens(text):
        base, tone = _split_tone(token)
        words.append(base + tone)
    return " ".join(words)


@lru_cache(maxsize=65536)
def plain_key(text: str) -> str:
    """The forgiving match key: no diacritics at all, 'đ' read as 'd'."""
    decomposed = unicodedata.normalize("NFD", " ".join(_tokens(text)).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_ROMAN_FORM = re.compile(r"^(l?x{0,3})(ix|iv|v?i{0,3})$")
_DESIGNATION = re.compile(r"^(cum|khoi)(?: thi dua)?(?: so)? ([0-9]+|[ivxl]+)(?: - .*)?$")


def _roman_value(word: str) -> int | None:
    if not word or not _ROMAN_FORM.match(word):
        return None
    total = 0
    for i, ch in enumerate(word):
        value = _ROMAN[ch]
        if i + 1 < len(word) and _ROMAN[word[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def designation(text: str) -> tuple[str, int] | None:
    """The cluster numeral a name states: ("cum", 1) for "Cụm thi đua số I - ...", else None."""
    match = _DESIGNATION.match(plain_key(text))
    if not match:
        return None
    kind, numeral = match.groups()
    number = digits_value(numeral) if is_digits(numeral) else _roman_value(numeral)
    if not number:
        return None
    return kind, number


@lru_cache(maxsize=4096)
def _letter_keys(ch: str) -> tuple[int, int, int]:
    """(letter rank, tone rank, case) of one character (remembered: an alphabet is small)."""
    lower = ch.lower()
    base, tone = _split_tone(lower)
    case = 0 if ch == lower else 1
    tone_rank = _TONES.get(tone, 0)
    if base in _LETTER_RANK:
        return _LETTER_RANK[base], tone_rank, case
    if not base:  # a tone mark with no letter under it
        return 1, tone_rank, 0
    if base.isspace():
        return 0, 0, 0
    if base.isdigit():
        return 50 + int(base) if base.isascii() else 60, 0, 0
    if base.isalpha():
        # Letters outside the Vietnamese alphabet go after it, in code-point order.
        return 1000 + ord(base), tone_rank, case
    return 10 + (ord(base[0]) % 30), 0, 0  # punctuation and marks: before digits and letters


@lru_cache(maxsize=65536)
def sort_key(
    text: str,
) -> tuple[tuple[tuple[tuple[int, ...], tuple[int, ...]], ...], tuple[int, ...], str]:
    """Key for sorting names as a Vietnamese dictionary does.

    Word by word: a word's letters first, then its tone, then the next word ("ba", "ba ba", "bà",
    "bá"); upper and lower case only break what is left, and the text itself any final tie.
    """
    words = []
    cases: list[int] = []
    for word in nfc(text).split(" "):
        letters, tones, word_cases = _word_key(word)
        words.append((letters, tones))
        cases.extend(word_cases)
    return tuple(words), tuple(cases), text


@lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A word's letters, tones and cases; names share most of their words."""
    keys = [_letter_keys(ch) for ch in word]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys), tuple(k[2] for k in keys)


def vn_sorted(names: list[str]) -> list[str]:
    return sorted(names, key=sort_key)


# Embeddings, overrides and isolates: they make a name read otherwise than it is stored.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters with no width and no ink (zero-width space and joiners, word joiner, byte-order mark,
# direction marks, soft hyphen): taken out of a name, so that "BIDV\u200b" cannot pose as
# "BIDV"; a name made of nothing else is refused.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u00ad")
_LINE_SPACES = frozenset("\t\n\r")  # pasted from a spreadsheet: read as spaces


def _unprintable(ch: str) -> bool:
    """A control character (C0, DEL, C1), a lone surrogate or a non-character: XML (and so every
    .xlsx and .docx) cannot hold it."""
    if ch in _LINE_SPACES:
        return False
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff"


def _codes(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(chars))


def _shown(text: str) -> str:
    """The name as a message can show it: each character it must not hold written as its code."""
    return "".join(
        f"<U+{ord(ch):04X}>" if _unprintable(ch) or ch in _BIDI_CONTROLS else ch for ch in text
    )


def checked_name(text: object) -> str:
    """A name as it is stored (NFC, invisible characters taken out), or InvalidInput saying why
    it cannot be one: it is not text, holds a control or direction character, or shows nothing.
    """
    if not isinstance(text, str):
        raise InvalidInput(
            _("{value} is not a name: a name is text.").format(value=json_text(text))
        )
    bad = [ch for ch in text if _unprintable(ch)]
    if bad:
        raise InvalidInput(
            _("“{name}”: a name cannot hold control characters ({codes}).").format(
                name=_shown(text), codes=_codes(bad)
            )
        )
    turning = [ch for ch in text if ch in _BIDI_CONTROLS]
    if turning:
        raise InvalidInput(
            _(
                "“{name}”: a name cannot hold characters that turn the direction of the text "
                "({codes})."
            ).format(name=_shown(text), codes=_codes(turning))
        )
    name = nfc("".join(ch for ch in text if ch not in _INVISIBLE))
    if not name:
        hidden = [ch for ch in text if ch in _INVISIBLE]
        if hidden:
            raise InvalidInput(
                _("A name cannot be made of invisible characters only ({codes}).").format(
                    codes=_codes(hidden)
                )
            )
        raise InvalidInput(_("A name cannot be empty."))
    return name


def json_text(value: object) -> str:
    """A value as a JSON file writes it (123, [\"a\"], true), for messages about a file's values."""
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def xml_safe(text: str) -> str:
    """`text` with what XML cannot hold (control characters, lone surrogates, non-characters)
    replaced by U+FFFD, so that a workbook or a Word file can be written whatever was stored."""
    if not any(_unprintable(ch) for ch in text):
        return text
    return "".join("\ufffd" if _unprintable(ch) else ch for ch in text)


def clipped(value: object, limit: int = 40) -> str:
    """A value as a message quotes it: a cell of 5,000 digits or a header of 128 KB is cut."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
