"""Keep the Vietnamese catalog in step with the code.

    python scripts/i18n.py update    # add new messages to thidua.po (empty msgstr), drop stale ones
    python scripts/i18n.py compile   # write thidua.mo from thidua.po
    python scripts/i18n.py check     # exit 1 if a message lacks a translation or the .mo is stale

Messages are the string literals passed to `_()` in src/thidua_cli, and the pairs passed to
`ngettext(singular, plural, n)`. The .po format written here is the plain subset gettext tools
read and write: msgid/msgstr, and for a plural message msgid/msgid_plural/msgstr[0]... (one form
in Vietnamese, whose header says `nplurals=1; plural=0;`).

In memory (and in the .mo, as GNU gettext stores it) a plural message is one entry: its key is
the singular and the plural joined by a NUL, its value the forms joined by a NUL.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "thidua_cli"
PO = SOURCE / "locale" / "vi" / "LC_MESSAGES" / "thidua.po"
MO = PO.with_suffix(".mo")
HEADER = (
    "Project-Id-Version: thidua\n"
    "Language: vi\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Plural-Forms: nplurals=1; plural=0;\n"
)
PLURAL = "\0"  # between a plural message's singular and plural, and between its forms


def extract() -> list[str]:
    """Every message id in the code, in order of first appearance (plural ones as one key)."""
    found: dict[str, None] = {}

    def literal(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return None

    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            texts = [literal(arg) for arg in node.args[:2]]
            if node.func.id == "_" and texts and texts[0] is not None:
                found.setdefault(texts[0], None)
            elif node.func.id == "ngettext" and len(texts) == 2 and None not in texts:
                found.setdefault(PLURAL.join(texts), None)  # type: ignore[arg-type]
    return list(found)


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path = PO) -> dict[str, str]:
    """msgid -> msgstr (the header entry, msgid "", left out); plural entries as one key."""
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    msgid: list[str] | None = None
    plural: list[str] | None = None
    forms: dict[int, list[str]] = {}
    current: list[str] | None = None

    def flush() -> None:
        if msgid is None or not forms:
            return
        key = "".join(msgid)
        if plural is not None:
            key += PLURAL + "".join(plural)
            entries[key] = PLURAL.join("".join(forms[i]) for i in sorted(forms))
        elif key:
            entries[key] = "".join(forms[0])

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, plural, forms = [_unquote(line[6:])], None, {}
            current = msgid
        elif line.startswith("msgid_plural "):
            plural = [_unquote(line[13:])]
            current = plural
        elif line.startswith("msgstr["):
            index, _bracket, text = line[7:].partition("] ")
            current = forms.setdefault(int(index), [])
            current.append(_unquote(text))
        elif line.startswith("msgstr "):
            current = forms.setdefault(0, [])
            current.append(_unquote(line[7:]))
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
    flush()
    return entries


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = escaped.replace("\t", "\\t")
    return f'"{escaped}"'


def write_po(entries: dict[str, str], path: Path = PO) -> None:
    lines = ['msgid ""', 'msgstr ""']
    lines += [_quote(line + "\n") for line in HEADER.rstrip("\n").split("\n")]
    for msgid, msgstr in entries.items():
        if PLURAL in msgid:
            singular, plural = msgid.split(PLURAL)
            lines += ["", f"msgid {_quote(singular)}", f"msgid_plural {_quote(plural)}"]
            lines += [f"msgstr[{i}] {_quote(form)}" for i, form in enumerate(msgstr.split(PLURAL))]
        else:
            lines += ["", f"msgid {_quote(msgid)}", f"msgstr {_quote(msgstr)}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def compile_mo(entries: dict[str, str]) -> bytes:
    """The GNU .mo bytes for the translated entries (untranslated ones are left out)."""
    catalog = {"": HEADER}
    catalog.update({k: v for k, v in entries.items() if v})
    keys = sorted(catalog)
    ids = b""
    strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode("utf-8"), catalog[key].encode("utf-8")
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    n = len(keys)
    key_table = 7 * 4
    value_table = key_table + n * 8
    ids_start = value_table + n * 8
    strs_start = ids_start + len(ids)
    out = struct.pack("<7I", 0x950412DE, 0, n, key_table, value_table, 0, 0)
    for id_off, id_len, _s, _l in offsets:
        out += struct.pack("<2I", id_len, ids_start + id_off)
    for _i, _n, str_off, str_len in offsets:
        out += struct.pack("<2I", str_len, strs_start + str_off)
    return out + ids + strs


def missing() -> list[str]:
    entries = read_po()
    return [m for m in extract() if not entries.get(m)]


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        entries = read_po()
        write_po({m: entries.get(m, "") for m in extract()})
        print(f"{PO.relative_to(ROOT)}: {len(extract())} messages, {len(missing())} untranslated")
        return 0
    if command == "compile":
        MO.write_bytes(compile_mo(read_po()))
        print(f"wrote {MO.relative_to(ROOT)}")
        return 0
    if command == "check":
        problems = [f"untranslated: {m!r}" for m in missing()]
        if not MO.exists() or MO.read_bytes() != compile_mo(read_po()):
            problems.append(f"{MO.relative_to(ROOT)} is stale: run scripts/i18n.py compile")
        print("\n".join(problems) or "catalog complete")
        return 1 if problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
