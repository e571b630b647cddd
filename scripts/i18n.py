"""Keep the Vietnamese catalog in step with the code.

    python scripts/i18n.py update    # add new messages to thidua.po (empty msgstr), drop stale ones
    python scripts/i18n.py compile   # write thidua.mo from thidua.po
    python scripts/i18n.py check     # exit 1 if a message lacks a translation or the .mo is stale

Messages are the string literals passed to `_()` in src/thidua_cli. The .po format written here
is the plain subset gettext tools read and write (msgid/msgstr, no plural forms).
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
)


def extract() -> list[str]:
    """Every message id in the code, in order of first appearance."""
    found: dict[str, None] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.setdefault(node.args[0].value, None)
    return list(found)


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path = PO) -> dict[str, str]:
    """msgid -> msgstr (the header entry, msgid "", left out)."""
    entries: dict[str, str] = {}
    if not path.exists():
        return entries
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key = "".join(msgid)
            if key:
                entries[key] = "".join(msgstr)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
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
